using System.Collections.Immutable;

namespace CustomerSegmentation.Lifecycle;

/// <summary>
/// An automatic move: when a customer is in one of <see cref="From"/> and every condition that is set holds for the
/// customer's activity as of the evaluation instant, the customer moves to <see cref="To"/>.
/// </summary>
/// <remarks>
/// <para>Conditions left <see langword="null"/> (or <see langword="false"/>) are not checked; a rule needs at least one.
/// Days are whole calendar days in the model's <see cref="LifecycleModel.Zone"/>.</para>
/// <para>A customer without purchases never meets <see cref="PurchasedWithin"/>, <see cref="NoPurchaseFor"/> or
/// <see cref="RequiresPurchaseSinceEntered"/>.</para>
/// <para>A rule without <see cref="MinDaysInStage"/> and without <see cref="RequiresPurchaseSinceEntered"/> can fire
/// at the very instant its stage was entered (an <em>instant</em> rule); models reject cycles of instant rules so that
/// every evaluation ends.</para>
/// </remarks>
/// <param name="Id">The rule's id (same form as a stage id), recorded as the trigger of every move it makes.</param>
/// <param name="From">The stages the rule applies to.</param>
/// <param name="To">The stage the rule moves to; every <c>from → to</c> must be an allowed transition.</param>
public sealed record LifecycleRule(string Id, ImmutableArray<string> From, string To)
{
    /// <summary>Gets the fewest purchases the customer must have made (e.g. 1 for a first purchase), if checked.</summary>
    public int? MinPurchases { get; init; }

    /// <summary>Gets the most purchases the customer may have made, if checked.</summary>
    public int? MaxPurchases { get; init; }

    /// <summary>Gets the window within which the last purchase must lie (days since it ≤ window), if checked.</summary>
    public LifecycleWindow? PurchasedWithin { get; init; }

    /// <summary>Gets the window the days since the last purchase must exceed (days since it &gt; window), if checked.</summary>
    public LifecycleWindow? NoPurchaseFor { get; init; }

    /// <summary>Gets the number of whole days the customer must have been in the current stage for longer than (days in stage &gt; N), if checked.</summary>
    public int? MinDaysInStage { get; init; }

    /// <summary>Gets a value indicating whether the last purchase must be strictly after the customer entered the current stage (e.g. a purchase after being lost).</summary>
    /// <value>Defaults to <see langword="false"/> (not checked).</value>
    public bool RequiresPurchaseSinceEntered { get; init; }

    /// <summary>Gets a free-text description of the rule for people, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets a value indicating whether the rule can fire at the instant its stage was entered (see remarks).</summary>
    public bool IsInstant => MinDaysInStage is null && !RequiresPurchaseSinceEntered;

    /// <summary>Gets a value indicating whether at least one condition is set.</summary>
    public bool HasConditions =>
        MinPurchases is not null || MaxPurchases is not null || PurchasedWithin is not null || NoPurchaseFor is not null
        || MinDaysInStage is not null || RequiresPurchaseSinceEntered;

    /// <inheritdoc />
    public bool Equals(LifecycleRule? other) =>
        other is not null && Id == other.Id && To == other.To && From.SequenceEqual(other.From)
        && MinPurchases == other.MinPurchases && MaxPurchases == other.MaxPurchases
        && PurchasedWithin == other.PurchasedWithin && NoPurchaseFor == other.NoPurchaseFor
        && MinDaysInStage == other.MinDaysInStage && RequiresPurchaseSinceEntered == other.RequiresPurchaseSinceEntered
        && Description == other.Description;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, To, From.Length, MinPurchases, NoPurchaseFor, PurchasedWithin, MinDaysInStage);
}
