using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>The tier a policy gives one customer as of an instant, with the reason.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Tier">The tier assigned.</param>
/// <param name="AsOf">The instant of the evaluation.</param>
/// <param name="Reason">Why: policy, figures, thresholds in force.</param>
public sealed record TierAssignment(CustomerId CustomerId, Tier Tier, Instant AsOf, TierReason Reason)
{
    /// <summary>Returns <c>customer → tier: reason</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{CustomerId} → {Tier}: {Reason}";
}

/// <summary>The kind of a built-in policy.</summary>
public enum TierPolicyKind
{
    /// <summary>A policy written by the host.</summary>
    Custom = 0,

    /// <summary>Fixed thresholds on one metric (<see cref="ThresholdTierPolicy"/>).</summary>
    Threshold = 1,

    /// <summary>Shares of the population ranked by one metric (<see cref="QuantileTierPolicy"/>).</summary>
    Quantile = 2,

    /// <summary>Cumulative shares of the metric's total (<see cref="ParetoTierPolicy"/>).</summary>
    Pareto = 3,

    /// <summary>Two criteria mapped through a grid (<see cref="MatrixTierPolicy"/>).</summary>
    Matrix = 4,
}

/// <summary>One metric value a decision read.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Value">The value, or <see langword="null"/> when the customer had none.</param>
/// <param name="HigherIsBetter">The metric's direction.</param>
public readonly record struct MetricReading(string Metric, decimal? Value, bool HigherIsBetter)
{
    /// <summary>Returns <c>metric = value</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Value is { } v
        ? string.Create(CultureInfo.InvariantCulture, $"{Metric} = {v}")
        : $"{Metric} has no value";
}

/// <summary>
/// The entry condition of one tier in force at an evaluation: a customer reaches <see cref="Tier"/> (or better) when the
/// metric is at least <see cref="Value"/> (at most, for a lower-is-better metric); strictly so when not <see cref="Inclusive"/>.
/// </summary>
/// <param name="Tier">The tier entered.</param>
/// <param name="Value">The bound in metric units, or <see langword="null"/> when no customer can reach the tier (e.g. a Pareto policy on a zero total).</param>
/// <param name="Inclusive">Whether a value equal to the bound qualifies.</param>
/// <param name="HigherIsBetter">The metric's direction.</param>
public readonly record struct TierBound(Tier Tier, decimal? Value, bool Inclusive, bool HigherIsBetter)
{
    /// <summary>Tells whether a value meets the bound, optionally relaxed by a margin (used by hysteresis to keep a tier).</summary>
    /// <param name="value">The metric value.</param>
    /// <param name="margin">How far below (above, for lower-is-better) the bound still counts; 0 for the plain test.</param>
    /// <returns><see langword="true"/> when the value qualifies.</returns>
    public bool IsMetBy(decimal value, decimal margin = 0m)
    {
        if (Value is not { } bound)
        {
            return false;
        }

        if (HigherIsBetter)
        {
            var b = bound - margin;
            return Inclusive ? value >= b : value > b;
        }
        else
        {
            var b = bound + margin;
            return Inclusive ? value <= b : value < b;
        }
    }

    /// <summary>Returns e.g. <c>VIP ≥ 10000</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        if (Value is not { } v)
        {
            return $"{Tier}: unreachable";
        }

        var op = (HigherIsBetter, Inclusive) switch
        {
            (true, true) => "≥",
            (true, false) => ">",
            (false, true) => "≤",
            (false, false) => "<",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Tier} {op} {v}");
    }
}

/// <summary>Why a customer got a tier: the policy, the figures read, the bounds in force and the rule applied.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Kind">The policy's kind.</param>
/// <param name="Tier">The tier given.</param>
/// <param name="Readings">The metric values read (one per criterion).</param>
/// <param name="Bounds">The entry bound of every tier above the lowest, lowest first (empty for a matrix policy).</param>
/// <param name="Rule">The rule in words, e.g. <c>top shares 20 % / 30 % of 1000 ranked customers; ties take the better tier</c>.</param>
public sealed record TierReason(
    string Policy,
    TierPolicyKind Kind,
    Tier Tier,
    ImmutableArray<MetricReading> Readings,
    ImmutableArray<TierBound> Bounds,
    string Rule)
{
    /// <summary>Gets the reasons of the criteria a composite policy (matrix) combined; empty otherwise.</summary>
    public ImmutableArray<TierReason> Components { get; init; } = [];

    /// <summary>Finds the bound in force for a tier.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>The bound, or <see langword="null"/> for the lowest tier or a policy without bounds.</returns>
    public TierBound? BoundOf(Tier tier)
    {
        foreach (var b in Bounds)
        {
            if (b.Tier == tier)
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>Returns e.g. <c>threshold 'spend': netSpend = 12000; bounds 标准 ≥ 1000, VIP ≥ 10000 → VIP (…)</c>.</summary>
    /// <returns>The explanation.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Kind.ToString().ToLowerInvariant()).Append(" '").Append(Policy).Append("': ");
        sb.AppendJoin(", ", Readings);
        if (!Bounds.IsEmpty)
        {
            sb.Append("; bounds ").AppendJoin(", ", Bounds);
        }

        foreach (var c in Components)
        {
            sb.Append("; [").Append(c).Append(']');
        }

        sb.Append(" → ").Append(Tier.Name);
        if (Rule.Length > 0)
        {
            sb.Append(" (").Append(Rule).Append(')');
        }

        return sb.ToString();
    }
}
