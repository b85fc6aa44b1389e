using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using NodaTime;

namespace CustomerSegmentation.Tests.Activity;

public class ActivitySummarizerTests
{
    private static readonly CustomerId C1 = new("C1");
    private static readonly Instant AsOf = Instant.FromUtc(2026, 6, 30, 12, 0);

    private static Purchase Buy(int y, int mo, int d, int h, decimal amount, string? order = null, string currency = "CNY") =>
        new(C1, Instant.FromUtc(y, mo, d, h, 0), Money.Of(amount, currency), order);

    /// <summary>The worked example of docs/scoring.md ("Activity summary").</summary>
    internal static List<ActivityRecord> WorkedExample() =>
    [
        Buy(2026, 1, 10, 10, 100m, "A"),
        Buy(2026, 4, 1, 9, 200m, "B"),
        Buy(2026, 4, 1, 20, 50m, "C"),
        Buy(2026, 6, 20, 8, 150m, "D"),
        Buy(2026, 6, 25, 8, -30m, "B"),        // refund of a known order
        Buy(2026, 5, 1, 8, -20m),              // refund whose order is unknown
        Buy(2026, 7, 5, 8, 999m, "E"),         // after the as-of instant: ignored
        new Interaction(C1, InteractionKind.Call, Instant.FromUtc(2026, 3, 1, 9, 0), satisfaction: 4),
        new Interaction(C1, InteractionKind.Complaint, Instant.FromUtc(2026, 6, 1, 9, 0), satisfaction: 2),
        new Interaction(C1, InteractionKind.Survey, Instant.FromUtc(2026, 6, 15, 9, 0), nps: 6),
        new Interaction(C1, InteractionKind.Survey, Instant.FromUtc(2026, 6, 10, 9, 0), nps: 9),
        new Interaction(C1, InteractionKind.Email, Instant.FromUtc(2026, 7, 1, 9, 0), nps: 10), // after as-of
        new Referral(C1, new CustomerId("C2"), Instant.FromUtc(2026, 2, 1, 9, 0)),
    ];

    private static ActivitySummarizer WithWindows(DateTimeZone? zone = null) => new(new ActivitySummaryOptions
    {
        Windows = [new SummaryWindow("last90", Duration.FromDays(90)), new SummaryWindow("prev90", Duration.FromDays(90), Duration.FromDays(90))],
        Zone = zone ?? DateTimeZone.Utc,
    });

    [Fact]
    public void Summarize_WorkedExample_FillsPurchaseFields()
    {
        var s = WithWindows().Summarize(C1, WorkedExample(), AsOf);

        Assert.Equal(C1, s.CustomerId);
        Assert.Equal(AsOf, s.AsOf);
        Assert.Equal(Currency.Cny, s.Currency);
        Assert.Equal(4, s.PurchaseCount);
        Assert.Equal(Instant.FromUtc(2026, 1, 10, 10, 0), s.FirstPurchaseAt);
        Assert.Equal(Instant.FromUtc(2026, 6, 20, 8, 0), s.LastPurchaseAt);
        Assert.Equal(3, s.DistinctPurchaseDays); // 10 Jan, 1 Apr (twice), 20 Jun in UTC
        Assert.Equal(500m, s.GrossSpend);
        Assert.Equal(50m, s.RefundTotal);        // 30 of order B + 20 of an unknown order
        Assert.Equal(450m, s.NetSpend);
        Assert.Equal(112.5m, s.AverageSpend);
        Assert.Equal(10, s.RecencyDays());
    }

    [Fact]
    public void Summarize_WorkedExample_FillsGaps()
    {
        var s = WithWindows().Summarize(C1, WorkedExample(), AsOf);

        // gaps 80d23h, 11h, 79d12h; median 79d12h; mean (161 days - 2 h) / 3 = 1287 h 20 min
        Assert.Equal(Duration.FromDays(79) + Duration.FromHours(12), s.MedianGap);
        Assert.Equal(Duration.FromMinutes(77240), s.MeanGap);
    }

