using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>What kind of change a <see cref="TierChange"/> is.</summary>
public enum TierChangeKind
{
    /// <summary>The customer's first tier.</summary>
    Initial = 0,

    /// <summary>A move to a higher tier (always at once).</summary>
    Upgrade = 1,

    /// <summary>A move to a lower tier (after the stability rules allowed it).</summary>
    Downgrade = 2,
}

/// <summary>One entry of a customer's tier history.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="From">The tier before, or <see langword="null"/> for the first assignment.</param>
/// <param name="To">The tier after.</param>
/// <param name="At">The instant of the evaluation that made the change.</param>
/// <param name="Kind">Initial, upgrade or downgrade.</param>
/// <param name="Explanation">Why the change applied, e.g. <c>below VIP ≥ 10000 minus margin 500 since … for 91 days ≥ grace 90 days</c>.</param>
/// <param name="Cause">The policy's reason at that evaluation.</param>
public sealed record TierChange(CustomerId CustomerId, Tier? From, Tier To, Instant At, TierChangeKind Kind, string Explanation, TierReason Cause)
{
    /// <summary>Returns <c>at: from → to (explanation)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{At}: {From?.Name ?? "(none)"} → {To.Name} ({Explanation})";
}

/// <summary>
/// A customer's stabilised tier: the tier in force, since when, any pending downgrade, and the full history.
/// </summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Current">The tier in force.</param>
/// <param name="Since">When the customer entered <paramref name="Current"/>.</param>
/// <param name="LastEvaluatedAt">The instant of the latest evaluation applied.</param>
/// <param name="BelowSince">When the pending downgrade was first seen, or <see langword="null"/> when none is pending.</param>
/// <param name="Status">The latest decision in words (changed, confirmed, inside the margin, downgrade pending…).</param>
/// <param name="History">Every change, oldest first.</param>
public sealed record CustomerTierState(
    CustomerId CustomerId,
    Tier Current,
    Instant Since,
    Instant LastEvaluatedAt,
    Instant? BelowSince,
    string Status,
    ImmutableList<TierChange> History);

/// <summary>The outcome of applying one evaluation to a customer's state.</summary>
/// <param name="State">The new state.</param>
/// <param name="Change">The change made, or <see langword="null"/> when the tier stayed.</param>
public readonly record struct TierStep(CustomerTierState State, TierChange? Change);
