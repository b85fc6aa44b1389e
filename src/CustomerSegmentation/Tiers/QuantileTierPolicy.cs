using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CustomerSegmentation.Tiers;

/// <summary>The share of one tier in a <see cref="QuantileTierPolicy"/> (of customers) or a <see cref="ParetoTierPolicy"/> (of the metric's total).</summary>
/// <param name="Tier">The tier's name.</param>
/// <param name="Share">The share, in (0, 1], e.g. <c>0.2</c> for 20 %.</param>
public readonly record struct TierShare(string Tier, decimal Share);

/// <summary>
/// Shares of the population ranked by one metric: e.g. A = top 20 %, B = next 30 %, C = the rest.
/// </summary>
/// <remarks>
/// <para>Let <c>N</c> be the number of customers with a value and <c>S</c> the combined share of a tier and every tier
/// above it, and <c>m = ⌊S × N⌋</c>. A customer reaches that tier (or better) when at most <c>m</c> customers (the customer
/// included) have a value at least as good; equivalently, when the value is strictly better than the <c>(m + 1)</c>-th
/// best value, which is the tier's (exclusive) bound. So equal values always get the same tier, and ties across a
/// boundary take the lower tier: the top tiers together never hold more than their share (a budget for VIP benefits
/// is never exceeded, and a mass of customers with zero spend stays in the lowest tier). The result does not depend on
/// the order of the input, and a better value never gets a lower tier. With distinct values the tiers hold their
/// shares exactly (rounded down).</para>
/// <para>Shares are listed for the tiers above the lowest (the lowest takes the rest), or for every tier; each is in
/// (0, 1]; they must add up to 1 when every tier is listed and to less than 1 otherwise.</para>
/// <para>Bounds come from order statistics found by selection (O(N) expected), not from a full sort.</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class QuantileTierPolicy : SingleMetricTierPolicy
{
    private readonly decimal[] _cumulativeByLevel;

    /// <summary>Creates and validates the policy.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="ladder">The tiers, lowest first.</param>
    /// <param name="metric">The metric ranked by.</param>
    /// <param name="shares">The share of customers of each tier above the lowest (optionally the lowest too), in any order.</param>
    /// <exception cref="InvalidTierPolicyException">A share names an unknown tier, a tier has none or two, a share is outside (0, 1], or the shares do not add up.</exception>
    public QuantileTierPolicy(string name, TierLadder ladder, TierMetric metric, IEnumerable<TierShare> shares)
        : base(name, ladder, metric)
    {
        (Shares, _cumulativeByLevel) = ValidateShares(this, shares, "customers");
    }

    /// <inheritdoc />
    public override TierPolicyKind Kind => TierPolicyKind.Quantile;

    /// <inheritdoc />
    public override bool DependsOnPopulation => true;

    /// <summary>Gets the shares as configured, lowest tier first (the lowest tier's share is the rest when it was not given).</summary>
    public ImmutableArray<TierShare> Shares { get; }

    internal static (ImmutableArray<TierShare> Shares, decimal[] Cumulative) ValidateShares(SingleMetricTierPolicy policy, IEnumerable<TierShare>? shares, string of)
    {
        var ladder = policy.Ladder;
        if (shares is null)
        {
            throw new InvalidTierPolicyException(policy.Name, "the policy has no shares");
        }

        var byLevel = new decimal?[ladder.Count];
        foreach (var s in shares)
        {
            if (!ladder.TryGet(s.Tier, out var tier))
            {
                throw new InvalidTierPolicyException(policy.Name, $"a share names unknown tier '{s.Tier}' (tiers: {ladder})");
            }

            if (byLevel[tier.Level] is not null)
            {
                throw new InvalidTierPolicyException(policy.Name, $"tier '{tier}' has two shares");
            }

            if (s.Share <= 0m || s.Share > 1m)
            {
                throw new InvalidTierPolicyException(policy.Name, string.Create(CultureInfo.InvariantCulture, $"the share of tier '{tier}' is {s.Share}; a share must be in (0, 1]"));
            }

            byLevel[tier.Level] = s.Share;
        }

        for (var level = 1; level < ladder.Count; level++)
        {
            if (byLevel[level] is null)
            {
                throw new InvalidTierPolicyException(policy.Name, $"tier '{ladder[level]}' has no share (only the lowest tier may take the rest)");
            }
        }

        var above = 0m;
        for (var level = 1; level < ladder.Count; level++)
        {
            above += byLevel[level]!.Value;
        }

        if (byLevel[0] is { } lowest)
        {
            if (above + lowest != 1m)
            {
                throw new InvalidTierPolicyException(policy.Name, string.Create(CultureInfo.InvariantCulture, $"the shares of {of} add up to {above + lowest}, not 1"));
            }
        }
        else if (above >= 1m)
        {
            throw new InvalidTierPolicyException(policy.Name, string.Create(CultureInfo.InvariantCulture, $"the shares of {of} above the lowest tier add up to {above}, leaving nothing for '{ladder.Lowest}'; they must add up to less than 1"));
        }

        var cumulative = new decimal[ladder.Count];
        var sum = 0m;
        for (var level = ladder.Count - 1; level >= 1; level--)
        {
            sum += byLevel[level]!.Value;
            cumulative[level] = sum;
        }

        var list = ImmutableArray.CreateBuilder<TierShare>(ladder.Count);
        list.Add(new TierShare(ladder.Lowest.Name, byLevel[0] ?? 1m - above));
        for (var level = 1; level < ladder.Count; level++)
        {
            list.Add(new TierShare(ladder[level].Name, byLevel[level]!.Value));
        }

        return (list.MoveToImmutable(), cumulative);
    }

    private protected override TierCutPoints ComputeCutPoints(ReadOnlySpan<decimal> values, Span<decimal> scratch)
    {
        var n = values.Length;
        var keys = new decimal?[Ladder.Count - 1];
        if (n > 0)
        {
            Span<int> positions = stackalloc int[Ladder.Count - 1];
            var count = Positions(n, positions);

            // Money-like values select as exact fixed-point longs (much cheaper to compare), written over the scratch
            // column's memory; anything else selects as decimals.
            var longs = MemoryMarshal.Cast<decimal, long>(scratch)[..n];
            if (TryScaledKeys(values, longs))
            {
                SelectScaled(longs, positions[..count], keys);
            }
            else
            {
                CopyKeys(values, scratch);
                Selection.SelectMany(scratch, positions[..count]);
                for (var level = 1; level <= count; level++)
                {
                    keys[level - 1] = scratch[positions[level - 1]];
                }
            }
        }
        else
        {
            // Nobody is ranked: leave every bound unreachable.
        }

        return new TierCutPoints(Ladder, keys, inclusive: false, Metric.HigherIsBetter, n, null);
    }

    /// <summary>
    /// The cut points from the metric values as exact fixed-point keys (value × 10⁴, negated when lower is better), as
    /// <see cref="SingleMetricTierPolicy.ComputeCutPoints(ReadOnlySpan{decimal})"/> computes them from the decimals:
    /// the pipeline's money and counts are such keys already. Reorders <paramref name="keys"/>.
    /// </summary>
    internal TierCutPoints ComputeCutPointsFromScaledKeys(Span<long> keys)
    {
        var n = keys.Length;
        var bounds = new decimal?[Ladder.Count - 1];
        if (n > 0)
        {
            Span<int> positions = stackalloc int[Ladder.Count - 1];
            var count = Positions(n, positions);
            SelectScaled(keys, positions[..count], bounds);
        }

        return new TierCutPoints(Ladder, bounds, inclusive: false, Metric.HigherIsBetter, n, null);
    }

    /// <summary>
    /// Level k (and better) takes at most m = floor(S_k * N) customers: those strictly better than the (m + 1)-th best
    /// key, i.e. the (N - 1 - m)-th smallest (0-based). S_k &lt; 1 gives m &lt; N; m = 0 leaves the level unreachable.
    /// Higher levels have smaller cumulative shares, so positions ascend with the level; the unreachable levels (-1)
    /// are the top ones. Returns how many levels are reachable.
    /// </summary>
    private int Positions(int n, Span<int> positions)
    {
        var count = 0;
        for (var level = 1; level < Ladder.Count; level++)
        {
            var m = (int)Math.Floor(_cumulativeByLevel[level] * n);
            positions[level - 1] = m == 0 ? -1 : n - 1 - m;
            if (m > 0)
            {
                count = level;
            }
        }

        return count;
    }

    private static void SelectScaled(Span<long> longs, ReadOnlySpan<int> positions, decimal?[] keys)
    {
        Selection.SelectMany(longs, positions);
        for (var level = 1; level <= positions.Length; level++)
        {
            keys[level - 1] = ScaledKeys.ToDecimal(longs[positions[level - 1]]);
        }
    }

    private bool TryScaledKeys(ReadOnlySpan<decimal> values, Span<long> keys)
    {
        var negate = !Metric.HigherIsBetter;
        for (var i = 0; i < values.Length; i++)
        {
            if (!ScaledKeys.TryGet(values[i], out var k))
            {
                return false;
            }

            keys[i] = negate ? -k : k;
        }

        return true;
    }

    private protected override string Describe(TierCutPoints cuts)
    {
        var parts = string.Join(" / ", Shares.Reverse().Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Tier} {s.Share * 100m:0.##} %")));
        return string.Create(CultureInfo.InvariantCulture, $"shares of {cuts.Ranked} ranked customers, best first: {parts}; ties take the lower tier");
    }
}
