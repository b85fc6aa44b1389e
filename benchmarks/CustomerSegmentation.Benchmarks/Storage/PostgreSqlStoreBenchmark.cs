using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.PostgreSql;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Storage;

/// <summary>
/// Summary pushdown (one set-based statement per batch of customers) against what a user would write without it:
/// stream every activity row into the application and summarise there (<see cref="ActivityStoreSummarySource"/>).
/// Needs a PostgreSQL server in <c>CUSTSEG_PG</c> (e.g. <c>source .ci/pg-throwaway.sh; pg_up 1</c>).
/// </summary>
[MemoryDiagnoser]
public class PostgreSqlSummaryBenchmark
{
    private PostgreSqlStorage _storage = null!;
    private readonly Instant _asOf = Instant.FromUtc(2025, 12, 31, 0, 0);

    /// <summary>Gets or sets the number of customers (about 3.5 purchases each).</summary>
    [Params(100_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cs = Environment.GetEnvironmentVariable("CUSTSEG_PG") ?? throw new InvalidOperationException("Set CUSTSEG_PG to a PostgreSQL server (see the class summary).");
        _storage = PostgreSqlStorage.Create(cs, new PostgreSqlStoreOptions { Schema = "bench_summary_" + Customers });
        _storage.MigrateAsync().AsTask().GetAwaiter().GetResult();
        if (_storage.ComputeRfmPartialAsync(new LocalDate(2025, 12, 31)).AsTask().GetAwaiter().GetResult().Customers > 0)
        {
            return;
        }

        var rnd = new Random(42);
        var batch = new List<ActivityRecord>(100_000);
        for (var i = 0; i < Customers * 7 / 2; i++)
        {
            batch.Add(new Purchase(new CustomerId("C" + rnd.Next(Customers).ToString("D8", System.Globalization.CultureInfo.InvariantCulture)), Instant.FromUtc(2024, 1, 1, 0, 0) + Duration.FromMinutes(rnd.Next(700 * 1440)), Money.Of(rnd.Next(100, 100_000) / 100m, "USD")));
            if (batch.Count == 100_000)
            {
                _storage.Activity.AppendAsync(batch).AsTask().GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        _storage.Activity.AppendAsync(batch).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _storage.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public int AllRowsIntoTheApplication() => Count(new ActivityStoreSummarySource(_storage.Activity));

    [Benchmark]
    public int PushedDown() => Count(_storage.CreateSummarySource());

    private int Count(IActivitySummarySource source)
    {
        var n = 0;
        var e = source.GetSummariesAsync(_asOf).GetAsyncEnumerator();
        while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            n++;
        }

        e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return n;
    }
}

/// <summary>Read-modify-write upserts per second under 8 concurrent writers (optimistic concurrency, real connections).</summary>
public class PostgreSqlUpsertBenchmark
{
    private PostgreSqlStorage _storage = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cs = Environment.GetEnvironmentVariable("CUSTSEG_PG") ?? throw new InvalidOperationException("Set CUSTSEG_PG.");
        _storage = PostgreSqlStorage.Create(cs, new PostgreSqlStoreOptions { Schema = "bench_upsert_" + Guid.NewGuid().ToString("N")[..8] });
        _storage.MigrateAsync().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _storage.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>8 writers × 250 upserts each on their own customers (2 000 upserts per operation).</summary>
    [Benchmark(OperationsPerInvoke = 2000)]
    public void EightWriters() => Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
    {
        var id = new CustomerId("W" + w + "-" + Guid.NewGuid().ToString("N")[..6]);
        var current = await _storage.Customers.UpsertAsync(new Customer(id, CustomerKind.Person, "张伟", Instant.FromUtc(2026, 1, 1, 0, 0)), 0);
        for (var i = 1; i < 250; i++)
        {
            current = await _storage.Customers.UpsertAsync(current with { DisplayName = "v" + i }, current.Version);
        }
    }))).GetAwaiter().GetResult();
}
