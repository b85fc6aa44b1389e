using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Tiers;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.DataQuality;

public class MergedHistoryTests
{
    // Day 0: C0000 潜力客户, C0001 标准客户, C0002 VIP, C0003 标准客户 (first assignments, one instant);
    // day 3: C0001 up to VIP; day 7: C0000 up to 标准客户.
    private static TierLedger Ledger()
    {
        var ledger = TierLedger.Empty(new TierStabilizer(Chinese));
        ledger = ledger.Evaluate(Spend(), Population(500m, 2000m, 20000m, 3000m), Day(0)).Ledger;
        ledger = ledger.Evaluate(Spend(), [Subject(1, 20000m)], Day(3)).Ledger;
        return ledger.Evaluate(Spend(), [Subject(0, 5000m)], Day(7)).Ledger;
    }

    // C0001 was merged into C0000, and C0002 into C0001 before that (a chain).
    private static async Task<InMemoryCustomerAliasStore> Aliases()
    {
        var aliases = new InMemoryCustomerAliasStore();
        Assert.True(await aliases.TryAddAsync(Id(2), Id(1)));
        Assert.True(await aliases.TryAddAsync(Id(1), Id(0)));
        return aliases;
    }

    private static string[] Describe(IEnumerable<TierChange> changes) => [.. changes.Select(c => $"{c.CustomerId}@{c.At}:{c.To.Name}")];

    [Fact]
    public async Task TiersAsync_SurvivorWithAliasChain_AllHistoriesInTimeOrderSurvivorFirstOnTies()
    {
        var ledger = Ledger();

        var merged = await MergedHistory.TiersAsync(ledger, Id(0), await Aliases());

        // Every change of the three records once, each still under the id it was recorded for; C0003 is not merged.
        var all = new[] { Id(0), Id(1), Id(2) }.SelectMany(ledger.History).ToList();
        Assert.Equal(all.Count, merged.Length);
        Assert.All(all, c => Assert.Contains(c, merged));
        Assert.DoesNotContain(merged, c => c.CustomerId == Id(3));
        Assert.Equal(merged.OrderBy(c => c.At).Select(c => c.At), merged.Select(c => c.At));

        // Day 0 holds one first assignment per record: survivor, then the aliases in ordinal order.
        Assert.Equal([Id(0), Id(1), Id(2)], merged.Where(c => c.At == Day(0)).Select(c => c.CustomerId));
        Assert.Equal(
            [$"{Id(0)}@{Day(0)}:潜力客户", $"{Id(1)}@{Day(0)}:标准客户", $"{Id(2)}@{Day(0)}:VIP", $"{Id(1)}@{Day(3)}:VIP", $"{Id(0)}@{Day(7)}:标准客户"],
            Describe(merged));
    }

    [Fact]
    public async Task TiersAsync_AliasId_ResolvesToSurvivorsCombinedHistory()
    {
        var ledger = Ledger();
        var aliases = await Aliases();

        var bySurvivor = await MergedHistory.TiersAsync(ledger, Id(0), aliases);
        var byAlias = await MergedHistory.TiersAsync(ledger, Id(2), aliases);

        Assert.Equal(Describe(bySurvivor), Describe(byAlias));
    }

    [Fact]
    public async Task TiersAsync_NoAliases_OwnHistoryUnchanged()
    {
        var ledger = Ledger();

        var merged = await MergedHistory.TiersAsync(ledger, Id(0), new InMemoryCustomerAliasStore());

        Assert.Equal(Describe(ledger.History(Id(0))), Describe(merged));
    }

    [Fact]
    public async Task TiersAsync_AfterUndo_EachRecordHasItsOwnHistoryBack()
    {
        var ledger = Ledger();
        var aliases = await Aliases();
        Assert.True(await aliases.TryRemoveAsync(Id(1), Id(0)));

        var survivor = await MergedHistory.TiersAsync(ledger, Id(0), aliases);
        var restored = await MergedHistory.TiersAsync(ledger, Id(1), aliases);

        Assert.Equal(Describe(ledger.History(Id(0))), Describe(survivor));
        Assert.Equal(Describe(ledger.History(Id(1)).Concat(ledger.History(Id(2))).OrderBy(c => c.At)), Describe(restored));
    }

    [Fact]
    public async Task TiersAsync_UnknownCustomer_Empty()
    {
        var merged = await MergedHistory.TiersAsync(Ledger(), new CustomerId("nobody"), await Aliases());

        Assert.Empty(merged);
    }

    [Fact]
    public async Task TiersAsync_NullArguments_Throw()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await MergedHistory.TiersAsync(null!, Id(0), new InMemoryCustomerAliasStore()));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await MergedHistory.TiersAsync(Ledger(), Id(0), null!));
    }

    [Fact]
    public async Task TiersAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await MergedHistory.TiersAsync(Ledger(), Id(0), await Aliases(), cts.Token));
    }

    [Fact]
    public async Task LifecycleAsync_SurvivorAndAlias_MovesInTimeOrderWithRecordedFor()
    {
        var by = LifecycleTrigger.Manual("test");
        var a = new CustomerLifecycle(Id(0), "new", Day(0), [new LifecycleMove("new", "active", Day(5), by, "first purchase")]);
        var b = new CustomerLifecycle(Id(1), "new", Day(0), [new LifecycleMove("new", "active", Day(2), by, "first purchase"), new LifecycleMove("active", "lapsed", Day(5), by, "quiet")]);
        var lifecycles = new Dictionary<CustomerId, CustomerLifecycle> { [Id(0)] = a, [Id(1)] = b };

        var merged = await MergedHistory.LifecycleAsync(lifecycles, Id(0), await Aliases());

        Assert.Equal(
            [(Id(1), "active", Day(2)), (Id(0), "active", Day(5)), (Id(1), "lapsed", Day(5))],
            merged.Select(m => (m.RecordedFor, m.Move.To, m.Move.At)));
    }
}
