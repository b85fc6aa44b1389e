using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Storage.TestSupport;

/// <summary>Test data and comparisons shared by the SQL store tests (linked into both test projects).</summary>
internal static class StoreTestData
{
    /// <summary>The CDNOW sample purchases (2 357 customers, 6 919 rows) as purchases at UTC midnight in USD.</summary>
    public static IReadOnlyList<Purchase> Cdnow { get; } = LoadCdnow();

    /// <summary>The CDNOW rows as (id, day, amount).</summary>
    public static IReadOnlyList<(CustomerId Id, LocalDate Day, decimal Amount)> CdnowRows { get; } =
        [.. Cdnow.Select(p => (p.CustomerId, p.At.InUtc().Date, p.Amount.Amount))];

    /// <summary>Asserts two summaries are equal field by field (windows and interaction counts by content).</summary>
    public static void Equal(ActivitySummary expected, ActivitySummary actual)
    {
        var id = expected.CustomerId.Value;
        Assert.Equal(expected.CustomerId, actual.CustomerId);
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.True(expected.Currency == actual.Currency, $"{id}: currency {expected.Currency} vs {actual.Currency}");
        Assert.True(expected.FirstPurchaseAt == actual.FirstPurchaseAt, $"{id}: first {expected.FirstPurchaseAt} vs {actual.FirstPurchaseAt}");
        Assert.True(expected.LastPurchaseAt == actual.LastPurchaseAt, $"{id}: last {expected.LastPurchaseAt} vs {actual.LastPurchaseAt}");
        Assert.True(expected.PurchaseCount == actual.PurchaseCount, $"{id}: count {expected.PurchaseCount} vs {actual.PurchaseCount}");
        Assert.True(expected.DistinctPurchaseDays == actual.DistinctPurchaseDays, $"{id}: days {expected.DistinctPurchaseDays} vs {actual.DistinctPurchaseDays}");
        Assert.True(expected.GrossSpend == actual.GrossSpend, $"{id}: gross {expected.GrossSpend} vs {actual.GrossSpend}");
        Assert.True(expected.RefundTotal == actual.RefundTotal, $"{id}: refunds {expected.RefundTotal} vs {actual.RefundTotal}");
        Assert.Equal(expected.Windows.AsEnumerable(), actual.Windows.AsEnumerable());
        Assert.True(expected.MeanGap == actual.MeanGap, $"{id}: mean gap {expected.MeanGap} vs {actual.MeanGap}");
        Assert.True(expected.MedianGap == actual.MedianGap, $"{id}: median gap {expected.MedianGap} vs {actual.MedianGap}");
        Assert.Equal(expected.InteractionsByKind.OrderBy(p => p.Key), actual.InteractionsByKind.OrderBy(p => p.Key));
        Assert.True(expected.LastInteractionAt == actual.LastInteractionAt, $"{id}: last interaction {expected.LastInteractionAt} vs {actual.LastInteractionAt}");
        Assert.True(expected.MeanSatisfaction == actual.MeanSatisfaction, $"{id}: satisfaction {expected.MeanSatisfaction} vs {actual.MeanSatisfaction}");
        Assert.True(expected.LastNps == actual.LastNps, $"{id}: nps {expected.LastNps} vs {actual.LastNps}");
        Assert.True(expected.ReferralsMade == actual.ReferralsMade, $"{id}: referrals {expected.ReferralsMade} vs {actual.ReferralsMade}");
    }

    /// <summary>Summary options with windows that start, end and overlap around the as-of instant.</summary>
    public static ActivitySummaryOptions WindowOptions { get; } = new()
    {
        Windows =
        [
            SummaryWindow.LastDays("last30", 30),
            new SummaryWindow("prior60", Duration.FromDays(60), Duration.FromDays(30)),
            new SummaryWindow("year", Duration.FromDays(365)),
        ],
    };

    private static List<Purchase> LoadCdnow()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "cdnow_sample_transactions.csv");
        var list = new List<Purchase>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            var day = LocalDate.FromDateTime(DateTime.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture));
            list.Add(new Purchase(new CustomerId(f[0]), day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), new Money(decimal.Parse(f[2], CultureInfo.InvariantCulture), Currency.Usd)));
        }

        return list;
    }
}
