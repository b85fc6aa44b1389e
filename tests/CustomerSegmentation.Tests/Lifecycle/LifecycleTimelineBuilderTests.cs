using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleTimelineBuilderTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();

    [Fact]
    public void Observe_FirstPurchase_UpdatesTheStageAtOnce()
    {
        var timeline = new LifecycleTimelineBuilder(Model, Id, T0);
        Assert.Equal(Prospect, timeline.Lifecycle.Stage);
        timeline.Observe(Buy(Day(3)));
        Assert.Equal(New, timeline.Lifecycle.Stage);
        Assert.Equal(Day(3), timeline.Lifecycle.EnteredAt);
    }

    [Fact]
    public void AdvanceTo_RecordsTimeDrivenMovesWhenTheirConditionBecameTrue()
    {
        var timeline = new LifecycleTimelineBuilder(Model, Id, T0).Observe(Buy(Day(0)));
        timeline.AdvanceTo(Day(500));
        Assert.Equal(
            [(New, Active, Day(31, 0)), (Active, AtRisk, Day(91, 0)), (AtRisk, Lost, Day(181, 0))],
            timeline.Lifecycle.History.Skip(1).Select(m => (m.From, m.To, m.At)));
        Assert.Contains("days since last purchase 91 > 90 (met)", timeline.Lifecycle.History[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AdvanceTo_CadenceDoesNotChangeTheHistory()
    {
        var once = new LifecycleTimelineBuilder(Model, Id, T0).Observe(Buy(Day(0))).Observe(Buy(Day(20))).AdvanceTo(Day(400)).Lifecycle;
        var daily = new LifecycleTimelineBuilder(Model, Id, T0).Observe(Buy(Day(0)));
        for (var d = 1; d < 20; d++)
        {
            daily.AdvanceTo(Day(d, 0));
        }

        daily.Observe(Buy(Day(20)));
        for (var d = 21; d <= 400; d++)
        {
            daily.AdvanceTo(Day(d));
        }

        Assert.Equal(once, daily.Lifecycle);
    }

    [Fact]
    public void Replay_EqualsFeedingTheBuilder()
    {
        var buys = new[] { Buy(Day(40)), Buy(Day(0)), Buy(Day(250)) };
        var replay = Model.Replay(Id, buys, Day(365), T0);
        var fed = new LifecycleTimelineBuilder(Model, Id, T0).Observe(buys[1]).Observe(buys[0]).Observe(buys[2]).AdvanceTo(Day(365)).Build();
        Assert.Equal(fed, replay);
        Assert.Equal(Lost, replay.StageAt(Day(249)));
        Assert.Equal(WonBack, replay.StageAt(Day(250)));
        Assert.Equal((AtRisk, Day(341, 0)), (replay.Stage, replay.EnteredAt));
    }

    [Fact]
    public void Replay_IgnoresRefundsAndActivityAfterAsOf()
    {
        var refund = new Purchase(Id, Day(5), Money.Of(-100m, "CNY"), "o1");
        var lifecycle = Model.Replay(Id, [Buy(Day(0)), refund, Buy(Day(50))], Day(30));
        Assert.Equal(New, lifecycle.Stage);
        Assert.Equal(Day(0), lifecycle.StartedAt);
    }

    [Fact]
    public void Replay_Misuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => Model.Replay(Id, [new Purchase(new CustomerId("C2"), Day(1), Money.Of(1m, "CNY"))], Day(2)));
        Assert.Throws<ArgumentException>(() => Model.Replay(Id, [Buy(Day(1))], Day(2), startedAt: Day(1, 13)));
        Assert.Throws<ArgumentNullException>(() => Model.Replay(Id, null!, Day(2)));
    }

    [Fact]
    public void TryMove_InTimeline_AppliesEarlierTimeMovesThenTheManualMoveThenRules()
    {
        var timeline = new LifecycleTimelineBuilder(Model, Id, T0).Observe(Buy(Day(0))).Observe(Buy(Day(5)));
        var result = timeline.TryMove(Invalid, "ops", "reseller", Day(120));
        Assert.True(result.IsSuccess);
        Assert.Equal([Prospect, New, Repeat, AtRisk], timeline.Lifecycle.History.Select(m => m.From));
        Assert.Equal(Invalid, timeline.Lifecycle.Stage);
        timeline.AdvanceTo(Day(800));
        Assert.Equal(Invalid, timeline.Lifecycle.Stage);
        Assert.False(timeline.TryMove(Lost, "ops", "no", Day(801)).IsSuccess);
    }

    [Fact]
    public void Observe_OutOfOrder_Throws()
    {
        var timeline = new LifecycleTimelineBuilder(Model, Id, T0).Observe(Buy(Day(10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.Observe(Buy(Day(9))));
        timeline.AdvanceTo(Day(20));
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.Observe(Buy(Day(20))));
        Assert.Throws<ArgumentOutOfRangeException>(() => timeline.AdvanceTo(Day(19)));
        Assert.Throws<ArgumentException>(() => timeline.Observe(new Purchase(new CustomerId("C2"), Day(30), Money.Of(1m, "CNY"))));
        Assert.Equal(Day(20), timeline.Now);
    }
}
