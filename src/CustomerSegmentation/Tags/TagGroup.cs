namespace CustomerSegmentation.Tags;

/// <summary>A group of tags (标签组) such as Value, Industry, Region or Relationship; single- or multi-select.</summary>
/// <remarks>Group names are unique in a taxonomy, compared like tag names (case-insensitively, culture-invariantly, after Unicode normalisation).</remarks>
public sealed record TagGroup
{
    /// <summary>Creates a group.</summary>
    /// <param name="id">The stable id.</param>
    /// <param name="name">The display name; validated when the taxonomy is built.</param>
    /// <param name="selection">Single- or multi-select.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public TagGroup(TagGroupId id, string name, TagSelection selection = TagSelection.Multiple)
    {
        if (id == default)
        {
            throw new ArgumentException("The group id must not be the default value.", nameof(id));
        }

        ArgumentNullException.ThrowIfNull(name);
        Id = id;
        Name = name;
        Selection = selection;
    }

    /// <summary>Gets the stable id.</summary>
    public TagGroupId Id { get; }

    /// <summary>Gets the display name.</summary>
    public string Name { get; init; }

    /// <summary>Gets whether a customer may hold one or many tags of the group.</summary>
    /// <value>Default <see cref="TagSelection.Multiple"/>.</value>
    public TagSelection Selection { get; init; }

    /// <summary>Gets a description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets a value indicating whether the group is single-select.</summary>
    public bool IsSingleSelect => Selection == TagSelection.Single;
}
