using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;

namespace CustomerSegmentation.Segments;

/// <summary>A count of members with one value (a tier, a stage, a tag, an RFM segment).</summary>
/// <param name="Value">The value.</param>
/// <param name="Count">How many members have it.</param>
/// <param name="Share">Count / segment size.</param>
public readonly record struct SegmentMix(string Value, int Count, double Share);

/// <summary>
/// The portrait (客户画像) of a segment's members: size and share, revenue (net spend) and CLV totals and means, and the
/// tier, stage, tag and RFM segment mixes. Members without a value are counted under <see cref="SegmentProfile.None"/>.
/// </summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="Size">Members.</param>
/// <param name="Share">Members / population.</param>
/// <param name="RevenueTotal">Sum of net spend (members without an activity summary add 0), exact decimal.</param>
/// <param name="RevenueMean">RevenueTotal / Size; 0 for an empty segment.</param>
/// <param name="ClvCount">Members with a CLV.</param>
/// <param name="ClvTotal">Sum of CLV over those members.</param>
/// <param name="ClvMean">ClvTotal / ClvCount; <see langword="null"/> when none has one.</param>
/// <param name="TierMix">Members per tier, highest tier first, then <see cref="SegmentProfile.None"/>.</param>
/// <param name="StageMix">Members per stage, most first.</param>
/// <param name="TopTags">The most held tags (directly, at the as-of instant), most first, ties by tag id.</param>
/// <param name="RfmSegmentMix">Members per RFM segment, most first.</param>
public sealed record SegmentProfile(
    string SegmentId, int Size, double Share, decimal RevenueTotal, decimal RevenueMean, int ClvCount, decimal ClvTotal, decimal? ClvMean,
    ImmutableArray<SegmentMix> TierMix, ImmutableArray<SegmentMix> StageMix, ImmutableArray<SegmentMix> TopTags, ImmutableArray<SegmentMix> RfmSegmentMix)
{
    /// <summary>The label for members without a value.</summary>
    public const string None = "(none)";

    internal static SegmentProfile Of(SegmentMembership m, int topTags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topTags);
        var p = m.Population;
        var size = m.Count;
        decimal revenue = 0m, clv = 0m;
        var clvCount = 0;
        var tiers = new int[256];
        var stage = p.Text(SegmentFields.Stage);
        var rfm = p.Text(SegmentFields.RfmSegment);
        var stages = new int[stage.Dictionary.Count];
        var rfms = new int[rfm.Dictionary.Count];
        var tierColumn = p.Bytes(SegmentFields.Tier).Values;
        foreach (var o in m.Ordinals())
        {
            revenue += p.ExactNetSpend[o];
            if (p.ExactClv[o] is { } c)
            {
                clv += c;
                clvCount++;
            }

            tiers[tierColumn[o]]++;
            stages[stage.Codes[o]]++;
            rfms[rfm.Codes[o]]++;
        }

        var tierMix = ImmutableArray.CreateBuilder<SegmentMix>();
        for (var level = p.TierNames.Length - 1; level >= 0; level--)
        {
            if (tiers[level] > 0)
            {
                tierMix.Add(Mix(p.TierNames[level] ?? $"level {level}", tiers[level], size));
            }
        }

        if (tiers[ByteColumn.Missing] > 0)
        {
            tierMix.Add(Mix(None, tiers[ByteColumn.Missing], size));
        }

        var asOf = m.AsOf.ToUnixTimeTicks();
        var tagCounts = new List<(TagId Tag, int Count)>();
        foreach (var (tag, posting) in p.Tags)
        {
            var n = 0;
            var ordinals = posting.Ordinals;
            for (var i = 0; i < ordinals.Length; i++)
            {
                if (m.ContainsOrdinal(ordinals[i]) && posting.HoldsAt(i, asOf))
                {
                    n++;
                }
            }

            if (n > 0)
            {
                tagCounts.Add((tag, n));
            }
        }

        return new SegmentProfile(
            m.Definition.Id, size, m.Share, revenue, size == 0 ? 0m : revenue / size, clvCount, clv, clvCount == 0 ? null : clv / clvCount,
            tierMix.ToImmutable(), Mixes(stage, stages, size), [.. tagCounts.OrderByDescending(t => t.Count).ThenBy(t => t.Tag).Take(topTags).Select(t => Mix(t.Tag.Value, t.Count, size))],
            Mixes(rfm, rfms, size));
    }

    private static SegmentMix Mix(string value, int count, int size) => new(value, count, size == 0 ? 0 : (double)count / size);

    private static ImmutableArray<SegmentMix> Mixes(TextColumn column, int[] counts, int size) =>
    [
        .. Enumerable.Range(0, counts.Length).Where(k => counts[k] > 0)
            .OrderByDescending(k => counts[k]).ThenBy(k => column.Dictionary[k] ?? "\uffff", StringComparer.Ordinal)
            .Select(k => Mix(column.Dictionary[k] ?? None, counts[k], size)),
    ];
}

