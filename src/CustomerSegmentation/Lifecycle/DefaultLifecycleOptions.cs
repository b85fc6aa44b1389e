using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>The figures of the default lifecycle model; every property has a documented default.</summary>
/// <remarks>
/// The default rules, in the order they are tried (the first rule of the current stage that holds fires):
/// <list type="number">
/// <item><c>first-purchase</c>: prospect → new with at least 1 purchase.</item>
/// <item><c>repeat-purchase</c>: new, active → repeat with at least <see cref="RepeatPurchases"/> purchases.</item>
/// <item><c>becomes-active</c>: new → active after more than <see cref="NewForDays"/> days in new with a purchase within <see cref="ActiveWindow"/>.</item>
/// <item><c>at-risk</c>: new, active, repeat, won-back → at-risk with no purchase for longer than <see cref="AtRiskWindow"/>.</item>
/// <item><c>lost</c>: at-risk → lost with no purchase for longer than <see cref="LostWindow"/>.</item>
/// <item><c>recovered</c>: at-risk → repeat with a purchase after entering at-risk.</item>
/// <item><c>won-back</c>: lost → won-back with a purchase after entering lost.</item>
/// <item><c>won-back-repeat</c>: won-back → repeat with a purchase after entering won-back.</item>
/// </list>
/// Every stage but invalid may be moved to invalid by hand, and invalid back to prospect by hand; no rule leaves invalid.
/// </remarks>
public sealed record DefaultLifecycleOptions
{
    /// <summary>Gets the days a customer must have been new for (more than) before becoming active.</summary>
    /// <value>Defaults to 30.</value>
    public int NewForDays { get; init; } = 30;

    /// <summary>Gets the window within which a new customer's last purchase must lie to become active.</summary>
    /// <value>Defaults to 90 days.</value>
    public LifecycleWindow ActiveWindow { get; init; } = LifecycleWindow.OfDays(90);

    /// <summary>Gets the purchases that make a customer a repeat customer.</summary>
    /// <value>Defaults to 2.</value>
    public int RepeatPurchases { get; init; } = 2;

    /// <summary>Gets the window without a purchase (longer than) after which a customer is at risk.</summary>
    /// <value>Defaults to 90 days; <see cref="LifecycleWindow.OfMedianGap(double, int, int?, int?)"/> judges each customer by their rhythm.</value>
    public LifecycleWindow AtRiskWindow { get; init; } = LifecycleWindow.OfDays(90);

    /// <summary>Gets the window without a purchase (longer than) after which an at-risk customer is lost.</summary>
    /// <value>Defaults to 180 days.</value>
    public LifecycleWindow LostWindow { get; init; } = LifecycleWindow.OfDays(180);

    /// <summary>Gets the time zone whose calendar days the rules count.</summary>
    /// <value>Defaults to <see cref="DateTimeZone.Utc"/>.</value>
    public DateTimeZone Zone { get; init; } = DateTimeZone.Utc;
}
