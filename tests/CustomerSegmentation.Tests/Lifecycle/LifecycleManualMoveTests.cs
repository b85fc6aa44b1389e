using CustomerSegmentation.Lifecycle;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleManualMoveTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();

    [Fact]
    public void Move_Legal_RecordsActorReasonAndInstant()
    {
        var lifecycle = Model.Move(In(Model, Repeat, Day(10)), Invalid, "li.wei", "test account", Day(12));
        var move = lifecycle.History[^1];
        Assert.Equal(Invalid, lifecycle.Stage);
        Assert.Equal((Repeat, Invalid, Day(12), "test account"), (move.From, move.To, move.At, move.Reason));
        Assert.Equal(LifecycleTrigger.Manual("li.wei"), move.Trigger);
        Assert.Equal("actor:li.wei", move.Trigger.ToString());
        Assert.Empty(move.Figures);
        Assert.Equal(Day(12), lifecycle.EnteredAt);
    }

    [Fact]
    public void TryMove_Illegal_ReturnsResultListingAllowedTargetsAndRecordsNothing()
    {
        var before = In(Model, Repeat, Day(10));
        var result = Model.TryMove(before, WonBack, "li.wei", "wishful", Day(12));
        Assert.False(result.IsSuccess);
        Assert.Null(result.Lifecycle);
        Assert.Null(result.Move);
        Assert.Equal([AtRisk, Invalid], result.AllowedTargets.ToArray());
        Assert.Equal("The move repeat → won-back is not allowed; allowed from 'repeat': at-risk, invalid.", result.Error);
        Assert.Single(before.History);
    }

    [Fact]
    public void Move_Illegal_ThrowsIllegalLifecycleMoveExceptionListingAllowedTargets()
    {
        var ex = Assert.Throws<IllegalLifecycleMoveException>(() => Model.Move(Model.Start(Id, T0), Lost, "ops", "why not", Day(1)));
        Assert.Equal((Prospect, Lost), (ex.From, ex.To));
        Assert.Equal([New, Invalid], ex.AllowedTargets.ToArray());
        Assert.Contains("allowed from 'prospect': new, invalid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryMove_UnknownStage_IsIllegal()
    {
        var result = Model.TryMove(Model.Start(Id, T0), "vip", "ops", "typo", Day(1));
        Assert.False(result.IsSuccess);
        Assert.Throws<IllegalLifecycleMoveException>(result.GetValueOrThrow);
    }

    [Fact]
    public void Move_InvalidBackToProspect_IsAllowedByHand()
    {
        var invalid = Model.Move(Model.Start(Id, T0), Invalid, "ops", "suspected fraud", Day(1));
        var back = Model.Move(invalid, Prospect, "ops", "cleared", Day(3));
        Assert.Equal([(Prospect, Invalid), (Invalid, Prospect)], back.History.Select(m => (m.From, m.To)));
    }

    [Fact]
    public void Move_Misuse_ThrowsArgumentExceptions()
    {
        var lifecycle = In(Model, Repeat, Day(10));
        Assert.Throws<ArgumentException>(() => Model.TryMove(lifecycle, Invalid, " ", "r", Day(11)));
        Assert.Throws<ArgumentException>(() => Model.TryMove(lifecycle, Invalid, "a", "", Day(11)));
        Assert.Throws<ArgumentNullException>(() => Model.TryMove(lifecycle, null!, "a", "r", Day(11)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.TryMove(lifecycle, Invalid, "a", "r", Day(9)));
    }

    [Fact]
    public void IsAllowed_AndAllowedTargets_FollowTheTransitions()
    {
        Assert.True(Model.IsAllowed(Lost, WonBack));
        Assert.False(Model.IsAllowed(WonBack, Lost));
        Assert.False(Model.IsAllowed("nowhere", Lost));
        Assert.Equal([Prospect], Model.AllowedTargets(Invalid).ToArray());
        Assert.Throws<ArgumentException>(() => Model.AllowedTargets("nowhere"));
    }
}