    [Fact]
    public void Summarize_WorkedExample_FillsWindows()
    {
        var s = WithWindows().Summarize(C1, WorkedExample(), AsOf);

        Assert.Equal(2, s.Windows.Length);
        var last = s.Windows[0];
        Assert.Equal("last90", last.Name);
        Assert.Equal(Instant.FromUtc(2026, 4, 1, 12, 0), last.From);
        Assert.Equal(AsOf + Duration.Epsilon, last.To);
        Assert.Equal(2, last.PurchaseCount);     // 1 Apr 20:00 and 20 Jun
        Assert.Equal(150m, last.NetSpend);       // 50 + 150 - 30 - 20
        var prev = s.Windows[1];
        Assert.Equal("prev90", prev.Name);
        Assert.Equal(Instant.FromUtc(2026, 1, 1, 12, 0), prev.From);
        Assert.Equal(Instant.FromUtc(2026, 4, 1, 12, 0), prev.To);
        Assert.Equal(2, prev.PurchaseCount);     // 10 Jan and 1 Apr 09:00
        Assert.Equal(300m, prev.NetSpend);
    }

    [Fact]
    public void Summarize_WorkedExample_FillsInteractionsAndReferrals()
    {
        var s = WithWindows().Summarize(C1, WorkedExample(), AsOf);

        Assert.Equal(1, s.InteractionsByKind[InteractionKind.Call]);
        Assert.Equal(1, s.InteractionsByKind[InteractionKind.Complaint]);
        Assert.Equal(2, s.InteractionsByKind[InteractionKind.Survey]);
        Assert.False(s.InteractionsByKind.ContainsKey(InteractionKind.Email));
        Assert.Equal(1, s.Complaints);
        Assert.Equal(4, s.InteractionCount);
        Assert.Equal(Instant.FromUtc(2026, 6, 15, 9, 0), s.LastInteractionAt);
        Assert.Equal(3.0, s.MeanSatisfaction);
        Assert.Equal(6, s.LastNps);              // 15 Jun is the latest answer; the 1 Jul one is after as-of
        Assert.Equal(1, s.ReferralsMade);
    }

