using CustomerSegmentation.Engagement;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

public class SharedPoolTests
{
    private static readonly ClaimPolicy Limits = new(maxHeld: 2, maxClaimsPerDay: 2, coolDown: Duration.FromDays(7), zone: Shanghai);

    private static SharedPool Book(params (string Id, string? Owner)[] customers)
    {
        var pool = SharedPool.Empty;
        foreach (var (id, owner) in customers)
        {
            pool = pool.Enter(Id(id), owner, Utc(2026, 1, 1), "import", "initial book");
        }

        return pool;
    }

    [Fact]
    public void Enter_Claim_Release_Transfer_RecordWhoWhenWhy()
    {
        var pool = Book(("C1", "li"), ("C2", null));
        Assert.Equal("li", pool.OwnerOf(Id("C1")));
        Assert.True(pool.IsInPool(Id("C2")));

        var claim = pool.TryClaim(Id("C2"), "wang", Utc(2026, 2, 1), Limits);
        Assert.True(claim.IsSuccess);
        Assert.Equal("claimed from the pool: wang now holds 1 of 2, claim 1 of 2 today", claim.Reason);
        pool = claim.Pool;
        pool = pool.Release(Id("C1"), Utc(2026, 2, 2), "li", "no longer interested", [new EngagementFigure("days without follow-up", 40, 30)]);
        pool = pool.Transfer(Id("C2"), "zhao", Utc(2026, 2, 3), "manager.chen", "wang left the team");

        Assert.Equal([PoolEventKind.Enter, PoolEventKind.Enter, PoolEventKind.Claim, PoolEventKind.Release, PoolEventKind.Transfer], pool.Events.Select(e => e.Kind));
        var release = pool.Events[3];
        Assert.Equal((4L, "li", (string?)null, "li", "no longer interested"), (release.Sequence, release.From, release.To, release.Actor, release.Reason));
        Assert.Equal("days without follow-up 40 (threshold 30)", Assert.Single(release.Figures).ToString());
        Assert.Equal("zhao", pool.OwnerOf(Id("C2")));
        Assert.Equal([Id("C1")], pool.PoolMembers);
        Assert.Equal(["zhao"], pool.Owners);
        Assert.Equal(Utc(2026, 2, 3), pool.HeldSince(Id("C2")));
        Assert.Empty(pool.CheckConsistency());
    }

    [Fact]
    public void TryClaim_OwnerAtHeldLimit_IsRefusedWithFigures()
    {
        var pool = Book(("C1", "li"), ("C2", "li"), ("C3", null));
        var r = pool.TryClaim(Id("C3"), "li", Utc(2026, 2, 1), Limits);
        Assert.False(r.IsSuccess);
        Assert.Same(pool, r.Pool);
        Assert.Equal("li holds 2 customers, the limit is 2", r.Reason);
        Assert.Equal(new EngagementFigure("customers held", 2, 2), Assert.Single(r.Figures));

        // After a release the owner is below the limit again.
        var released = pool.Release(Id("C1"), Utc(2026, 2, 1), "li", "not my region");
        Assert.True(released.TryClaim(Id("C3"), "li", Utc(2026, 2, 1), Limits).IsSuccess);
    }

    [Fact]
    public void TryClaim_DailyLimit_CountsTheLocalDay()
    {
        var pool = Book(("C1", null), ("C2", null), ("C3", null));
        var limits = new ClaimPolicy(maxHeld: 10, maxClaimsPerDay: 2, coolDown: Duration.Zero, zone: Shanghai);
        pool = pool.TryClaim(Id("C1"), "li", Instant.FromUtc(2026, 2, 1, 1, 0), limits).Pool;    // 09:00 Shanghai
        pool = pool.TryClaim(Id("C2"), "li", Instant.FromUtc(2026, 2, 1, 10, 0), limits).Pool;   // 18:00
        var third = pool.TryClaim(Id("C3"), "li", Instant.FromUtc(2026, 2, 1, 15, 0), limits);   // 23:00, same day
        Assert.False(third.IsSuccess);
        Assert.Equal("li made 2 claims on 2026-02-01 (Asia/Shanghai), the limit is 2 per day", third.Reason);
        var nextDay = pool.TryClaim(Id("C3"), "li", Instant.FromUtc(2026, 2, 1, 16, 0), limits);   // 00:00 on 2 February
        Assert.True(nextDay.IsSuccess);
        Assert.Equal(1, nextDay.Pool.ClaimsOnDay("li", Instant.FromUtc(2026, 2, 1, 16, 0), Shanghai));
    }

