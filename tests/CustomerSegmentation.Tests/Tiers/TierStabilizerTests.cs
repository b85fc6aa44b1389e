using CustomerSegmentation.Tiers;
using NodaTime;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.Tiers;

public class TierStabilizerTests
{
    private static readonly TierStabilityOptions Grace90Margin500 = new()
    {
        DowngradeMargin = 500m,
        GracePeriod = Duration.FromDays(90),
    };

    // Evaluates customer 1 with the spend policy on a series of (day, value) and returns the final state.
    private static CustomerTierState Run(TierStabilityOptions options, params (int Day, decimal Value)[] series) =>
        Run(options, series.Select(x => (Day(x.Day), x.Value)).ToArray());

    private static CustomerTierState Run(TierStabilityOptions options, (Instant At, decimal Value)[] series)
    {
        var stabilizer = new TierStabilizer(Chinese, options);
        var policy = Spend();
        return stabilizer.Replay(series.Select(x => policy.Assign([Subject(1, x.Value)], x.At)[0]))!;
    }

    [Fact]
    public void Step_FirstAssignment_RecordsInitial()
    {
        var s = Run(Grace90Margin500, (0, 12000m));
        var c = Assert.Single(s.History);
        Assert.Null(c.From);
        Assert.Equal("VIP", c.To.Name);
        Assert.Equal(TierChangeKind.Initial, c.Kind);
        Assert.Equal(T0, c.At);
        Assert.Equal(T0, s.Since);
    }

