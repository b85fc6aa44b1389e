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

/// <summary>
/// Read-modify-write upserts per second under 8 concurrent writers (optimistic concurrency, real connections), with the
/// customers table holding <see cref="Customers"/> rows first. The sizes come from <c>CUSTSEG_BENCH_UPSERT_SIZES</c>
/// (comma-separated; default <c>0</c>, an empty table as the first measurement had); the rows are made in the database
/// (one template customer copied with <c>generate_series</c>), so 10 M take about a minute.
/// </summary>
public class PostgreSqlUpsertBenchmark
{
    private PostgreSqlStorage _storage = null!;

    /// <summary>Gets or sets the customers in the table before the writers start.</summary>
    [ParamsSource(nameof(TableSizes))]
    public int Customers { get; set; }

    /// <summary>Gets the table sizes to run (<c>CUSTSEG_BENCH_UPSERT_SIZES</c>, default 0).</summary>
    public static IEnumerable<int> TableSizes =>
        (Environment.GetEnvironmentVariable("CUSTSEG_BENCH_UPSERT_SIZES") ?? "0")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.Parse(t.Replace("_", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));

    [GlobalSetup]
    public void Setup()
    {
        var cs = Environment.GetEnvironmentVariable("CUSTSEG_PG") ?? throw new InvalidOperationException("Set CUSTSEG_PG.");
        _storage = PostgreSqlStorage.Create(cs, new PostgreSqlStoreOptions { Schema = "bench_upsert_" + Guid.NewGuid().ToString("N")[..8] });
        _storage.MigrateAsync().AsTask().GetAwaiter().GetResult();
        if (Customers > 0)
        {
            _storage.Customers.UpsertAsync(new Customer(new CustomerId("P0"), CustomerKind.Person, "张伟", Instant.FromUtc(2026, 1, 1, 0, 0)), 0).AsTask().GetAwaiter().GetResult();
            using var conn = new Npgsql.NpgsqlConnection(cs);
            conn.Open();
            var table = $"\"{_storage.Options.Schema}\".customers";
            using var fill = new Npgsql.NpgsqlCommand(
                $"INSERT INTO {table} SELECT 'P' || g, c.version, c.kind, c.display_name, c.emails, c.phones, c.region, c.industry, c.company_size, c.acquisition_channel, c.owner, c.birthday_month, c.birthday_day, c.birthday_year, c.marketing_consent, c.custom_attributes, c.created_at_ns, c.updated_at_ns, c.last_verified_at_ns FROM {table} c, generate_series(1, @n - 1) g WHERE c.customer_id = 'P0'",
                conn) { CommandTimeout = 0 };
            fill.Parameters.AddWithValue("n", Customers);
            fill.ExecuteNonQuery();
            using var vacuum = new Npgsql.NpgsqlCommand($"VACUUM ANALYZE {table}", conn) { CommandTimeout = 0 };
            vacuum.ExecuteNonQuery();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _storage.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>8 writers × 250 upserts each on their own new customers (2 000 upserts per operation: one insert, then updates of the same row).</summary>
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

    /// <summary>8 writers × 250 read-modify-writes each of random existing customers (a get, then an upsert with its version; 2 000 upserts per operation). Needs <see cref="Customers"/> &gt; 0.</summary>
    [Benchmark(OperationsPerInvoke = 2000)]
    public void EightWritersExisting() => Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
    {
        var random = new Random(w + Environment.TickCount);
        var size = Math.Max(Customers, 1);
        for (var i = 0; i < 250; i++)
        {
            var id = new CustomerId("P" + random.Next(size).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var current = await _storage.Customers.GetAsync(id) ?? await _storage.Customers.UpsertAsync(new Customer(id, CustomerKind.Person, "张伟", Instant.FromUtc(2026, 1, 1, 0, 0)), 0);
            try
            {
                await _storage.Customers.UpsertAsync(current with { DisplayName = "v" + i }, current.Version);
            }
            catch (CustomerSegmentation.Storage.ConcurrencyConflictException)
            {
                // Two writers drew the same customer: the loser's write is the conflict the store promises, not an error.
            }
        }
    }))).GetAwaiter().GetResult();
}