    [Fact]
    public void Summarize_ZoneShanghai_CountsLocalDays()
    {
        var s = WithWindows(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Summarize(C1, WorkedExample(), AsOf);

        Assert.Equal(4, s.DistinctPurchaseDays); // 1 Apr 20:00 UTC is 2 Apr in Shanghai
    }

    [Fact]
    public void Summarize_InputOrder_DoesNotMatter()
    {
        var records = WorkedExample();
        var forward = WithWindows().Summarize(C1, records, AsOf);
        records.Reverse();
        var backward = WithWindows().Summarize(C1, records, AsOf);

        Assert.Equal(Key(forward), Key(backward));
        Assert.Equal(forward.InteractionsByKind.OrderBy(p => p.Key), backward.InteractionsByKind.OrderBy(p => p.Key));
        Assert.Equal(forward.Windows.ToArray(), backward.Windows.ToArray());
    }

    internal static object Key(ActivitySummary s) => (s.CustomerId, s.AsOf, s.Currency, s.FirstPurchaseAt, s.LastPurchaseAt, s.PurchaseCount, s.DistinctPurchaseDays,
        s.GrossSpend, s.RefundTotal, (s.MeanGap, s.MedianGap, s.LastInteractionAt, s.MeanSatisfaction, s.LastNps, s.ReferralsMade, s.InteractionCount));

    [Fact]
    public void Summarize_OnlyRefunds_NoPurchasesButRefundTotal()
    {
        var s = new ActivitySummarizer().Summarize(C1, [Buy(2026, 5, 1, 8, -20m, "X")], AsOf);

        Assert.False(s.HasPurchases);
        Assert.Null(s.LastPurchaseAt);
        Assert.Null(s.AverageSpend);
        Assert.Equal(20m, s.RefundTotal);
        Assert.Equal(-20m, s.NetSpend);
        Assert.Null(s.RecencyDays());
    }

    [Fact]
    public void Summarize_NoRecords_EmptySummary()
    {
        var s = new ActivitySummarizer().Summarize(C1, [], AsOf);

        Assert.False(s.HasPurchases);
        Assert.Null(s.Currency);
        Assert.Equal(0, s.InteractionCount);
        Assert.Null(s.MeanGap);
        Assert.Null(s.LastNps);
        Assert.Null(s.MeanSatisfaction);
    }

    [Fact]
    public void Summarize_RecordAtAsOf_IsIncludedInLastWindow()
    {
        var at = new Purchase(C1, AsOf, Money.Of(10m, "CNY"));
        var s = WithWindows().Summarize(C1, [at], AsOf);

        Assert.Equal(1, s.PurchaseCount);
        Assert.Equal(1, s.Windows[0].PurchaseCount);
        Assert.Equal(0, s.Windows[1].PurchaseCount);
    }

    [Fact]
    public void Summarize_SeveralCurrenciesWithoutConverter_ThrowsNamingCustomerAndCurrencies()
    {
        List<ActivityRecord> records = [Buy(2026, 1, 10, 10, 100m), Buy(2026, 2, 10, 10, 30m, currency: "USD"), Buy(2026, 3, 10, 10, 5m, currency: "EUR")];

        var e = Assert.Throws<MixedCurrencyException>(() => new ActivitySummarizer().Summarize(C1, records, AsOf));

        Assert.Equal(C1, e.CustomerId);
        Assert.Equal([Currency.Cny, Currency.Eur, Currency.Usd], e.Currencies.ToArray());
        Assert.Contains("C1", e.Message, StringComparison.Ordinal);
        Assert.Contains("CNY, EUR, USD", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_OtherCurrencyAfterAsOf_IsIgnored()
    {
        var s = new ActivitySummarizer().Summarize(C1, [Buy(2026, 1, 10, 10, 100m), Buy(2026, 8, 1, 10, 30m, currency: "USD")], AsOf);

        Assert.Equal(100m, s.GrossSpend);
        Assert.Equal(Currency.Cny, s.Currency);
    }

    private sealed class FixedRates : ICurrencyConverter
    {
        public decimal Convert(Money amount, Currency target, Instant at) =>
            amount.Currency == Currency.Usd && target == Currency.Cny ? amount.Amount * 7m : throw new InvalidOperationException("no rate");
    }

    [Fact]
    public void Summarize_SeveralCurrenciesWithConverter_ConvertsToReportingCurrency()
    {
        var summarizer = new ActivitySummarizer(new ActivitySummaryOptions { CurrencyConverter = new FixedRates(), ReportingCurrency = Currency.Cny });

        var s = summarizer.Summarize(C1, [Buy(2026, 1, 10, 10, 100m), Buy(2026, 2, 10, 10, 30m, currency: "USD"), Buy(2026, 3, 1, 10, -10m, currency: "USD")], AsOf);

        Assert.Equal(Currency.Cny, s.Currency);
        Assert.Equal(310m, s.GrossSpend);
        Assert.Equal(70m, s.RefundTotal);
        Assert.Equal(240m, s.NetSpend);
    }

    [Fact]
    public void Summarize_RecordOfAnotherCustomer_Throws()
    {
        var other = new Purchase(new CustomerId("C9"), AsOf, Money.Of(1m, "CNY"));

        Assert.Throws<ArgumentException>(() => new ActivitySummarizer().Summarize(C1, [other], AsOf));
        Assert.Throws<ArgumentException>(() => new ActivitySummarizer().Summarize(default, [], AsOf));
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsConfigurationException()
    {
        var duplicate = new ActivitySummaryOptions { Windows = [SummaryWindow.LastDays("w", 30), SummaryWindow.LastDays("w", 60)] };
        Assert.Equal("ActivitySummaryOptions.Windows", Assert.Throws<ScoringConfigurationException>(() => new ActivitySummarizer(duplicate)).Setting);

        var noTarget = new ActivitySummaryOptions { CurrencyConverter = new FixedRates() };
        Assert.Equal("ActivitySummaryOptions.ReportingCurrency", Assert.Throws<ScoringConfigurationException>(() => new ActivitySummarizer(noTarget)).Setting);
    }

    [Fact]
    public void SummaryWindow_Consecutive_TilesBackFromAsOf()
    {
        var windows = SummaryWindow.Consecutive("q", Duration.FromDays(90), 3);

        Assert.Equal(["q0", "q1", "q2"], windows.Select(w => w.Name));
        Assert.Equal(windows[0].FromFor(AsOf), windows[1].ToFor(AsOf));
        Assert.Equal(windows[1].FromFor(AsOf), windows[2].ToFor(AsOf));
        Assert.Equal(AsOf - Duration.FromDays(270), windows[2].FromFor(AsOf));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SummaryWindow("x", Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SummaryWindow("x", Duration.FromDays(1), Duration.FromDays(-1)));
    }
}