/// <summary>Pairwise overlaps: how many customers are in both of two segments.</summary>
/// <param name="SegmentIds">The segments, in the set's order.</param>
/// <param name="Counts">Counts[i][j] = members of both i and j (Counts[i][i] is the size of i).</param>
public sealed record SegmentOverlap(ImmutableArray<string> SegmentIds, ImmutableArray<ImmutableArray<int>> Counts)
{
    /// <summary>Gets the number of customers in both segments.</summary>
    /// <param name="first">A segment id.</param>
    /// <param name="second">Another segment id.</param>
    /// <returns>The count.</returns>
    /// <exception cref="KeyNotFoundException">A segment is unknown.</exception>
    public int Between(string first, string second) => Counts[Index(first)][Index(second)];

    /// <summary>Gets the Jaccard index |A ∩ B| / |A ∪ B| of two segments (0 when both are empty).</summary>
    /// <param name="first">A segment id.</param>
    /// <param name="second">Another segment id.</param>
    /// <returns>The index in [0, 1].</returns>
    /// <exception cref="KeyNotFoundException">A segment is unknown.</exception>
    public double Jaccard(string first, string second)
    {
        int i = Index(first), j = Index(second);
        var union = Counts[i][i] + Counts[j][j] - Counts[i][j];
        return union == 0 ? 0 : (double)Counts[i][j] / union;
    }

    private int Index(string id)
    {
        var i = SegmentIds.IndexOf(id);
        return i >= 0 ? i : throw new KeyNotFoundException($"No segment '{id}' in the overlap.");
    }

    internal static SegmentOverlap Of(ImmutableArray<SegmentMembership> memberships)
    {
        var n = memberships.Length;
        var counts = new int[n][];
        for (var i = 0; i < n; i++)
        {
            counts[i] = new int[n];
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                var a = memberships[i].Bits;
                var b = memberships[j].Bits;
                var c = 0;
                for (var w = 0; w < a.Length; w++)
                {
                    c += System.Numerics.BitOperations.PopCount(a[w] & b[w]);
                }

                counts[i][j] = counts[j][i] = c;
            }
        }

        return new SegmentOverlap([.. memberships.Select(m => m.Definition.Id)], [.. counts.Select(r => r.ToImmutableArray())]);
    }
}

/// <summary>Who entered and who left a segment between two evaluations (at two instants, over the same or two populations).</summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="Before">The earlier instant.</param>
/// <param name="After">The later instant.</param>
/// <param name="Entered">Members after who were not members before, in the later population's order.</param>
/// <param name="Left">Members before who are not members after, in the earlier population's order.</param>
/// <param name="Stayed">How many were members at both.</param>
public sealed record SegmentChanges(string SegmentId, NodaTime.Instant Before, NodaTime.Instant After, ImmutableArray<CustomerId> Entered, ImmutableArray<CustomerId> Left, int Stayed)
{
    /// <summary>Compares two memberships of the same segment by customer id.</summary>
    /// <param name="before">The earlier membership.</param>
    /// <param name="after">The later membership.</param>
    /// <returns>The changes.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The memberships are of different segments.</exception>
    public static SegmentChanges Between(SegmentMembership before, SegmentMembership after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!string.Equals(before.Definition.Id, after.Definition.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The memberships are of different segments ({before.Definition.Id}, {after.Definition.Id}).", nameof(after));
        }

        ImmutableArray<CustomerId> entered, left;
        int stayed;
        if (ReferenceEquals(before.Population, after.Population))
        {
            // Same population: compare the bitsets word by word.
            var (a, b) = (before.Bits, after.Bits);
            var e = ImmutableArray.CreateBuilder<CustomerId>();
            var l = ImmutableArray.CreateBuilder<CustomerId>();
            stayed = 0;
            for (var w = 0; w < a.Length; w++)
            {
                stayed += System.Numerics.BitOperations.PopCount(a[w] & b[w]);
                Collect(b[w] & ~a[w], w, after.Population, e);
                Collect(a[w] & ~b[w], w, before.Population, l);
            }

            (entered, left) = (e.ToImmutable(), l.ToImmutable());
        }
        else
        {
            entered = [.. after.Members().Where(id => !before.Contains(id))];
            left = [.. before.Members().Where(id => !after.Contains(id))];
            stayed = after.Count - entered.Length;
        }

        return new SegmentChanges(before.Definition.Id, before.AsOf, after.AsOf, entered, left, stayed);
    }

    private static void Collect(ulong word, int w, SegmentPopulation population, ImmutableArray<CustomerId>.Builder into)
    {
        while (word != 0)
        {
            into.Add(population.Ids[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word)]);
            word &= word - 1;
        }
    }
}
