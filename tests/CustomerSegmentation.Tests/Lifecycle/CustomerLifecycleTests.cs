using System.Collections.Immutable;
using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class CustomerLifecycleTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();

    private static CustomerLifecycle Story() =>
        Model.Replay(Id, [Buy(Day(0)), Buy(Day(10)), Buy(Day(300))], Day(400), startedAt: T0 - Duration.FromDays(5));

    [Fact]
    public void Start_IsInInitialStageWithoutHistory()
    {
        var lifecycle = Model.Start(Id, T0);
        Assert.Equal((Prospect, T0, T0), (lifecycle.Stage, lifecycle.EnteredAt, lifecycle.StartedAt));
        Assert.Empty(lifecycle.History);
    }

    [Fact]
    public void StageAt_ReconstructsEveryPastStageFromHistory()
    {
        var lifecycle = Story();
        Assert.Null(lifecycle.StageAt(T0 - Duration.FromDays(6)));
        Assert.Equal(Prospect, lifecycle.StageAt(T0 - Duration.FromDays(5)));
        Assert.Equal(New, lifecycle.StageAt(Day(0)));
        Assert.Equal(Repeat, lifecycle.StageAt(Day(10)));
        Assert.Equal(Repeat, lifecycle.StageAt(Day(100)));
        Assert.Equal(AtRisk, lifecycle.StageAt(Day(101, 0)));
        Assert.Equal(Lost, lifecycle.StageAt(Day(191, 0)));
        Assert.Equal(WonBack, lifecycle.StageAt(Day(300)));
        Assert.Equal(AtRisk, lifecycle.StageAt(Day(400)));
        Assert.Equal(lifecycle.Stage, lifecycle.StageAt(Day(400)));
    }

    [Fact]
    public void TimeInStage_IsTheTimeSinceEntering()
    {
        var lifecycle = Story();
        Assert.Equal(Day(391, 0), lifecycle.EnteredAt);
        Assert.Equal(Duration.FromDays(9) + Duration.FromHours(12), lifecycle.TimeInStage(Day(400)));
        Assert.Throws<ArgumentOutOfRangeException>(() => lifecycle.TimeInStage(Day(390)));
    }

    [Fact]
    public void Constructor_FromHistory_ReproducesTheCurrentStage()
    {
        var lifecycle = Story();
        var copy = new CustomerLifecycle(lifecycle.CustomerId, lifecycle.InitialStage, lifecycle.StartedAt, lifecycle.History);
        Assert.Equal(lifecycle, copy);
        Assert.Equal((lifecycle.Stage, lifecycle.EnteredAt), (copy.Stage, copy.EnteredAt));
        Assert.Equal(lifecycle.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void Constructor_DisconnectedOrUnorderedHistory_Throws()
    {
        var m1 = new LifecycleMove(Prospect, New, Day(1), LifecycleTrigger.Rule("first-purchase"), "r");
        var m2 = new LifecycleMove(Active, Repeat, Day(2), LifecycleTrigger.Rule("x"), "r");
        var m0 = new LifecycleMove(New, Repeat, Day(0), LifecycleTrigger.Rule("x"), "r");
        Assert.Throws<ArgumentException>(() => new CustomerLifecycle(Id, Prospect, T0, [m1, m2]));
        Assert.Throws<ArgumentException>(() => new CustomerLifecycle(Id, Prospect, T0, [m1, m0]));
        Assert.Throws<ArgumentException>(() => new CustomerLifecycle(default, Prospect, T0));
        Assert.Throws<ArgumentException>(() => new CustomerLifecycle(Id, "not a stage", T0));
        Assert.Throws<ArgumentException>(() => new CustomerLifecycle(Id, Prospect, T0, []).Append(m2));
    }

    [Fact]
    public void Equality_ComparesHistoriesByValue()
    {
        ImmutableArray<LifecycleFigure> figures = [new("purchases", 1, ">=", 1, true)];
        var a = new LifecycleMove(Prospect, New, Day(1), LifecycleTrigger.Rule("first-purchase"), "r") { Figures = figures };
        var b = new LifecycleMove(Prospect, New, Day(1), LifecycleTrigger.Rule("first-purchase"), "r") { Figures = [.. figures] };
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Figures = [] });
        Assert.Equal(new CustomerLifecycle(Id, Prospect, T0, [a]), new CustomerLifecycle(Id, Prospect, T0, [b]));
    }
}
