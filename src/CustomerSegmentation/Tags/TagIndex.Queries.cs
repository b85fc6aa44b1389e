using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tags;

public sealed partial class TagIndex
{
    /// <summary>Tells whether a customer holds a tag.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="tagId">The tag.</param>
    /// <param name="asOf">When given, an assignment that expired at or before it does not count.</param>
    /// <returns><see langword="true"/> when the customer holds the tag.</returns>
    public bool Has(CustomerId customerId, TagId tagId, Instant? asOf = null)
    {
        var c = OrdinalOf(customerId);
        var t = Taxonomy.OrdinalOf(tagId);
        return c >= 0 && t >= 0 && IndexOfTag(c, t) >= 0 && Holds(c, t, asOf);
    }

    /// <summary>Tells whether a customer holds a tag or any of its descendants (e.g. IT, or SaaS under IT).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="tagId">The tag.</param>
    /// <param name="asOf">When given, an assignment that expired at or before it does not count.</param>
    /// <returns><see langword="true"/> when the customer holds a tag of the subtree.</returns>
    public bool HasOrDescendant(CustomerId customerId, TagId tagId, Instant? asOf = null)
    {
        var c = OrdinalOf(customerId);
        var t = Taxonomy.OrdinalOf(tagId);
        if (c < 0 || t < 0)
        {
            return false;
        }

        foreach (var e in EntriesOf(c))
        {
            if (Taxonomy.IsInSubtree(e.Tag, t) && Holds(c, e.Tag, asOf))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds a customer's assignment of a tag.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="tagId">The tag.</param>
    /// <returns>The assignment (expired or not), or <see langword="null"/>.</returns>
    public TagAssignment? Find(CustomerId customerId, TagId tagId)
    {
        var c = OrdinalOf(customerId);
        var t = Taxonomy.OrdinalOf(tagId);
        if (c < 0 || t < 0 || IndexOfTag(c, t) is var i && i < 0)
        {
            return null;
        }

        return Materialise(c, _rows[c][i]);
    }

    /// <summary>Gets a customer's tags.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="asOf">When given, assignments that expired at or before it are left out.</param>
    /// <returns>The assignments in taxonomy order; empty for an unknown customer.</returns>
    public ImmutableArray<TagAssignment> TagsOf(CustomerId customerId, Instant? asOf = null) => Select(customerId, -1, asOf);

    /// <summary>Gets a customer's tags of one group.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="groupId">The group.</param>
    /// <param name="asOf">When given, assignments that expired at or before it are left out.</param>
    /// <returns>The assignments in taxonomy order (at most one for a single-select group).</returns>
    public ImmutableArray<TagAssignment> TagsOf(CustomerId customerId, TagGroupId groupId, Instant? asOf = null)
    {
        var g = Taxonomy.GroupOrdinalOf(groupId);
        return g < 0 ? [] : Select(customerId, g, asOf);
    }

    /// <summary>Gets every customer holding a tag, or (with <paramref name="includeDescendants"/>) a tag of its subtree.</summary>
    /// <param name="tagId">The tag.</param>
    /// <param name="includeDescendants">Whether holders of descendants count too; default <see langword="false"/>.</param>
    /// <param name="asOf">When given, assignments that expired at or before it are left out.</param>
    /// <returns>The customers, as a set.</returns>
    /// <exception cref="ArgumentException">The taxonomy has no such tag.</exception>
    public CustomerSet CustomersWith(TagId tagId, bool includeDescendants = false, Instant? asOf = null)
    {
        var t = Taxonomy.OrdinalOf(tagId);
        if (t < 0)
        {
            throw new ArgumentException($"The taxonomy (version {Taxonomy.Version}) has no tag '{tagId}'.", nameof(tagId));
        }

        var bits = new ulong[(_customers.Count + 63) >> 6];
        ReadOnlySpan<int> tags = includeDescendants ? Taxonomy.SubtreeOrdinals(t) : [t];
        foreach (var tag in tags)
        {
            if (_postings[tag] is not { } postings)
            {
                continue;
            }

            if (asOf is not { } when || _expiringPerTag[tag] == 0)
            {
                postings.OrInto(bits);
                continue;
            }

            foreach (var c in postings.ToArray())
            {
                if (Holds(c, tag, when))
                {
                    bits[c >> 6] |= 1UL << c;
                }
            }
        }

        return new CustomerSet(this, bits);
    }

    /// <summary>Counts the customers holding a tag (or a tag of its subtree).</summary>
    /// <param name="tagId">The tag.</param>
    /// <param name="includeDescendants">Whether holders of descendants count too.</param>
    /// <param name="asOf">When given, assignments that expired at or before it are left out.</param>
    /// <returns>The number of distinct customers.</returns>
    /// <exception cref="ArgumentException">The taxonomy has no such tag.</exception>
    public int CountWith(TagId tagId, bool includeDescendants = false, Instant? asOf = null)
    {
        var t = Taxonomy.OrdinalOf(tagId);
        if (!includeDescendants && t >= 0 && (asOf is null || _expiringPerTag[t] == 0))
        {
            return _postings[t]?.Count ?? 0;
        }

        return CustomersWith(tagId, includeDescendants, asOf).Count;
    }

    /// <summary>Lists every stored assignment, customer by customer (e.g. to save them).</summary>
    /// <returns>The assignments.</returns>
    public IEnumerable<TagAssignment> Assignments()
    {
        for (var c = 0; c < _customers.Count; c++)
        {
            for (var i = 0; i < _rowCounts[c]; i++)
            {
                yield return Materialise(c, _rows[c][i]);
            }
        }
    }

    /// <summary>Gets an estimate of the bytes held by entries and posting sets (not counting the customer-id dictionary).</summary>
    /// <returns>The estimate.</returns>
    public long EstimateBytes()
    {
        long bytes = 0;
        for (var c = 0; c < _customers.Count; c++)
        {
            bytes += 24 + (_rows[c].Length * 16L);
        }

        foreach (var p in _postings)
        {
            bytes += p is null ? 0 : 40 + p.ApproximateBytes;
        }

        return bytes + (_expiries.Count * 24L);
    }

    private bool Holds(int c, int t, Instant? asOf) =>
        asOf is not { } when || _expiringPerTag[t] == 0 || !_expiries.TryGetValue(Key(c, t), out var e) || FromNanos(e) > when;

    private ImmutableArray<TagAssignment> Select(CustomerId customerId, int group, Instant? asOf)
    {
        var c = OrdinalOf(customerId);
        if (c < 0)
        {
            return [];
        }

        var result = new List<(int Tag, TagAssignment Assignment)>();
        foreach (var e in EntriesOf(c))
        {
            if ((group < 0 || Taxonomy.GroupOrdinalOfTag(e.Tag) == group) && Holds(c, e.Tag, asOf))
            {
                result.Add((e.Tag, Materialise(c, e)));
            }
        }

        result.Sort(static (a, b) => a.Tag.CompareTo(b.Tag));
        return [.. result.Select(r => r.Assignment)];
    }
}
