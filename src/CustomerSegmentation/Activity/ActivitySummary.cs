using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>
/// What one customer did up to an as-of instant: purchases (refunds netted against their orders), interactions and
/// referrals. Every later capability (RFM, points, tiers, lifecycle, churn, segments) reads this summary.
/// </summary>
/// <remarks>
/// <para>A summary is an immutable value built by a summary source (from the activity store, from in-memory columns,
/// or by a host that aggregates in its own database). Activity after <see cref="AsOf"/> is never included.</para>
/// <para>Money fields are in <see cref="Currency"/>; a customer without purchases has no currency and zero spend.</para>
/// </remarks>
public sealed record ActivitySummary
{
    /// <summary>Gets the customer summarised.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the as-of instant: activity at or before it is included, later activity is not.</summary>
    public required Instant AsOf { get; init; }

    /// <summary>Gets the currency of every money field, or <see langword="null"/> when the customer has no purchases.</summary>
    public Currency? Currency { get; init; }

    /// <summary>Gets the first purchase (refunds excluded), if any.</summary>
    public Instant? FirstPurchaseAt { get; init; }

    /// <summary>Gets the last purchase (refunds excluded), if any.</summary>
    public Instant? LastPurchaseAt { get; init; }

    /// <summary>Gets the number of purchases (refunds are not purchases; a fully refunded order still counts as a purchase).</summary>
    public int PurchaseCount { get; init; }

    /// <summary>Gets the number of distinct calendar days with at least one purchase.</summary>
    public int DistinctPurchaseDays { get; init; }

    /// <summary>Gets the sum of purchase amounts before refunds.</summary>
    public decimal GrossSpend { get; init; }

    /// <summary>Gets the sum refunded, as a positive amount.</summary>
    public decimal RefundTotal { get; init; }

    /// <summary>Gets the net spend: <see cref="GrossSpend"/> − <see cref="RefundTotal"/>.</summary>
    public decimal NetSpend => GrossSpend - RefundTotal;

    /// <summary>Gets the average net spend per purchase, or <see langword="null"/> without purchases.</summary>
    public decimal? AverageSpend => PurchaseCount == 0 ? null : NetSpend / PurchaseCount;

    /// <summary>Gets the purchase totals of the configured windows (e.g. the last 90 days and the 90 before), in configuration order.</summary>
    public ImmutableArray<WindowTotals> Windows { get; init; } = [];

    /// <summary>Gets the mean time between consecutive purchases, or <see langword="null"/> with fewer than two purchases.</summary>
    public Duration? MeanGap { get; init; }

    /// <summary>Gets the median time between consecutive purchases, or <see langword="null"/> with fewer than two purchases.</summary>
    public Duration? MedianGap { get; init; }

    /// <summary>Gets the number of interactions of each kind; kinds without interactions are absent.</summary>
    public ImmutableDictionary<InteractionKind, int> InteractionsByKind { get; init; } = ImmutableDictionary<InteractionKind, int>.Empty;

    /// <summary>Gets the last interaction of any kind, if any.</summary>
    public Instant? LastInteractionAt { get; init; }

    /// <summary>Gets the number of complaints (interactions of kind <see cref="InteractionKind.Complaint"/>).</summary>
    public int Complaints => InteractionsByKind.TryGetValue(InteractionKind.Complaint, out var n) ? n : 0;

    /// <summary>Gets the mean satisfaction score (1..5) of the interactions that carry one, if any.</summary>
    public double? MeanSatisfaction { get; init; }

    /// <summary>Gets the most recent NPS answer (0..10), if any.</summary>
    public int? LastNps { get; init; }

    /// <summary>Gets the number of referrals this customer made.</summary>
    public int ReferralsMade { get; init; }

    /// <summary>Gets a value indicating whether the customer made at least one purchase.</summary>
    public bool HasPurchases => PurchaseCount > 0;

    /// <summary>Gets the total number of interactions of all kinds.</summary>
    public int InteractionCount => InteractionsByKind.Values.Sum();

    /// <summary>Gets the whole days from the last purchase to <see cref="AsOf"/> (0 on the same day), or <see langword="null"/> without purchases.</summary>
    /// <param name="zone">The time zone that defines calendar days; <see cref="DateTimeZone.Utc"/> when <see langword="null"/>.</param>
    /// <returns>The recency in days.</returns>
    public int? RecencyDays(DateTimeZone? zone = null) => LastPurchaseAt is { } last ? DaysBetween(last, AsOf, zone) : null;

    /// <summary>Gets the whole calendar days from one instant to another in a zone (0 on the same day).</summary>
    /// <param name="from">The earlier instant.</param>
    /// <param name="to">The later instant.</param>
    /// <param name="zone">The time zone that defines calendar days; <see cref="DateTimeZone.Utc"/> when <see langword="null"/>.</param>
    /// <returns>The number of days; negative when <paramref name="to"/> is on an earlier day.</returns>
    public static int DaysBetween(Instant from, Instant to, DateTimeZone? zone = null)
    {
        zone ??= DateTimeZone.Utc;
        return Period.DaysBetween(from.InZone(zone).Date, to.InZone(zone).Date);
    }
}

/// <summary>Purchase totals in one window of an <see cref="ActivitySummary"/>: the half-open range [<see cref="From"/>, <see cref="To"/>).</summary>
/// <param name="Name">The window's name from its configuration, e.g. <c>last90</c>.</param>
/// <param name="From">The first instant included.</param>
/// <param name="To">The first instant excluded.</param>
/// <param name="PurchaseCount">Purchases in the window.</param>
/// <param name="NetSpend">Purchase amounts minus refunds made in the window.</param>
public readonly record struct WindowTotals(string Name, Instant From, Instant To, int PurchaseCount, decimal NetSpend);
