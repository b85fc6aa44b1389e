using CustomerSegmentation.Churn;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Engine;

/// <summary>
/// What a <see cref="SegmentationEngine"/> evaluates. Every part but RFM and churn is optional: a part left null is not
/// evaluated and its result columns stay empty (NaN, "none"). Validated when the engine is built.
/// </summary>
public sealed record SegmentationEngineOptions
{
    /// <summary>Gets the number of RFM scores k, 2..10.</summary>
    /// <value>5.</value>
    public int RfmBins { get; init; } = 5;

    /// <summary>Gets the table that names RFM segments.</summary>
    /// <value><see cref="RfmSegmentTable.Default"/>.</value>
    public RfmSegmentTable RfmSegments { get; init; } = RfmSegmentTable.Default;

    /// <summary>Gets the value models for P(alive), expected purchases and CLV, or null for none.</summary>
    /// <value>null.</value>
    public ValueModelSettings? ValueModel { get; init; }

    /// <summary>
    /// Gets the tier policy, or null for none. It must be a <see cref="SingleMetricTierPolicy"/> (threshold, quantile or
    /// Pareto) on a metric the engine's facts hold: netSpend, purchaseCount, averageSpend or recencyDays.
    /// </summary>
    /// <value>null.</value>
    public ITierPolicy? TierPolicy { get; init; }

    /// <summary>Gets the lifecycle model, or null for none. Every customer starts in its initial stage at the first purchase (or the as-of instant without one).</summary>
    /// <value>null.</value>
    public LifecycleModel? Lifecycle { get; init; }

    /// <summary>Gets the churn rules (only rules with a columnar form, see <see cref="ChurnColumnarScorer"/>).</summary>
    /// <value><see cref="ChurnColumnarScorer.DefaultColumnar"/>.</value>
    public ChurnRuleSet ChurnRules { get; init; } = ChurnColumnarScorer.DefaultColumnar;

    /// <summary>Gets the auto-tag rules, or null for none (at most 64 distinct tags). Tag rules are object rules: each customer gets a <see cref="Customers.Customer"/> and summary built from its facts.</summary>
    /// <value>null.</value>
    public TagRuleEvaluator? Tags { get; init; }

    /// <summary>Gets the segment evaluator (the extension point for segment definitions), or null for none.</summary>
    /// <value>null.</value>
    public ISegmentEvaluator? Segments { get; init; }

    /// <summary>Gets the most worker threads; results never depend on it.</summary>
    /// <value><see cref="Environment.ProcessorCount"/>.</value>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Gets the number of customers per result batch, 1..1 048 576; results never depend on it.</summary>
    /// <value>65 536.</value>
    public int BatchSize { get; init; } = 1 << 16;
}

/// <summary>The value models the engine applies: BG/NBD for P(alive) and expected purchases, Gamma-Gamma for spend and CLV.</summary>
/// <param name="Purchases">The fitted or given BG/NBD model (its time unit is used for t_x and T).</param>
/// <param name="Spend">The Gamma-Gamma model, or null for no CLV.</param>
/// <param name="Clv">The CLV horizon, discounting and margin; expected purchases are over the same horizon (steps × step days).</param>
public sealed record ValueModelSettings(BgNbdModel Purchases, GammaGammaModel? Spend = null, ClvOptions? Clv = null)
{
    /// <summary>Gets the CLV options in force.</summary>
    public ClvOptions ClvOptions => Clv ?? ClvOptions.Default;
}

/// <summary>Thrown when a <see cref="SegmentationEngine"/> is built with options it cannot evaluate.</summary>
public sealed class SegmentationConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SegmentationConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public SegmentationConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SegmentationConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