    [Fact]
    public void TryClaim_CoolDown_OnlyForTheOwnerWhoReleased()
    {
        var pool = Book(("C1", "li")).Release(Id("C1"), Utc(2026, 2, 1), "li", "too far away");
        var again = pool.TryClaim(Id("C1"), "li", Utc(2026, 2, 5), Limits);
        Assert.False(again.IsSuccess);
        Assert.StartsWith("li released 'C1' at 2026-02-01T12:00:00Z; the cool-down of 7 days ends at 2026-02-08T12:00:00Z", again.Reason, StringComparison.Ordinal);
        Assert.Contains(again.Figures, f => f.Name == "hours since own release" && f.Value == 96 && f.Threshold == 168);
        Assert.True(pool.TryClaim(Id("C1"), "wang", Utc(2026, 2, 5), Limits).IsSuccess);
        Assert.True(pool.TryClaim(Id("C1"), "li", Utc(2026, 2, 8, 12), Limits).IsSuccess);
    }

    [Fact]
    public void TryClaim_NotInPoolOrUnknown_IsRefused()
    {
        var pool = Book(("C1", "li"));
        Assert.Equal("customer 'C1' is not in the pool: held by li since 2026-01-01T12:00:00Z", pool.TryClaim(Id("C1"), "wang", Utc(2026, 2, 1), Limits).Reason);
        Assert.Equal("customer 'C9' is not known to the pool", pool.TryClaim(Id("C9"), "wang", Utc(2026, 2, 1), Limits).Reason);
    }

    [Fact]
    public void Misuse_Throws()
    {
        var pool = Book(("C1", "li"), ("C2", null));
        Assert.Throws<ArgumentException>(() => pool.Enter(Id("C1"), null, Utc(2026, 2, 1), "x", "y"));
        Assert.Throws<ArgumentException>(() => pool.Release(Id("C2"), Utc(2026, 2, 1), "x", "y"));
        Assert.Throws<ArgumentException>(() => pool.Release(Id("C9"), Utc(2026, 2, 1), "x", "y"));
        Assert.Throws<ArgumentException>(() => pool.Transfer(Id("C1"), "li", Utc(2026, 2, 1), "x", "y"));
        Assert.Throws<ArgumentException>(() => pool.Release(Id("C1"), Utc(2025, 12, 1), "x", "y"));       // before the last event
        Assert.Throws<ArgumentException>(() => pool.Release(Id("C1"), Utc(2026, 2, 1), " ", "y"));
        Assert.Throws<ArgumentException>(() => pool.TryClaim(Id("C2"), "", Utc(2026, 2, 1), Limits));
        Assert.Throws<EngagementConfigurationException>(() => new ClaimPolicy(0, 1, Duration.Zero));
        Assert.Throws<EngagementConfigurationException>(() => new ClaimPolicy(1, 0, Duration.Zero));
        Assert.Throws<EngagementConfigurationException>(() => new ClaimPolicy(1, 1, Duration.FromDays(-1)));
    }

    [Fact]
    public void Transfer_FromThePool_IsAManagementAssignment()
    {
        var pool = Book(("C1", null)).Transfer(Id("C1"), "li", Utc(2026, 2, 1), "manager.chen", "key account for li");
        Assert.Equal("li", pool.OwnerOf(Id("C1")));
        Assert.Null(pool.Events[^1].From);
    }

    [Fact]
    public void Replay_GivesTheSameOwnership()
    {
        var pool = Book(("C1", "li"), ("C2", null), ("C3", "wang"));
        pool = pool.TryClaim(Id("C2"), "wang", Utc(2026, 2, 1), Limits).Pool;
        pool = pool.Release(Id("C1"), Utc(2026, 2, 2), "release-policy", "31 days without follow-up");
        var replayed = SharedPool.Replay(pool.Events);
        Assert.Equal(pool.Ownership, replayed.Ownership);
        Assert.Equal(pool.Events, replayed.Events);
        // The cool-down survives the replay too.
        Assert.False(replayed.TryClaim(Id("C1"), "li", Utc(2026, 2, 3), Limits).IsSuccess);
    }

    [Fact]
    public void Apply_EventThatDoesNotFit_IsRejectedWithTheReason()
    {
        var pool = Book(("C1", "li"));
        var bad = new PoolEvent { Sequence = 2, Kind = PoolEventKind.Claim, CustomerId = Id("C1"), To = "wang", At = Utc(2026, 2, 1), Actor = "wang", Reason = "claim" };
        var ex = Assert.Throws<ArgumentException>(() => pool.Apply(bad));
        Assert.Contains("event 2 (Claim of 'C1' at 2026-02-01T12:00:00Z): only a customer in the pool can be claimed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected event number 2", Assert.Throws<ArgumentException>(() => pool.Apply(bad with { Sequence = 5 })).Message, StringComparison.Ordinal);
        var wrongFrom = bad with { Kind = PoolEventKind.Release, From = "wang", To = null };
        Assert.Contains("a release goes from the owner (li) to the pool", Assert.Throws<ArgumentException>(() => pool.Apply(wrongFrom)).Message, StringComparison.Ordinal);
    }
}
