using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using NodaTime;
using static CustomerSegmentation.Tests.Churn.ChurnTestData;

namespace CustomerSegmentation.Tests.Churn;

public class ChurnAssessorTests
{
    private const string Json = """
        {
          // comments and trailing commas are allowed
          "combination": "weightedMean",
          "levels": { "medium": 0.3, "high": 0.5, "critical": 0.8 },
          "rules": [
            { "type": "inactivity", "weight": 3, "startMultiple": 1, "halfMultiple": 2, "populationQuantile": 0.5, "defaultGapDays": 60, "priorGaps": 0 },
            { "type": "fewPurchases", "weight": 1 },
            { "type": "frequencyDrop", "minDrop": 0.5, "recentWindow": "recent", "baselineWindows": ["baseline"], "minBaselinePurchases": 3 },
            { "type": "spendDrop", "name": "spend", "fullDrop": 0.9 },
            { "type": "engagementStop", "quietDays": 30, "fullRiskDays": 90 },
            { "type": "complaints", "windowDays": 60, "fullRiskCount": 3, "weight": 2 },
            { "type": "lowSatisfaction", "windowDays": 90, "csatThreshold": 3.5, "detractorMax": 6 },
            { "type": "tierDowngrade" },
            { "type": "lifecycleStage", "stageRisks": { "at-risk": 0.6, "sleeping": 0.8 } },
            { "type": "modelPAlive", "weight": 2, "requireRepeatPurchase": false },
          ]
        }
        """;

