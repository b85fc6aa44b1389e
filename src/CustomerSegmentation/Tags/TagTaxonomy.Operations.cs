using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

public sealed partial class TagTaxonomy
{
    /// <summary>Adds a group.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The change; its <see cref="TaxonomyChange.Current"/> has the group.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="group"/> is <see langword="null"/>.</exception>
    /// <exception cref="TagTaxonomyException">The id or name is taken or the name is invalid.</exception>
    public TaxonomyChange AddGroup(TagGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var next = Next([.. Groups, group], [.. Tags]);
        return new TaxonomyChange(this, next, TaxonomyOperation.AddGroup, null, TagMigration.None, $"added group '{group.Name}' ({group.Id})");
    }

    /// <summary>Adds a tag (appended after the existing ones).</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The change.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tag"/> is <see langword="null"/>.</exception>
    /// <exception cref="TagTaxonomyException">The tag does not fit (duplicate id or name, unknown group or parent, ...).</exception>
    public TaxonomyChange AddTag(Tag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var next = Next([.. Groups], [.. Tags, tag]);
        return new TaxonomyChange(this, next, TaxonomyOperation.AddTag, tag.Id, TagMigration.None, $"added tag '{tag.Name}' ({tag.Id})");
    }

    /// <summary>Renames a tag; its id and assignments stay.</summary>
    /// <param name="id">The tag.</param>
    /// <param name="newName">The new name.</param>
    /// <param name="keepOldNameAsAlias">Whether the old name keeps resolving to the tag; default <see langword="true"/>.</param>
    /// <returns>The change (no assignment moves).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="newName"/> is <see langword="null"/>.</exception>
    /// <exception cref="TagTaxonomyException">The tag is unknown or merged, or the name is invalid or taken in the group.</exception>
    public TaxonomyChange Rename(TagId id, string newName, bool keepOldNameAsAlias = true)
    {
        ArgumentNullException.ThrowIfNull(newName);
        var tags = Tags.ToList();
        var t = Require(id);
        var tag = tags[t];
        if (tag.Status == TagStatus.Merged)
        {
            throw TagTaxonomyException.ForTags(TaxonomyError.InvalidOperation, $"Tag '{id}' was merged into '{tag.SuccessorId}'; rename that one instead.", id);
        }

        var trimmed = newName.Trim();
        var aliases = tag.Aliases.Where(a => !TagText.SameName(a, trimmed)).ToList();
        if (keepOldNameAsAlias && !TagText.SameName(tag.Name, trimmed))
        {
            aliases.Add(tag.Name);
        }

        tags[t] = tag with { Name = trimmed, Aliases = [.. aliases] };
        var next = Next([.. Groups], tags);
        return new TaxonomyChange(this, next, TaxonomyOperation.Rename, id, TagMigration.None, $"renamed '{tag.Name}' ({id}) to '{trimmed}'");
    }

    /// <summary>Moves a tag (with its subtree) under another parent of the same group, or to the root.</summary>
    /// <param name="id">The tag.</param>
    /// <param name="newParentId">The new parent, or <see langword="null"/> to make it a root.</param>
    /// <returns>The change (no assignment moves).</returns>
    /// <exception cref="TagTaxonomyException">A tag is unknown, merged or in another group, or the move would make a cycle (the parent is the tag or one of its descendants).</exception>
    public TaxonomyChange Move(TagId id, TagId? newParentId)
    {
        var tags = Tags.ToList();
        var t = Require(id);
        if (newParentId is { } p)
        {
            Require(p);
        }

        var tag = tags[t];
        tags[t] = tag with { ParentId = newParentId };
        var next = Next([.. Groups], tags);
        var where = newParentId is { } np ? $"under '{next.GetTag(np).Name}' ({np})" : "to the root";
        return new TaxonomyChange(this, next, TaxonomyOperation.Move, id, TagMigration.None, $"moved '{tag.Name}' ({id}) {where}");
    }

