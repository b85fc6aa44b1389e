using System.Collections.Immutable;
using System.Globalization;

namespace CustomerSegmentation.Tiers;

/// <summary>The entry threshold of one tier in a <see cref="ThresholdTierPolicy"/>.</summary>
/// <param name="Tier">The tier's name.</param>
/// <param name="Value">The metric value that enters the tier (see <see cref="ThresholdBoundary"/>).</param>
public readonly record struct TierThreshold(string Tier, decimal Value);

/// <summary>Whether a value equal to a threshold enters the tier.</summary>
public enum ThresholdBoundary
{
    /// <summary>The default: a value equal to the threshold enters the tier (<c>≥</c>, or <c>≤</c> for a lower-is-better metric).</summary>
    Inclusive = 0,

    /// <summary>Only a value strictly beyond the threshold enters the tier (<c>&gt;</c>, or <c>&lt;</c>).</summary>
    Exclusive = 1,
}

/// <summary>
/// Fixed thresholds on one metric: every tier above the lowest has an entry threshold, and a customer gets the highest
/// tier whose threshold the value meets. E.g. 标准 from 1 000, VIP from 10 000 net spend.
/// </summary>
/// <remarks>
/// Thresholds must strictly increase with the tier (strictly decrease for a lower-is-better metric such as
/// <see cref="TierMetric.RecencyDays"/>). The bounds do not depend on the population.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class ThresholdTierPolicy : SingleMetricTierPolicy
{
    private readonly TierCutPoints _cuts;

    /// <summary>Creates and validates the policy.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="ladder">The tiers, lowest first.</param>
    /// <param name="metric">The metric graded by.</param>
    /// <param name="thresholds">One threshold for every tier above the lowest, in any order.</param>
    /// <param name="boundary">Whether a value equal to a threshold enters the tier; inclusive by default.</param>
    /// <exception cref="InvalidTierPolicyException">A threshold names an unknown tier or the lowest tier, a tier has none or two,
    /// or thresholds are not strictly ordered with the tiers.</exception>
    public ThresholdTierPolicy(string name, TierLadder ladder, TierMetric metric, IEnumerable<TierThreshold> thresholds, ThresholdBoundary boundary = ThresholdBoundary.Inclusive)
        : base(name, ladder, metric)
    {
        if (thresholds is null)
        {
            throw new InvalidTierPolicyException(name, "the policy has no thresholds");
        }

        if (!Enum.IsDefined(boundary))
        {
            throw new InvalidTierPolicyException(name, $"unknown boundary {boundary}");
        }

        var byLevel = new decimal?[ladder.Count];
        foreach (var t in thresholds)
        {
            var tier = ResolveTier(t.Tier, "a threshold");
            if (tier.Level == 0)
            {
                throw new InvalidTierPolicyException(name, $"the lowest tier '{tier}' takes everyone below the other thresholds and has no threshold of its own");
            }

            if (byLevel[tier.Level] is not null)
            {
                throw new InvalidTierPolicyException(name, $"tier '{tier}' has two thresholds");
            }

            byLevel[tier.Level] = t.Value;
        }

        var keys = new decimal?[ladder.Count - 1];
        for (var level = 1; level < ladder.Count; level++)
        {
            if (byLevel[level] is not { } v)
            {
                throw new InvalidTierPolicyException(name, $"tier '{ladder[level]}' has no threshold");
            }

            keys[level - 1] = metric.HigherIsBetter ? v : -v;
            if (level > 1 && keys[level - 1] <= keys[level - 2])
            {
                var dir = metric.HigherIsBetter ? "above" : "below";
                throw new InvalidTierPolicyException(
                    name,
                    string.Create(CultureInfo.InvariantCulture, $"thresholds are not ordered: '{ladder[level]}' ({v}) must be strictly {dir} '{ladder[level - 1]}' ({byLevel[level - 1]})"));
            }
        }

        Boundary = boundary;
        Thresholds = [.. Enumerable.Range(1, ladder.Count - 1).Select(l => new TierThreshold(ladder[l].Name, byLevel[l]!.Value))];
        _cuts = new TierCutPoints(ladder, keys, boundary == ThresholdBoundary.Inclusive, metric.HigherIsBetter, 0, null);
    }

    /// <inheritdoc />
    public override TierPolicyKind Kind => TierPolicyKind.Threshold;

    /// <inheritdoc />
    public override bool DependsOnPopulation => false;

    /// <summary>Gets the thresholds, lowest tier first (the lowest tier has none).</summary>
    public ImmutableArray<TierThreshold> Thresholds { get; }

    /// <summary>Gets whether a value equal to a threshold enters the tier.</summary>
    public ThresholdBoundary Boundary { get; }

    /// <summary>Gets the fixed bounds.</summary>
    public TierCutPoints CutPoints => _cuts;

    /// <summary>Gets the tier a single value gets; no population needed.</summary>
    /// <param name="value">The metric value.</param>
    /// <returns>The tier.</returns>
    public Tier TierOf(decimal value) => Ladder[_cuts.LevelOf(value)];

    private protected override TierCutPoints ComputeCutPoints(ReadOnlySpan<decimal> values, Span<decimal> scratch) => _cuts;

    private protected override string Describe(TierCutPoints cuts) =>
        Boundary == ThresholdBoundary.Inclusive ? "highest tier whose threshold is met; equal values enter" : "highest tier whose threshold is exceeded; equal values do not enter";
}