    [Fact]
    public void Step_OscillationInsideMargin_NeverMoves()
    {
        var s = Run(Grace90Margin500, (0, 10000m), (10, 9600m), (20, 10100m), (30, 9500m), (200, 9900m), (400, 9501m));
        Assert.Equal("VIP", s.Current.Name);
        Assert.Single(s.History);
        Assert.Null(s.BelowSince);
        Assert.Contains("inside the band of VIP ≥ 10000 minus margin 500", s.Status, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_RealDrop_MovesAfterGracePeriodNotBefore()
    {
        var before = Run(Grace90Margin500, (0, 10000m), (1, 9000m), (90, 9000m));
        Assert.Equal("VIP", before.Current.Name);
        Assert.Equal(Day(1), before.BelowSince);
        Assert.Contains("downgrade to '标准客户' pending", before.Status, StringComparison.Ordinal);
        Assert.Contains("grace period 90 days not over", before.Status, StringComparison.Ordinal);

        var after = Run(Grace90Margin500, (0, 10000m), (1, 9000m), (90, 9000m), (91, 9000m));
        Assert.Equal("标准客户", after.Current.Name);
        var down = after.History[^1];
        Assert.Equal(TierChangeKind.Downgrade, down.Kind);
        Assert.Equal(Day(91), down.At);
        Assert.Equal("VIP", down.From!.Value.Name);
        Assert.Contains("outside the band of VIP ≥ 10000 minus margin 500", down.Explanation, StringComparison.Ordinal);
        Assert.Contains("90 days", down.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_DropInterruptedInsideBand_RestartsGrace()
    {
        var s = Run(Grace90Margin500, (0, 10000m), (1, 9000m), (60, 9800m), (61, 9000m), (120, 9000m));
        Assert.Equal("VIP", s.Current.Name);
        Assert.Equal(Day(61), s.BelowSince);
        var later = Run(Grace90Margin500, (0, 10000m), (1, 9000m), (60, 9800m), (61, 9000m), (151, 9000m));
        Assert.Equal("标准客户", later.Current.Name);
    }

    [Fact]
    public void Step_Upgrade_AppliesAtOnceEvenWithGrace()
    {
        var s = Run(Grace90Margin500 with { MinimumTimeInTier = Duration.FromDays(365) }, (0, 10m), (1, 2000m), (2, 20000m));
        Assert.Equal(["潜力客户", "标准客户", "VIP"], s.History.Select(c => c.To.Name));
        Assert.Equal([TierChangeKind.Initial, TierChangeKind.Upgrade, TierChangeKind.Upgrade], s.History.Select(c => c.Kind));
    }

    [Fact]
    public void Step_WithMargin_DowngradeLandsOnHighestTierHeldInItsBand()
    {
        // 800 is below 标准's 1000 but inside its margin (≥ 500): from VIP the customer falls to 标准, not to 潜力.
        var s = Run(new TierStabilityOptions { DowngradeMargin = 500m }, (0, 20000m), (1, 800m));
        Assert.Equal("标准客户", s.Current.Name);
        var s2 = Run(new TierStabilityOptions { DowngradeMargin = 500m }, (0, 20000m), (1, 400m));
        Assert.Equal("潜力客户", s2.Current.Name);
    }

    [Fact]
    public void Step_NoHysteresis_DowngradesAtOnce()
    {
        var s = Run(TierStabilityOptions.Immediate, (0, 10000m), (1, 9999m));
        Assert.Equal("标准客户", s.Current.Name);
    }

    [Fact]
    public void Step_MinimumTimeInTier_HoldsDowngrade()
    {
        var options = new TierStabilityOptions { MinimumTimeInTier = Duration.FromDays(30) };
        Assert.Equal("VIP", Run(options, (0, 10m), (1, 20000m), (10, 10m)).Current.Name);
        var s = Run(options, (0, 10m), (1, 20000m), (10, 10m), (31, 10m));
        Assert.Equal("潜力客户", s.Current.Name);
        Assert.Equal(Day(31), s.Since);
    }

    [Fact]
    public void Step_ReviewDates_DowngradeOnlyAtFirstEvaluationAfterReview()
    {
        var options = new TierStabilityOptions { ReviewSchedule = TierReviewSchedule.Quarterly() };
        static Instant D(int m, int d) => Instant.FromUtc(2026, m, d, 12, 0);
        (Instant, decimal)[] series = [(D(1, 5), 20000m), (D(2, 10), 10m), (D(3, 31), 10m)];
        var held = Run(options, series);
        Assert.Equal("VIP", held.Current.Name);
        Assert.Contains("no review date", held.Status, StringComparison.Ordinal);

        var moved = Run(options, [.. series, (D(4, 2), 10m)]);
        Assert.Equal("潜力客户", moved.Current.Name);
        Assert.Equal(D(4, 2), moved.History[^1].At);
        Assert.Contains("review 2026-04-01T00:00:00Z", moved.History[^1].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_ReviewDateWithGrace_WaitsForNextReviewAfterGrace()
    {
        var options = new TierStabilityOptions { ReviewSchedule = TierReviewSchedule.Monthly(), GracePeriod = Duration.FromDays(45) };
        static Instant D(int m, int d) => Instant.FromUtc(2026, m, d, 0, 0);
        var s = Run(options, [(D(1, 2), 20000m), (D(1, 20), 10m), (D(2, 1), 10m), (D(3, 1), 10m), (D(3, 10), 10m)]);
        Assert.Equal("VIP", s.Current.Name); // grace ends 6 March, after the 1 March review
        var t = Run(options, [(D(1, 2), 20000m), (D(1, 20), 10m), (D(2, 1), 10m), (D(3, 1), 10m), (D(3, 10), 10m), (D(4, 1), 10m)]);
        Assert.Equal("潜力客户", t.Current.Name);
        Assert.Equal(D(4, 1), t.Since);
    }

    [Fact]
    public void Step_OlderAssignmentOrOtherCustomerOrForeignTier_Throws()
    {
        var st = new TierStabilizer(Chinese);
        var policy = Spend();
        var s = st.Step(null, policy.Assign([Subject(1, 5m)], Day(5))[0]).State;
        Assert.Throws<ArgumentException>(() => st.Step(s, policy.Assign([Subject(1, 5m)], Day(4))[0]));
        Assert.Throws<ArgumentException>(() => st.Step(s, policy.Assign([Subject(2, 5m)], Day(6))[0]));
        Assert.Throws<ArgumentException>(() => st.Step(s, Abc().Assign([Subject(1, 5m)], Day(6))[0]));
    }

    [Fact]
    public void Ctor_NegativeOptions_Throw()
    {
        Assert.Throws<InvalidTierPolicyException>(() => new TierStabilizer(Chinese, new TierStabilityOptions { DowngradeMargin = -1m }));
        Assert.Throws<InvalidTierPolicyException>(() => new TierStabilizer(Chinese, new TierStabilityOptions { GracePeriod = Duration.FromDays(-1) }));
        Assert.Throws<InvalidTierPolicyException>(() => new TierStabilizer(Chinese, new TierStabilityOptions { MinimumTimeInTier = Duration.FromDays(-1) }));
        Assert.Throws<InvalidTierPolicyException>(() => TierReviewSchedule.Monthly(29));
    }

    [Theory]
    [InlineData(TierReviewPeriod.Monthly, "2026-05-17T10:00:00Z", "2026-05-01T00:00:00Z")]
    [InlineData(TierReviewPeriod.Monthly, "2026-05-01T00:00:00Z", "2026-05-01T00:00:00Z")]
    [InlineData(TierReviewPeriod.Quarterly, "2026-05-17T10:00:00Z", "2026-04-01T00:00:00Z")]
    [InlineData(TierReviewPeriod.Quarterly, "2026-03-31T23:59:00Z", "2026-01-01T00:00:00Z")]
    [InlineData(TierReviewPeriod.Yearly, "2026-05-17T10:00:00Z", "2026-01-01T00:00:00Z")]
    public void LatestAtOrBefore_Periods_StartOfReviewDay(TierReviewPeriod period, string at, string expected)
    {
        var s = new TierReviewSchedule(period);
        Assert.Equal(NodaTime.Text.InstantPattern.General.Parse(expected).Value, s.LatestAtOrBefore(NodaTime.Text.InstantPattern.General.Parse(at).Value));
    }

    [Fact]
    public void LatestAtOrBefore_Zone_UsesLocalCalendar()
    {
        var shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var s = TierReviewSchedule.Monthly(1, shanghai);
        // 2026-04-30T17:00Z is already 1 May 01:00 in Shanghai; the review began at 2026-04-30T16:00Z.
        Assert.Equal(Instant.FromUtc(2026, 4, 30, 16, 0), s.LatestAtOrBefore(Instant.FromUtc(2026, 4, 30, 17, 0)));
    }
}

public class TierLedgerTests
{
    [Fact]
    public void Evaluate_StepByStep_EqualsReplay()
    {
        var policy = Abc();
        var stabilizer = new TierStabilizer(Cba, new TierStabilityOptions { GracePeriod = Duration.FromDays(30) });
        var snapshots = Enumerable.Range(0, 6)
            .Select(d => new TierSnapshot(Day(d * 20), Population([.. Enumerable.Range(0, 10).Select(i => (decimal?)((i * 7 + d * 3) % 10))])))
            .ToList();
        var ledger = TierLedger.Empty(stabilizer);
        var changes = new List<TierChange>();
        foreach (var s in snapshots)
        {
            var step = ledger.Evaluate(policy, s.Population, s.AsOf);
            ledger = step.Ledger;
            changes.AddRange(step.Changes);
        }

        var replayed = TierLedger.Replay(stabilizer, policy, snapshots);
        Assert.Equal(ledger.States.Count, replayed.States.Count);
        foreach (var (id, state) in ledger.States)
        {
            Assert.Equal(Describe(state.History), Describe(replayed.History(id)));
            Assert.Equal(state.Current, replayed.CurrentTier(id));
        }

        Assert.Equal(changes.Count, ledger.States.Values.Sum(s => s.History.Count));
    }

    [Fact]
    public void Evaluate_CustomerAbsent_KeepsState()
    {
        var ledger = TierLedger.Empty(new TierStabilizer(Chinese));
        ledger = ledger.Evaluate(Spend(), Population(20000m, 5m), Day(0)).Ledger;
        var step = ledger.Evaluate(Spend(), [Subject(1, 5000m)], Day(1));
        Assert.Equal("VIP", step.Ledger.CurrentTier(Id(0))!.Value.Name);
        Assert.Equal("标准客户", step.Ledger.CurrentTier(Id(1))!.Value.Name);
        Assert.Equal(TierChangeKind.Upgrade, Assert.Single(step.Changes).Kind);
        Assert.Null(step.Ledger.CurrentTier(Id(9)));
        Assert.Empty(step.Ledger.History(Id(9)));
    }

    [Fact]
    public void Evaluate_ForeignLadder_Throws()
    {
        var ledger = TierLedger.Empty(new TierStabilizer(Chinese));
        Assert.Throws<ArgumentException>(() => ledger.Evaluate(Abc(), Population(1m), Day(0)));
    }

    internal static string[] Describe(IEnumerable<TierChange> history) =>
        [.. history.Select(c => $"{c.At}|{c.From?.Name}|{c.To.Name}|{c.Kind}|{c.Explanation}")];
}
