using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using NodaTime;
using static CustomerSegmentation.Tests.Scoring.RfmTestData;

namespace CustomerSegmentation.Tests.Scoring;

public class RfmScorerTests
{
    private static Dictionary<string, RfmCustomerScore> ById(RfmResult result) => result.Customers.ToDictionary(c => c.CustomerId.Value);

    [Fact]
    public void Score_WorkedExample_CutPointsAsComputedByHand()
    {
        var result = new RfmScorer().Score(WorkedExample(), AsOf);

        // N = 10 scored, k = 5: cut point s sits at position ceil(2s) - 1 = 1, 3, 5, 7 of the values sorted worst to best
        Assert.Equal([120m, 60m, 10m, 5m], result.Scale.Recency.Values.ToArray());
        Assert.Equal([1m, 2m, 4m, 8m], result.Scale.Frequency.Values.ToArray());
        Assert.Equal([50m, 200m, 300m, 500m], result.Scale.Monetary.Values.ToArray());
        Assert.All([result.Scale.Recency, result.Scale.Frequency, result.Scale.Monetary], c => Assert.Equal(RfmBinning.Quantile, c.Binning));
        Assert.Equal(10, result.ScoredCount);
        Assert.Equal(1, result.UnscoredCount);
    }

    [Theory]
    [InlineData("A", "555", "Champions")]
    [InlineData("B", "545", "Champions")]
    [InlineData("C", "444", "Champions")]
    [InlineData("D", "344", "Loyal Customers")]
    [InlineData("E", "333", "Loyal Customers")]
    [InlineData("F", "333", "Loyal Customers")]
    [InlineData("G", "222", "Need Attention")]
    [InlineData("H", "212", "About To Sleep")]
    [InlineData("I", "111", "Lost")]
    [InlineData("J", "111", "Lost")]
    public void Score_WorkedExample_CodesAndSegmentsAsComputedByHand(string id, string code, string segment)
    {
        var c = ById(new RfmScorer().Score(WorkedExample(), AsOf))[id];

        Assert.Equal(RfmStatus.Scored, c.Status);
        Assert.Equal(code, c.Code);
        Assert.Equal(segment, c.Segment);
        Assert.Equal(segment, c.SegmentDisplayName);
    }

    [Fact]
    public void Score_Ties_EqualValuesGetEqualScores()
    {
        var c = ById(new RfmScorer().Score(WorkedExample(), AsOf));

        Assert.Equal(c["D"].R, c["E"].R);   // both 10 days
        Assert.Equal(3, c["D"].R);
        Assert.Equal(c["B"].F, c["C"].F);   // both 8 purchases
        Assert.Equal(4, c["B"].F);
        Assert.Equal(c["C"].M, c["D"].M);   // both 500 net
        Assert.Equal(4, c["C"].M);
    }

    [Fact]
    public void Score_Refunds_MonetaryIsNetSpend()
    {
        var c = ById(new RfmScorer().Score(WorkedExample(), AsOf));

        Assert.Equal(250m, c["F"].MonetaryValue);   // 300 gross - 50 refunded
        Assert.Equal(3, c["F"].M);
        Assert.Equal(0m, c["J"].MonetaryValue);     // fully refunded: still one purchase, zero net
        Assert.Equal(1, c["J"].FrequencyValue);
        Assert.Equal(1, c["J"].M);
    }

