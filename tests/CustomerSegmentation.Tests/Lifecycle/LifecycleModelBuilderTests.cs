using CustomerSegmentation.Lifecycle;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleModelBuilderTests
{
    /// <summary>A host's own model: lead → trial → paying → churned, with a sales-qualified check by hand.</summary>
    internal static LifecycleModelBuilder SaasBuilder() => new LifecycleModelBuilder { InitialStage = "lead" }
        .AddStage("lead", "Lead")
        .AddStage("trial")
        .AddStage("paying")
        .AddStage("churned")
        .AddStage("spam", excludedFromFunnel: true)
        .Allow("lead", "trial", "spam")
        .Allow("trial", "paying", "churned")
        .Allow("paying", "churned")
        .Allow("churned", "paying")
        .AddRule(new LifecycleRule("converts", ["trial"], "paying") { MinPurchases = 1 })
        .AddRule(new LifecycleRule("trial-expired", ["trial"], "churned") { MinDaysInStage = 14, MaxPurchases = 0 })
        .AddRule(new LifecycleRule("stopped-paying", ["paying"], "churned") { NoPurchaseFor = LifecycleWindow.OfMedianGap(1.5, 45) })
        .AddRule(new LifecycleRule("resubscribed", ["churned"], "paying") { RequiresPurchaseSinceEntered = true });

    private static LifecycleModelException BuildFails(LifecycleModelBuilder builder) => Assert.Throws<LifecycleModelException>(builder.Build);

    [Fact]
    public void Build_HostModel_WorksWithItsOwnStagesAndRules()
    {
        var model = SaasBuilder().Build();
        Assert.Equal("lead", model.InitialStage);
        var trial = model.Move(model.Start(Id, T0), "trial", "sales", "demo booked", Day(1));
        Assert.Equal("trial", model.Evaluate(trial, Summary(Day(15))).Stage);
        var churned = model.Evaluate(trial, Summary(Day(16)));
        Assert.Equal(("trial-expired", "churned"), (churned.Moves[0].Trigger.Id, churned.Stage));
        Assert.Equal("paying", model.Evaluate(churned.Lifecycle, Summary(Day(20), Day(20))).Stage);
    }

    [Fact]
    public void Build_NoStages_Throws() =>
        Assert.Contains("at least one stage", Assert.Single(BuildFails(new LifecycleModelBuilder()).Errors), StringComparison.Ordinal);

    [Fact]
    public void Build_MalformedAndDuplicateStageIds_Throw()
    {
        var ex = BuildFails(new LifecycleModelBuilder().AddStage("a").AddStage("a").AddStage("has space"));
        Assert.Contains(ex.Errors, e => e.Contains("'a' is declared twice", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("malformed id 'has space'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_UnknownInitialStage_Throws()
    {
        var b = SaasBuilder();
        b.InitialStage = "visitor";
        Assert.Contains(BuildFails(b).Errors, e => e.Contains("initial stage 'visitor'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_TransitionToUnknownStage_Throws()
    {
        var ex = BuildFails(SaasBuilder().Allow("paying", "vip"));
        Assert.Contains(ex.Errors, e => e.Contains("points to an unknown stage 'vip'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SelfAndDuplicateTransitions_Throw()
    {
        var ex = BuildFails(SaasBuilder().Allow("paying", "paying").Allow("lead", "trial"));
        Assert.Contains(ex.Errors, e => e.Contains("does not change stage", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("lead → trial is declared twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_RulePointingNowhere_Throws()
    {
        var ex = BuildFails(SaasBuilder().AddRule(new LifecycleRule("upsell", ["paying"], "enterprise") { MinPurchases = 10 }));
        Assert.Contains(ex.Errors, e => e.Contains("'upsell' points to an unknown stage 'enterprise'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_RuleFromUnknownStage_Throws()
    {
        var ex = BuildFails(SaasBuilder().AddRule(new LifecycleRule("x", ["ghost"], "paying") { MinPurchases = 1 }));
        Assert.Contains(ex.Errors, e => e.Contains("applies to an unknown stage 'ghost'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_RuleMoveNotAllowed_Throws()
    {
        var ex = BuildFails(SaasBuilder().AddRule(new LifecycleRule("skip", ["lead"], "churned") { MinDaysInStage = 365 }));
        Assert.Contains(ex.Errors, e => e.Contains("moves lead → churned, which is not an allowed transition", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_RuleWithoutConditionOrWithBadFigures_Throws()
    {
        var ex = BuildFails(SaasBuilder()
            .AddRule(new LifecycleRule("always", ["paying"], "churned"))
            .AddRule(new LifecycleRule("bad-days", ["paying"], "churned") { MinDaysInStage = 0 })
            .AddRule(new LifecycleRule("bad-count", ["paying"], "churned") { MinPurchases = 3, MaxPurchases = 2 })
            .AddRule(new LifecycleRule("bad-window", ["paying"], "churned") { NoPurchaseFor = default(LifecycleWindow) })
            .AddRule(new LifecycleRule("empty", [], "churned") { MinPurchases = 1 })
            .AddRule(new LifecycleRule("converts", ["trial"], "paying") { MinPurchases = 1 }));
        Assert.Contains(ex.Errors, e => e.Contains("'always' has no condition", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'bad-days' has MinDaysInStage below 1", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'bad-count' has MaxPurchases below", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'bad-window' has an empty window", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'empty' applies to no stage", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'converts' is declared twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_UnreachableStage_Throws()
    {
        var ex = BuildFails(SaasBuilder().AddStage("archived").Allow("archived", "lead"));
        Assert.Equal("The stage 'archived' cannot be reached from the initial stage 'lead'.", Assert.Single(ex.Errors));
    }

    [Fact]
    public void Build_InstantRuleCycle_Throws()
    {
        var b = SaasBuilder().Allow("paying", "trial")
            .AddRule(new LifecycleRule("downgrade", ["paying"], "trial") { MaxPurchases = 5 });
        var ex = BuildFails(b);
        var error = Assert.Single(ex.Errors);
        Assert.Contains("The rules converts, downgrade can fire in a cycle at one instant (through 'trial')", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CycleBrokenByDaysInStage_IsAccepted()
    {
        var model = SaasBuilder().Allow("paying", "trial")
            .AddRule(new LifecycleRule("downgrade", ["paying"], "trial") { MaxPurchases = 5, MinDaysInStage = 30 })
            .Build();
        Assert.Equal(5, model.Rules.Length);
    }

    [Fact]
    public void Builder_FromModel_CopiesEverythingAndReplaceRuleKeepsPosition()
    {
        var model = LifecycleModel.CreateDefault();
        var b = new LifecycleModelBuilder(model);
        b.ReplaceRule(new LifecycleRule("at-risk", [DefaultLifecycleStages.Repeat], DefaultLifecycleStages.AtRisk) { NoPurchaseFor = LifecycleWindow.OfDays(60) });
        var changed = b.Build();
        Assert.Equal(model.Rules.Select(r => r.Id), changed.Rules.Select(r => r.Id));
        Assert.Equal(LifecycleWindow.OfDays(60), changed.Rules[3].NoPurchaseFor);
        Assert.Throws<ArgumentException>(() => b.ReplaceRule(new LifecycleRule("nope", ["new"], "active") { MinPurchases = 1 }));
    }

    [Fact]
    public void Lookups_UnknownStage_Throw()
    {
        var model = LifecycleModel.CreateDefault();
        Assert.Equal(4, model.IndexOf(DefaultLifecycleStages.AtRisk));
        Assert.Equal("At risk (流失预警)", model.GetStage(DefaultLifecycleStages.AtRisk).Name);
        Assert.True(model.HasStage("lost"));
        Assert.False(model.HasStage("Lost"));
        Assert.Throws<ArgumentException>(() => model.IndexOf("Lost"));
    }
}
