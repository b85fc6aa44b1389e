using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>What a <see cref="PoolEvent"/> did.</summary>
public enum PoolEventKind
{
    /// <summary>A customer joined the book, with an owner or straight into the pool.</summary>
    Enter = 0,

    /// <summary>An owner's customer went back to the pool (by the release policy or by the owner).</summary>
    Release = 1,

    /// <summary>An owner took a customer from the pool, within the claim limits.</summary>
    Claim = 2,

    /// <summary>A customer was moved to another owner by a person with the right to (from an owner or from the pool; limits are not checked).</summary>
    Transfer = 3,
}

/// <summary>
/// One recorded change of ownership in the shared pool (公海): who, when, why, with the figures. Replaying the events
/// in order (<see cref="SharedPool.Replay"/>) gives the same ownership.
/// </summary>
public sealed record PoolEvent
{
    /// <summary>Gets the event's number, 1 for the first event of a pool.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets what happened.</summary>
    public required PoolEventKind Kind { get; init; }

    /// <summary>Gets the customer.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the owner before the event, <see langword="null"/> for the pool (or, for <see cref="PoolEventKind.Enter"/>, nobody).</summary>
    public string? From { get; init; }

    /// <summary>Gets the owner after the event, <see langword="null"/> for the pool.</summary>
    public string? To { get; init; }

    /// <summary>Gets when it happened.</summary>
    public required Instant At { get; init; }

    /// <summary>Gets who did it: a person, or the policy (e.g. <c>release-policy</c>).</summary>
    public required string Actor { get; init; }

    /// <summary>Gets why, in words.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the figures behind the decision (days without follow-up and its threshold, customers held and the limit, ...).</summary>
    public ImmutableArray<EngagementFigure> Figures { get; init; } = [];
}
