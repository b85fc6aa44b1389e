using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Tiers;

namespace CustomerSegmentation.Engine;

/// <summary>
/// The population-wide statistics of a run, computed in the engine's first pass: RFM cut points, tier cut points and the
/// churn population (gap quantiles). Scoring a customer needs only these and its own facts, so the second pass streams.
/// </summary>
/// <remarks>
/// Every statistic is an order statistic or a sum over the population, so it can be computed from mergeable partial
/// results (value histograms, counts, sums) gathered partition by partition; see docs/pipeline.md.
/// <threadsafety>Immutable.</threadsafety>
/// </remarks>
public sealed class SegmentationStatistics
{
    private readonly long[] _lastDayCuts;
    private readonly long[] _frequencyCuts;
    private readonly long[] _monetaryCuts;

    internal SegmentationStatistics(int customers, int scored, int asOfDay, long[] lastDayCuts, long[] frequencyCuts, long[] monetaryCuts, TierCutPoints? tierCuts, ChurnPopulation churn)
    {
        Customers = customers;
        Scored = scored;
        _lastDayCuts = lastDayCuts;
        _frequencyCuts = frequencyCuts;
        _monetaryCuts = monetaryCuts;
        RecencyCutPoints = [.. lastDayCuts.Select(c => asOfDay - c)];
        TierCutPoints = tierCuts;
        ChurnPopulation = churn;
    }

    /// <summary>Gets the number of customers.</summary>
    public int Customers { get; }

    /// <summary>Gets the number of customers with purchases (RFM-scored).</summary>
    public int Scored { get; }

    /// <summary>Gets the recency cut points in days, worst to best: a customer scores 1 + the number it has fewer days than.</summary>
    public ImmutableArray<long> RecencyCutPoints { get; }

    /// <summary>Gets the frequency cut points, worst to best: a customer scores 1 + the number it exceeds.</summary>
    public ReadOnlySpan<long> FrequencyCutPoints => _frequencyCuts;

    /// <summary>Gets the monetary cut points in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>, worst to best.</summary>
    public ReadOnlySpan<long> MonetaryCutPoints => _monetaryCuts;

    /// <summary>Gets the tier cut points in force, or null without a tier policy.</summary>
    public TierCutPoints? TierCutPoints { get; }

    /// <summary>Gets the churn population (median-gap quantiles for customers with a single purchase).</summary>
    public ChurnPopulation ChurnPopulation { get; }

    internal long[] LastDayCuts => _lastDayCuts;

    internal long[] FrequencyCuts => _frequencyCuts;

    internal long[] MonetaryCuts => _monetaryCuts;

    /// <summary>Explains the statistics in one line.</summary>
    /// <returns>The explanation.</returns>
    public string Explain() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Scored} of {Customers} customers with purchases; RFM cut points: recency (days) [{string.Join(", ", RecencyCutPoints)}], frequency [{string.Join(", ", _frequencyCuts)}], monetary [{string.Join(", ", _monetaryCuts.Select(Money))}]; churn population: {ChurnPopulation}.")
        + (TierCutPoints is { } t ? string.Create(CultureInfo.InvariantCulture, $" Tier bounds: {string.Join("; ", t.Bounds)}.") : string.Empty);

    private static string Money(long units) => (units / (decimal)Utf8PurchaseFields.AmountScale).ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a run produced besides the streamed batches: the statistics and the population's distribution over every result.</summary>
/// <param name="Statistics">The population-wide statistics.</param>
/// <param name="RfmSegments">Customers per RFM segment name (including "None"), in segment-table order.</param>
/// <param name="Tiers">Customers per tier, lowest to highest; empty without a tier policy.</param>
/// <param name="Stages">Customers per lifecycle stage, in model order; empty without a model.</param>
/// <param name="ChurnLevels">Customers per churn level, lowest to highest.</param>
/// <param name="Tags">Customers per auto-tag.</param>
/// <param name="Segments">Customers per segment of the segment evaluator.</param>
public sealed record SegmentationRunSummary(
    SegmentationStatistics Statistics,
    ImmutableArray<KeyValuePair<string, long>> RfmSegments,
    ImmutableArray<KeyValuePair<string, long>> Tiers,
    ImmutableArray<KeyValuePair<string, long>> Stages,
    ImmutableArray<KeyValuePair<string, long>> ChurnLevels,
    ImmutableArray<KeyValuePair<string, long>> Tags,
    ImmutableArray<KeyValuePair<string, long>> Segments);
