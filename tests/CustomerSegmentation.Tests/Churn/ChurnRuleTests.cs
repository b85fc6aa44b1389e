using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using NodaTime;
using static CustomerSegmentation.Tests.Churn.ChurnTestData;

namespace CustomerSegmentation.Tests.Churn;

public class ChurnRuleTests
{
    private static readonly InactivityRule OwnRhythm = new(priorGaps: 0);

    private static Interaction Contact(string id, int daysAgo, InteractionKind kind = InteractionKind.Call, int? csat = null, int? nps = null) =>
        new(Id(id), kind, T0 - Duration.FromDays(daysAgo), csat, nps);

    [Fact]
    public void Inactivity_OwnRhythm_ReasonCarriesFigures()
    {
        var s = WithPurchasesDaysAgo("c1", T0, 210, 180, 150, 120);
        var c = OwnRhythm.Evaluate(Context(s));
        Assert.True(c.Applies);
        Assert.StartsWith("no purchase for 120 days; usually buys every 30 days", c.Reason, StringComparison.Ordinal);
        var excess = (120 / 30.0) - 1;
        Assert.Equal(excess / (excess + 2), c.Risk, 12);
    }

    [Fact]
    public void Inactivity_WithinRhythm_NoRisk()
    {
        var s = WithPurchasesDaysAgo("c1", T0, 90, 60, 30, 20);
        Assert.Equal(0, OwnRhythm.Evaluate(Context(s)).Risk);
    }

