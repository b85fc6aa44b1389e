using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>
/// Scores a population of <see cref="ActivitySummary"/> values by RFM: recency (days since the last purchase),
/// frequency and monetary, each 1..k by tie-consistent quantile binning (<see cref="QuantileBinning"/>) or by fixed
/// thresholds; then the code (e.g. <c>545</c>), the weighted score and the named segment.
/// </summary>
/// <remarks>
/// <para>Only customers with purchases are scored and form the population of the quantiles; customers without
/// purchases get <see cref="RfmStatus.NoPurchases"/>. A customer whose value is better than that of <c>w</c> of the
/// <c>N</c> scored customers gets <c>1 + floor(k·w/N)</c>; equal values get equal scores, and the scores do not depend
/// on the order of the input.</para>
/// </remarks>
/// <threadsafety>Instances are immutable and safe for concurrent use.</threadsafety>
public sealed class RfmScorer : IValueScorer
{
    /// <summary>Creates a scorer with validated options.</summary>
    /// <param name="options">The options; <see cref="RfmOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">Bins outside 2..10, undefined measures, a fixed threshold list of the wrong length or order,
    /// negative or all-zero weights, distinct days with a window, or a missing table, zone or display map.</exception>
    public RfmScorer(RfmOptions? options = null)
    {
        options ??= RfmOptions.Default;
        if (options.Bins is < QuantileBinning.MinBins or > QuantileBinning.MaxBins)
        {
            throw new ScoringConfigurationException("RfmOptions.Bins", $"must be {QuantileBinning.MinBins}..{QuantileBinning.MaxBins}, got {options.Bins}.");
        }

        if (!Enum.IsDefined(options.Frequency))
        {
            throw new ScoringConfigurationException("RfmOptions.Frequency", $"unknown measure {(int)options.Frequency}.");
        }

        if (!Enum.IsDefined(options.Monetary))
        {
            throw new ScoringConfigurationException("RfmOptions.Monetary", $"unknown measure {(int)options.Monetary}.");
        }

        if (options.Window is not null && string.IsNullOrWhiteSpace(options.Window))
        {
            throw new ScoringConfigurationException("RfmOptions.Window", "a window name, when given, must not be empty.");
        }

        if (options.Window is not null && options.Frequency == RfmFrequencyMeasure.DistinctPurchaseDays)
        {
            throw new ScoringConfigurationException("RfmOptions.Frequency", "distinct purchase days are not available per window; use PurchaseCount with a window.");
        }

        CheckThresholds("RfmOptions.RecencyThresholds", options.RecencyThresholds, options.Bins, higherIsBetter: false);
        CheckThresholds("RfmOptions.FrequencyThresholds", options.FrequencyThresholds, options.Bins, higherIsBetter: true);
        CheckThresholds("RfmOptions.MonetaryThresholds", options.MonetaryThresholds, options.Bins, higherIsBetter: true);

        if (options.SegmentTable is null)
        {
            throw new ScoringConfigurationException("RfmOptions.SegmentTable", "a segment table is required (RfmSegmentTable.Default is the default).");
        }

        if (options.SegmentDisplayNames is null)
        {
            throw new ScoringConfigurationException("RfmOptions.SegmentDisplayNames", "use an empty map for no display names.");
        }

        if (options.Zone is null)
        {
            throw new ScoringConfigurationException("RfmOptions.Zone", "a time zone is required (DateTimeZone.Utc for UTC days).");
        }

        var w = options.Weights;
        if (w is null || w.Recency < 0 || w.Frequency < 0 || w.Monetary < 0 || w.Recency + w.Frequency + w.Monetary <= 0)
        {
            throw new ScoringConfigurationException("RfmOptions.Weights", "weights must not be negative and at least one must be positive.");
        }

        Options = options;
    }

    /// <summary>Gets the options in force.</summary>
    public RfmOptions Options { get; }

    /// <inheritdoc />
    /// <value><c>rfm</c>.</value>
    public string Name => "rfm";