    [Fact]
    public void Score_CustomerWithoutPurchases_NotScoredAndSaysSo()
    {
        var k = ById(new RfmScorer().Score(WorkedExample(), AsOf))["K"];

        Assert.Equal(RfmStatus.NoPurchases, k.Status);
        Assert.False(k.IsScored);
        Assert.Null(k.R);
        Assert.Null(k.F);
        Assert.Null(k.M);
        Assert.Null(k.Code);
        Assert.Null(k.WeightedScore);
        Assert.Null(k.Segment);
        Assert.Contains("no purchases", k.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_WithoutPurchaserCustomers_DoNotChangeCutPoints()
    {
        var all = new RfmScorer().Score(WorkedExample(), AsOf);
        var buyers = new RfmScorer().Score(WorkedExample().Where(s => s.HasPurchases).ToList(), AsOf);

        Assert.Equal(all.Scale.Recency.Values.ToArray(), buyers.Scale.Recency.Values.ToArray());
        Assert.Equal(all.Customers.Where(c => c.IsScored).Select(c => c.Code), buyers.Customers.Select(c => c.Code));
    }

    [Fact]
    public void Score_PopulationOfOne_ScoresOneEverywhere()
    {
        var result = new RfmScorer().Score([Summary("solo", 3, 2, 100m)], AsOf);

        var solo = Assert.Single(result.Customers);
        Assert.Equal("111", solo.Code);                 // better than none of the 1 customer: 1 + floor(5 * 0 / 1)
        Assert.Equal("Lost", solo.Segment);
        Assert.Equal([3m, 3m, 3m, 3m], result.Scale.Recency.Values.ToArray());
    }

    [Fact]
    public void Score_NobodyWithPurchases_EmptyCutPoints()
    {
        var result = new RfmScorer().Score([Summary("x", null), Summary("y", null)], AsOf);

        Assert.Equal(0, result.ScoredCount);
        Assert.Empty(result.Scale.Recency.Values.ToArray());
        Assert.All(result.Customers, c => Assert.Equal(RfmStatus.NoPurchases, c.Status));
    }

    [Fact]
    public void Score_EmptyPopulation_EmptyResult()
    {
        var result = new RfmScorer().Score(Array.Empty<ActivitySummary>(), AsOf);

        Assert.Empty(result.Customers);
    }

    [Fact]
    public void Score_Weights_WeightedMean()
    {
        var equal = ById(new RfmScorer().Score(WorkedExample(), AsOf));
        var weighted = ById(new RfmScorer(new RfmOptions { Weights = new RfmWeights(2m, 1m, 1m) }).Score(WorkedExample(), AsOf));

        Assert.Equal(14m / 3m, equal["B"].WeightedScore);   // (5 + 4 + 5) / 3
        Assert.Equal(4.75m, weighted["B"].WeightedScore);    // (2*5 + 4 + 5) / 4
        Assert.Equal(5m, weighted["A"].WeightedScore);
    }

    [Fact]
    public void Score_DistinctDays_UsesDaysNotOrders()
    {
        List<ActivitySummary> population = [Summary("X", 1, 3, 30m, distinctDays: 1), Summary("Y", 1, 2, 30m, distinctDays: 2)];

        var byCount = ById(new RfmScorer().Score(population, AsOf));
        var byDays = ById(new RfmScorer(new RfmOptions { Frequency = RfmFrequencyMeasure.DistinctPurchaseDays }).Score(population, AsOf));

        // N = 2, k = 5: cut positions ceil(2s/5) - 1 = 0, 0, 1, 1; the better of two scores 1 + floor(5 * 1 / 2) = 3
        Assert.Equal((3, 1), (byCount["X"].F, byCount["Y"].F));
        Assert.Equal((1, 3), (byDays["X"].F, byDays["Y"].F));
    }

    [Fact]
    public void Score_AverageSpend_UsesSpendPerPurchase()
    {
        List<ActivitySummary> population = [Summary("X", 1, 10, 100m), Summary("Y", 1, 1, 50m)];

        var byAverage = ById(new RfmScorer(new RfmOptions { Monetary = RfmMonetaryMeasure.AverageSpend }).Score(population, AsOf));

        Assert.Equal(10m, byAverage["X"].MonetaryValue);
        Assert.Equal((1, 3), (byAverage["X"].M, byAverage["Y"].M));
    }

    [Theory]
    [InlineData(30, 5)]
    [InlineData(31, 4)]
    [InlineData(90, 4)]
    [InlineData(365, 2)]
    [InlineData(366, 1)]
    public void Score_FixedRecencyThresholds_InclusiveDays(int days, int expected)
    {
        var scorer = new RfmScorer(new RfmOptions { RecencyThresholds = [365m, 180m, 90m, 30m] });

        var result = scorer.Score([Summary("x", days, 1, 10m)], AsOf);

        Assert.Equal(expected, result.Customers[0].R);
        Assert.Equal(RfmBinning.Fixed, result.Scale.Recency.Binning);
        Assert.Equal([365m, 180m, 90m, 30m], result.Scale.Recency.Values.ToArray());
        Assert.Equal(RfmBinning.Quantile, result.Scale.Frequency.Binning);
    }

    [Theory]
    [InlineData(1, 99, 1, 1)]
    [InlineData(2, 100, 2, 2)]
    [InlineData(16, 5000, 5, 5)]
    [InlineData(15, 4999.99, 4, 4)]
    public void Score_FixedFrequencyAndMonetaryThresholds_AtLeast(int purchases, double spend, int f, int m)
    {
        var scorer = new RfmScorer(new RfmOptions { FrequencyThresholds = [2m, 4m, 8m, 16m], MonetaryThresholds = [100m, 500m, 1000m, 5000m] });

        var c = scorer.Score([Summary("x", 1, purchases, (decimal)spend)], AsOf).Customers[0];

        Assert.Equal((f, m), (c.F, c.M));
    }

    [Fact]
    public void Score_Window_UsesWindowTotals()
    {
        var summarizer = new ActivitySummarizer(new ActivitySummaryOptions { Windows = [SummaryWindow.LastDays("last90", 90)] });
        var x = new CustomerId("X");
        var y = new CustomerId("Y");
        List<ActivityRecord> records =
        [
            new Purchase(x, AsOf - Duration.FromDays(200), Money.Of(1000m, "CNY")),
            new Purchase(x, AsOf - Duration.FromDays(10), Money.Of(10m, "CNY")),
            new Purchase(y, AsOf - Duration.FromDays(20), Money.Of(100m, "CNY")),
            new Purchase(y, AsOf - Duration.FromDays(30), Money.Of(100m, "CNY")),
        ];
        var population = summarizer.SummarizeAll(records, AsOf).ToList();

        var all = ById(new RfmScorer().Score(population, AsOf));
        var windowed = ById(new RfmScorer(new RfmOptions { Window = "last90" }).Score(population, AsOf));

        Assert.Equal(1010m, all["X"].MonetaryValue);
        Assert.Equal(10m, windowed["X"].MonetaryValue);
        Assert.Equal((1, 3), (windowed["X"].M, windowed["Y"].M));
        Assert.Contains("window 'last90'", windowed["X"].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MissingWindow_Throws()
    {
        var scorer = new RfmScorer(new RfmOptions { Window = "last90" });

        Assert.Throws<ArgumentException>(() => scorer.Score(WorkedExample(), AsOf));
    }

    [Fact]
    public void Score_DisplayNames_MappedWithoutCode()
    {
        var options = new RfmOptions
        {
            SegmentDisplayNames = ImmutableDictionary<string, string>.Empty.Add("Champions", "重要价值客户").Add("Lost", "流失客户"),
        };

        var c = ById(new RfmScorer(options).Score(WorkedExample(), AsOf));

        Assert.Equal("Champions", c["A"].Segment);
        Assert.Equal("重要价值客户", c["A"].SegmentDisplayName);
        Assert.Equal("流失客户", c["I"].SegmentDisplayName);
        Assert.Equal("Loyal Customers", c["D"].SegmentDisplayName);  // not mapped: the name itself
    }

    [Fact]
    public void Score_Explanation_NamesFiguresCutPointsAndRow()
    {
        var b = ById(new RfmScorer().Score(WorkedExample(), AsOf))["B"];

        Assert.Contains("R=5 from recency 2 days", b.Explanation, StringComparison.Ordinal);
        Assert.Contains("[120, 60, 10, 5]", b.Explanation, StringComparison.Ordinal);
        Assert.Contains("F=4 from purchases 8", b.Explanation, StringComparison.Ordinal);
        Assert.Contains("M=5 from net spend 800", b.Explanation, StringComparison.Ordinal);
        Assert.Contains("code 545", b.Explanation, StringComparison.Ordinal);
        Assert.Contains("segment 'Champions' by row 1", b.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_TenBins_CodeSeparated()
    {
        var population = Enumerable.Range(1, 20).Select(i => Summary("c" + i, i, i, i * 10m)).ToList();

        var result = new RfmScorer(new RfmOptions { Bins = 10 }).Score(population, AsOf);

        Assert.Equal("10-1-1", result.Customers[0].Code);   // most recent, fewest purchases, least spend
        Assert.Equal("1-10-10", result.Customers[19].Code);
    }

    [Fact]
    public void Score_AsValueScorer_ReportsStatus()
    {
        IValueScorer scorer = new RfmScorer();

        var scores = scorer.Score(WorkedExample().Select(s => new ValueScoringInput(s)).ToList(), AsOf);

        Assert.Equal("rfm", scores[0].Scorer);
        Assert.True(scores[0].IsScored);
        Assert.Equal(5m, scores[0].Value);
        Assert.Equal("555 Champions", scores[0].Label);
        Assert.False(scores[10].IsScored);
        Assert.Null(scores[10].Value);
        Assert.Contains("no purchases", scores[10].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_Misuse_Throws()
    {
        var scorer = new RfmScorer();

        Assert.Throws<ArgumentException>(() => scorer.Score([Summary("A", 1, 1, 1m), Summary("A", 2, 1, 1m)], AsOf));
        Assert.Throws<ArgumentException>(() => scorer.Score([Summary("A", 1, 1, 1m)], AsOf + Duration.FromDays(1)));
        Assert.Throws<ArgumentNullException>(() => scorer.Score((IReadOnlyList<ActivitySummary>)null!, AsOf));
    }

    public static TheoryData<RfmOptions, string> BadOptions => new()
    {
        { new RfmOptions { Bins = 1 }, "RfmOptions.Bins" },
        { new RfmOptions { Bins = 11 }, "RfmOptions.Bins" },
        { new RfmOptions { RecencyThresholds = [30m, 90m, 180m, 365m] }, "RfmOptions.RecencyThresholds" },
        { new RfmOptions { FrequencyThresholds = [1m, 2m, 3m] }, "RfmOptions.FrequencyThresholds" },
        { new RfmOptions { MonetaryThresholds = [1m, 2m, 2m, 3m] }, "RfmOptions.MonetaryThresholds" },
        { new RfmOptions { Weights = new RfmWeights(-1m, 1m, 1m) }, "RfmOptions.Weights" },
        { new RfmOptions { Weights = new RfmWeights(0m, 0m, 0m) }, "RfmOptions.Weights" },
        { new RfmOptions { Window = "last90", Frequency = RfmFrequencyMeasure.DistinctPurchaseDays }, "RfmOptions.Frequency" },
        { new RfmOptions { Frequency = (RfmFrequencyMeasure)7 }, "RfmOptions.Frequency" },
        { new RfmOptions { Window = " " }, "RfmOptions.Window" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadOptions_ThrowsNamingSetting(RfmOptions options, string setting)
    {
        var e = Assert.Throws<ScoringConfigurationException>(() => new RfmScorer(options));

        Assert.Equal(setting, e.Setting);
    }

    [Fact]
    public void Score_RecencyCountsCalendarDaysInZone()
    {
        var zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var s = Summary("z", 0, 1, 1m) with { LastPurchaseAt = AsOf - Duration.FromHours(1) }; // 30 Jun 23:00 UTC = 1 Jul 07:00 Shanghai

        var utc = new RfmScorer().Score([s], AsOf).Customers[0];
        var local = new RfmScorer(new RfmOptions { Zone = zone }).Score([s], AsOf).Customers[0];

        Assert.Equal(1, utc.RecencyDays);
        Assert.Equal(0, local.RecencyDays);
    }
}
