using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>
/// A tag (标签) of a <see cref="TagTaxonomy"/>: stable id, group, display name, optional colour, description, parent
/// (hierarchies such as Industry &gt; IT &gt; SaaS, within one group) and aliases that also resolve to it.
/// </summary>
/// <remarks>
/// A tag is an immutable value; a taxonomy checks it when built (names, parent, successor). Equality compares every
/// field, aliases by content in order.
/// </remarks>
public sealed record Tag
{
    /// <summary>Creates an active root tag.</summary>
    /// <param name="id">The stable id.</param>
    /// <param name="groupId">The group it belongs to.</param>
    /// <param name="name">The display name (any Unicode text); validated when the taxonomy is built.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="groupId"/> is the default value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public Tag(TagId id, TagGroupId groupId, string name)
    {
        if (id == default)
        {
            throw new ArgumentException("The tag id must not be the default value.", nameof(id));
        }

        if (groupId == default)
        {
            throw new ArgumentException("The group id must not be the default value.", nameof(groupId));
        }

        ArgumentNullException.ThrowIfNull(name);
        Id = id;
        GroupId = groupId;
        Name = name;
    }

    /// <summary>Gets the stable id.</summary>
    public TagId Id { get; }

    /// <summary>Gets the group the tag belongs to.</summary>
    public TagGroupId GroupId { get; init; }

    /// <summary>Gets the display name.</summary>
    public string Name { get; init; }

    /// <summary>Gets the colour, if any.</summary>
    public TagColour? Colour { get; init; }

    /// <summary>Gets a description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the parent tag (same group), or <see langword="null"/> for a root tag.</summary>
    public TagId? ParentId { get; init; }

    /// <summary>Gets other names that resolve to this tag (old names after a rename or merge, synonyms).</summary>
    /// <value>Default empty.</value>
    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>Gets the status.</summary>
    /// <value>Default <see cref="TagStatus.Active"/>.</value>
    public TagStatus Status { get; init; }

    /// <summary>Gets the tag that took over this one's assignments (required when <see cref="TagStatus.Merged"/>, optional when retired).</summary>
    public TagId? SuccessorId { get; init; }

    /// <summary>Gets a value indicating whether the tag accepts new assignments.</summary>
    public bool IsActive => Status == TagStatus.Active;

    /// <inheritdoc />
    public bool Equals(Tag? other) =>
        other is not null
        && Id == other.Id
        && GroupId == other.GroupId
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Colour == other.Colour
        && string.Equals(Description, other.Description, StringComparison.Ordinal)
        && ParentId == other.ParentId
        && Status == other.Status
        && SuccessorId == other.SuccessorId
        && Aliases.AsSpan().SequenceEqual(other.Aliases.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, GroupId, StringComparer.Ordinal.GetHashCode(Name), ParentId, Status, SuccessorId);
}