    /// <summary>Scores a population as of an instant.</summary>
    /// <param name="population">The summaries, one per customer, all as of <paramref name="asOf"/>.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>The scores in input order and the cut points in force.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="population"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A summary is not as of <paramref name="asOf"/>, a customer appears twice, or a summary lacks the configured window.</exception>
    public RfmResult Score(IReadOnlyList<ActivitySummary> population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(population);
        var n = population.Count;
        var seen = new HashSet<CustomerId>(n);
        var scoredIndex = new int[n];
        var recency = new int[n];
        var frequency = new int[n];
        var monetary = new decimal[n];
        var scored = 0;
        var windowIndex = -1;
        var zone = Options.Zone;
        var asOfDay = LocalDayNumber(asOf, zone);
        for (var i = 0; i < n; i++)
        {
            var s = population[i] ?? throw new ArgumentNullException(nameof(population), $"The summary at index {i} is null.");
            if (s.AsOf != asOf)
            {
                throw new ArgumentException($"The summary of customer {s.CustomerId} is as of {s.AsOf}, not {asOf}.", nameof(population));
            }

            if (!seen.Add(s.CustomerId))
            {
                throw new ArgumentException($"Customer {s.CustomerId} appears more than once in the population.", nameof(population));
            }

            if (!s.HasPurchases)
            {
                scoredIndex[i] = -1;
                continue;
            }

            // Same as s.RecencyDays(zone), without building two ZonedDateTime values per customer.
            recency[scored] = checked((int)(asOfDay - LocalDayNumber(s.LastPurchaseAt!.Value, zone)));
            if (Options.Window is { } name)
            {
                var totals = FindWindow(s, name, ref windowIndex);
                frequency[scored] = totals.PurchaseCount;
                monetary[scored] = Options.Monetary == RfmMonetaryMeasure.NetSpend
                    ? totals.NetSpend
                    : totals.PurchaseCount == 0 ? 0m : totals.NetSpend / totals.PurchaseCount;
            }
            else
            {
                frequency[scored] = Options.Frequency == RfmFrequencyMeasure.PurchaseCount ? s.PurchaseCount : s.DistinctPurchaseDays;
                monetary[scored] = Options.Monetary == RfmMonetaryMeasure.NetSpend ? s.NetSpend : s.AverageSpend!.Value;
            }

            scoredIndex[i] = scored++;
        }

        var scale = new RfmScale(
            CutPointsFor(RfmMetric.Recency, recency.AsSpan(0, scored), Options.RecencyThresholds, higherIsBetter: false),
            CutPointsFor(RfmMetric.Frequency, frequency.AsSpan(0, scored), Options.FrequencyThresholds, higherIsBetter: true),
            MonetaryCutPoints(monetary.AsSpan(0, scored), out var monetaryKeys, out var monetaryKeyCuts),
            Options);

        // Integer cut points for the quantile metrics, so that scoring compares ints and longs instead of decimals.
        var recencyCuts = IntCuts(scale.Recency);
        var frequencyCuts = IntCuts(scale.Frequency);
        var segments = SegmentLookup();
        var k = Options.Bins;
        var results = ImmutableArray.CreateBuilder<RfmCustomerScore>(n);
        for (var i = 0; i < n; i++)
        {
            var j = scoredIndex[i];
            if (j < 0)
            {
                results.Add(RfmCustomerScore.NotScored(population[i].CustomerId, scale));
                continue;
            }

            var r = recencyCuts is null ? scale.Recency.Score(recency[j]) : QuantileBinning.Score<int>(recency[j], recencyCuts, higherIsBetter: false);
            var f = frequencyCuts is null ? scale.Frequency.Score(frequency[j]) : QuantileBinning.Score<int>(frequency[j], frequencyCuts, higherIsBetter: true);
            var m = monetaryKeys is null ? scale.Monetary.Score(monetary[j]) : QuantileBinning.Score<long>(monetaryKeys[j], monetaryKeyCuts, higherIsBetter: true);
            results.Add(RfmCustomerScore.Scored(population[i].CustomerId, scale, recency[j], frequency[j], monetary[j], r, f, m, segments[((((r - 1) * k) + (f - 1)) * k) + (m - 1)]));
        }

        return new RfmResult { Customers = results.MoveToImmutable(), Scale = scale };
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="population"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A summary is not as of <paramref name="asOf"/>, a customer appears twice, or a summary lacks the configured window.</exception>
    public IReadOnlyList<ValueScore> Score(IReadOnlyList<ValueScoringInput> population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(population);
        var summaries = new ActivitySummary[population.Count];
        for (var i = 0; i < summaries.Length; i++)
        {
            summaries[i] = (population[i] ?? throw new ArgumentNullException(nameof(population), $"The input at index {i} is null.")).Summary;
        }

        var result = Score(summaries, asOf);
        return [.. result.Customers.Select(c => new ValueScore(c.CustomerId, Name, c.IsScored, c.WeightedScore, c.IsScored ? $"{c.Code} {c.SegmentDisplayName}" : null, c.Explanation))];
    }

    /// <summary>The local calendar day of an instant in a zone, as a day number (floor of local ticks / ticks per day).</summary>
    private static long LocalDayNumber(Instant instant, DateTimeZone zone)
    {
        // Unix ticks are floored, and day boundaries fall on whole ticks, so flooring again gives the local date.
        var local = instant.ToUnixTimeTicks() + zone.GetUtcOffset(instant).Ticks;
        return Math.DivRem(local, NodaConstants.TicksPerDay, out var rest) - (rest < 0 ? 1 : 0);
    }

    /// <summary>The segment name of every (R, F, M) in 1..k, so that naming a customer is one array read.</summary>
    private string[] SegmentLookup()
    {
        var k = Options.Bins;
        var names = new string[k * k * k];
        for (var r = 1; r <= k; r++)
        {
            for (var f = 1; f <= k; f++)
            {
                for (var m = 1; m <= k; m++)
                {
                    names[((((r - 1) * k) + (f - 1)) * k) + (m - 1)] = Options.SegmentTable.Classify(r, f, m);
                }
            }
        }

        return names;
    }

    private static WindowTotals FindWindow(ActivitySummary s, string name, ref int hint)
    {
        // Summaries from one summariser share the window order, so the index found first is tried first.
        var windows = s.Windows;
        if (hint >= 0 && hint < windows.Length && string.Equals(windows[hint].Name, name, StringComparison.Ordinal))
        {
            return windows[hint];
        }

        for (var w = 0; w < windows.Length; w++)
        {
            if (string.Equals(windows[w].Name, name, StringComparison.Ordinal))
            {
                hint = w;
                return windows[w];
            }
        }

        throw new ArgumentException($"The summary of customer {s.CustomerId} has no window '{name}' (RfmOptions.Window); build the summaries with that window.", "population");
    }

    private RfmCutPoints CutPointsFor<T>(RfmMetric metric, ReadOnlySpan<T> values, ImmutableArray<decimal> thresholds, bool higherIsBetter)
        where T : IComparable<T>
    {
        if (!thresholds.IsDefaultOrEmpty)
        {
            return new RfmCutPoints(metric, RfmBinning.Fixed, thresholds, higherIsBetter);
        }

        if (values.IsEmpty)
        {
            return new RfmCutPoints(metric, RfmBinning.Quantile, [], higherIsBetter);
        }

        var cuts = QuantileBinning.CutPoints(values, Options.Bins, higherIsBetter);
        var asDecimal = ImmutableArray.CreateBuilder<decimal>(cuts.Length);
        foreach (var c in cuts)
        {
            asDecimal.Add(Convert.ToDecimal(c, CultureInfo.InvariantCulture));
        }

        return new RfmCutPoints(metric, RfmBinning.Quantile, asDecimal.MoveToImmutable(), higherIsBetter);
    }

    /// <summary>Scale of the exact long keys for money: 4 decimal places (1/100 of a cent).</summary>
    private const decimal MoneyKeyScale = 10_000m;

    /// <summary>The most a money key may be in magnitude so that it fits a long exactly.</summary>
    private const decimal MaxMoneyKey = 900_000_000_000_000_000m;

    private static int[]? IntCuts(RfmCutPoints cuts)
    {
        if (cuts.Binning != RfmBinning.Quantile)
        {
            return null;
        }

        var ints = new int[cuts.Values.Length];
        for (var i = 0; i < ints.Length; i++)
        {
            ints[i] = (int)cuts.Values[i];
        }

        return ints;
    }

    /// <summary>
    /// Monetary cut points. Quantiles are found on exact long keys (value x 10 000) when every value has at most four
    /// decimal places, which sorts several times faster than decimals; otherwise on the decimals themselves.
    /// </summary>
    private RfmCutPoints MonetaryCutPoints(ReadOnlySpan<decimal> values, out long[]? keys, out long[] keyCuts)
    {
        keys = null;
        keyCuts = [];
        if (!Options.MonetaryThresholds.IsDefaultOrEmpty || values.IsEmpty)
        {
            return CutPointsFor(RfmMetric.Monetary, values, Options.MonetaryThresholds, higherIsBetter: true);
        }

        var scaled = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var key = values[i] * MoneyKeyScale;
            if (key != decimal.Truncate(key) || key > MaxMoneyKey || key < -MaxMoneyKey)
            {
                return CutPointsFor(RfmMetric.Monetary, values, Options.MonetaryThresholds, higherIsBetter: true);
            }

            scaled[i] = (long)key;
        }

        keyCuts = QuantileBinning.CutPoints<long>(scaled, Options.Bins, higherIsBetter: true);
        keys = scaled;
        var cuts = ImmutableArray.CreateBuilder<decimal>(keyCuts.Length);
        foreach (var c in keyCuts)
        {
            // The key of a value is exact, so dividing back gives the value itself (trailing zeros aside).
            cuts.Add(c / MoneyKeyScale);
        }

        return new RfmCutPoints(RfmMetric.Monetary, RfmBinning.Quantile, cuts.MoveToImmutable(), HigherIsBetter: true);
    }

    private static void CheckThresholds(string setting, ImmutableArray<decimal> thresholds, int bins, bool higherIsBetter)
    {
        if (thresholds.IsDefaultOrEmpty)
        {
            return;
        }

        if (thresholds.Length != bins - 1)
        {
            throw new ScoringConfigurationException(setting, $"needs exactly Bins - 1 = {bins - 1} thresholds (worst to best), got {thresholds.Length}.");
        }

        for (var i = 1; i < thresholds.Length; i++)
        {
            if (higherIsBetter ? thresholds[i] <= thresholds[i - 1] : thresholds[i] >= thresholds[i - 1])
            {
                throw new ScoringConfigurationException(setting, $"thresholds run worst to best and must be strictly {(higherIsBetter ? "increasing" : "decreasing")}: [{string.Join(", ", thresholds.Select(t => t.ToString(CultureInfo.InvariantCulture)))}].");
            }
        }
    }
}