    [Fact]
    public void Assess_WeightedMean_IsMeanOfApplyingRules()
    {
        var set = new ChurnRuleSetBuilder().Add(new InactivityRule(priorGaps: 0), 3).Add(new ComplaintRule(), 1).Add(new TierDowngradeRule(), 5).Build();
        var s = WithPurchasesDaysAgo("c", T0, 210, 180, 150, 120);
        var a = new ChurnAssessor(set).Assess(s, T0, ChurnPopulation.Empty).GetValueOrThrow();
        var inactivity = new InactivityRule(priorGaps: 0).Evaluate(Context(s)).Risk;
        Assert.Equal(((3 * inactivity) + 0) / 4, a.Score, 12);
        Assert.False(a.Factors[2].Contribution.Applies);
        Assert.Equal(a.Score, a.Factors.Sum(f => f.Points), 12);
        Assert.Equal(ChurnRiskLevel.High, a.Level);
        Assert.Contains("no purchase for 120 days; usually buys every 30 days", a.Reasons.Single(), StringComparison.Ordinal);
        Assert.Contains("tier-downgrade not applied: no tier change known", a.Explanation, StringComparison.Ordinal);
        Assert.Contains("level High (cut-offs medium 0.2, high 0.4, critical 0.6)", a.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_NoisyOr_CombinesIndependently()
    {
        var set = new ChurnRuleSetBuilder().CombineWith(ChurnCombination.NoisyOr).Add(new ComplaintRule(), 0.5).Add(new TierDowngradeRule(), 0.8).Build();
        var s = Summarise(Id("c"), [], T0, interactions: [new Interaction(Id("c"), InteractionKind.Complaint, T0 - Duration.FromDays(1))]);
        var a = new ChurnAssessor(set).Assess(s, T0, ChurnPopulation.Empty, new ChurnSignals { Tier = new TierChange("b", "a", true) }).GetValueOrThrow();
        Assert.Equal(1 - ((1 - (0.5 * 0.5)) * (1 - 0.8)), a.Score, 12);
    }

    [Fact]
    public void Assess_NoPurchase_ScoredFromOtherSignals()
    {
        var s = Summarise(Id("lead"), [], T0);
        var a = new ChurnAssessor().Assess(s, T0, ChurnPopulation.Empty).GetValueOrThrow();
        Assert.Equal(0, a.Score);
        Assert.Equal(ChurnRiskLevel.Low, a.Level);
        Assert.Contains("inactivity not applied: no purchase yet", a.Explanation, StringComparison.Ordinal);
        Assert.Equal("historical net spend", a.ExpectedValueSource);
    }

    [Fact]
    public void Assess_SummaryWithPurchaseAfterAsOf_IsRejectedAndSaysSo()
    {
        var s = WithPurchasesDaysAgo("c", T0, 30, 3);
        var result = new ChurnAssessor().Assess(s, T0 - Duration.FromDays(10), ChurnPopulation.Empty);
        Assert.False(result.IsValid);
        Assert.Contains("after the as-of instant", result.Errors.Single(), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(result.GetValueOrThrow);
    }

    [Fact]
    public void Summarise_PurchasesAfterAsOf_AreIgnored()
    {
        // ActivitySummary's contract: "Activity after AsOf is never included"; the summariser (here the test helper) drops them.
        var purchases = new[] { (T0 - Duration.FromDays(40), 10m), (T0 - Duration.FromDays(20), 10m), (T0 + Duration.FromDays(5), 99m) };
        var withFuture = Summarise(Id("c"), purchases, T0);
        var without = Summarise(Id("c"), purchases.Take(2), T0);
        var assessor = new ChurnAssessor();
        Assert.Equal(2, withFuture.PurchaseCount);
        Assert.Equal(
            assessor.Assess(without, T0, ChurnPopulation.Empty).GetValueOrThrow().Explanation,
            assessor.Assess(withFuture, T0, ChurnPopulation.Empty).GetValueOrThrow().Explanation);
    }

    [Fact]
    public void AssessAll_ComputesPopulationFirst_AndRejectsBadSummaries()
    {
        var summaries = new[]
        {
            WithPurchasesDaysAgo("a", T0, 100, 90), WithPurchasesDaysAgo("b", T0, 100, 70), WithPurchasesDaysAgo("one", T0, 50),
            WithPurchasesDaysAgo("future", T0 + Duration.FromDays(30), 5),
        };
        var result = new ChurnAssessor().AssessAll(summaries, T0);
        Assert.Equal(2, result.Population.RepeatCustomers);
        Assert.Equal(10, result.Population.GapQuantile(0.5));
        Assert.Equal(3, result.Assessments.Length);
        Assert.Equal("future", result.Rejected.Single().CustomerId.Value);
        Assert.Contains("a single purchase, so compared with the population: 50 % quantile of 2 repeat customers' median gaps is 10 days", result.Assessments[2].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void WatchList_RankedByValueAtRisk()
    {
        var assessor = new ChurnAssessor(new ChurnRuleSetBuilder().Add(new ModelAliveRule(requireRepeatPurchase: false)).Build());
        var s = new[] { WithPurchasesDaysAgo("small", T0, 5), WithPurchasesDaysAgo("big", T0, 5), WithPurchasesDaysAgo("safe", T0, 5), WithPurchasesDaysAgo("nosignal", T0, 5) };
        var signals = new Dictionary<string, ChurnSignals>
        {
            ["small"] = new() { PAlive = 0.1, ExpectedValue = 100 },
            ["big"] = new() { PAlive = 0.5, ExpectedValue = 1000 },
            ["safe"] = new() { PAlive = 0.9, ExpectedValue = 5000 },
        };
        var all = assessor.AssessAll(s, T0, x => signals.GetValueOrDefault(x.CustomerId.Value));
        var list = ChurnWatchList.Build(all.Assessments, ChurnRiskLevel.Medium);
        Assert.Equal(["big", "small"], list.Entries.Select(e => e.CustomerId.Value));
        Assert.Equal(500m, list.Entries[0].ValueAtRisk);
        Assert.Equal(1, list.Entries[0].Rank);
        Assert.Contains("P(alive) 0.500", list.Entries[0].Reasons.Single(), StringComparison.Ordinal);
        Assert.Single(ChurnWatchList.Build(all.Assessments, ChurnRiskLevel.Medium, limit: 1).Entries);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChurnWatchList.Build(all.Assessments, limit: -1));
    }

    [Fact]
    public void FromJson_FullSchema_BuildsEveryRule()
    {
        var set = ChurnRuleSet.FromJson(Json);
        Assert.Equal(10, set.Rules.Length);
        Assert.Equal(0.8, set.Levels.Critical);
        var inactivity = Assert.IsType<InactivityRule>(set.Rules[0].Rule);
        Assert.Equal((3.0, 2.0, 60.0, 0.0), (set.Rules[0].Weight, inactivity.HalfMultiple, inactivity.DefaultGapDays, inactivity.PriorGaps));
        var freq = Assert.IsType<WindowDropRule>(set.Rules[2].Rule);
        Assert.Equal(("recent", "baseline", 3, 0.5), (freq.RecentWindow, freq.BaselineWindows.Single(), freq.MinBaselinePurchases, freq.MinDrop));
        Assert.Equal("spend", set.Rules[3].Rule.Name);
        Assert.Equal(WindowMeasure.Spend, ((WindowDropRule)set.Rules[3].Rule).Measure);
        Assert.Equal(3, ((ComplaintRule)set.Rules[5].Rule).FullRiskCount);
        Assert.Equal(3.5, ((LowSatisfactionRule)set.Rules[6].Rule).CsatThreshold);
        Assert.Equal(0.8, ((LifecycleStageRule)set.Rules[8].Rule).StageRisks["SLEEPING"]);
        Assert.False(((ModelAliveRule)set.Rules[9].Rule).RequireRepeatPurchase);
    }

    [Fact]
    public void FromJson_MinimalRuleSet_TakesDefaults()
    {
        var set = ChurnRuleSet.FromJson("""{ "rules": [ { "type": "inactivity" } ] }""");
        Assert.Equal(ChurnCombination.WeightedMean, set.Combination);
        Assert.Equal(ChurnLevelCutoffs.Default, set.Levels);
        Assert.Equal(1, set.Rules[0].Weight);
        Assert.Equal(3, ((InactivityRule)set.Rules[0].Rule).HalfMultiple);
    }

    [Theory]
    [InlineData("{", "malformed")]
    [InlineData("""{ "rules": [] }""", "at least one rule")]
    [InlineData("""{ }""", "needs a 'rules' array")]
    [InlineData("""{ "rules": [ { "type": "magic" } ] }""", "$.rules[0].type: unknown rule type 'magic'")]
    [InlineData("""{ "rules": [ { "type": "inactivity", "fullMultiple": 4 } ] }""", "$.rules[0]: unknown member 'fullMultiple'")]
    [InlineData("""{ "rules": [ { "type": "inactivity", "weight": -1 } ] }""", "weight must be positive")]
    [InlineData("""{ "combination": "noisyOr", "rules": [ { "type": "inactivity", "weight": 2 } ] }""", "at most 1 for noisy-or")]
    [InlineData("""{ "combination": "max", "rules": [ { "type": "inactivity" } ] }""", "unknown value 'max'")]
    [InlineData("""{ "levels": { "medium": 0.5, "high": 0.4 }, "rules": [ { "type": "inactivity" } ] }""", "cut-offs must satisfy")]
    [InlineData("""{ "rules": [ { "type": "complaints", "windowDays": 1.5 } ] }""", "expected a whole number")]
    [InlineData("""{ "rules": [ { "type": "complaints" }, { "type": "complaints" } ] }""", "'complaints' appears twice")]
    [InlineData("""{ "rules": [ { "type": "engagementStop", "quietDays": "x" } ] }""", "$.rules[0].quietDays: expected number")]
    public void FromJson_BadConfiguration_ThrowsWithPlace(string json, string message)
    {
        var e = Assert.Throws<ChurnConfigurationException>(() => ChurnRuleSet.FromJson(json));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Columnar_MatchesObjectPath()
    {
        var (customers, calEnd, _) = ChurnBacktestTests.Synthetic(500, seed: 5);
        var summaries = customers.Select(c => c.Calibration).ToList();
        var pAlive = summaries.ToDictionary(s => s.CustomerId, s => (s.PurchaseCount % 7) / 7.0);
        ChurnSignals Signals(ActivitySummary s) => new() { PAlive = pAlive[s.CustomerId], Tier = s.PurchaseCount % 3 == 0 ? new TierChange("a", "b", s.PurchaseCount % 2 == 0) : null };
        var objectPath = new ChurnAssessor(ChurnColumnarScorer.DefaultColumnar).AssessAll(summaries, calEnd, Signals);
        var columns = ChurnColumnBuffer.FromSummaries(summaries, calEnd, Signals);
        var scores = new float[columns.Count];
        var levels = new ChurnRiskLevel[columns.Count];
        new ChurnColumnarScorer().Score(columns, objectPath.Population, scores, levels);
        for (var i = 0; i < summaries.Count; i++)
        {
            Assert.Equal(objectPath.Assessments[i].Score, scores[i], 4);
        }

        Assert.True(levels.Zip(objectPath.Assessments).Count(p => p.First != p.Second.Level) <= 2, "levels agree up to float rounding at the cut-offs");
        Assert.Throws<ChurnConfigurationException>(() => new ChurnColumnarScorer(ChurnRuleSet.Default));
    }
}
