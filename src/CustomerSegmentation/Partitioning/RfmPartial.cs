using System.Collections.Immutable;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;

namespace CustomerSegmentation.Partitioning;

/// <summary>
/// The population statistics RFM scoring needs, as a mergeable partial result: exact value → count histograms of the
/// last purchase day, the frequency and the monetary units of the customers with at least one purchase. A shard or a
/// partition computes its partial (in the database: <c>GROUP BY</c> value), the partials are merged by adding counts,
/// and <see cref="CutPoints"/> on the merged partial gives exactly the cut points that
/// <see cref="QuantileCutPoints.Compute"/> gives on the whole population (the rule of the <c>rfm</c> command and of
/// <see cref="RfmColumnarScorer"/>: tie-consistent quantiles, a later last day, more purchases and more money are better).
/// </summary>
/// <remarks>
/// Counting is exact, so merging is associative and commutative and the order of shards never changes a cut point.
/// The size is the number of distinct values, not of customers: days and frequencies are few; monetary values can be as
/// many as customers (a host that wants less can round money to whole units before building the partial).
/// </remarks>
/// <threadsafety>Instances are immutable.</threadsafety>
public sealed class RfmPartial
{
    private RfmPartial(ImmutableSortedDictionary<long, long> lastDays, ImmutableSortedDictionary<long, long> frequencies, ImmutableSortedDictionary<long, long> monetary)
    {
        LastDays = lastDays;
        Frequencies = frequencies;
        Monetary = monetary;
        Customers = lastDays.Values.Sum();
    }

    /// <summary>Gets an empty partial.</summary>
    public static RfmPartial Empty { get; } = new(ImmutableSortedDictionary<long, long>.Empty, ImmutableSortedDictionary<long, long>.Empty, ImmutableSortedDictionary<long, long>.Empty);

    /// <summary>Gets the histogram of last purchase days (days since 1970-01-01 → customers).</summary>
    public ImmutableSortedDictionary<long, long> LastDays { get; }

    /// <summary>Gets the histogram of purchase counts (count → customers).</summary>
    public ImmutableSortedDictionary<long, long> Frequencies { get; }

    /// <summary>Gets the histogram of net spend in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/> (units → customers).</summary>
    public ImmutableSortedDictionary<long, long> Monetary { get; }

    /// <summary>Gets the number of customers counted (with at least one purchase).</summary>
    public long Customers { get; }

    /// <summary>Creates a partial from three histograms (e.g. read from a database's <c>GROUP BY</c>).</summary>
    /// <param name="lastDays">Last purchase day → customers.</param>
    /// <param name="frequencies">Purchase count → customers.</param>
    /// <param name="monetary">Monetary units → customers.</param>
    /// <returns>The partial.</returns>
    /// <exception cref="ArgumentNullException">A histogram is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A count is not positive, a frequency is below 1, or the histograms count different numbers of customers.</exception>
    public static RfmPartial FromHistograms(IEnumerable<KeyValuePair<long, long>> lastDays, IEnumerable<KeyValuePair<long, long>> frequencies, IEnumerable<KeyValuePair<long, long>> monetary)
    {
        var l = ToHistogram(lastDays, nameof(lastDays));
        var f = ToHistogram(frequencies, nameof(frequencies));
        var m = ToHistogram(monetary, nameof(monetary));
        if (f.Count > 0 && f.Keys.First() < 1)
        {
            throw new ArgumentException($"A frequency of {f.Keys.First()} is not a purchasing customer; partials count customers with at least one purchase.", nameof(frequencies));
        }

        var partial = new RfmPartial(l, f, m);
        if (f.Values.Sum() != partial.Customers || m.Values.Sum() != partial.Customers)
        {
            throw new ArgumentException(
                $"The histograms count different customers: {partial.Customers} last days, {f.Values.Sum()} frequencies, {m.Values.Sum()} monetary values.",
                nameof(monetary));
        }

        return partial;
    }

    /// <summary>Merges partials by adding their counts (exact; any order gives the same result).</summary>
    /// <param name="partials">The partials, e.g. one per shard.</param>
    /// <returns>The merged partial.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partials"/> or one of them is <see langword="null"/>.</exception>
    public static RfmPartial Merge(IEnumerable<RfmPartial> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var l = ImmutableSortedDictionary.CreateBuilder<long, long>();
        var f = ImmutableSortedDictionary.CreateBuilder<long, long>();
        var m = ImmutableSortedDictionary.CreateBuilder<long, long>();
        foreach (var p in partials)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(partials));
            AddInto(l, p.LastDays);
            AddInto(f, p.Frequencies);
            AddInto(m, p.Monetary);
        }

        return new RfmPartial(l.ToImmutable(), f.ToImmutable(), m.ToImmutable());
    }

    /// <summary>Merges this partial with another.</summary>
    /// <param name="other">The other partial.</param>
    /// <returns>The merged partial.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public RfmPartial Merge(RfmPartial other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Merge([this, other]);
    }

    /// <summary>The cut points of the population this partial counts, equal to <see cref="QuantileCutPoints.Compute"/> on the whole population.</summary>
    /// <param name="bins">The number of scores k (2..10).</param>
    /// <param name="asOfDay">The as-of day (days since 1970-01-01), to express the recency cut points in days.</param>
    /// <returns>The cut points.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    /// <exception cref="InvalidOperationException">The partial counts no customer.</exception>
    public RfmPopulationCutPoints CutPoints(int bins, long asOfDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, QuantileBinning.MinBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, QuantileBinning.MaxBins);
        if (Customers == 0)
        {
            throw new InvalidOperationException("Cut points need at least one purchasing customer; the partial counts none.");
        }

        return new RfmPopulationCutPoints(bins, asOfDay, Cuts(LastDays, bins, Customers), Cuts(Frequencies, bins, Customers), Cuts(Monetary, bins, Customers));
    }

    // Ascending order statistics at QuantileBinning.CutPosition (higherIsBetter: the s-th cut is the value at that rank).
    private static ImmutableArray<long> Cuts(ImmutableSortedDictionary<long, long> histogram, int bins, long n)
    {
        var cuts = ImmutableArray.CreateBuilder<long>(bins - 1);
        using var e = histogram.GetEnumerator();
        long seen = 0;
        var current = 0L;
        for (var s = 1; s < bins; s++)
        {
            var rank = QuantileBinning.CutPosition(s, bins, n);
            while (seen <= rank)
            {
                e.MoveNext();
                current = e.Current.Key;
                seen += e.Current.Value;
            }

            cuts.Add(current);
        }

        return cuts.MoveToImmutable();
    }

    private static ImmutableSortedDictionary<long, long> ToHistogram(IEnumerable<KeyValuePair<long, long>> pairs, string name)
    {
        ArgumentNullException.ThrowIfNull(pairs, name);
        var b = ImmutableSortedDictionary.CreateBuilder<long, long>();
        foreach (var (value, count) in pairs)
        {
            if (count <= 0)
            {
                throw new ArgumentException($"{name}: value {value} has the count {count}; counts are positive.", name);
            }

            b[value] = checked(b.GetValueOrDefault(value) + count);
        }

        return b.ToImmutable();
    }

    private static void AddInto(ImmutableSortedDictionary<long, long>.Builder into, ImmutableSortedDictionary<long, long> from)
    {
        foreach (var (value, count) in from)
        {
            into[value] = checked(into.GetValueOrDefault(value) + count);
        }
    }
}