    /// <summary>
    /// Merges tag <paramref name="sourceId"/> into <paramref name="targetId"/> of the same group: the source's name and
    /// aliases become aliases of the target, its children move under the target, and it stays as a merged tombstone so
    /// its id still resolves. Assignments move with the returned migration.
    /// </summary>
    /// <param name="sourceId">The tag merged away (active, or retired without a successor).</param>
    /// <param name="targetId">The active tag that remains.</param>
    /// <returns>The change; its migration maps the source to the target.</returns>
    /// <exception cref="TagTaxonomyException">A tag is unknown; the tags are the same, in different groups, the source is merged or has a successor already, or the target is not active; or the names clash.</exception>
    public TaxonomyChange Merge(TagId sourceId, TagId targetId)
    {
        var tags = Tags.ToList();
        var s = Require(sourceId);
        var t = Require(targetId);
        var source = tags[s];
        var target = tags[t];
        if (s == t || source.GroupId != target.GroupId || source.Status == TagStatus.Merged || source.SuccessorId is not null || !target.IsActive)
        {
            throw TagTaxonomyException.ForTags(
                TaxonomyError.InvalidOperation,
                $"Cannot merge '{sourceId}' ({source.Status}, group '{source.GroupId}') into '{targetId}' ({target.Status}, group '{target.GroupId}'): "
                + "a tag merges into another active tag of its own group.",
                sourceId,
                targetId);
        }

        var aliases = target.Aliases.ToList();
        foreach (var name in source.Aliases.Prepend(source.Name))
        {
            if (!TagText.SameName(name, target.Name) && !aliases.Any(a => TagText.SameName(a, name)))
            {
                aliases.Add(name);
            }
        }

        // A target below the source takes the source's place, so re-parenting the source's children cannot loop.
        var targetParent = IsInSubtree(t, s) ? source.ParentId : target.ParentId;
        tags[t] = target with { Aliases = [.. aliases], ParentId = targetParent };
        for (var i = 0; i < tags.Count; i++)
        {
            if (i != t && tags[i].ParentId == sourceId)
            {
                tags[i] = tags[i] with { ParentId = targetId };
            }

            if (tags[i].SuccessorId == sourceId)
            {
                tags[i] = tags[i] with { SuccessorId = targetId };
            }
        }

        tags[s] = source with { Status = TagStatus.Merged, SuccessorId = targetId, ParentId = null, Aliases = [] };
        var next = Next([.. Groups], tags);
        var migration = new TagMigration(ImmutableDictionary<TagId, TagId>.Empty.Add(sourceId, targetId));
        return new TaxonomyChange(this, next, TaxonomyOperation.Merge, sourceId, migration, $"merged '{source.Name}' ({sourceId}) into '{target.Name}' ({targetId})");
    }

    /// <summary>Retires an active tag: it takes no new assignments; existing ones stay, or move to <paramref name="successorId"/>.</summary>
    /// <param name="id">The tag.</param>
    /// <param name="successorId">An active tag of the same group that takes over the assignments, or <see langword="null"/> to keep them on the retired tag.</param>
    /// <returns>The change; its migration maps the tag to the successor when there is one.</returns>
    /// <exception cref="TagTaxonomyException">A tag is unknown; the tag is not active; or the successor is the tag itself, not active or in another group.</exception>
    public TaxonomyChange Retire(TagId id, TagId? successorId = null)
    {
        var tags = Tags.ToList();
        var t = Require(id);
        var tag = tags[t];
        if (!tag.IsActive)
        {
            throw TagTaxonomyException.ForTags(TaxonomyError.InvalidOperation, $"Tag '{id}' is already {tag.Status}.", id);
        }

        var migration = TagMigration.None;
        var description = $"retired '{tag.Name}' ({id})";
        if (successorId is { } sid)
        {
            var successor = tags[Require(sid)];
            if (sid == id || !successor.IsActive || successor.GroupId != tag.GroupId)
            {
                throw TagTaxonomyException.ForTags(
                    TaxonomyError.InvalidOperation, $"Tag '{sid}' cannot succeed '{id}': a successor is another active tag of the same group.", id, sid);
            }

            migration = new TagMigration(ImmutableDictionary<TagId, TagId>.Empty.Add(id, sid));
            description += $"; its assignments move to '{successor.Name}' ({sid})";
        }

        tags[t] = tag with { Status = TagStatus.Retired, SuccessorId = successorId };
        var next = Next([.. Groups], tags);
        return new TaxonomyChange(this, next, TaxonomyOperation.Retire, id, migration, description);
    }

    private int Require(TagId id) =>
        _tagOrdinals.TryGetValue(id, out var t) ? t : throw TagTaxonomyException.ForTags(TaxonomyError.UnknownTag, $"The taxonomy has no tag '{id}'.", id);

    private TagTaxonomy Next(List<TagGroup> groups, List<Tag> tags)
    {
        var g = groups.ToImmutableArray();
        var t = tags.Select(x => x.Aliases.IsDefault ? x with { Aliases = [] } : x).ToImmutableArray();
        TagTaxonomyBuilder.Validate(g, t);
        return new TagTaxonomy(Version + 1, g, t);
    }
}
