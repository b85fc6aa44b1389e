using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tags;
using NodaTime;
using NodaTime.Testing;
using static CustomerSegmentation.Tests.DataQuality.DuplicateDetectorTests;

namespace CustomerSegmentation.Tests.DataQuality;

/// <summary>A store that runs an action once, just before the n-th write, to simulate a concurrent writer.</summary>
internal sealed class InterleavingCustomerStore(ICustomerStore inner) : ICustomerStore
{
    private int _writes;

    public Func<ValueTask>? BeforeWrite { get; set; }

    public int BeforeWriteNumber { get; set; } = 1;

    public ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default) => inner.GetManyAsync(ids, cancellationToken);

    public async ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await Interleave();
        return await inner.UpsertAsync(customer, expectedVersion, cancellationToken);
    }

    public async ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await Interleave();
        return await inner.DeleteAsync(id, expectedVersion, cancellationToken);
    }

    public IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, CancellationToken cancellationToken = default) => inner.StreamAllAsync(pageSize, cancellationToken);

    private async ValueTask Interleave()
    {
        if (++_writes == BeforeWriteNumber && BeforeWrite is { } action)
        {
            await action();
        }
    }
}

public class MergeTests
{
    private static readonly Instant MergeAt = Instant.FromUtc(2026, 6, 1, 9, 0);

    private sealed class World
    {
        public InMemoryCustomerStore Raw { get; } = new();

        public InMemoryCustomerAliasStore Aliases { get; } = new();

        public InMemoryActivityStore RawActivity { get; } = new();

        public FakeClock Clock { get; } = new(MergeAt);

        public TagIndex Tags { get; } = new(new TagTaxonomyBuilder()
            .AddGroup("interest", "Interest").AddTag("tea", "interest", "Tea").AddTag("golf", "interest", "Golf")
            .AddGroup("level", "Level", TagSelection.Single).AddTag("gold", "level", "Gold").AddTag("silver", "level", "Silver")
            .Build());

        public CustomerMerger Merger(ICustomerStore? store = null) => new(store ?? Raw, Aliases, Clock, tags: Tags);

        public AliasResolvingCustomerStore Customers => new(Raw, Aliases);

        public AliasResolvingActivityStore Activity => new(RawActivity, Aliases);

        public async Task<Customer> AddAsync(Customer c) => await Raw.UpsertAsync(c, 0);
    }

    private static Customer A() => Person("A001", "王芳", email: "wang.fang@example.com", phone: "+86 138 0000 1111", region: "上海", attributes: [("level", "gold"), ("source", "web")]) with
    {
        UpdatedAt = T0 + Duration.FromDays(10),
        Owner = null,
        MarketingConsent = false,
    };

    private static Customer B() => Person("B002", "王 芳", email: "Wang.Fang@EXAMPLE.com", phone: "＋８６ １３９ ２２２２ ３３３３", region: "北京", attributes: [("level", "silver"), ("wechat", "wf88")]) with
    {
        UpdatedAt = T0 + Duration.FromDays(20),
        Owner = "李雷",
        MarketingConsent = true,
        CreatedAt = T0 - Duration.FromDays(100),
    };

    [Fact]
    public async Task Merge_DefaultPolicy_KeepsEveryValueOrRecordsItDropped()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        var result = await w.Merger().MergeAsync(new("A001"), new("B002"), "审核员");
        Assert.True(result.Succeeded, result.Message);
        var merged = (await w.Raw.GetAsync(new("A001")))!;

        Assert.Equal("王芳", merged.DisplayName);                                   // keep survivor
        Assert.Equal("北京", merged.Region);                                        // newest non-empty: B changed later
        Assert.Equal("李雷", merged.Owner);                                         // A had none
        Assert.False(merged.MarketingConsent);                                     // consent never widened
        Assert.Equal(T0 - Duration.FromDays(100), merged.CreatedAt);               // earlier creation
        Assert.Equal(MergeAt, merged.UpdatedAt);
        Assert.Equal<string>(["wang.fang@example.com", "Wang.Fang@EXAMPLE.com"], merged.Emails); // local parts differ in case: kept both
        Assert.Equal<string>(["+86 138 0000 1111", "＋８６ １３９ ２２２２ ３３３３"], merged.Phones);
        Assert.Equal("gold", merged.CustomAttributes["level"]);
        Assert.Equal("wf88", merged.CustomAttributes["wechat"]);

