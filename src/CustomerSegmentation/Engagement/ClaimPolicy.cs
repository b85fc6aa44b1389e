using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// Limits on claiming customers from the shared pool: at most <see cref="MaxHeld"/> customers held, at most
/// <see cref="MaxClaimsPerDay"/> claims per local day, and a <see cref="CoolDown"/> before an owner may claim back a
/// customer they released. Checked when built.
/// </summary>
public sealed record ClaimPolicy
{
    /// <summary>Creates a claim policy.</summary>
    /// <param name="maxHeld">Customers an owner may hold (K), at least 1.</param>
    /// <param name="maxClaimsPerDay">Claims an owner may make per day (J), at least 1.</param>
    /// <param name="coolDown">Time after releasing a customer before the same owner may claim it; not negative.</param>
    /// <param name="zone">The zone whose days count claims; default UTC.</param>
    /// <exception cref="EngagementConfigurationException">A limit is below 1 or the cool-down is negative.</exception>
    public ClaimPolicy(int maxHeld, int maxClaimsPerDay, Duration coolDown, DateTimeZone? zone = null)
    {
        EngagementText.Require(maxHeld >= 1, EngagementText.Inv($"claim policy: maxHeld must be at least 1 (got {maxHeld})."));
        EngagementText.Require(maxClaimsPerDay >= 1, EngagementText.Inv($"claim policy: maxClaimsPerDay must be at least 1 (got {maxClaimsPerDay})."));
        EngagementText.Require(coolDown >= Duration.Zero, EngagementText.Inv($"claim policy: the cool-down must not be negative (got {coolDown})."));
        MaxHeld = maxHeld;
        MaxClaimsPerDay = maxClaimsPerDay;
        CoolDown = coolDown;
        Zone = zone ?? DateTimeZone.Utc;
    }

    /// <summary>Gets the most customers an owner may hold.</summary>
    public int MaxHeld { get; }

    /// <summary>Gets the most claims an owner may make per day.</summary>
    public int MaxClaimsPerDay { get; }

    /// <summary>Gets the cool-down after a release before the same owner may claim the customer.</summary>
    public Duration CoolDown { get; }

    /// <summary>Gets the zone whose days count claims.</summary>
    public DateTimeZone Zone { get; }
}

/// <summary>The outcome of <see cref="SharedPool.TryClaim"/>: the new pool, or why the claim was refused, with the figures.</summary>
public sealed record PoolClaimResult
{
    /// <summary>Gets a value indicating whether the claim was made.</summary>
    public required bool IsSuccess { get; init; }

    /// <summary>Gets the pool after the claim (unchanged when refused).</summary>
    public required SharedPool Pool { get; init; }

    /// <summary>Gets the reason: what was recorded, or why the claim was refused.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the figures (held and limit, claims today and limit, cool-down).</summary>
    public System.Collections.Immutable.ImmutableArray<EngagementFigure> Figures { get; init; } = [];
}
