using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>
/// Collects groups and tags and builds a validated <see cref="TagTaxonomy"/>. All checks run in <see cref="Build"/>,
/// which throws a <see cref="TagTaxonomyException"/> naming the offending tags.
/// </summary>
/// <threadsafety>Not thread-safe.</threadsafety>
public sealed class TagTaxonomyBuilder
{
    private readonly List<TagGroup> _groups = [];
    private readonly List<Tag> _tags = [];

    /// <summary>Gets or sets the version of the taxonomy built.</summary>
    /// <value>Default 1.</value>
    public long Version { get; set; } = 1;

    /// <summary>Gets the groups added so far.</summary>
    public IReadOnlyList<TagGroup> Groups => _groups;

    /// <summary>Gets the tags added so far.</summary>
    public IReadOnlyList<Tag> Tags => _tags;

    /// <summary>Adds a group.</summary>
    /// <param name="group">The group.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="group"/> is <see langword="null"/>.</exception>
    public TagTaxonomyBuilder AddGroup(TagGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        _groups.Add(group);
        return this;
    }

    /// <summary>Adds a group.</summary>
    /// <param name="id">The id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="selection">Single- or multi-select.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid id.</exception>
    public TagTaxonomyBuilder AddGroup(string id, string name, TagSelection selection = TagSelection.Multiple) =>
        AddGroup(new TagGroup(new TagGroupId(id), name, selection));

    /// <summary>Adds a tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tag"/> is <see langword="null"/>.</exception>
    public TagTaxonomyBuilder AddTag(Tag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        _tags.Add(tag);
        return this;
    }

    /// <summary>Adds an active tag.</summary>
    /// <param name="id">The id.</param>
    /// <param name="groupId">The group's id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="parentId">The parent's id, or <see langword="null"/> for a root tag.</param>
    /// <param name="colour">The colour, if any.</param>
    /// <param name="aliases">Other names that resolve to the tag.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An id, the name or <paramref name="aliases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An id is not valid.</exception>
    public TagTaxonomyBuilder AddTag(string id, string groupId, string name, string? parentId = null, TagColour? colour = null, params string[] aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        return AddTag(new Tag(new TagId(id), new TagGroupId(groupId), name)
        {
            ParentId = parentId is null ? null : (TagId?)new TagId(parentId),
            Colour = colour,
            Aliases = [.. aliases],
        });
    }

    /// <summary>Replaces the tag with the same id.</summary>
    /// <param name="tag">The new definition.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tag"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No tag with this id was added.</exception>
    public TagTaxonomyBuilder Replace(Tag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var index = _tags.FindIndex(t => t.Id == tag.Id);
        if (index < 0)
        {
            throw new ArgumentException($"No tag '{tag.Id}' was added to replace.", nameof(tag));
        }

        _tags[index] = tag;
        return this;
    }

    /// <summary>Validates the definitions and builds the taxonomy.</summary>
    /// <returns>The taxonomy.</returns>
    /// <exception cref="TagTaxonomyException">A duplicate id or name, an invalid name, an unknown group, parent or successor, a parent in another group, or a cycle; the exception names the tags.</exception>
    public TagTaxonomy Build()
    {
        var groups = _groups.ToImmutableArray();
        var tags = _tags.Select(Normalise).ToImmutableArray();
        Validate(groups, tags);
        return new TagTaxonomy(Version, groups, tags);
    }

    private static Tag Normalise(Tag tag) => tag.Aliases.IsDefault ? tag with { Aliases = [] } : tag;

