using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Tests.Privacy;

public class ScopeAndPseudonymTests
{
    private static readonly Instant T = Instant.FromUtc(2026, 1, 1, 0, 0);

    private static async Task<InMemoryCustomerStore> Store()
    {
        var store = new InMemoryCustomerStore();
        foreach (var (id, owner) in new[] { ("C1", "wang.fang"), ("C2", "li.lei"), ("C3", "zhao.min"), ("C4", " wang.fang ") })
        {
            await store.UpsertAsync(new Customer(new CustomerId(id), CustomerKind.Person, "张伟", T) { Owner = owner }, 0);
        }

        await store.UpsertAsync(new Customer(new CustomerId("C5"), CustomerKind.Person, "无主", T), 0);
        return store;
    }

    private static async Task<List<string>> All(ICustomerStore s)
    {
        var ids = new List<string>();
        await foreach (var page in s.StreamAllAsync(2))
        {
            ids.AddRange(page.Select(c => c.Id.Value));
        }

        return ids;
    }

    [Fact]
    public async Task ScopedStore_OwnerTeamAggregatesAll_FilterReads()
    {
        var store = await Store();
        Assert.Equal<string>(["C1", "C4"], await All(new ScopedCustomerStore(store, DataScope.OwnedBy("wang.fang"))));
        Assert.Equal<string>(["C1", "C2", "C4"], await All(new ScopedCustomerStore(store, DataScope.Team("east", ["wang.fang", "li.lei"]))));
        Assert.Empty(await All(new ScopedCustomerStore(store, DataScope.AggregatesOnly)));
        Assert.Equal(5, (await All(new ScopedCustomerStore(store, DataScope.All))).Count);
        var mine = new ScopedCustomerStore(store, DataScope.OwnedBy("wang.fang"));
        Assert.Null(await mine.GetAsync(new CustomerId("C2")));
        Assert.NotNull(await mine.GetAsync(new CustomerId("C1")));
        Assert.Equal<string>(["C4", "C1"], (await mine.GetManyAsync([new("C4"), new("C2"), new("C1")])).Select(c => c.Id.Value));
        Assert.Null(await new ScopedCustomerStore(store, DataScope.AggregatesOnly).GetAsync(new CustomerId("C1")));
        var region = DataScope.Where("customers without owner", c => c.Owner is null);
        Assert.Equal<string>(["C5"], await All(new ScopedCustomerStore(store, region)));
    }

    [Fact]
    public async Task ScopedStore_WritesOutsideScope_ThrowAndWriteNothing()
    {
        var store = await Store();
        var mine = new ScopedCustomerStore(store, DataScope.OwnedBy("wang.fang"));
        var theirs = (await store.GetAsync(new CustomerId("C2")))!;
        await Assert.ThrowsAsync<DataScopeException>(async () => await mine.UpsertAsync(theirs with { Owner = "wang.fang" }, theirs.Version));
        var own = (await store.GetAsync(new CustomerId("C1")))!;
        await Assert.ThrowsAsync<DataScopeException>(async () => await mine.UpsertAsync(own with { Owner = "li.lei" }, own.Version));
        await Assert.ThrowsAsync<DataScopeException>(async () => await new ScopedCustomerStore(store, DataScope.AggregatesOnly).UpsertAsync(own, own.Version));
        Assert.False(await mine.DeleteAsync(theirs.Id, theirs.Version));
        Assert.Equal(theirs, await store.GetAsync(theirs.Id));
        Assert.Equal(own, await store.GetAsync(own.Id));
        var updated = await mine.UpsertAsync(own with { Region = "华东" }, own.Version);
        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public async Task ScopedActivityStore_FiltersStreamsAndAppends()
    {
        var store = await Store();
        var activity = new InMemoryActivityStore();
        await activity.AppendAsync([new Purchase(new("C1"), T, Money.Of(1m, "CNY")), new Purchase(new("C2"), T, Money.Of(2m, "CNY")), new Purchase(new("anon-x"), T, Money.Of(3m, "CNY"))]);
        var mine = new ScopedActivityStore(activity, store, DataScope.OwnedBy("wang.fang"));
        var range = new List<ActivityRecord>();
        await foreach (var r in mine.StreamRangeAsync(Instant.MinValue, Instant.MaxValue))
        {
            range.Add(r);
        }

        Assert.Equal("C1", Assert.Single(range).CustomerId.Value);
        await foreach (var r in mine.StreamForCustomerAsync(new("C2")))
        {
            Assert.Fail($"saw {r}");
        }

        await Assert.ThrowsAsync<DataScopeException>(async () => await mine.AppendAsync([new Purchase(new("C1"), T, Money.Of(1m, "CNY")), new Purchase(new("C2"), T, Money.Of(1m, "CNY"))]));
        Assert.Equal(3, activity.Count);
    }

    [Fact]
    public void Scope_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => DataScope.OwnedBy(" "));
        Assert.Throws<ArgumentException>(() => DataScope.Team("t", ["a", " "]));
        Assert.Throws<ArgumentNullException>(() => DataScope.Where("x", null!));
    }

    [Fact]
    public void Pseudonymiser_IsStableKeyedAndNormalises()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var a = new Pseudonymiser(key);
        var b = new Pseudonymiser(key);
        var other = new Pseudonymiser(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)).ToArray());
        Assert.Equal(a.PseudonymousId(new("C1")), b.PseudonymousId(new("C1")));
        Assert.NotEqual(a.PseudonymousId(new("C1")), other.PseudonymousId(new("C1")));
        Assert.NotEqual(a.PseudonymousId(new("C1")), a.PseudonymousId(new("C2")));
        Assert.Equal(a.PseudonymiseEmail(" Li.Na@Example.COM "), a.PseudonymiseEmail("li.na@example.com"));
        Assert.Equal(a.PseudonymisePhone("138 1234 5678"), a.PseudonymisePhone("+8613812345678"));
        Assert.NotEqual(a.Pseudonymise("email", "x"), a.Pseudonymise("phone", "x"));
        Assert.Matches("^anon-[a-z2-7]{26}$", a.PseudonymousId(new("C1")).Value);
        Assert.Throws<ArgumentException>(() => new Pseudonymiser(new byte[31]));
        var p = a.Pseudonymise(new Customer(new("C1"), CustomerKind.Person, "张伟", T) { Emails = ["li@example.com"], Phones = ["13812345678"], Region = "华东" });
        Assert.Equal("华东", p.Region);
        Assert.Equal(a.PseudonymiseEmail("li@example.com"), Assert.Single(p.EmailKeys));
    }

    [Fact]
    public void ResidentId_ChecksLengthDigitsDateAndChecksum()
    {
        const string first17 = "11010519491231002";
        var check = ChineseResidentId.CheckCharacter(first17);
        Assert.Equal('X', check);
        var valid = ChineseResidentId.Parse(" " + first17 + "x ");
        Assert.True(valid.IsValid, valid.Error);
        Assert.Equal(first17 + "X", valid.Value!.Value.Value);
        Assert.Equal(new LocalDate(1949, 12, 31), valid.Value!.Value.BirthDate);
        Assert.Equal("110105", valid.Value!.Value.RegionCode);
        Assert.Equal("110***********002X", valid.Value!.Value.ToString());
        foreach (var bad in new[] { first17 + "1", first17, "11010519491331002X", "1101051949123100AX", "", null })
        {
            var r = ChineseResidentId.Parse(bad);
            Assert.False(r.IsValid);
            Assert.False(string.IsNullOrEmpty(r.Error));
            Assert.DoesNotContain(first17, r.Error!, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => ChineseResidentId.CheckCharacter("123"));
    }
}
