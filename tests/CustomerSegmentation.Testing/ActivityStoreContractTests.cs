using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Testing;

/// <summary>
/// The contract every <see cref="IActivityStore"/> must meet. Inherit it in a test project and implement
/// <see cref="CreateStoreAsync"/>; xunit runs every test below against your store.
/// </summary>
/// <remarks>Each test creates its own store, which must start empty.</remarks>
public abstract class ActivityStoreContractTests
{
    /// <summary>An instant the test activity is placed around.</summary>
    protected static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 0, 0);

    private static readonly CustomerId Alice = new("alice");
    private static readonly CustomerId Bob = new("鲍勃");

    /// <summary>Creates a new, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IActivityStore> CreateStoreAsync();

    /// <summary>Reads a whole stream into a list.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The records.</returns>
    protected static async Task<List<ActivityRecord>> ToListAsync(IAsyncEnumerable<ActivityRecord> stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var list = new List<ActivityRecord>();
        await foreach (var r in stream)
        {
            list.Add(r);
        }

        return list;
    }

    private static Purchase Buy(CustomerId who, int minutes, decimal amount = 100m, string? order = null) =>
        new(who, T0 + Duration.FromMinutes(minutes), Money.Of(amount, "CNY"), order);

    [Fact]
    public async Task StreamForCustomerAsync_Unknown_IsEmpty()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await ToListAsync(store.StreamForCustomerAsync(Alice)));
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_StoresNothing()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([]);
        Assert.Empty(await ToListAsync(store.StreamRangeAsync(Instant.MinValue, Instant.MaxValue)));
    }

    [Fact]
    public async Task AppendAsync_EveryKind_RoundTripsEveryField()
    {
        var store = await CreateStoreAsync();
        ActivityRecord[] batch =
        [
            new Purchase(Alice, T0, Money.Of(1288.50m, "CNY"), "SO-2026-001", 3),
            new Purchase(Alice, T0 + Duration.FromDays(2), Money.Of(-288.50m, "CNY"), "SO-2026-001"),
            new Interaction(Alice, InteractionKind.Complaint, T0 + Duration.FromDays(3), satisfaction: 2, channel: "wechat"),
            new Interaction(Alice, InteractionKind.Survey, T0 + Duration.FromDays(4), nps: 9),
            new Referral(Alice, Bob, T0 + Duration.FromDays(5)),
        ];

        await store.AppendAsync(batch);

        Assert.Equal(batch, await ToListAsync(store.StreamForCustomerAsync(Alice)));
    }

    [Fact]
    public async Task StreamForCustomerAsync_OutOfOrderAppends_TimeOrderWithTiesInAppendOrder()
    {
        var store = await CreateStoreAsync();
        var late = Buy(Alice, 30, order: "late");
        var tie1 = Buy(Alice, 10, order: "tie1");
        var early = Buy(Alice, 0, order: "early");
        var tie2 = Buy(Alice, 10, order: "tie2");
        await store.AppendAsync([late, tie1]);
        await store.AppendAsync([early]);
        await store.AppendAsync([tie2, Buy(Bob, 5)]);

        var orders = (await ToListAsync(store.StreamForCustomerAsync(Alice))).Cast<Purchase>().Select(p => p.OrderId);

        Assert.Equal(["early", "tie1", "tie2", "late"], orders);
    }

    [Fact]
    public async Task StreamRangeAsync_HalfOpenRange_IncludesFromExcludesToInTimeOrder()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Buy(Alice, 20, order: "a20"), Buy(Bob, 10, order: "b10"), Buy(Alice, 9, order: "a9"), Buy(Bob, 30, order: "b30")]);

        var inRange = await ToListAsync(store.StreamRangeAsync(T0 + Duration.FromMinutes(10), T0 + Duration.FromMinutes(30)));

        Assert.Equal(["b10", "a20"], inRange.Cast<Purchase>().Select(p => p.OrderId));
    }

    [Fact]
    public async Task StreamRangeAsync_EmptyRange_IsEmpty()
    {
        var store = await CreateStoreAsync();
        await store.AppendAsync([Buy(Alice, 0)]);
        Assert.Empty(await ToListAsync(store.StreamRangeAsync(T0, T0)));
    }

    [Fact]
    public async Task AppendAsync_Null_ThrowsArgumentNull()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.AppendAsync(null!));
    }

    [Fact]
    public async Task AppendAsync_BatchWithNullRecord_ThrowsAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.AppendAsync([Buy(Alice, 0), null!, Buy(Alice, 1)]));
        Assert.Empty(await ToListAsync(store.StreamForCustomerAsync(Alice)));
    }

    [Fact]
    public async Task AppendAsync_CancelledToken_ThrowsAndStoresNothing()
    {
        var store = await CreateStoreAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AppendAsync([Buy(Alice, 0)], cts.Token));
        Assert.Empty(await ToListAsync(store.StreamForCustomerAsync(Alice)));
    }

    /// <summary>
    /// Batches are atomic under concurrency: writers append batches of <c>BatchSize</c> records while a reader streams;
    /// the reader only ever sees whole batches, and in the end every record is there exactly once.
    /// </summary>
    [Fact]
    public async Task AppendAsync_ConcurrentBatches_ReadersSeeWholeBatchesOnly_Holds()
    {
        const int Writers = 4, BatchesPerWriter = 25, BatchSize = 8;
        var store = await CreateStoreAsync();
        var done = 0;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var b = 0; b < BatchesPerWriter; b++)
            {
                var batch = Enumerable.Range(0, BatchSize).Select(i => Buy(Alice, (b * BatchSize) + i, order: $"w{w}-b{b}-{i}")).ToArray();
                await store.AppendAsync(batch);
            }
        })).ToArray();
        var observed = new List<int>();
        var reader = Task.Run(async () =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                observed.Add((await ToListAsync(store.StreamForCustomerAsync(Alice))).Count);
            }
        });

        await Task.WhenAll(writers);
        Interlocked.Exchange(ref done, 1);
        await reader;

        Assert.All(observed, count => Assert.Equal(0, count % BatchSize));
        var all = await ToListAsync(store.StreamForCustomerAsync(Alice));
        Assert.Equal(Writers * BatchesPerWriter * BatchSize, all.Cast<Purchase>().Select(p => p.OrderId).Distinct().Count());
        Assert.Equal(all.Select(r => r.At).Order(), all.Select(r => r.At));
    }
}
