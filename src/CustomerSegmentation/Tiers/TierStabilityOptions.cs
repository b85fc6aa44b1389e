using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// Hysteresis rules that keep customers from flapping between tiers. Upgrades always apply at once; a downgrade applies
/// only when every configured condition holds. The defaults (<see cref="Immediate"/>) apply every change at once.
/// </summary>
/// <remarks>
/// A downgrade is pending while the evaluated tier is below the current one and the metric is outside the band
/// (below the current tier's bound minus <see cref="DowngradeMargin"/>). It applies at an evaluation when it has been
/// pending for at least <see cref="GracePeriod"/>, the customer has held the tier for at least
/// <see cref="MinimumTimeInTier"/>, and (when <see cref="ReviewSchedule"/> is set) a review took place since the previous
/// evaluation. Any evaluation inside the band ends the pending downgrade. Conditions are observed at evaluations only.
/// </remarks>
public sealed record TierStabilityOptions
{
    /// <summary>Gets options without hysteresis: every change applies at once.</summary>
    public static TierStabilityOptions Immediate { get; } = new();

    /// <summary>Gets how far below the current tier's bound (in metric units; above it for a lower-is-better metric) the metric may fall without counting as a drop.</summary>
    /// <value>0. Only policies that report bounds (threshold, quantile, Pareto) can use a margin; for the others any lower tier counts as a drop.</value>
    public decimal DowngradeMargin { get; init; }

    /// <summary>Gets how long a drop must last, from the first evaluation that saw it, before the downgrade applies.</summary>
    /// <value><see cref="Duration.Zero"/>.</value>
    public Duration GracePeriod { get; init; } = Duration.Zero;

    /// <summary>Gets the review dates downgrades wait for, or <see langword="null"/> to downgrade at any evaluation.</summary>
    /// <value><see langword="null"/>.</value>
    public TierReviewSchedule? ReviewSchedule { get; init; }

    /// <summary>Gets the least time a customer stays in a tier before it can be downgraded (upgrades are never held back).</summary>
    /// <value><see cref="Duration.Zero"/>.</value>
    public Duration MinimumTimeInTier { get; init; } = Duration.Zero;

    /// <summary>Checks the options.</summary>
    /// <exception cref="InvalidTierPolicyException">The margin, grace period or minimum time is negative.</exception>
    public void Validate()
    {
        if (DowngradeMargin < 0m)
        {
            throw new InvalidTierPolicyException(null, $"the downgrade margin must not be negative ({DowngradeMargin})");
        }

        if (GracePeriod < Duration.Zero)
        {
            throw new InvalidTierPolicyException(null, $"the grace period must not be negative ({GracePeriod})");
        }

        if (MinimumTimeInTier < Duration.Zero)
        {
            throw new InvalidTierPolicyException(null, $"the minimum time in a tier must not be negative ({MinimumTimeInTier})");
        }
    }
}