    internal static void Validate(ImmutableArray<TagGroup> groups, ImmutableArray<Tag> tags)
    {
        var groupIds = new Dictionary<TagGroupId, TagGroup>();
        var groupNames = new Dictionary<string, TagGroup>(TagText.KeyComparer);
        foreach (var g in groups)
        {
            if (!TagText.IsValidName(g.Name))
            {
                throw TagTaxonomyException.ForGroups(TaxonomyError.InvalidName, $"Group '{g.Id}' has an invalid name '{g.Name}'.", g.Id);
            }

            if (!groupIds.TryAdd(g.Id, g))
            {
                throw TagTaxonomyException.ForGroups(TaxonomyError.DuplicateGroupId, $"Two groups have the id '{g.Id}'.", g.Id);
            }

            if (!groupNames.TryAdd(TagText.Key(g.Name), g))
            {
                var other = groupNames[TagText.Key(g.Name)];
                throw TagTaxonomyException.ForGroups(
                    TaxonomyError.DuplicateGroupName, $"Groups '{other.Id}' and '{g.Id}' have the same name '{g.Name}'.", other.Id, g.Id);
            }
        }

        var byId = new Dictionary<TagId, Tag>(tags.Length);
        foreach (var t in tags)
        {
            if (!byId.TryAdd(t.Id, t))
            {
                throw TagTaxonomyException.ForTags(TaxonomyError.DuplicateTagId, $"Two tags have the id '{t.Id}'.", t.Id);
            }

            if (!groupIds.ContainsKey(t.GroupId))
            {
                throw new TagTaxonomyException(TaxonomyError.UnknownGroup, $"Tag '{t.Id}' names the unknown group '{t.GroupId}'.", [t.Id], [t.GroupId]);
            }

            if (!TagText.IsValidName(t.Name))
            {
                throw TagTaxonomyException.ForTags(TaxonomyError.InvalidName, $"Tag '{t.Id}' has an invalid name '{t.Name}'.", t.Id);
            }

            foreach (var alias in t.Aliases)
            {
                if (!TagText.IsValidName(alias))
                {
                    throw TagTaxonomyException.ForTags(TaxonomyError.InvalidName, $"Tag '{t.Id}' has an invalid alias '{alias}'.", t.Id);
                }
            }
        }

        var names = new Dictionary<(TagGroupId, string), Tag>(NameKeyComparer.Instance);
        foreach (var t in tags)
        {
            if (t.Status == TagStatus.Merged)
            {
                continue;
            }

            foreach (var name in t.Aliases.Prepend(t.Name))
            {
                if (!names.TryAdd((t.GroupId, TagText.Key(name)), t))
                {
                    var other = names[(t.GroupId, TagText.Key(name))];
                    throw TagTaxonomyException.ForTags(
                        TaxonomyError.DuplicateName,
                        other.Id == t.Id
                            ? $"Tag '{t.Id}' lists the name '{name}' twice (as name or alias) in group '{t.GroupId}'."
                            : $"Tags '{other.Id}' and '{t.Id}' both use the name '{name}' in group '{t.GroupId}'.",
                        other.Id == t.Id ? [t.Id] : [other.Id, t.Id]);
                }
            }
        }

        foreach (var t in tags)
        {
            if (t.ParentId is { } p)
            {
                if (!byId.TryGetValue(p, out var parent))
                {
                    throw TagTaxonomyException.ForTags(TaxonomyError.UnknownParent, $"Tag '{t.Id}' names the unknown parent '{p}'.", t.Id, p);
                }

                if (parent.GroupId != t.GroupId)
                {
                    throw TagTaxonomyException.ForTags(
                        TaxonomyError.InvalidParent, $"Tag '{t.Id}' (group '{t.GroupId}') has the parent '{p}' from another group '{parent.GroupId}'.", t.Id, p);
                }

                if (parent.Status == TagStatus.Merged || t.Status == TagStatus.Merged)
                {
                    throw TagTaxonomyException.ForTags(TaxonomyError.InvalidParent, $"Merged tags have no place in the hierarchy: '{t.Id}' under '{p}'.", t.Id, p);
                }
            }

            if (t.SuccessorId is { } s)
            {
                if (t.Status == TagStatus.Active)
                {
                    throw TagTaxonomyException.ForTags(TaxonomyError.InvalidSuccessor, $"Active tag '{t.Id}' must not have a successor ('{s}').", t.Id, s);
                }

                if (!byId.TryGetValue(s, out var successor))
                {
                    throw TagTaxonomyException.ForTags(TaxonomyError.UnknownSuccessor, $"Tag '{t.Id}' names the unknown successor '{s}'.", t.Id, s);
                }

                if (s == t.Id || successor.GroupId != t.GroupId)
                {
                    throw TagTaxonomyException.ForTags(
                        TaxonomyError.InvalidSuccessor, $"Tag '{t.Id}' has the successor '{s}', which is itself or in another group.", t.Id, s);
                }
            }
            else if (t.Status == TagStatus.Merged)
            {
                throw TagTaxonomyException.ForTags(TaxonomyError.InvalidSuccessor, $"Merged tag '{t.Id}' must name the tag it was merged into.", t.Id);
            }
        }

        ThrowOnCycle(tags, byId, t => t.ParentId, "parent");
        ThrowOnCycle(tags, byId, t => t.SuccessorId, "successor");
    }

    private static void ThrowOnCycle(ImmutableArray<Tag> tags, Dictionary<TagId, Tag> byId, Func<Tag, TagId?> next, string relation)
    {
        // 0 = unvisited, 1 = on the current path, 2 = known to reach a root.
        var state = new Dictionary<TagId, int>(tags.Length);
        var path = new List<TagId>();
        foreach (var start in tags)
        {
            path.Clear();
            var current = start;
            while (true)
            {
                var s = state.GetValueOrDefault(current.Id);
                if (s == 2)
                {
                    break;
                }

                if (s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(current.Id)).ToList();
                    throw new TagTaxonomyException(
                        TaxonomyError.Cycle,
                        $"The {relation} links form a cycle: {string.Join(" -> ", cycle.Append(current.Id))}.",
                        cycle,
                        []);
                }

                state[current.Id] = 1;
                path.Add(current.Id);
                if (next(current) is not { } n)
                {
                    break;
                }

                current = byId[n];
            }

            foreach (var id in path)
            {
                state[id] = 2;
            }
        }
    }

    private sealed class NameKeyComparer : IEqualityComparer<(TagGroupId Group, string Key)>
    {
        public static readonly NameKeyComparer Instance = new();

        public bool Equals((TagGroupId Group, string Key) x, (TagGroupId Group, string Key) y) =>
            x.Group == y.Group && TagText.KeyComparer.Equals(x.Key, y.Key);

        public int GetHashCode((TagGroupId Group, string Key) obj) => HashCode.Combine(obj.Group, TagText.KeyComparer.GetHashCode(obj.Key));
    }
}
