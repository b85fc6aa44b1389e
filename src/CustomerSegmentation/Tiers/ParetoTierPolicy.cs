using System.Collections.Immutable;
using System.Globalization;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// Pareto / ABC grading by cumulative share of a metric's total: e.g. A = the customers making the first 80 % of revenue,
/// B = the next 15 %, C = the rest.
/// </summary>
/// <remarks>
/// <para>Let <c>T</c> be the total of the metric over the customers with a value (negative values count as 0), and
/// <c>S</c> the combined share of a tier and every tier above it. A customer with value <c>v</c> reaches that tier
/// (or better) when the customers with a strictly greater value together hold less than <c>S × T</c>. The customer whose
/// value crosses the 80 % line is therefore still an A; equal values get the same tier; customers with value 0 or less
/// always get the lowest tier; when <c>T</c> is 0 everyone gets the lowest tier.</para>
/// <para>The metric must be higher-is-better (a share of a total makes no sense for recency). Shares follow the rules of
/// <see cref="QuantileTierPolicy"/>.</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class ParetoTierPolicy : SingleMetricTierPolicy
{
    private readonly decimal[] _cumulativeByLevel;

    /// <summary>Creates and validates the policy.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="ladder">The tiers, lowest first.</param>
    /// <param name="metric">The metric whose total is shared out (revenue, net spend…); higher is better.</param>
    /// <param name="shares">The share of the total of each tier above the lowest (optionally the lowest too).</param>
    /// <exception cref="InvalidTierPolicyException">The metric is lower-is-better, or the shares are invalid (see <see cref="QuantileTierPolicy"/>).</exception>
    public ParetoTierPolicy(string name, TierLadder ladder, TierMetric metric, IEnumerable<TierShare> shares)
        : base(name, ladder, metric)
    {
        if (!metric.HigherIsBetter)
        {
            throw new InvalidTierPolicyException(name, $"a Pareto policy shares out a total and needs a higher-is-better metric, not {metric}");
        }

        (Shares, _cumulativeByLevel) = QuantileTierPolicy.ValidateShares(this, shares, "the total");
    }

    /// <inheritdoc />
    public override TierPolicyKind Kind => TierPolicyKind.Pareto;

    /// <inheritdoc />
    public override bool DependsOnPopulation => true;

    /// <summary>Gets the shares of the total as configured, lowest tier first.</summary>
    public ImmutableArray<TierShare> Shares { get; }

    private protected override TierCutPoints ComputeCutPoints(ReadOnlySpan<decimal> values, Span<decimal> scratch)
    {
        var levels = Ladder.Count;
        var keys = new decimal?[levels - 1];
        var total = 0m;
        foreach (var v in values)
        {
            if (v > 0m)
            {
                total += v;
            }
        }

        if (total > 0m)
        {
            values.CopyTo(scratch);
            scratch.Sort();
            var before = 0m;
            var i = scratch.Length - 1;
            var lowestTarget = _cumulativeByLevel[1] * total;
            while (i >= 0 && scratch[i] > 0m && before < lowestTarget)
            {
                var v = scratch[i];
                var run = 0m;
                while (i >= 0 && scratch[i] == v)
                {
                    run += v;
                    i--;
                }

                // This group of equal values reaches every level whose cumulative target exceeds what the better customers hold.
                for (var level = 1; level < levels; level++)
                {
                    if (before < _cumulativeByLevel[level] * total)
                    {
                        keys[level - 1] = v;
                    }
                }

                before += run;
            }
        }

        return new TierCutPoints(Ladder, keys, inclusive: true, higherIsBetter: true, values.Length, total);
    }

    private protected override string Describe(TierCutPoints cuts)
    {
        var parts = string.Join(" / ", Shares.Reverse().Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Tier} {s.Share * 100m:0.##} %")));
        return string.Create(CultureInfo.InvariantCulture, $"cumulative shares of the {Metric.Name} total {cuts.Total} over {cuts.Ranked} customers, largest first: {parts}; equal values share a tier");
    }
}
