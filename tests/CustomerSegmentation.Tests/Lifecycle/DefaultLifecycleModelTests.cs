using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class DefaultLifecycleModelTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();

    [Fact]
    public void CreateDefault_Stages_AreTheIssuesStagesInOrderStartingAtProspect()
    {
        Assert.Equal([Prospect, New, Active, Repeat, AtRisk, Lost, WonBack, Invalid], Model.Stages.Select(s => s.Id));
        Assert.Equal(Prospect, Model.InitialStage);
        Assert.Equal([Invalid], Model.Stages.Where(s => s.ExcludedFromFunnel).Select(s => s.Id));
        Assert.Equal(DateTimeZone.Utc, Model.Zone);
        Assert.Equal(
            ["first-purchase", "repeat-purchase", "becomes-active", "at-risk", "lost", "recovered", "won-back", "won-back-repeat"],
            Model.Rules.Select(r => r.Id));
    }

    [Fact]
    public void Evaluate_ProspectWithoutPurchase_StaysProspectAndExplainsWhy()
    {
        var e = Model.Evaluate(Model.Start(Id, T0), Summary(Day(10)));
        Assert.False(e.Changed);
        Assert.Equal(Prospect, e.Stage);
        Assert.Contains("first-purchase not met (purchases 0 >= 1 (not met))", e.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FirstPurchase_MovesProspectToNewWithFigures()
    {
        var e = Model.Evaluate(Model.Start(Id, T0), Summary(Day(5), Day(5)));
        var move = Assert.Single(e.Moves);
        Assert.Equal((Prospect, New, Day(5)), (move.From, move.To, move.At));
        Assert.Equal(LifecycleTrigger.Rule("first-purchase"), move.Trigger);
        Assert.Equal(new LifecycleFigure("purchases", 1, ">=", 1, Met: true), Assert.Single(move.Figures));
        Assert.Contains("purchases 1 >= 1 (met)", move.Reason, StringComparison.Ordinal);
        Assert.Equal(Day(5), e.Lifecycle.EnteredAt);
    }

    [Fact]
    public void Evaluate_SecondPurchase_MovesNewToRepeat()
    {
        var e = Model.Evaluate(In(Model, New, Day(5)), Summary(Day(10), Day(5), Day(10)));
        var move = Assert.Single(e.Moves);
        Assert.Equal((New, Repeat, "repeat-purchase"), (move.From, move.To, move.Trigger.Id));
        Assert.Equal(2, move.Figures[0].Actual);
    }

    [Fact]
    public void Evaluate_TwoPurchasesSeenAtOnce_ChainsProspectNewRepeatAtOneInstant()
    {
        var e = Model.Evaluate(Model.Start(Id, T0), Summary(Day(20), Day(5), Day(10)));
        Assert.Equal([(Prospect, New), (New, Repeat)], e.Moves.Select(m => (m.From, m.To)));
        Assert.All(e.Moves, m => Assert.Equal(Day(20), m.At));
    }

    [Fact]
    public void Evaluate_NewForExactlyThirtyDays_StaysNew()
    {
        var e = Model.Evaluate(In(Model, New, Day(0)), Summary(Day(30), Day(0)));
        Assert.Equal(New, e.Stage);
        Assert.Contains("days in stage 30 > 30 (not met)", e.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NewForMoreThanThirtyDaysWithRecentPurchase_BecomesActive()
    {
        var e = Model.Evaluate(In(Model, New, Day(0)), Summary(Day(31), Day(0)));
        var move = Assert.Single(e.Moves);
        Assert.Equal((New, Active, "becomes-active"), (move.From, move.To, move.Trigger.Id));
        Assert.Contains(move.Figures, f => f is { Name: "days in stage", Actual: 31, Threshold: 30, Met: true });
        Assert.Contains(move.Figures, f => f is { Name: "days since last purchase", Actual: 31, Comparison: "<=", Threshold: 90, Met: true });
    }

    [Fact]
    public void Evaluate_NewWithoutPurchaseForLongerThanAtRiskWindow_GoesAtRiskNotActive()
    {
        var e = Model.Evaluate(In(Model, New, Day(0)), Summary(Day(95), Day(0)));
        Assert.Equal([(New, AtRisk)], e.Moves.Select(m => (m.From, m.To)));
    }

    [Fact]
    public void Evaluate_ActiveThenSecondPurchase_BecomesRepeat()
    {
        var e = Model.Evaluate(In(Model, Active, Day(31)), Summary(Day(40), Day(0), Day(40)));
        Assert.Equal([(Active, Repeat, "repeat-purchase")], e.Moves.Select(m => (m.From, m.To, m.Trigger.Id)));
    }

    [Theory]
    [InlineData(100, Repeat)]
    [InlineData(101, AtRisk)]
    public void Evaluate_RepeatAtTheAtRiskBoundary_MovesOnlyAfterMoreThanNinetyDays(int asOfDay, string expected)
    {
        var e = Model.Evaluate(In(Model, Repeat, Day(10)), Summary(Day(asOfDay), Day(0), Day(10)));
        Assert.Equal(expected, e.Stage);
        if (e.Changed)
        {
            Assert.Contains(e.Moves[0].Figures, f => f is { Name: "days since last purchase", Actual: 91, Comparison: ">", Threshold: 90 });
        }
    }

    [Theory]
    [InlineData(190, AtRisk)]
    [InlineData(191, Lost)]
    public void Evaluate_AtRiskAtTheLostBoundary_MovesOnlyAfterMoreThan180Days(int asOfDay, string expected)
    {
        var e = Model.Evaluate(In(Model, AtRisk, Day(101)), Summary(Day(asOfDay), Day(0), Day(10)));
        Assert.Equal(expected, e.Stage);
    }

    [Fact]
    public void Evaluate_RepeatSeenLongAfterLastPurchase_ChainsAtRiskAndLostAtOneInstant()
    {
        var e = Model.Evaluate(In(Model, Repeat, Day(10)), Summary(Day(300), Day(0), Day(10)));
        Assert.Equal([("at-risk", Repeat, AtRisk), ("lost", AtRisk, Lost)], e.Moves.Select(m => (m.Trigger.Id, m.From, m.To)));
    }

    [Fact]
    public void Evaluate_AtRiskCustomerBuysAgain_RecoversToRepeat()
    {
        var e = Model.Evaluate(In(Model, AtRisk, Day(101)), Summary(Day(120), Day(0), Day(10), Day(120)));
        Assert.Equal([("recovered", AtRisk, Repeat)], e.Moves.Select(m => (m.Trigger.Id, m.From, m.To)));
    }

    [Fact]
    public void Evaluate_LostCustomerBuysAgain_IsWonBack()
    {
        var e = Model.Evaluate(In(Model, Lost, Day(191)), Summary(Day(200), Day(0), Day(10), Day(200)));
        var move = Assert.Single(e.Moves);
        Assert.Equal(("won-back", Lost, WonBack), (move.Trigger.Id, move.From, move.To));
        Assert.Contains(move.Figures, f => f is { Name: "days from entering stage to last purchase", Met: true });
    }

    [Fact]
    public void Evaluate_LostCustomerWithoutNewPurchase_StaysLost()
    {
        var e = Model.Evaluate(In(Model, Lost, Day(191)), Summary(Day(400), Day(0), Day(10)));
        Assert.Equal(Lost, e.Stage);
        Assert.Contains("won-back not met", e.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WonBackCustomerBuysOnceMore_BecomesRepeat()
    {
        var e = Model.Evaluate(In(Model, WonBack, Day(200)), Summary(Day(210), Day(0), Day(10), Day(200), Day(210)));
        Assert.Equal([("won-back-repeat", WonBack, Repeat)], e.Moves.Select(m => (m.Trigger.Id, m.From, m.To)));
    }

    [Fact]
    public void Evaluate_WonBackCustomerWhoStopsBuying_GoesAtRiskAgain()
    {
        var e = Model.Evaluate(In(Model, WonBack, Day(200)), Summary(Day(291), Day(0), Day(10), Day(200)));
        Assert.Equal([("at-risk", WonBack, AtRisk)], e.Moves.Select(m => (m.Trigger.Id, m.From, m.To)));
    }

    [Fact]
    public void Evaluate_InvalidCustomerWithPurchases_StaysInvalid()
    {
        var invalid = Model.Move(Model.Start(Id, T0), Invalid, "ops", "duplicate account", Day(1));
        var e = Model.Evaluate(invalid, Summary(Day(50), Day(2), Day(3)));
        Assert.Equal(Invalid, e.Stage);
        Assert.False(e.Changed);
        Assert.Contains("no automatic rule leaves this stage", e.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SameSummaryTwice_SecondEvaluationMakesNoMove()
    {
        var summary = Summary(Day(300), Day(0), Day(10));
        var first = Model.Evaluate(Model.Start(Id, T0), summary);
        var second = Model.Evaluate(first.Lifecycle, summary);
        Assert.Equal(4, first.Moves.Length);
        Assert.False(second.Changed);
        Assert.Equal(first.Lifecycle, second.Lifecycle);
    }

    [Fact]
    public void Evaluate_CustomOptions_UseTheirFigures()
    {
        var model = LifecycleModel.CreateDefault(new DefaultLifecycleOptions { RepeatPurchases = 3, AtRiskWindow = LifecycleWindow.OfDays(30) });
        Assert.Equal(New, model.Evaluate(In(model, New, Day(5)), Summary(Day(10), Day(5), Day(10))).Stage);
        Assert.Equal(Repeat, model.Evaluate(In(model, New, Day(5)), Summary(Day(11), Day(5), Day(10), Day(11))).Stage);
        Assert.Equal(AtRisk, model.Evaluate(In(model, Repeat, Day(11)), Summary(Day(42), Day(5), Day(10), Day(11))).Stage);
    }

    [Fact]
    public void Evaluate_ZoneDefinesCalendarDays()
    {
        // 2026-01-01T20:00Z is already 2026-01-02 in Shanghai (UTC+8): one more calendar day has passed there.
        var shanghai = LifecycleModel.CreateDefault(new DefaultLifecycleOptions { Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"] });
        var last = Instant.FromUtc(2026, 1, 1, 15, 0); // 23:00 in Shanghai
        var asOf = Instant.FromUtc(2026, 4, 1, 17, 0); // 2026-04-02 01:00 in Shanghai: 91 days later there, 90 in UTC
        Assert.Equal(Repeat, Model.Evaluate(In(Model, Repeat, last), Summary(asOf, last - Duration.FromDays(3), last)).Stage);
        Assert.Equal(AtRisk, shanghai.Evaluate(In(shanghai, Repeat, last), Summary(asOf, last - Duration.FromDays(3), last)).Stage);
    }

    [Fact]
    public void Evaluate_Misuse_Throws()
    {
        var lifecycle = In(Model, Repeat, Day(10));
        Assert.Throws<ArgumentNullException>(() => Model.Evaluate(null!, Summary(Day(10))));
        Assert.Throws<ArgumentNullException>(() => Model.Evaluate(lifecycle, null!));
        Assert.Throws<ArgumentException>(() => Model.Evaluate(lifecycle, Summary(new CustomerSegmentation.Customers.CustomerId("other"), Day(20), [])));
        Assert.Throws<ArgumentException>(() => Model.Evaluate(lifecycle, Summary(Day(9))));
        var foreign = new CustomerLifecycle(Id, "somewhere", T0);
        Assert.Throws<ArgumentException>(() => Model.Evaluate(foreign, Summary(Day(9))));
    }
}
