using CustomerSegmentation.Engagement;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

public class ReleasePolicyTests
{
    private static readonly ReleasePolicy Policy = new(
    [
        new ReleaseRule("A", NoFollowUpDays: 60, NoDealDays: 180, WarningDays: 7),
        new ReleaseRule("B", NoFollowUpDays: 30, NoDealDays: 90, WarningDays: 5),
        new ReleaseRule(null, NoFollowUpDays: 15, NoDealDays: null, WarningDays: 3),
    ]);

    private static SharedPool Owned(Instant since, params string[] ids)
    {
        var pool = SharedPool.Empty;
        foreach (var id in ids)
        {
            pool = pool.Enter(Id(id), "li", since, "import", "initial book");
        }

        return pool;
    }

    [Fact]
    public void Review_PerTier_ReleasesWarnsAndKeeps()
    {
        var pool = Owned(Utc(2026, 1, 1), "C1", "C2", "C3", "C4");
        var asOf = Utc(2026, 7, 1);
        var subjects = new[]
        {
            Subject("C1", "B", null, null, Call("C1", Utc(2026, 5, 31))) with { LastPurchaseAt = Utc(2026, 6, 20) },   // 31 days without follow-up
            Subject("C2", "B", null, null, Call("C2", Utc(2026, 6, 5))) with { LastPurchaseAt = Utc(2026, 6, 20) },    // 26 days: release in 4
            Subject("C3", "A", null, null, Call("C3", Utc(2026, 6, 20))) with { LastPurchaseAt = Utc(2026, 1, 5) },    // 177 days without deal
            Subject("C4", "A", null, null, Call("C4", Utc(2026, 6, 20))) with { LastPurchaseAt = Utc(2026, 6, 1) },
        };
        var review = Policy.Review(pool, subjects, asOf);
        var d = review.Decisions.ToDictionary(x => x.CustomerId.Value);
        Assert.Equal(ReleaseOutcome.Release, d["C1"].Outcome);
        Assert.Equal("tier B: 31 days without follow-up since 2026-05-31 (release at 30), 11 days without deal since 2026-06-20 (release at 90): released to the pool", d["C1"].Explanation);
        Assert.Contains(new EngagementFigure("days without follow-up", 31, 30), d["C1"].Figures);
        Assert.Equal((ReleaseOutcome.Warning, (int?)4), (d["C2"].Outcome, d["C2"].DaysUntilRelease));
        Assert.Equal((ReleaseOutcome.Warning, (int?)3), (d["C3"].Outcome, d["C3"].DaysUntilRelease));
        Assert.Contains("177 days without deal since 2026-01-05", d["C3"].Explanation, StringComparison.Ordinal);
        Assert.Equal(ReleaseOutcome.Keep, d["C4"].Outcome);
        Assert.Equal(["C3", "C2"], review.Warnings.Select(w => w.CustomerId.Value));

        var after = review.ApplyTo(pool);
        Assert.True(after.IsInPool(Id("C1")));
        var e = after.Events[^1];
        Assert.Equal((PoolEventKind.Release, "release-policy", "li", asOf), (e.Kind, e.Actor, e.From!, e.At));
        Assert.Equal(d["C1"].Explanation, e.Reason);
        Assert.Equal(d["C1"].Figures.ToArray(), e.Figures.ToArray());
    }

    [Fact]
    public void Review_ProtectedCustomer_NeverReleased()
    {
        var pool = Owned(Utc(2025, 1, 1), "C1");
        var review = Policy.Review(pool, [Subject("C1", "B") with { IsProtected = true }], Utc(2026, 7, 1));
        var d = Assert.Single(review.Decisions);
        Assert.Equal(ReleaseOutcome.Protected, d.Outcome);
        Assert.Equal("protected: never released to the pool", d.Explanation);
        Assert.Empty(review.Releases);
    }

    [Fact]
    public void Review_RecentlyClaimed_CountsFromTheClaim()
    {
        // Neglected for a year by the previous owner, claimed 10 days ago by wang: not released.
        var pool = SharedPool.Empty.Enter(Id("C1"), null, Utc(2025, 6, 1), "import", "lead")
            .TryClaim(Id("C1"), "wang", Utc(2026, 6, 21), new ClaimPolicy(10, 10, Duration.Zero)).Pool;
        var d = Assert.Single(Policy.Review(pool, [Subject("C1", "B", null, null, Call("C1", Utc(2025, 7, 1)))], Utc(2026, 7, 1)).Decisions);
        Assert.Equal((ReleaseOutcome.Keep, "wang", (int?)20), (d.Outcome, d.Owner, d.DaysUntilRelease));
        Assert.Contains("10 days without follow-up since 2026-06-21 (owned since)", d.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_DefaultRule_AndNoRule()
    {
        var pool = Owned(Utc(2026, 6, 1), "C1");
        var d = Assert.Single(Policy.Review(pool, [Subject("C1", "Z")], Utc(2026, 6, 16)).Decisions);
        Assert.Equal((ReleaseOutcome.Release, "*"), (d.Outcome, d.RuleTier));
        Assert.StartsWith("default rule: 15 days without follow-up", d.Explanation, StringComparison.Ordinal);

        var onlyA = new ReleasePolicy([new ReleaseRule("A", 30, null)]);
        var none = Assert.Single(onlyA.Review(pool, [Subject("C1", "B")], Utc(2027, 1, 1)).Decisions);
        Assert.Equal(ReleaseOutcome.NoRule, none.Outcome);
        Assert.Equal("no release rule for tier B: kept", none.Explanation);
    }

    [Fact]
    public void Review_ReportsUnknownAndUnreviewed_AndSkipsThePool()
    {
        var pool = Owned(Utc(2026, 6, 1), "C1", "C2").Enter(Id("C3"), null, Utc(2026, 6, 1), "import", "lead");
        var review = Policy.Review(pool, [Subject("C1", "A"), Subject("C9", "A"), Subject("C3", "A")], Utc(2026, 6, 2));
        Assert.Equal(["C1"], review.Decisions.Select(x => x.CustomerId.Value));
        Assert.Equal([Id("C9")], review.Unknown.ToArray());
        Assert.Equal([Id("C2")], review.Unreviewed.ToArray());
    }

    [Fact]
    public void ApplyTo_ChangedPool_Throws()
    {
        var pool = Owned(Utc(2026, 1, 1), "C1");
        var review = Policy.Review(pool, [Subject("C1", "B")], Utc(2026, 7, 1));
        var changed = pool.Enter(Id("C2"), null, Utc(2026, 7, 1), "import", "lead");
        Assert.Throws<InvalidOperationException>(() => review.ApplyTo(changed));
        Assert.Throws<ArgumentException>(() => Policy.Review(changed, [], Utc(2026, 6, 1)));
    }

    [Fact]
    public void Constructor_BadRules_Throw()
    {
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule("A", null, null)]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule("A", 0, null)]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule("A", 30, null, -1)]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule("A", 30, null, 30)]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule("A", 30, null), new ReleaseRule("A", 10, null)]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule(null, 30, null), new ReleaseRule(null, 10, null)]));
        Assert.Throws<EngagementConfigurationException>(() => new ReleasePolicy([new ReleaseRule(" ", 30, null)]));
    }
}
