using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tests.Scoring;

internal static class RfmTestData
{
    public static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 0, 0);

    /// <summary>A summary with the given recency (days), purchases and spend; <paramref name="recencyDays"/> null means no purchases.</summary>
    public static ActivitySummary Summary(string id, int? recencyDays, int purchases = 0, decimal gross = 0m, decimal refunds = 0m, int? distinctDays = null) => new()
    {
        CustomerId = new CustomerId(id),
        AsOf = AsOf,
        Currency = recencyDays is null && refunds == 0 ? null : Currency.Cny,
        LastPurchaseAt = recencyDays is { } d ? AsOf - Duration.FromDays(d) : null,
        FirstPurchaseAt = recencyDays is { } d2 ? AsOf - Duration.FromDays(d2 + purchases) : null,
        PurchaseCount = recencyDays is null ? 0 : purchases,
        DistinctPurchaseDays = recencyDays is null ? 0 : distinctDays ?? purchases,
        GrossSpend = gross,
        RefundTotal = refunds,
    };

    /// <summary>The worked example of docs/scoring.md ("RFM"): ten customers with purchases and one without.</summary>
    public static List<ActivitySummary> WorkedExample() =>
    [
        Summary("A", 1, 10, 1000m),
        Summary("B", 2, 8, 800m),
        Summary("C", 5, 8, 500m),
        Summary("D", 10, 5, 500m),
        Summary("E", 10, 4, 300m),
        Summary("F", 30, 3, 300m, refunds: 50m),
        Summary("G", 60, 2, 200m),
        Summary("H", 90, 1, 100m),
        Summary("I", 120, 1, 50m),
        Summary("J", 365, 1, 40m, refunds: 40m),
        Summary("K", null),
    ];
}
