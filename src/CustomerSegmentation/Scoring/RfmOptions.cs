using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>How <see cref="RfmScorer"/> scores: bins, measures, window, fixed cut points, segment table, display names and weights.</summary>
/// <remarks>Options are validated when the scorer is built; invalid options throw <see cref="ScoringConfigurationException"/> there.</remarks>
public sealed record RfmOptions
{
    /// <summary>Gets the number of scores k.</summary>
    /// <value>Default 5; allowed 2..10.</value>
    public int Bins { get; init; } = 5;

    /// <summary>Gets what frequency counts.</summary>
    /// <value>Default <see cref="RfmFrequencyMeasure.PurchaseCount"/>.</value>
    public RfmFrequencyMeasure Frequency { get; init; } = RfmFrequencyMeasure.PurchaseCount;

    /// <summary>Gets what monetary measures.</summary>
    /// <value>Default <see cref="RfmMonetaryMeasure.NetSpend"/>.</value>
    public RfmMonetaryMeasure Monetary { get; init; } = RfmMonetaryMeasure.NetSpend;

    /// <summary>
    /// Gets the name of a summary window (see <see cref="Activity.ActivitySummaryOptions.Windows"/>) that frequency and
    /// monetary are measured in, or <see langword="null"/> for all history up to the as-of instant. Recency is always
    /// the days since the last purchase. In a window, frequency is the window's purchase count (distinct days are not
    /// available per window) and average spend is the window's net spend over its purchases (0 without purchases).
    /// </summary>
    /// <value>Default <see langword="null"/>: all history.</value>
    public string? Window { get; init; }

    /// <summary>Gets fixed recency thresholds in days, worst to best (decreasing), or empty for quantiles. With k = 5, <c>[365, 180, 90, 30]</c> gives 5 to ≤ 30 days, 4 to ≤ 90 days, …, 1 to more than 365 days.</summary>
    /// <value>Default empty: quantile cut points from the population.</value>
    public ImmutableArray<decimal> RecencyThresholds { get; init; } = [];

    /// <summary>Gets fixed frequency thresholds, worst to best (increasing), or empty for quantiles. With k = 5, <c>[2, 4, 8, 16]</c> gives 5 to 16 or more.</summary>
    /// <value>Default empty: quantile cut points from the population.</value>
    public ImmutableArray<decimal> FrequencyThresholds { get; init; } = [];

    /// <summary>Gets fixed monetary thresholds, worst to best (increasing), or empty for quantiles.</summary>
    /// <value>Default empty: quantile cut points from the population.</value>
    public ImmutableArray<decimal> MonetaryThresholds { get; init; } = [];

    /// <summary>Gets the segment table that names (R, F, M) combinations.</summary>
    /// <value>Default <see cref="RfmSegmentTable.Default"/> (made for k = 5).</value>
    public RfmSegmentTable SegmentTable { get; init; } = RfmSegmentTable.Default;

    /// <summary>
    /// Gets display names by segment name, e.g. <c>Champions</c> → <c>重要价值客户</c>. Segments not in the map are
    /// shown by their name. Segment names are keys; the map is display data and needs no code.
    /// </summary>
    /// <value>Default empty.</value>
    public ImmutableDictionary<string, string> SegmentDisplayNames { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Gets the weights of the weighted score.</summary>
    /// <value>Default <see cref="RfmWeights.Equal"/>.</value>
    public RfmWeights Weights { get; init; } = RfmWeights.Equal;

    /// <summary>Gets the time zone whose calendar days recency counts.</summary>
    /// <value>Default <see cref="DateTimeZone.Utc"/>.</value>
    public DateTimeZone Zone { get; init; } = DateTimeZone.Utc;

    /// <summary>Gets the default options: 5 bins, purchase count, net spend, all history, quantiles, the default table, equal weights, UTC.</summary>
    public static RfmOptions Default { get; } = new();
}
