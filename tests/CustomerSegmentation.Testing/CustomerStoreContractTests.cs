using System.Collections.Concurrent;
using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Testing;

/// <summary>
/// The contract every <see cref="ICustomerStore"/> must meet. Inherit it in a test project and implement
/// <see cref="CreateStoreAsync"/>; xunit runs every test below against your store.
/// </summary>
/// <remarks>Each test creates its own store, which must start empty (e.g. a fresh schema or table per call).</remarks>
public abstract class CustomerStoreContractTests
{
    /// <summary>An instant used as the creation time of test customers.</summary>
    protected static readonly Instant T0 = Instant.FromUtc(2026, 1, 15, 8, 30);

    /// <summary>Creates a new, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<ICustomerStore> CreateStoreAsync();

    /// <summary>Creates a test customer.</summary>
    /// <param name="id">The id.</param>
    /// <param name="name">The display name.</param>
    /// <returns>The customer.</returns>
    protected static Customer NewCustomer(string id, string name = "张伟") => new(new CustomerId(id), CustomerKind.Person, name, T0);

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.GetAsync(new CustomerId("nobody")));
    }

    [Fact]
    public async Task UpsertAsync_NewWithExpectedZero_StoresVersionOne()
    {
        var store = await CreateStoreAsync();
        var stored = await store.UpsertAsync(NewCustomer("C1"), 0);
        Assert.Equal(1, stored.Version);
        Assert.Equal(stored, await store.GetAsync(new CustomerId("C1")));
    }

    [Fact]
    public async Task UpsertAsync_RoundTrip_KeepsEveryField()
    {
        var store = await CreateStoreAsync();
        var customer = new Customer(new CustomerId("客户-0001"), CustomerKind.Organisation, "深圳市腾飞科技有限公司 🚀", T0)
        {
            Emails = ["Li.Na@example.com", "张伟@例子.中国"],
            Phones = ["+8613812345678", "+8675512345678"],
            Region = "广东省",
            Industry = "制造业",
            CompanySize = "200-499",
            AcquisitionChannel = "展会",
            Owner = "Zoë Ørsted",
            Birthday = new Birthday(new AnnualDate(2, 29), 1988),
            MarketingConsent = true,
            CustomAttributes = ImmutableDictionary<string, object>.Empty
                .Add("vipLevel", 3m)
                .Add("wechat", "wx_腾飞")
                .Add("blocked", false)
                .Add("firstOrder", new LocalDate(2020, 5, 17))
                .Add("lastLogin", T0 - Duration.FromHours(3)),
            UpdatedAt = T0 + Duration.FromMinutes(5),
            LastVerifiedAt = T0 + Duration.FromMinutes(1),
        };

        var stored = await store.UpsertAsync(customer, 0);
        var read = await store.GetAsync(customer.Id);

        Assert.NotNull(read);
        Assert.Equal(customer with { Version = 1 }, read);
        Assert.Equal<string>(customer.Emails, read.Emails);
        Assert.Equal<string>(customer.Phones, read.Phones);
        Assert.Equal(customer.CustomAttributes["lastLogin"], read.CustomAttributes["lastLogin"]);
        Assert.Equal(stored, read);
    }

    [Fact]
    public async Task UpsertAsync_ExistingWithCurrentVersion_IncrementsVersion()
    {
        var store = await CreateStoreAsync();
        var v1 = await store.UpsertAsync(NewCustomer("C1"), 0);
        var v2 = await store.UpsertAsync(v1 with { DisplayName = "李娜" }, v1.Version);
        Assert.Equal(2, v2.Version);
        var read = await store.GetAsync(v1.Id);
        Assert.Equal("李娜", read!.DisplayName);
        Assert.Equal(2, read.Version);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task UpsertAsync_ExistingWithWrongVersion_ThrowsConflictAndWritesNothing(long expected)
    {
        var store = await CreateStoreAsync();
        var v1 = await store.UpsertAsync(NewCustomer("C1", "first"), 0);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.UpsertAsync(v1 with { DisplayName = "second" }, expected));

        Assert.Equal(v1.Id, ex.CustomerId);
        Assert.Equal(expected, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        Assert.Equal(v1, await store.GetAsync(v1.Id));
    }

    [Fact]
    public async Task UpsertAsync_NewWithNonZeroExpected_ThrowsConflictAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.UpsertAsync(NewCustomer("C1"), 3));
        Assert.Equal(0, ex.ActualVersion);
        Assert.Null(await store.GetAsync(new CustomerId("C1")));
    }

    [Fact]
    public async Task UpsertAsync_SameNewIdFromManyWriters_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.UpsertAsync(NewCustomer("C1", $"writer {i}"), 0);
                return $"writer {i}";
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null);
        var read = await store.GetAsync(new CustomerId("C1"));
        Assert.Equal(winner, read!.DisplayName);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task GetManyAsync_MixedIds_ReturnsFoundInRequestOrder()
    {
        var store = await CreateStoreAsync();
        foreach (var id in new[] { "A", "B", "C" })
        {
            await store.UpsertAsync(NewCustomer(id), 0);
        }

        var found = await store.GetManyAsync([new CustomerId("C"), new CustomerId("missing"), new CustomerId("A")]);

        Assert.Equal(["C", "A"], found.Select(c => c.Id.Value));
    }

    [Fact]
    public async Task GetManyAsync_NoIds_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();
        await store.UpsertAsync(NewCustomer("A"), 0);
        Assert.Empty(await store.GetManyAsync([]));
    }

    [Fact]
    public async Task DeleteAsync_Missing_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        Assert.False(await store.DeleteAsync(new CustomerId("nobody"), 0));
    }

    [Fact]
    public async Task DeleteAsync_CurrentVersion_RemovesCustomer()
    {
        var store = await CreateStoreAsync();
        var v1 = await store.UpsertAsync(NewCustomer("C1"), 0);
        Assert.True(await store.DeleteAsync(v1.Id, 1));
        Assert.Null(await store.GetAsync(v1.Id));
    }

    [Fact]
    public async Task DeleteAsync_WrongVersion_ThrowsConflictAndKeepsCustomer()
    {
        var store = await CreateStoreAsync();
        var v1 = await store.UpsertAsync(NewCustomer("C1"), 0);
        var v2 = await store.UpsertAsync(v1, 1);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await store.DeleteAsync(v1.Id, 1));

        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Equal(v2, await store.GetAsync(v1.Id));
    }

    [Fact]
    public async Task UpsertAsync_AfterDelete_InsertsAgainWithExpectedZero()
    {
        var store = await CreateStoreAsync();
        var v1 = await store.UpsertAsync(NewCustomer("C1", "old"), 0);
        await store.DeleteAsync(v1.Id, v1.Version);
        var again = await store.UpsertAsync(NewCustomer("C1", "new"), 0);
        Assert.Equal("new", (await store.GetAsync(v1.Id))!.DisplayName);
        Assert.True(again.Version >= 1);
    }

    [Fact]
    public async Task StreamAllAsync_ManyCustomers_PagesInOrdinalIdOrder()
    {
        var store = await CreateStoreAsync();
        var ids = Enumerable.Range(0, 23).Select(i => i % 3 == 0 ? $"客户{i:D2}" : i % 3 == 1 ? $"c{i:D2}" : $"C{i:D2}").ToList();
        foreach (var id in ids)
        {
            await store.UpsertAsync(NewCustomer(id), 0);
        }

        var pages = new List<IReadOnlyList<Customer>>();
        await foreach (var page in store.StreamAllAsync(10))
        {
            pages.Add(page);
        }

        Assert.Equal([10, 10, 3], pages.Select(p => p.Count));
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.SelectMany(p => p).Select(c => c.Id.Value));
    }

    [Fact]
    public async Task StreamAllAsync_EmptyStore_YieldsNoCustomer()
    {
        var store = await CreateStoreAsync();
        var count = 0;
        await foreach (var page in store.StreamAllAsync())
        {
            count += page.Count;
        }

        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task StreamAllAsync_PageSizeBelowOne_ThrowsArgumentOutOfRange(int pageSize)
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var page in store.StreamAllAsync(pageSize))
            {
                Assert.Fail($"no page expected, got {page.Count}");
            }
        });
    }

    [Fact]
    public async Task UpsertAsync_Null_ThrowsArgumentNull()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.UpsertAsync(null!, 0));
    }

    [Fact]
    public async Task UpsertAsync_CancelledToken_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.UpsertAsync(NewCustomer("C1"), 0, cts.Token));
        Assert.Null(await store.GetAsync(new CustomerId("C1")));
    }

    /// <summary>
    /// No lost update: threads do random read-modify-write upserts (mostly with the version they read, sometimes with a
    /// random guess). Every acknowledged write must have got its own version expected + 1, the acknowledged versions of an
    /// id must be exactly 1..n, the stored customer must be the last acknowledged write, and every failed write must be a
    /// reported conflict whose actual version differs from the expected one.
    /// </summary>
    /// <param name="seed">The random seed; each seed is a different interleaving of operations.</param>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task UpsertAsync_ConcurrentRandomUpserts_NoLostUpdate_Holds(int seed) =>
        Assert.True(await CheckNoLostUpdateAsync(threads: 8, opsPerThread: 60, idCount: 3, seed));

    /// <summary>The no-lost-update property on FsCheck-generated workloads: 2..8 threads, 5..40 operations each, 1..4 ids.</summary>
    /// <returns>The property.</returns>
    [Property(MaxTest = 25)]
    public Property UpsertAsync_GeneratedConcurrentWorkloads_NoLostUpdate_Holds() =>
        Prop.ForAll(
            (from threads in Gen.Choose(2, 8)
             from ops in Gen.Choose(5, 40)
             from ids in Gen.Choose(1, 4)
             from seed in Gen.Choose(0, int.MaxValue)
             select (threads, ops, ids, seed)).ToArbitrary(),
            w => CheckNoLostUpdateAsync(w.threads, w.ops, w.ids, w.seed));

    /// <summary>Runs one concurrent workload and asserts the no-lost-update property (throws on violation).</summary>
    /// <param name="threads">Concurrent writers.</param>
    /// <param name="opsPerThread">Upserts per writer.</param>
    /// <param name="idCount">Distinct customers written (1..4).</param>
    /// <param name="seed">The random seed.</param>
    /// <returns><see langword="true"/> when the property holds.</returns>
    protected async Task<bool> CheckNoLostUpdateAsync(int threads, int opsPerThread, int idCount, int seed)
    {
        var store = await CreateStoreAsync();
        var ids = new[] { "A", "B", "客户C", "émile" }.Take(idCount).Select(s => new CustomerId(s)).ToArray();
        var acks = new ConcurrentBag<(CustomerId Id, long Expected, long Version, string Payload)>();
        var conflicts = new ConcurrentBag<ConcurrencyConflictException>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var rnd = new Random(HashCode.Combine(seed, t));
            await go.Task;
            for (var op = 0; op < opsPerThread; op++)
            {
                var id = ids[rnd.Next(ids.Length)];
                var expected = rnd.Next(10) < 8
                    ? (await store.GetAsync(id))?.Version ?? 0
                    : rnd.Next(0, 2 + (opsPerThread * threads / ids.Length / 2));
                var payload = $"t{t}-op{op}";
                try
                {
                    var stored = await store.UpsertAsync(new Customer(id, CustomerKind.Person, payload, T0), expected);
                    acks.Add((id, expected, stored.Version, payload));
                }
                catch (ConcurrencyConflictException ex)
                {
                    conflicts.Add(ex);
                }
            }
        })).ToArray();
        go.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal(threads * opsPerThread, acks.Count + conflicts.Count);
        Assert.All(conflicts, c => Assert.NotEqual(c.ExpectedVersion, c.ActualVersion));
        Assert.All(acks, a => Assert.Equal(a.Expected + 1, a.Version));
        foreach (var id in ids)
        {
            var mine = acks.Where(a => a.Id == id).OrderBy(a => a.Version).ToList();
            Assert.Equal(Enumerable.Range(1, mine.Count).Select(v => (long)v), mine.Select(a => a.Version));
            var final = await store.GetAsync(id);
            if (mine.Count == 0)
            {
                Assert.Null(final);
            }
            else
            {
                Assert.Equal(mine[^1].Version, final!.Version);
                Assert.Equal(mine[^1].Payload, final.DisplayName);
            }
        }

        Assert.NotEmpty(acks);
        return true;
    }
}
