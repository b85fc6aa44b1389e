using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

/// <summary>The worked example of docs/lifecycle.md, checked.</summary>
public class LifecycleWorkedExampleTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();
    private static readonly Instant Started = Instant.FromUtc(2025, 12, 27, 0, 0);
    private static readonly Instant[] Purchases = [Instant.FromUtc(2026, 1, 1, 12, 0), Instant.FromUtc(2026, 1, 11, 12, 0), Instant.FromUtc(2026, 10, 28, 12, 0)];

    private static CustomerLifecycle Timeline() => Model.Replay(Id, Purchases.Select(Buy), Instant.FromUtc(2027, 2, 5, 12, 0), Started);

    [Fact]
    public void Timeline_MatchesTheDocumentedTable()
    {
        var l = Timeline();
        Assert.Equal(
            [
                (Prospect, New, Instant.FromUtc(2026, 1, 1, 12, 0), "rule:first-purchase"),
                (New, Repeat, Instant.FromUtc(2026, 1, 11, 12, 0), "rule:repeat-purchase"),
                (Repeat, AtRisk, Instant.FromUtc(2026, 4, 12, 0, 0), "rule:at-risk"),
                (AtRisk, Lost, Instant.FromUtc(2026, 7, 11, 0, 0), "rule:lost"),
                (Lost, WonBack, Instant.FromUtc(2026, 10, 28, 12, 0), "rule:won-back"),
                (WonBack, AtRisk, Instant.FromUtc(2027, 1, 27, 0, 0), "rule:at-risk"),
            ],
            l.History.Select(m => (m.From, m.To, m.At, m.Trigger.ToString())));
        Assert.Contains("days since last purchase 181 > 180 (met)", l.History[3].Reason, StringComparison.Ordinal);
        Assert.Contains("days from entering stage to last purchase 109.5 > 0 (met)", l.History[4].Reason, StringComparison.Ordinal);
        Assert.Equal(Duration.FromDays(9) + Duration.FromHours(12), l.TimeInStage(Instant.FromUtc(2027, 2, 5, 12, 0)));
        Assert.Equal(AtRisk, l.StageAt(Instant.FromUtc(2026, 5, 1, 0, 0)));
    }

    [Fact]
    public void Snapshot_SeesFourMovesAtOnce()
    {
        var asOf = Instant.FromUtc(2026, 8, 1, 0, 0);
        var e = Model.Evaluate(Model.Start(Id, Started), Summary(asOf, Purchases));
        Assert.Equal([New, Repeat, AtRisk, Lost], e.Moves.Select(m => m.To));
        Assert.All(e.Moves, m => Assert.Equal(asOf, m.At));
        Assert.Contains(e.Moves[3].Figures, f => f is { Actual: 202, Threshold: 180 });
    }

    [Fact]
    public void Funnel_For2026_MatchesTheDocumentedCounts()
    {
        var f = LifecycleFunnel.Compute(Model, [Timeline()], Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0));
        Assert.Equal(1, f.AtStart[Prospect]);
        Assert.Equal(1, f.AtEnd[WonBack]);
        Assert.Equal(
            [(Prospect, New), (New, Repeat), (Repeat, AtRisk), (AtRisk, Lost), (Lost, WonBack)],
            f.Flows.Where(x => x.Moves == 1).Select(x => (x.From, x.To)).OrderBy(x => Model.IndexOf(x.From)));
        Assert.Equal(1.0, f.Conversion(Lost, WonBack).Rate);
    }
}
