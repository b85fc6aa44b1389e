using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>What is wrong with a taxonomy or a taxonomy operation; see <see cref="TagTaxonomyException.Error"/>.</summary>
public enum TaxonomyError
{
    /// <summary>Two groups share an id.</summary>
    DuplicateGroupId = 0,

    /// <summary>Two groups share a name.</summary>
    DuplicateGroupName,

    /// <summary>Two tags share an id.</summary>
    DuplicateTagId,

    /// <summary>Two tags of one group share a name or alias (compared case-insensitively, culture-invariantly).</summary>
    DuplicateName,

    /// <summary>A name or alias is empty, too long or holds control characters or broken surrogates.</summary>
    InvalidName,

    /// <summary>A tag names a group that does not exist.</summary>
    UnknownGroup,

    /// <summary>A tag names a parent that does not exist.</summary>
    UnknownParent,

    /// <summary>A parent is in another group or is merged away.</summary>
    InvalidParent,

    /// <summary>Parents (or successors) form a cycle.</summary>
    Cycle,

    /// <summary>A tag names a successor that does not exist.</summary>
    UnknownSuccessor,

    /// <summary>A successor is in another group, is the tag itself, is given to an active tag or is missing on a merged tag.</summary>
    InvalidSuccessor,

    /// <summary>An operation names a tag or group that does not exist.</summary>
    UnknownTag,

    /// <summary>An operation is not allowed (e.g. merging a tag into itself, into another group, or retiring a merged tag).</summary>
    InvalidOperation,
}

/// <summary>
/// Thrown when a <see cref="TagTaxonomy"/> is built from inconsistent definitions, or when an evolution operation
/// would make it inconsistent. Names the offending tags and groups.
/// </summary>
public sealed class TagTaxonomyException : Exception
{
    /// <summary>Creates an exception.</summary>
    public TagTaxonomyException()
        : this(TaxonomyError.InvalidOperation, "The taxonomy is invalid.", [], [])
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TagTaxonomyException(string message)
        : this(TaxonomyError.InvalidOperation, message, [], [])
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TagTaxonomyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = TaxonomyError.InvalidOperation;
    }

    /// <summary>Creates an exception naming the offending tags and groups.</summary>
    /// <param name="error">What is wrong.</param>
    /// <param name="message">The message, naming the offending tags.</param>
    /// <param name="tagIds">The offending tags.</param>
    /// <param name="groupIds">The offending groups.</param>
    public TagTaxonomyException(TaxonomyError error, string message, IEnumerable<TagId> tagIds, IEnumerable<TagGroupId> groupIds)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(tagIds);
        ArgumentNullException.ThrowIfNull(groupIds);
        Error = error;
        TagIds = [.. tagIds];
        GroupIds = [.. groupIds];
    }

    /// <summary>Gets what is wrong.</summary>
    public TaxonomyError Error { get; }

    /// <summary>Gets the offending tags (for a cycle: the tags on it, in order).</summary>
    public ImmutableArray<TagId> TagIds { get; } = [];

    /// <summary>Gets the offending groups.</summary>
    public ImmutableArray<TagGroupId> GroupIds { get; } = [];

    internal static TagTaxonomyException ForTags(TaxonomyError error, string message, params TagId[] tags) => new(error, message, tags, []);

    internal static TagTaxonomyException ForGroups(TaxonomyError error, string message, params TagGroupId[] groups) => new(error, message, [], groups);
}
