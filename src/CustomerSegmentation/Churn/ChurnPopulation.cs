using System.Globalization;
using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Statistics of a population that rules compare a customer with: the distribution of the customers' median gaps
/// between purchases (customers with at least two purchases). Single-purchase customers have no rhythm of their own
/// and fall back to it.
/// </summary>
/// <remarks>Immutable and thread safe. Built from the multiset of gaps, so it does not depend on input order.</remarks>
public sealed class ChurnPopulation
{
    private readonly double[] _gapDays;

    private ChurnPopulation(double[] sortedGapDays) => _gapDays = sortedGapDays;

    /// <summary>Gets a population without any repeat customer.</summary>
    public static ChurnPopulation Empty { get; } = new([]);

    /// <summary>Gets the number of repeat customers whose median gap is in the distribution.</summary>
    public int RepeatCustomers => _gapDays.Length;

    /// <summary>Builds the statistics from summaries: every summary with two or more purchases and a median gap at or before <paramref name="asOf"/>.</summary>
    /// <param name="summaries">The population's summaries.</param>
    /// <param name="asOf">The assessment instant; summaries with a purchase after it are left out.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summaries"/> is <see langword="null"/>.</exception>
    public static ChurnPopulation FromSummaries(IEnumerable<ActivitySummary> summaries, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var gaps = new List<double>();
        foreach (var s in summaries)
        {
            if (s is { PurchaseCount: >= 2, MedianGap: { } g } && !(s.LastPurchaseAt > asOf))
            {
                gaps.Add(GapDays(g));
            }
        }

        return FromSorted([.. gaps]);
    }

    /// <summary>Builds the statistics from median gaps in days, e.g. computed by a host's database.</summary>
    /// <param name="medianGapDays">One median gap per repeat customer, in days; each finite and not negative.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="medianGapDays"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A gap is negative or not finite.</exception>
    public static ChurnPopulation FromGapDays(IEnumerable<double> medianGapDays)
    {
        ArgumentNullException.ThrowIfNull(medianGapDays);
        double[] gaps = [.. medianGapDays];
        foreach (var g in gaps)
        {
            if (!double.IsFinite(g) || g < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(medianGapDays), g, "A gap is a finite, non-negative number of days.");
            }
        }

        return FromSorted(gaps);
    }

    /// <summary>
    /// Builds the statistics from single-precision median gaps in days (the engine's facts), the same as
    /// <see cref="FromGapDays(IEnumerable{double})"/> with each gap widened to double, without a comparison sort:
    /// non-negative floats order as their bit patterns, so two 16-bit radix passes sort them.
    /// </summary>
    /// <param name="gapDays">One gap per repeat customer, each finite and not negative; reordered in place.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A gap is negative or not finite.</exception>
    internal static ChurnPopulation FromSingleGapDays(float[] gapDays)
    {
        var n = gapDays.Length;
        var keys = new uint[n];
        for (var i = 0; i < n; i++)
        {
            var g = gapDays[i];
            if (!float.IsFinite(g) || g < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(gapDays), g, "A gap is a finite, non-negative number of days.");
            }

            keys[i] = BitConverter.SingleToUInt32Bits(Math.Max(1f, g));
        }

        var other = new uint[n];
        RadixPass(keys, other, 0);
        RadixPass(other, keys, 16);
        var sorted = new double[n];
        for (var i = 0; i < n; i++)
        {
            sorted[i] = BitConverter.UInt32BitsToSingle(keys[i]);
        }

        return new ChurnPopulation(sorted);
    }

    /// <summary>Gets the <paramref name="q"/>-quantile of the median gaps in days (nearest rank: the smallest gap with at least <c>q</c> of the gaps at or below it), never below one day.</summary>
    /// <param name="q">The quantile, in (0, 1].</param>
    /// <returns>The gap in days, or <see langword="null"/> when the population has no repeat customer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside (0, 1].</exception>
    public double? GapQuantile(double q)
    {
        if (!(q > 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile is in (0, 1].");
        }

        if (_gapDays.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(q * _gapDays.Length);
        return _gapDays[Math.Clamp(rank, 1, _gapDays.Length) - 1];
    }

    /// <summary>Describes the statistics.</summary>
    /// <returns>The number of repeat customers and the median gap.</returns>
    public override string ToString() => GapQuantile(0.5) is { } m
        ? string.Create(CultureInfo.InvariantCulture, $"{RepeatCustomers} repeat customers, median gap {m:0.#} days")
        : "no repeat customers";

    internal static double GapDays(Duration gap) => Math.Max(1.0, gap.TotalDays);

    /// <summary>One stable counting pass of an LSD radix sort on 16 bits of the keys.</summary>
    private static void RadixPass(uint[] from, uint[] to, int shift)
    {
        var counts = new int[(1 << 16) + 1];
        foreach (var k in from)
        {
            counts[((k >> shift) & 0xFFFF) + 1]++;
        }

        for (var d = 1; d < counts.Length; d++)
        {
            counts[d] += counts[d - 1];
        }

        foreach (var k in from)
        {
            to[counts[(k >> shift) & 0xFFFF]++] = k;
        }
    }

    private static ChurnPopulation FromSorted(double[] gaps)
    {
        for (var i = 0; i < gaps.Length; i++)
        {
            gaps[i] = Math.Max(1.0, gaps[i]);
        }

        Array.Sort(gaps);
        return new ChurnPopulation(gaps);
    }
}
