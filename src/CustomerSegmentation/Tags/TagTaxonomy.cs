using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>
/// An immutable, validated version of a tag taxonomy (标签体系): groups, tags, hierarchies (kept acyclic), names and
/// aliases. Build one with <see cref="TagTaxonomyBuilder"/>; evolve it with <see cref="Rename"/>, <see cref="Move"/>,
/// <see cref="Merge"/>, <see cref="Retire"/>, <see cref="AddTag"/> and <see cref="AddGroup"/>, each of which returns the
/// next version plus the migration that assignments need.
/// </summary>
/// <remarks>
/// <para>Names and aliases are unique per group among tags that are not merged away, compared after trimming and
/// Unicode normalisation (form C), ordinally ignoring case: <c>VIP</c>, <c>vip</c> and <c>ＶＩＰ</c> in form C are
/// compared by simple case folding, <c>高价值客户</c> exactly.</para>
/// <para>A hierarchy lives inside one group: a tag's parent is in its group. Tag order is kept by every operation
/// (new tags are appended), so ordinal positions are stable from version to version.</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed partial class TagTaxonomy
{
    private readonly Dictionary<TagId, int> _tagOrdinals;
    private readonly Dictionary<TagGroupId, int> _groupOrdinals;
    private readonly Dictionary<string, int>[] _namesByGroup;
    private readonly int[] _groupOfTag;
    private readonly int[] _parent;
    private readonly int[][] _children;
    private readonly int[] _preorder;
    private readonly int[] _preorderPosition;
    private readonly int[] _subtreeEnd;
    private readonly ImmutableArray<Tag>[] _tagsByGroup;

    internal TagTaxonomy(long version, ImmutableArray<TagGroup> groups, ImmutableArray<Tag> tags)
    {
        Version = version;
        Groups = groups;
        Tags = tags;
        _groupOrdinals = new Dictionary<TagGroupId, int>(groups.Length);
        for (var g = 0; g < groups.Length; g++)
        {
            _groupOrdinals.Add(groups[g].Id, g);
        }

        _tagOrdinals = new Dictionary<TagId, int>(tags.Length);
        for (var t = 0; t < tags.Length; t++)
        {
            _tagOrdinals.Add(tags[t].Id, t);
        }

        _namesByGroup = new Dictionary<string, int>[groups.Length];
        var byGroup = new List<Tag>[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            _namesByGroup[g] = new Dictionary<string, int>(TagText.KeyComparer);
            byGroup[g] = [];
        }

        _groupOfTag = new int[tags.Length];
        _parent = new int[tags.Length];
        var children = new List<int>?[tags.Length];
        for (var t = 0; t < tags.Length; t++)
        {
            var tag = tags[t];
            var g = _groupOrdinals[tag.GroupId];
            _groupOfTag[t] = g;
            byGroup[g].Add(tag);
            if (tag.Status != TagStatus.Merged)
            {
                _namesByGroup[g][TagText.Key(tag.Name)] = t;
                foreach (var alias in tag.Aliases)
                {
                    _namesByGroup[g][TagText.Key(alias)] = t;
                }
            }

            _parent[t] = tag.ParentId is { } p ? _tagOrdinals[p] : -1;
        }

        for (var t = 0; t < tags.Length; t++)
        {
            if (_parent[t] >= 0)
            {
                (children[_parent[t]] ??= []).Add(t);
            }
        }

        _children = new int[tags.Length][];
        for (var t = 0; t < tags.Length; t++)
        {
            _children[t] = children[t]?.ToArray() ?? [];
        }

        _tagsByGroup = new ImmutableArray<Tag>[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            _tagsByGroup[g] = [.. byGroup[g]];
        }

        // Pre-order numbering: every subtree is one contiguous run, so "a tag and its descendants" is a slice.
        _preorder = new int[tags.Length];
        _preorderPosition = new int[tags.Length];
        _subtreeEnd = new int[tags.Length];
        var next = 0;
        var stack = new Stack<(int Node, bool Exit)>();
        for (var root = 0; root < tags.Length; root++)
        {
            if (_parent[root] >= 0)
            {
                continue;
            }

            stack.Push((root, false));
            while (stack.Count > 0)
            {
                var (node, exit) = stack.Pop();
                if (exit)
                {
                    _subtreeEnd[node] = next;
                    continue;
                }

                _preorderPosition[node] = next;
                _preorder[next++] = node;
                stack.Push((node, true));
                var kids = _children[node];
                for (var k = kids.Length - 1; k >= 0; k--)
                {
                    stack.Push((kids[k], false));
                }
            }
        }
    }

    /// <summary>Gets the empty taxonomy (version 0, no groups).</summary>
    public static TagTaxonomy Empty { get; } = new(0, [], []);

    /// <summary>Gets the version: each operation returns a taxonomy whose version is one higher.</summary>
    public long Version { get; }

    /// <summary>Gets the groups in definition order.</summary>
    public ImmutableArray<TagGroup> Groups { get; }

    /// <summary>Gets every tag (active, retired and merged) in definition order.</summary>
    public ImmutableArray<Tag> Tags { get; }

    /// <summary>Finds a tag by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The tag, or <see langword="null"/> when the taxonomy has no such tag.</returns>
    public Tag? FindTag(TagId id) => _tagOrdinals.TryGetValue(id, out var t) ? Tags[t] : null;

    /// <summary>Gets a tag by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public Tag GetTag(TagId id) => FindTag(id) ?? throw new KeyNotFoundException($"The taxonomy (version {Version}) has no tag '{id}'.");

    /// <summary>Tells whether the taxonomy has a tag.</summary>
    /// <param name="id">The id.</param>
    /// <returns><see langword="true"/> when the tag exists in any status.</returns>
    public bool Contains(TagId id) => _tagOrdinals.ContainsKey(id);

    /// <summary>Finds a group by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The group, or <see langword="null"/>.</returns>
    public TagGroup? FindGroup(TagGroupId id) => _groupOrdinals.TryGetValue(id, out var g) ? Groups[g] : null;

    /// <summary>Gets the group of a tag.</summary>
    /// <param name="id">The tag's id.</param>
    /// <returns>The group.</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public TagGroup GroupOf(TagId id) => Groups[_groupOfTag[OrdinalOrThrow(id)]];

    /// <summary>Finds the tag of a group with this name or alias (merged tags are found through their successor's aliases).</summary>
    /// <param name="groupId">The group.</param>
    /// <param name="nameOrAlias">A name or alias, compared case-insensitively and culture-invariantly.</param>
    /// <returns>The tag, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nameOrAlias"/> is <see langword="null"/>.</exception>
    public Tag? FindByName(TagGroupId groupId, string nameOrAlias)
    {
        ArgumentNullException.ThrowIfNull(nameOrAlias);
        return _groupOrdinals.TryGetValue(groupId, out var g) && _namesByGroup[g].TryGetValue(TagText.Key(nameOrAlias), out var t) ? Tags[t] : null;
    }

    /// <summary>Finds the tags of every group with this name or alias.</summary>
    /// <param name="nameOrAlias">A name or alias, compared case-insensitively and culture-invariantly.</param>
    /// <returns>The tags, in group order; empty when none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nameOrAlias"/> is <see langword="null"/>.</exception>
    public ImmutableArray<Tag> FindAllByName(string nameOrAlias)
    {
        ArgumentNullException.ThrowIfNull(nameOrAlias);
        var key = TagText.Key(nameOrAlias);
        var found = ImmutableArray.CreateBuilder<Tag>();
        foreach (var names in _namesByGroup)
        {
            if (names.TryGetValue(key, out var t))
            {
                found.Add(Tags[t]);
            }
        }

        return found.ToImmutable();
    }

    /// <summary>Gets the tags of a group in definition order.</summary>
    /// <param name="groupId">The group.</param>
    /// <returns>The tags; empty when the group does not exist.</returns>
    public ImmutableArray<Tag> TagsInGroup(TagGroupId groupId) => _groupOrdinals.TryGetValue(groupId, out var g) ? _tagsByGroup[g] : [];

    /// <summary>Gets the direct children of a tag.</summary>
    /// <param name="id">The tag.</param>
    /// <returns>The children in definition order.</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public ImmutableArray<Tag> ChildrenOf(TagId id) => [.. _children[OrdinalOrThrow(id)].Select(c => Tags[c])];

    /// <summary>Gets every descendant of a tag (children, grandchildren, ...), depth first, without the tag itself.</summary>
    /// <param name="id">The tag.</param>
    /// <returns>The descendants.</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public ImmutableArray<Tag> DescendantsOf(TagId id)
    {
        var span = SubtreeOrdinals(OrdinalOrThrow(id))[1..];
        var result = ImmutableArray.CreateBuilder<Tag>(span.Length);
        foreach (var t in span)
        {
            result.Add(Tags[t]);
        }

        return result.MoveToImmutable();
    }

    /// <summary>Gets the ancestors of a tag, nearest first.</summary>
    /// <param name="id">The tag.</param>
    /// <returns>The parent, grandparent, ... up to the root; empty for a root tag.</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public ImmutableArray<Tag> AncestorsOf(TagId id)
    {
        var result = ImmutableArray.CreateBuilder<Tag>();
        for (var p = _parent[OrdinalOrThrow(id)]; p >= 0; p = _parent[p])
        {
            result.Add(Tags[p]);
        }

        return result.ToImmutable();
    }

    /// <summary>Tells whether <paramref name="id"/> is <paramref name="ancestorId"/> or one of its descendants.</summary>
    /// <param name="id">The tag tested.</param>
    /// <param name="ancestorId">The possible ancestor.</param>
    /// <returns><see langword="true"/> when <paramref name="id"/> is in the subtree of <paramref name="ancestorId"/>; <see langword="false"/> when either is unknown.</returns>
    public bool IsSelfOrDescendantOf(TagId id, TagId ancestorId) =>
        _tagOrdinals.TryGetValue(id, out var t) && _tagOrdinals.TryGetValue(ancestorId, out var a) && IsInSubtree(t, a);

    /// <summary>Gets the path of names from the root, e.g. <c>IT &gt; SaaS</c>.</summary>
    /// <param name="id">The tag.</param>
    /// <returns>The names joined by <c> &gt; </c>.</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public string PathOf(TagId id)
    {
        var names = new List<string>();
        for (var t = OrdinalOrThrow(id); t >= 0; t = _parent[t])
        {
            names.Add(Tags[t].Name);
        }

        names.Reverse();
        return string.Join(" > ", names);
    }

    /// <summary>Follows successors (merged or retired into) to the tag that now carries a tag's assignments.</summary>
    /// <param name="id">A tag id, possibly of a merged or retired tag.</param>
    /// <returns>The last tag of the successor chain (the tag itself when it has no successor).</returns>
    /// <exception cref="KeyNotFoundException">The taxonomy has no such tag.</exception>
    public TagId ResolveCurrent(TagId id)
    {
        var t = OrdinalOrThrow(id);
        for (var steps = 0; Tags[t].SuccessorId is { } s && steps <= Tags.Length; steps++)
        {
            t = _tagOrdinals[s];
        }

        return Tags[t].Id;
    }

    /// <summary>Starts a builder holding this taxonomy's groups and tags, with the next version number.</summary>
    /// <returns>A builder.</returns>
    public TagTaxonomyBuilder ToBuilder()
    {
        var builder = new TagTaxonomyBuilder { Version = Version + 1 };
        foreach (var g in Groups)
        {
            builder.AddGroup(g);
        }

        foreach (var t in Tags)
        {
            builder.AddTag(t);
        }

        return builder;
    }

    internal int TagCount => Tags.Length;

    internal int OrdinalOf(TagId id) => _tagOrdinals.TryGetValue(id, out var t) ? t : -1;

    internal int GroupOrdinalOfTag(int tagOrdinal) => _groupOfTag[tagOrdinal];

    internal int GroupOrdinalOf(TagGroupId id) => _groupOrdinals.TryGetValue(id, out var g) ? g : -1;

    internal bool IsSingleSelectGroup(int groupOrdinal) => Groups[groupOrdinal].IsSingleSelect;

    internal int ParentOrdinal(int tagOrdinal) => _parent[tagOrdinal];

    /// <summary>The tag and its descendants, tag first, in pre-order.</summary>
    internal ReadOnlySpan<int> SubtreeOrdinals(int tagOrdinal) =>
        _preorder.AsSpan(_preorderPosition[tagOrdinal], _subtreeEnd[tagOrdinal] - _preorderPosition[tagOrdinal]);

    internal bool IsInSubtree(int tagOrdinal, int ancestorOrdinal) =>
        _preorderPosition[tagOrdinal] >= _preorderPosition[ancestorOrdinal] && _preorderPosition[tagOrdinal] < _subtreeEnd[ancestorOrdinal];

    private int OrdinalOrThrow(TagId id) =>
        _tagOrdinals.TryGetValue(id, out var t) ? t : throw new KeyNotFoundException($"The taxonomy (version {Version}) has no tag '{id}'.");
}