        var record = result.Record!;
        Assert.Contains(record.Dropped, d => d.Field == "Region" && d.Value == "上海" && d.From.Value == "A001");
        Assert.Contains(record.Dropped, d => d.Field == "CustomAttributes[level]" && d.Value == "silver" && d.From.Value == "B002");
        Assert.Contains(record.Dropped, d => d.Field == "MarketingConsent" && d.Value == "true");
        Assert.Equal("审核员", record.Actor);
        Assert.Equal(MergeAt, record.At);
        Assert.Null(await w.Raw.GetAsync(new("B002")));
        Assert.Equal(merged, await w.Customers.GetAsync(new("B002")));
    }

    [Fact]
    public async Task Merge_SameContactAfterNormalisation_CountedOnceAndListedAsDropped()
    {
        var w = new World();
        await w.AddAsync(Person("A", "X", phone: "+86 138 1234 5678"));
        await w.AddAsync(Person("B", "X", phone: "＋８６１３８１２３４５６７８"));
        var result = await w.Merger().MergeAsync(new("A"), new("B"), "me");
        Assert.Equal<string>(["+86 138 1234 5678"], (await w.Raw.GetAsync(new("A")))!.Phones);
        var d = Assert.Single(result.Record!.Dropped, x => x.Field == "Phones");
        Assert.Equal("Union: the same as '+86 138 1234 5678' after normalisation", d.Reason);
    }

    [Fact]
    public async Task Merge_ActivityAndImports_LandOnSurvivor()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        var cny = Currency.Cny;
        await w.RawActivity.AppendAsync([new Purchase(new("A001"), T0 + Duration.FromDays(1), new Money(100m, cny))]);
        await w.RawActivity.AppendAsync([new Purchase(new("B002"), T0 + Duration.FromDays(2), new Money(50m, cny))]);
        await w.Merger().MergeAsync(new("A001"), new("B002"), "me");

        await w.Activity.AppendAsync([new Purchase(new("B002"), T0 + Duration.FromDays(3), new Money(7m, cny))]);
        var stream = await w.Activity.StreamForCustomerAsync(new("B002")).ToListAsync();
        Assert.Equal([100m, 50m, 7m], stream.Cast<Purchase>().Select(p => p.Amount.Amount));
        Assert.All(stream, r => Assert.Equal("A001", r.CustomerId.Value));
        var range = await w.Activity.StreamRangeAsync(T0, T0 + Duration.FromDays(10)).ToListAsync();
        Assert.All(range, r => Assert.Equal("A001", r.CustomerId.Value));

        // A CSV import row "B002, new owner" read-modify-writes through the resolving store and lands on A001.
        var viaB = (await w.Customers.GetAsync(new("B002")))!;
        var imported = new Customer(new("B002"), CustomerKind.Person, viaB.DisplayName, viaB.CreatedAt) { Owner = "韩梅梅", Emails = viaB.Emails };
        var stored = await w.Customers.UpsertAsync(imported, viaB.Version);
        Assert.Equal("A001", stored.Id.Value);
        Assert.Equal("韩梅梅", (await w.Raw.GetAsync(new("A001")))!.Owner);
        Assert.Null(await w.Raw.GetAsync(new("B002")));
    }

    [Fact]
    public async Task Merge_AliasChain_CIntoBThenBIntoA_CResolvesToA()
    {
        var w = new World();
        await w.AddAsync(Person("A", "Zhang San", email: "zs@example.com"));
        await w.AddAsync(Person("B", "Zhang San", phone: "+8613800000001"));
        await w.AddAsync(Person("C", "Zhang  San", phone: "+8613800000002"));
        await w.RawActivity.AppendAsync([new Interaction(new("C"), InteractionKind.Complaint, T0, satisfaction: 2)]);
        var first = await w.Merger().MergeAsync(new("B"), new("C"), "me");
        var second = await w.Merger().MergeAsync(new("A"), new("B"), "me");
        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal("A", (await w.Customers.GetAsync(new("C")))!.Id.Value);
        Assert.Equal(new CustomerId("A"), await w.Aliases.ResolveAsync(new("C")));
        Assert.Equal<string>(["+8613800000001", "+8613800000002"], (await w.Raw.GetAsync(new("A")))!.Phones);
        var complaint = Assert.Single(await w.Activity.StreamForCustomerAsync(new("A")).ToListAsync());
        Assert.Equal("A", complaint.CustomerId.Value);
        var again = await w.Merger().MergeAsync(new("C"), new("A"), "me");
        Assert.Equal(MergeStatus.SameCustomer, again.Status);

        // Undo the second merge: C resolves to B again.
        Assert.True((await w.Merger().UndoAsync(second.Record!)).Succeeded);
        Assert.Equal(new CustomerId("B"), await w.Aliases.ResolveAsync(new("C")));
        Assert.Equal<string>(["+8613800000001", "+8613800000002"], (await w.Raw.GetAsync(new("B")))!.Phones);
    }

    [Fact]
    public async Task Merge_TagsMove_SingleSelectClashDropped_UndoRestores()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        w.Tags.Assign(new("A001"), new("gold"), TagSource.Manual, T0);
        w.Tags.Assign(new("A001"), new("tea"), TagSource.Manual, T0);
        w.Tags.Assign(new("B002"), new("silver"), TagSource.Manual, T0, "bob");
        w.Tags.Assign(new("B002"), new("tea"), TagSource.Manual, T0 + Duration.FromDays(1));
        w.Tags.Assign(new("B002"), new("golf"), TagSource.Manual, T0 + Duration.FromDays(2), "bob");
        var result = await w.Merger().MergeAsync(new("A001"), new("B002"), "me");
        Assert.Equal(["gold", "golf", "tea"], w.Tags.TagsOf(new("A001")).Select(t => t.TagId.ToString()).Order(StringComparer.Ordinal));
        Assert.Empty(w.Tags.TagsOf(new("B002")));
        Assert.Contains(result.Record!.Dropped, d => d.Field == "Tags" && d.Value == "silver" && d.Reason.Contains("takes one tag", StringComparison.Ordinal));
        Assert.Contains(result.Record!.Dropped, d => d.Field == "Tags" && d.Value == "tea");

        var undo = await w.Merger().UndoAsync(result.Record!);
        Assert.True(undo.Succeeded, undo.Message);
        Assert.Equal(["gold", "tea"], w.Tags.TagsOf(new("A001")).Select(t => t.TagId.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(result.Record!.AbsorbedTags.OrderBy(t => t.TagId.ToString(), StringComparer.Ordinal), w.Tags.TagsOf(new("B002")).OrderBy(t => t.TagId.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task Undo_RestoresBothExactlyExceptVersion()
    {
        var w = new World();
        var a = await w.AddAsync(A());
        var b = await w.AddAsync(B());
        var merge = await w.Merger().MergeAsync(new("A001"), new("B002"), "me");
        var undo = await w.Merger().UndoAsync(merge.Record!);
        Assert.True(undo.Succeeded, undo.Message);
        var a2 = (await w.Raw.GetAsync(new("A001")))!;
        var b2 = (await w.Raw.GetAsync(new("B002")))!;
        Assert.Equal(a with { Version = 0 }, a2 with { Version = 0 });
        Assert.Equal(b with { Version = 0 }, b2 with { Version = 0 });
        Assert.Equal(0, w.Aliases.Count);
    }

    [Fact]
    public async Task Undo_SurvivorChangedSinceMerge_ConflictNothingWritten()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        var merge = await w.Merger().MergeAsync(new("A001"), new("B002"), "me");
        var now = (await w.Raw.GetAsync(new("A001")))!;
        var edited = await w.Raw.UpsertAsync(now with { Owner = "someone" }, now.Version);
        var undo = await w.Merger().UndoAsync(merge.Record!);
        Assert.Equal(MergeStatus.Conflict, undo.Status);
        Assert.Equal((merge.Record!.SurvivorAfter.Version, edited.Version), (undo.ExpectedVersion!.Value, undo.ActualVersion!.Value));
        Assert.Equal(edited, await w.Raw.GetAsync(new("A001")));
        Assert.Null(await w.Raw.GetAsync(new("B002")));
        Assert.Equal(1, w.Aliases.Count);
    }

    [Fact]
    public async Task Merge_SurvivorUpdatedConcurrently_ConflictNothingWritten()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        var store = new InterleavingCustomerStore(w.Raw);
        store.BeforeWrite = async () =>
        {
            var cur = (await w.Raw.GetAsync(new("A001")))!;
            await w.Raw.UpsertAsync(cur with { Owner = "concurrent" }, cur.Version);
        };
        var aBefore = A();
        var result = await w.Merger(store).MergeAsync(new("A001"), new("B002"), "me");
        Assert.Equal(MergeStatus.Conflict, result.Status);
        Assert.Equal("A001", result.ConflictingCustomer!.Value.Value);
        Assert.Equal("concurrent", (await w.Raw.GetAsync(new("A001")))!.Owner);
        Assert.Equal(B() with { Version = 1 }, await w.Raw.GetAsync(new("B002")));
        Assert.Equal(0, w.Aliases.Count);
        Assert.NotNull(aBefore);
    }

    [Fact]
    public async Task Merge_AbsorbedUpdatedConcurrently_ConflictSurvivorContentRestored()
    {
        var w = new World();
        var a = await w.AddAsync(A());
        await w.AddAsync(B());
        w.Tags.Assign(new("B002"), new("golf"), TagSource.Manual, T0);
        var store = new InterleavingCustomerStore(w.Raw) { BeforeWriteNumber = 2 };
        Customer? concurrentB = null;
        store.BeforeWrite = async () =>
        {
            var cur = (await w.Raw.GetAsync(new("B002")))!;
            concurrentB = await w.Raw.UpsertAsync(cur with { Owner = "concurrent" }, cur.Version);
        };
        var result = await w.Merger(store).MergeAsync(new("A001"), new("B002"), "me");
        Assert.Equal(MergeStatus.Conflict, result.Status);
        Assert.Equal("B002", result.ConflictingCustomer!.Value.Value);
        Assert.Contains("written back with its old content", result.Message, StringComparison.Ordinal);
        Assert.Equal(a with { Version = 0 }, (await w.Raw.GetAsync(new("A001")))! with { Version = 0 });
        Assert.Equal(concurrentB, await w.Raw.GetAsync(new("B002")));
        Assert.Equal(0, w.Aliases.Count);
        Assert.True(w.Tags.Has(new("B002"), new("golf")));
    }

    [Fact]
    public async Task Merge_MissingOrSame_ReportedNotThrown()
    {
        var w = new World();
        await w.AddAsync(A());
        Assert.Equal(MergeStatus.NotFound, (await w.Merger().MergeAsync(new("A001"), new("nope"), "me")).Status);
        Assert.Equal(MergeStatus.SameCustomer, (await w.Merger().MergeAsync(new("A001"), new("A001"), "me")).Status);
    }

    [Fact]
    public async Task MergedHistory_LifecycleOfAbsorbed_ShowsUnderSurvivor()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        var la = new CustomerLifecycle(new("A001"), "new", T0).Append(new LifecycleMove("new", "active", T0 + Duration.FromDays(5), LifecycleTrigger.Rule("r1"), "bought"));
        var lb = new CustomerLifecycle(new("B002"), "new", T0).Append(new LifecycleMove("new", "active", T0 + Duration.FromDays(3), LifecycleTrigger.Manual("bob"), "called"));
        var lifecycles = new Dictionary<CustomerId, CustomerLifecycle> { [la.CustomerId] = la, [lb.CustomerId] = lb };
        await w.Merger().MergeAsync(new("A001"), new("B002"), "me");
        var history = await MergedHistory.LifecycleAsync(lifecycles, new("A001"), w.Aliases);
        Assert.Equal(["B002", "A001"], history.Select(h => h.RecordedFor.Value));
    }

    [Fact]
    public void Policy_UnionOnScalar_Throws() =>
        Assert.Throws<DataQualityConfigurationException>(() => MergePolicy.Default.With(ProfileFields.Owner, FieldMergeRule.Union));

    [Fact]
    public async Task Merge_ExplicitPolicy_KeepSurvivorRegion()
    {
        var w = new World();
        await w.AddAsync(A());
        await w.AddAsync(B());
        var policy = MergePolicy.Default.With(ProfileFields.Region, FieldMergeRule.KeepSurvivor).WithAttribute("level", FieldMergeRule.NewestNonEmpty);
        await w.Merger().MergeAsync(new("A001"), new("B002"), "me", policy);
        var merged = (await w.Raw.GetAsync(new("A001")))!;
        Assert.Equal("上海", merged.Region);
        Assert.Equal("silver", merged.CustomAttributes["level"]);
    }
}
