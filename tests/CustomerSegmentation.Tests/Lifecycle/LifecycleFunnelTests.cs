using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleFunnelTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();
    private static readonly Instant From = Day(0);
    private static readonly Instant To = Day(60);

    private static CustomerLifecycle Replay(string id, Instant started, params int[] days)
    {
        var cid = new CustomerId(id);
        return Model.Replay(cid, days.Select(d => Buy(cid, Day(d))), To, started);
    }

    private static List<CustomerLifecycle> Population() =>
    [
        Replay("c1", T0, 5),                                   // prospect → new (day 5) → active (day 36)
        Replay("c2", T0),                                      // prospect throughout
        Replay("c3", Day(10), 10, 20),                         // joins on day 10: prospect → new → repeat
        Model.Move(Model.Start(new CustomerId("c4"), T0), Invalid, "ops", "test account", Day(30)), // invalid: left out
        Replay("c5", T0 - Duration.FromDays(200), -150),       // at risk since day −59, lost on day 31
        Model.Start(new CustomerId("c6"), Day(61)),            // starts after the period: ignored
    ];

    [Fact]
    public void Compute_CountsAtStartAndEnd_ExcludingInvalidAndLaterCustomers()
    {
        var f = LifecycleFunnel.Compute(Model, Population(), From, To);
        Assert.Equal((4, 1, 1), (f.Customers, f.Excluded, f.Joined));
        Assert.Equal(2, f.AtStart[Prospect]);
        Assert.Equal(1, f.AtStart[AtRisk]);
        Assert.Equal(0, f.AtStart[Invalid]);
        Assert.Equal(3, f.AtStart.Values.Sum());
        Assert.Equal([(Prospect, 1), (Active, 1), (Repeat, 1), (Lost, 1)], f.AtEnd.Where(kv => kv.Value > 0).OrderBy(kv => Model.IndexOf(kv.Key)).Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(0, f.AtEnd[Invalid]);
    }

    [Fact]
    public void Compute_FlowsAndConversions()
    {
        var f = LifecycleFunnel.Compute(Model, Population(), From, To);
        Assert.Equal(
            [(Prospect, New, 2), (New, Active, 1), (New, Repeat, 1), (AtRisk, Lost, 1)],
            f.Flows.Where(x => x.Moves > 0).Select(x => (x.From, x.To, x.Moves)));
        Assert.Equal(new LifecycleConversion(Prospect, New, 3, 2), f.Conversion(Prospect, New));
        Assert.Equal(2.0 / 3, f.Conversion(Prospect, New).Rate);
        Assert.Equal(0.5, f.Conversion(New, Active).Rate);
        Assert.Equal(1.0, f.Conversion(AtRisk, Lost).Rate);
        Assert.Equal(0.0, f.Conversion(AtRisk, Repeat).Rate);
        Assert.Equal(0.0, f.Conversion(Lost, WonBack).Rate);
        Assert.Null(f.Conversion(WonBack, Repeat).Rate);
        Assert.Equal(new LifecycleConversion(Repeat, Lost, 0, 0), f.Conversion(Repeat, Lost));
        Assert.Equal(Model.Transitions.Length, f.Conversions.Length);
    }

    [Fact]
    public void Compute_CountsBalance()
    {
        var f = LifecycleFunnel.Compute(Model, Population(), From, To);
        foreach (var s in Model.Stages.Select(s => s.Id))
        {
            var moved = f.Flows.Where(x => x.To == s).Sum(x => x.Moves) - f.Flows.Where(x => x.From == s).Sum(x => x.Moves);
            Assert.Equal(f.AtEnd[s], f.AtStart[s] + (s == Model.InitialStage ? f.Joined : 0) + moved);
        }
    }

    [Fact]
    public void Compute_InvalidBeforeThePeriodThenReinstated_IsStillExcludedWhileInvalidAtTheStart()
    {
        var c = Model.Move(Model.Move(Model.Start(Id, T0 - Duration.FromDays(9)), Invalid, "ops", "dup", T0 - Duration.FromDays(5)), Prospect, "ops", "not a dup", Day(3));
        var f = LifecycleFunnel.Compute(Model, [c], From, To);
        Assert.Equal((0, 1), (f.Customers, f.Excluded));
        var later = LifecycleFunnel.Compute(Model, [c], Day(4), To);
        Assert.Equal((1, 0), (later.Customers, later.Excluded));
    }

    [Fact]
    public void Compute_Misuse_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleFunnel.Compute(Model, [], To, From));
        Assert.Throws<ArgumentNullException>(() => LifecycleFunnel.Compute(Model, null!, From, To));
        Assert.Throws<ArgumentNullException>(() => LifecycleFunnel.Compute(null!, [], From, To));
    }
}