    [Fact]
    public void Inactivity_ShrinksFewGapsTowardsPopulation()
    {
        var population = ChurnPopulation.FromGapDays([60, 60, 60]);
        var s = WithPurchasesDaysAgo("c1", T0, 130, 120);
        var c = new InactivityRule(priorGaps: 2).Evaluate(Context(s, population: population));
        // one own gap of 10 days, two prior gaps of 60: (10 + 120) / 3
        Assert.Contains("shrunk towards the population's 60 days: 43.3 days", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inactivity_OnePurchase_FallsBackToPopulationGap()
    {
        var population = ChurnPopulation.FromGapDays([10, 20, 40, 80]);
        var s = WithPurchasesDaysAgo("one", T0, 100);
        var c = OwnRhythm.Evaluate(Context(s, population: population));
        Assert.Contains("a single purchase, so compared with the population", c.Reason, StringComparison.Ordinal);
        Assert.Contains("median gaps is 20 days", c.Reason, StringComparison.Ordinal);
        Assert.Equal(OwnRhythm.Evaluate(Context(WithPurchasesDaysAgo("two", T0, 120, 100))).Risk, c.Risk, 12);
    }

    [Fact]
    public void Inactivity_OnePurchaseNoPopulation_UsesDefaultGap()
    {
        var c = new InactivityRule(defaultGapDays: 50).Evaluate(Context(WithPurchasesDaysAgo("one", T0, 100)));
        Assert.Contains("default gap of 50 days", c.Reason, StringComparison.Ordinal);
        Assert.Equal(1.0 / 3, c.Risk, 12);
    }

    [Fact]
    public void Inactivity_NoPurchase_DoesNotApply()
    {
        var c = OwnRhythm.Evaluate(Context(Summarise(Id("none"), [], T0)));
        Assert.False(c.Applies);
        Assert.Contains("no purchase yet", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inactivity_BadConfiguration_ThrowsWhenBuilt()
    {
        Assert.Throws<ChurnConfigurationException>(() => new InactivityRule(startMultiple: 2, halfMultiple: 2));
        Assert.Throws<ChurnConfigurationException>(() => new InactivityRule(populationQuantile: 0));
        Assert.Throws<ChurnConfigurationException>(() => new InactivityRule(priorGaps: -1));
        Assert.Throws<ChurnConfigurationException>(() => new InactivityRule(name: " "));
    }

    [Fact]
    public void FrequencyDrop_FewerPurchasesPerDay_RiskFromRamp()
    {
        // recent 91 days: 1 purchase; baseline 182 days: 6 purchases -> rate 1/91 vs 3/91 -> drop 2/3
        var s = WithPurchasesDaysAgo("c", T0, 260, 230, 200, 170, 140, 100, 10);
        var c = new WindowDropRule(WindowMeasure.Frequency).Evaluate(Context(s));
        Assert.Equal(((2.0 / 3) - 0.25) / 0.75, c.Risk, 12);
        Assert.Contains("1 purchases in recent vs 6 in baseline: 67 % lower per day", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SpendDrop_GrowingSpend_NoRisk()
    {
        var s = Summarise(Id("c"), [(T0 - Duration.FromDays(150), 10m), (T0 - Duration.FromDays(120), 10m), (T0 - Duration.FromDays(10), 500m)], T0);
        var c = new WindowDropRule(WindowMeasure.Spend).Evaluate(Context(s));
        Assert.True(c.Applies);
        Assert.Equal(0, c.Risk);
        Assert.Contains("higher per day", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FrequencyDrop_OneBaselinePurchaseOrNoWindows_DoesNotApply()
    {
        var rule = new WindowDropRule(WindowMeasure.Frequency);
        Assert.False(rule.Evaluate(Context(WithPurchasesDaysAgo("one", T0, 150))).Applies);
        Assert.False(rule.Evaluate(Context(Summarise(Id("none"), [], T0))).Applies);
        var noWindows = WithPurchasesDaysAgo("w", T0, 150, 120) with { Windows = [] };
        Assert.Contains("fewer than two windows", rule.Evaluate(Context(noWindows)).Reason, StringComparison.Ordinal);
        Assert.Contains("no window 'last30'", new WindowDropRule(WindowMeasure.Frequency, recentWindow: "last30").Evaluate(Context(noWindows with { Windows = WithPurchasesDaysAgo("x", T0, 1).Windows })).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EngagementStop_SummaryOnly_UsesLastInteraction()
    {
        var s = Summarise(Id("c"), [], T0, interactions: [Contact("c", 90)]);
        var c = new EngagementStopRule().Evaluate(Context(s));
        Assert.Equal((90 - 60) / 120.0, c.Risk, 12);
        Assert.Contains("no interaction for 90 days (last contact of any kind (summary)", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EngagementStop_Records_ComplaintIsNotEngagementAndFutureIgnored()
    {
        ImmutableArray<Interaction> its = [Contact("c", 200), Contact("c", 5, InteractionKind.Complaint), new Interaction(Id("c"), InteractionKind.Call, T0 + Duration.FromDays(3))];
        var s = Summarise(Id("c"), [], T0, interactions: its);
        var c = new EngagementStopRule().Evaluate(Context(s, new ChurnSignals { Interactions = its }));
        Assert.Equal(1, c.Risk);
        Assert.Contains("no interaction for 200 days (last contact other than a complaint", c.Reason, StringComparison.Ordinal);
        Assert.Contains("1 interaction after the as-of instant ignored", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EngagementStop_NoInteraction_DoesNotApply() =>
        Assert.False(new EngagementStopRule().Evaluate(Context(WithPurchasesDaysAgo("c", T0, 3))).Applies);

    [Fact]
    public void Complaints_Records_CountOnlyInWindow()
    {
        ImmutableArray<Interaction> its = [Contact("c", 10, InteractionKind.Complaint), Contact("c", 200, InteractionKind.Complaint)];
        var s = Summarise(Id("c"), [], T0, interactions: its);
        var c = new ComplaintRule().Evaluate(Context(s, new ChurnSignals { Interactions = its }));
        Assert.Equal(0.5, c.Risk);
        Assert.Contains("1 complaint in the last 90 days", c.Reason, StringComparison.Ordinal);
        var lifetime = new ComplaintRule().Evaluate(Context(s));
        Assert.Equal(1, lifetime.Risk);
        Assert.Contains("2 complaints in total (the summary has no per-window complaints)", lifetime.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Complaints_None_AppliesWithNoRisk()
    {
        var c = new ComplaintRule().Evaluate(Context(WithPurchasesDaysAgo("c", T0, 3)));
        Assert.True(c.Applies);
        Assert.Equal(0, c.Risk);
    }

    [Fact]
    public void LowSatisfaction_CsatAndDetractor_TakesLarger()
    {
        ImmutableArray<Interaction> its = [Contact("c", 10, InteractionKind.Survey, csat: 2), Contact("c", 20, InteractionKind.Survey, csat: 2, nps: 3), Contact("c", 400, InteractionKind.Survey, csat: 5)];
        var s = Summarise(Id("c"), [], T0, interactions: its);
        var c = new LowSatisfactionRule().Evaluate(Context(s, new ChurnSignals { Interactions = its }));
        Assert.Equal(0.5 + (0.5 * 3 / 6), c.Risk, 12);
        Assert.Contains("mean CSAT 2.0 (risk below 3.0); last NPS 3: a detractor (0..6) in the last 180 days", c.Reason, StringComparison.Ordinal);
        var summaryOnly = new LowSatisfactionRule().Evaluate(Context(s));
        Assert.Contains("over the customer's history", summaryOnly.Reason, StringComparison.Ordinal);
        Assert.Equal(0.75, summaryOnly.Risk, 12);
    }

    [Fact]
    public void LowSatisfaction_NoScores_DoesNotApply() =>
        Assert.False(new LowSatisfactionRule().Evaluate(Context(WithPurchasesDaysAgo("c", T0, 3))).Applies);

    [Fact]
    public void TierDowngrade_Signals()
    {
        var s = WithPurchasesDaysAgo("c", T0, 3);
        var rule = new TierDowngradeRule();
        Assert.False(rule.Evaluate(Context(s)).Applies);
        var down = rule.Evaluate(Context(s, new ChurnSignals { Tier = new TierChange("gold", "silver", true) }));
        Assert.Equal(1, down.Risk);
        Assert.Equal("tier downgraded from gold to silver", down.Reason);
        Assert.Equal(0, rule.Evaluate(Context(s, new ChurnSignals { Tier = new TierChange("silver", "gold", false) })).Risk);
    }

    [Fact]
    public void LifecycleStage_AtRiskStages()
    {
        var s = WithPurchasesDaysAgo("c", T0, 3);
        var rule = new LifecycleStageRule();
        Assert.False(rule.Evaluate(Context(s)).Applies);
        Assert.Equal(0.9, rule.Evaluate(Context(s, new ChurnSignals { LifecycleStage = "Dormant" })).Risk);
        Assert.Equal(0, rule.Evaluate(Context(s, new ChurnSignals { LifecycleStage = "active" })).Risk);
        Assert.Throws<ChurnConfigurationException>(() => new LifecycleStageRule(new Dictionary<string, double> { ["x"] = 2 }));
    }

    [Fact]
    public void ModelAlive_OneMinusPAlive_RepeatBuyersOnly()
    {
        var rule = new ModelAliveRule();
        var two = rule.Evaluate(Context(WithPurchasesDaysAgo("c", T0, 30, 3), new ChurnSignals { PAlive = 0.25 }));
        Assert.Equal(0.75, two.Risk);
        Assert.Contains("P(alive) 0.250", two.Reason, StringComparison.Ordinal);
        var one = rule.Evaluate(Context(WithPurchasesDaysAgo("c", T0, 3), new ChurnSignals { PAlive = 1 }));
        Assert.False(one.Applies);
        Assert.True(new ModelAliveRule(requireRepeatPurchase: false).Evaluate(Context(WithPurchasesDaysAgo("c", T0, 3), new ChurnSignals { PAlive = 1 })).Applies);
        Assert.False(rule.Evaluate(Context(WithPurchasesDaysAgo("c", T0, 30, 3))).Applies);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChurnSignals { PAlive = 1.5 });
    }

    [Fact]
    public void FewPurchases_OneOverCount()
    {
        var rule = new FewPurchasesRule();
        Assert.Equal(1, rule.Evaluate(Context(WithPurchasesDaysAgo("c", T0, 3))).Risk);
        Assert.Equal(0.25, rule.Evaluate(Context(WithPurchasesDaysAgo("c", T0, 4, 3, 2, 1))).Risk);
        Assert.False(rule.Evaluate(Context(Summarise(Id("n"), [], T0))).Applies);
    }

    [Fact]
    public void Contribution_RiskOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChurnContribution.Of("r", 1.1, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChurnContribution.Of("r", double.NaN, "x"));
    }
}
