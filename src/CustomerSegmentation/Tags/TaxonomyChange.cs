using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>The kind of a taxonomy evolution step.</summary>
public enum TaxonomyOperation
{
    /// <summary>A group was added.</summary>
    AddGroup = 0,

    /// <summary>A tag was added.</summary>
    AddTag,

    /// <summary>A tag was renamed (the old name usually kept as an alias).</summary>
    Rename,

    /// <summary>A tag was moved to another parent in its group (or made a root).</summary>
    Move,

    /// <summary>A tag was merged into another; its assignments move to the other.</summary>
    Merge,

    /// <summary>A tag was retired; its assignments stay, or move to the successor.</summary>
    Retire,
}

/// <summary>Where assignments of old tags go after a taxonomy change: tag → tag redirects (empty when nothing moves).</summary>
/// <param name="Redirects">Old tag → new tag.</param>
public sealed record TagMigration(ImmutableDictionary<TagId, TagId> Redirects)
{
    /// <summary>Gets the migration that moves nothing.</summary>
    public static TagMigration None { get; } = new(ImmutableDictionary<TagId, TagId>.Empty);

    /// <summary>Gets a value indicating whether no assignment moves.</summary>
    public bool IsEmpty => Redirects.IsEmpty;

    /// <summary>Maps a tag to where its assignments go.</summary>
    /// <param name="id">A tag held before the change.</param>
    /// <returns>The redirect target, or <paramref name="id"/> itself.</returns>
    public TagId Map(TagId id) => Redirects.TryGetValue(id, out var to) ? to : id;
}

/// <summary>
/// One taxonomy evolution step: the taxonomy before and after, the migration of assignments and a sentence that says
/// what happened. Apply it to assignments with <see cref="TagIndex.Apply(TaxonomyChange, NodaTime.Instant, string?)"/>.
/// </summary>
/// <param name="Previous">The taxonomy before.</param>
/// <param name="Current">The taxonomy after (version one higher).</param>
/// <param name="Operation">What was done.</param>
/// <param name="Subject">The tag operated on (the merged or retired one), or <see langword="null"/> for a new group.</param>
/// <param name="Migration">Where assignments move.</param>
/// <param name="Description">A sentence such as <c>merged 'SaaS' (saas) into 'IT' (it)</c>.</param>
public sealed record TaxonomyChange(
    TagTaxonomy Previous,
    TagTaxonomy Current,
    TaxonomyOperation Operation,
    TagId? Subject,
    TagMigration Migration,
    string Description);
