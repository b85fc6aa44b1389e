using System.Collections.Immutable;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Partitioning;

/// <summary>One purchase history as BG/NBD sees it, in whole days: repeat purchase days x, t_x (first to last purchase day) and T (first purchase day to the calibration end).</summary>
/// <param name="X">Repeat purchase days (distinct purchase days − 1).</param>
/// <param name="RecencyDays">Days from the first to the last purchase day.</param>
/// <param name="AgeDays">Days from the first purchase day to the calibration end.</param>
public readonly record struct BtydHistory(int X, int RecencyDays, int AgeDays) : IComparable<BtydHistory>
{
    /// <inheritdoc />
    public int CompareTo(BtydHistory other)
    {
        var c = X.CompareTo(other.X);
        if (c != 0)
        {
            return c;
        }

        c = RecencyDays.CompareTo(other.RecencyDays);
        return c != 0 ? c : AgeDays.CompareTo(other.AgeDays);
    }
}

/// <summary>
/// BG/NBD's sufficient statistics as a mergeable partial result: the number of customers per history (x, t_x, T). The
/// likelihood of a population is a sum over customers that depends on nothing else, so shards count their histories
/// (in the database: <c>GROUP BY x, t_x, T</c>), the counts are added, and the merged statistics give exactly the
/// log-likelihood and the fit of the whole population.
/// </summary>
/// <remarks>
/// Days are the unit of the counts (what <see cref="BtydSummaryBuilder"/> computes before it divides by the time unit),
/// so merging is exact integer addition. <see cref="ToBtydData"/> lists the histories in ascending order, which makes the
/// fit a function of the counts alone: the same merged counts give bit-for-bit the same parameters.
/// </remarks>
/// <threadsafety>Instances are immutable.</threadsafety>
public sealed class BgNbdSufficientStatistics
{
    private BgNbdSufficientStatistics(BtydTimeUnit timeUnit, ImmutableSortedDictionary<BtydHistory, long> counts)
    {
        TimeUnit = timeUnit;
        Counts = counts;
        Customers = counts.Values.Sum();
    }

    /// <summary>Gets the time unit the model is fitted in.</summary>
    public BtydTimeUnit TimeUnit { get; }

    /// <summary>Gets the number of customers per history.</summary>
    public ImmutableSortedDictionary<BtydHistory, long> Counts { get; }

    /// <summary>Gets the number of customers counted.</summary>
    public long Customers { get; }

    /// <summary>Creates statistics from counts per history.</summary>
    /// <param name="timeUnit">The time unit of the model.</param>
    /// <param name="counts">History → customers.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A count is not positive, or a history is impossible (negative values, t_x &gt; T, x = 0 with t_x ≠ 0, x &gt; t_x).</exception>
    public static BgNbdSufficientStatistics FromCounts(BtydTimeUnit timeUnit, IEnumerable<KeyValuePair<BtydHistory, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (!Enum.IsDefined(timeUnit))
        {
            throw new ArgumentOutOfRangeException(nameof(timeUnit), timeUnit, "Unknown time unit.");
        }

        var b = ImmutableSortedDictionary.CreateBuilder<BtydHistory, long>();
        foreach (var (h, n) in counts)
        {
            if (n <= 0)
            {
                throw new ArgumentException($"History {h} has the count {n}; counts are positive.", nameof(counts));
            }

            if (h.X < 0 || h.RecencyDays < 0 || h.RecencyDays > h.AgeDays || (h.X == 0) != (h.RecencyDays == 0) || h.X > h.RecencyDays)
            {
                throw new ArgumentException($"History {h} is impossible: need 0 ≤ x ≤ t_x ≤ T, with x = 0 exactly when t_x = 0.", nameof(counts));
            }

            b[h] = checked(b.GetValueOrDefault(h) + n);
        }

        return new BgNbdSufficientStatistics(timeUnit, b.ToImmutable());
    }

    /// <summary>Counts the histories of a summary built by <see cref="BtydSummaryBuilder"/> (its times must be whole days in its time unit).</summary>
    /// <param name="data">The summary.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A time is not a whole number of days.</exception>
    public static BgNbdSufficientStatistics FromData(BtydData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var unit = (int)data.TimeUnit;
        var counts = new Dictionary<BtydHistory, long>();
        for (var i = 0; i < data.Count; i++)
        {
            var h = new BtydHistory((int)data.Frequency[i], Days(data.Recency[i], unit, i), Days(data.Age[i], unit, i));
            counts[h] = counts.GetValueOrDefault(h) + 1;
        }

        return FromCounts(data.TimeUnit, counts);
    }

    /// <summary>Merges statistics by adding their counts (exact; any order gives the same result).</summary>
    /// <param name="parts">The statistics, e.g. one per shard; all in the same time unit.</param>
    /// <returns>The merged statistics.</returns>
    /// <exception cref="ArgumentException">No part is given, or the parts have different time units.</exception>
    public static BgNbdSufficientStatistics Merge(IEnumerable<BgNbdSufficientStatistics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Merging needs at least one part.", nameof(parts));
        }

        if (list.Any(p => p.TimeUnit != list[0].TimeUnit))
        {
            throw new ArgumentException("The parts have different time units; count every shard in the same unit.", nameof(parts));
        }

        return FromCounts(list[0].TimeUnit, list.SelectMany(p => p.Counts));
    }

    /// <summary>The histories as a summary (one row per customer, histories in ascending order, no customer ids) for <see cref="BgNbdModel.Fit"/>.</summary>
    /// <returns>The summary.</returns>
    public BtydData ToBtydData()
    {
        var unit = (double)(int)TimeUnit;
        var n = checked((int)Customers);
        var x = new double[n];
        var tx = new double[n];
        var t = new double[n];
        var i = 0;
        foreach (var (h, count) in Counts)
        {
            for (var k = 0; k < count; k++, i++)
            {
                x[i] = h.X;
                tx[i] = h.RecencyDays / unit;
                t[i] = h.AgeDays / unit;
            }
        }

        return BtydData.FromColumns(TimeUnit, x, tx, t);
    }

    /// <summary>Fits BG/NBD on the statistics.</summary>
    /// <param name="options">Fit options; the defaults when <see langword="null"/>.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelNotIdentifiableException">The population cannot identify the model (e.g. no repeat buyer).</exception>
    /// <exception cref="ModelConvergenceException">The optimiser did not converge.</exception>
    public BgNbdModel Fit(BgNbdFitOptions? options = null) => BgNbdModel.Fit(ToBtydData(), options);

    /// <summary>The log-likelihood of parameters on the statistics.</summary>
    /// <param name="r">r.</param>
    /// <param name="alpha">α, in <see cref="TimeUnit"/>.</param>
    /// <param name="a">a.</param>
    /// <param name="b">b.</param>
    /// <returns>The log-likelihood.</returns>
    public double LogLikelihood(double r, double alpha, double a, double b) => new BgNbdLikelihood(ToBtydData()).LogLikelihood(r, alpha, a, b);

    private static int Days(double value, int unit, int row)
    {
        var days = value * unit;
        var rounded = Math.Round(days);
        if (Math.Abs(days - rounded) > 1e-6)
        {
            throw new ArgumentException($"Row {row}: {value} is not a whole number of days in the summary's unit; statistics count whole days.", nameof(value));
        }

        return (int)rounded;
    }
}
