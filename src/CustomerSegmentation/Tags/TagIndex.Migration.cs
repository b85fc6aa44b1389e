using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Tags;

public sealed partial class TagIndex
{
    /// <summary>
    /// Moves the index to the taxonomy version a change produced and migrates assignments: for a merge or a retirement
    /// with successor, every holder of the old tag now holds the successor, keeping the original assigned-at, assigner
    /// and expiry. A customer who already held the successor keeps one assignment: manual if either was manual, the
    /// later expiry (none if either had none). No assignment is lost.
    /// </summary>
    /// <param name="change">A change whose <see cref="TaxonomyChange.Previous"/> is this index's <see cref="Taxonomy"/>.</param>
    /// <param name="at">When the migration happens (recorded on the changes).</param>
    /// <param name="by">Who runs it, if recorded.</param>
    /// <returns>One <see cref="TagChangeKind.Migrated"/> change per moved assignment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The change does not start from this index's taxonomy, or its result drops a tag the index knows.</exception>
    public ImmutableArray<TagChange> Apply(TaxonomyChange change, Instant at, string? by = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!ReferenceEquals(change.Previous, Taxonomy) && change.Previous.Version != Taxonomy.Version)
        {
            throw new ArgumentException(
                $"The change starts from taxonomy version {change.Previous.Version}, but the index holds version {Taxonomy.Version}.", nameof(change));
        }

        UseTaxonomy(change.Current);
        var changes = ImmutableArray.CreateBuilder<TagChange>();
        foreach (var (fromId, toId) in change.Migration.Redirects)
        {
            var f = Taxonomy.OrdinalOf(fromId);
            var t = Taxonomy.OrdinalOf(toId);
            if (f < 0 || t < 0 || f == t || _postings[f] is not { } holders)
            {
                continue;
            }

            foreach (var c in holders.ToArray())
            {
                var i = IndexOfTag(c, f);
                var moved = _rows[c][i];
                Instant? expiry = _expiries.TryGetValue(Key(c, f), out var e) ? FromNanos(e) : null;
                var j = IndexOfTag(c, t);
                if (j >= 0)
                {
                    ref var kept = ref _rows[c][j];
                    if (_provenances[moved.Provenance].Source.IsManual && !_provenances[kept.Provenance].Source.IsManual)
                    {
                        kept.Provenance = moved.Provenance;
                    }

                    Instant? keptExpiry = _expiries.TryGetValue(Key(c, t), out var k) ? FromNanos(k) : null;
                    var combined = expiry is { } a && keptExpiry is { } b ? (a > b ? a : b) : (Instant?)null;
                    SetExpiry(c, t, combined);
                    var source = _provenances[kept.Provenance].Source;
                    RemoveEntryAt(c, IndexOfTag(c, f));
                    changes.Add(new TagChange(TagChangeKind.Migrated, _customers[c], toId, fromId, source, at, by, change.Description + " (already held)"));
                }
                else
                {
                    RemoveEntryAt(c, i);
                    AddEntry(c, moved with { Tag = t });
                    SetExpiry(c, t, expiry);
                    changes.Add(new TagChange(TagChangeKind.Migrated, _customers[c], toId, fromId, _provenances[moved.Provenance].Source, at, by, change.Description));
                }
            }
        }

        return changes.ToImmutable();
    }

    private void UseTaxonomy(TagTaxonomy next)
    {
        var old = Taxonomy;
        var map = new int[old.TagCount];
        var identity = next.TagCount >= old.TagCount;
        for (var i = 0; i < old.TagCount; i++)
        {
            map[i] = next.OrdinalOf(old.Tags[i].Id);
            if (map[i] < 0 && _postings[i] is { Count: > 0 })
            {
                throw new ArgumentException($"The new taxonomy drops tag '{old.Tags[i].Id}', which customers still hold.", nameof(next));
            }

            identity &= map[i] == i;
        }

        var postings = new PostingSet?[next.TagCount];
        var expiring = new int[next.TagCount];
        for (var i = 0; i < old.TagCount; i++)
        {
            if (map[i] >= 0)
            {
                postings[map[i]] = _postings[i];
                expiring[map[i]] = _expiringPerTag[i];
            }
        }

        if (!identity)
        {
            for (var c = 0; c < _customers.Count; c++)
            {
                var row = _rows[c].AsSpan(0, _rowCounts[c]);
                for (var i = 0; i < row.Length; i++)
                {
                    row[i].Tag = map[row[i].Tag];
                }
            }

            var expiries = _expiries.ToArray();
            _expiries.Clear();
            foreach (var (key, value) in expiries)
            {
                _expiries[((key >> 32) << 32) | (uint)map[(int)(key & 0xFFFF_FFFF)]] = value;
            }
        }

        _postings = postings;
        _expiringPerTag = expiring;
        Taxonomy = next;
    }
}
