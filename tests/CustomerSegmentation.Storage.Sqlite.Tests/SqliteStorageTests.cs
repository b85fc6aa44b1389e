using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Extensions.DependencyInjection;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Storage.TestSupport;
using CustomerSegmentation.Testing;
using CustomerSegmentation.ValueModels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CustomerSegmentation.Storage.Sqlite.Tests;

public sealed class SqliteStorageTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 0, 0);
    private static readonly CustomerId[] Ids = [.. new[] { "alice", "鲍勃", "C-003", "émile", "z" }.Select(s => new CustomerId(s))];

    private static long Scalar(string path, string sql)
    {
        using var conn = new SqliteConnection("Data Source=" + path);
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<ActivitySummary>> AllAsync(IActivitySummarySource source, Instant asOf)
    {
        var list = new List<ActivitySummary>();
        await foreach (var s in source.GetSummariesAsync(asOf))
        {
            list.Add(s);
        }

        return list;
    }

    private static async Task<bool> SameAsInMemoryAsync(IReadOnlyList<ActivityRecord> records, Instant asOf, int batch)
    {
        var storage = SqliteTestFiles.Fresh(new SqliteStoreOptions { SummaryBatchSize = batch });
        foreach (var chunk in records.Chunk(97))
        {
            await storage.Activity.AppendAsync(chunk);
        }

        var options = StoreTestData.WindowOptions;
        var expected = await AllAsync(new InMemoryActivitySummarySource(records, new ActivitySummarizer(options)), asOf);
        var actual = await AllAsync(storage.CreateSummarySource(options), asOf);
        Assert.Equal(expected.Select(s => s.CustomerId), actual.Select(s => s.CustomerId));
        for (var i = 0; i < expected.Count; i++)
        {
            StoreTestData.Equal(expected[i], actual[i]);
        }

        return true;
    }

    [Property(MaxTest = 30)]
    public Property GetSummariesAsync_RandomActivity_EqualsInMemorySummarizer_Holds() =>
        Prop.ForAll(
            (from records in CustomerArbitraries.ActivityFor(Ids).ArrayOf()
             from days in Gen.Choose(0, 400)
             from batch in Gen.Choose(1, 4)
             select (records, asOf: Instant.FromUtc(2025, 1, 1, 12, 0) + Duration.FromDays(days), batch)).ToArbitrary(),
            w => SameAsInMemoryAsync(w.records, w.asOf, w.batch).GetAwaiter().GetResult());

    [Fact]
    public async Task GetSummariesAsync_Cdnow_EqualsInMemorySummarizerToTheCent() =>
        Assert.True(await SameAsInMemoryAsync(StoreTestData.Cdnow, Instant.FromUtc(1997, 9, 30, 23, 59), 500));

    [Fact]
    public async Task Partials_Cdnow_EqualInMemoryCutPointsAndHistories()
    {
        var storage = SqliteTestFiles.Fresh();
        await storage.Activity.AppendAsync(StoreTestData.Cdnow.ToArray());
        var asOf = new LocalDate(1998, 6, 30);
        var builder = new RfmAggregatesBuilder(asOf, 1);
        var batch = builder.CreateBatch();
        var btyd = new BtydSummaryBuilder(new LocalDate(1997, 9, 30));
        foreach (var (id, day, amount) in StoreTestData.CdnowRows)
        {
            batch.Add(System.Text.Encoding.UTF8.GetBytes(id.Value), Utf8PurchaseFields.ToEpochDay(day), (long)(amount * Utf8PurchaseFields.AmountScale));
            btyd.Add(id, day, amount);
        }

        builder.Add(batch, 0);
        var columns = RfmColumnarScorer.Score(builder.Build(), 4);
        var cuts = (await storage.ComputeRfmPartialAsync(asOf)).CutPoints(4, Utf8PurchaseFields.ToEpochDay(asOf));

        Assert.Equal(columns.RecencyCutPoints.ToArray(), cuts.RecencyCutPoints.AsEnumerable());
        Assert.Equal(columns.FrequencyCutPoints.ToArray(), cuts.FrequencyCutPoints.AsEnumerable());
        Assert.Equal(columns.MonetaryCutPoints.ToArray(), cuts.MonetaryCutPoints.AsEnumerable());
        Assert.Equal(BgNbdSufficientStatistics.FromData(btyd.Build()).Counts, (await storage.ComputeBgNbdStatisticsAsync(new LocalDate(1997, 9, 30))).Counts);
    }

    [Fact]
    public async Task Open_OlderSchema_UpgradesAndKeepsData_NewerSchema_FailsClearly()
    {
        var path = SqliteTestFiles.NewPath();
        var old = SqliteStorage.Create(path);
        await old.MigrateToAsync(1, default);
        Assert.Equal(0, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'activity_at'"));
        var upgraded = await SqliteStorage.OpenAsync(path);
        await upgraded.Activity.AppendAsync([new Purchase(Ids[0], T0, Money.Of(5, "CNY"))]);
        Assert.Equal(3, await upgraded.GetSchemaVersionAsync());
        Assert.Equal(1, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'activity_at'"));
        Assert.Equal(1, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'activity_customer_cover'"));
        Assert.Equal(0, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'activity_customer_at'"));
        Assert.Equal("wal", new SqliteConnection("Data Source=" + path).Apply(c => { c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "PRAGMA journal_mode"; return (string)cmd.ExecuteScalar()!; }));

        Scalar(path, "UPDATE schema_version SET version = 7");
        var ex = await Assert.ThrowsAsync<SchemaVersionException>(async () => await SqliteStorage.OpenAsync(path));
        Assert.Equal(7, ex.FoundVersion);
        Assert.Contains("newer than the version 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_AmountWithFiveDecimals_ThrowsNamingTheRecordAndStoresNothing()
    {
        var storage = SqliteTestFiles.Fresh();
        await storage.MigrateAsync();
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await storage.Activity.AppendAsync([new Purchase(Ids[0], T0, Money.Of(1, "CNY")), new Purchase(Ids[0], T0, Money.Of(1.00001m, "CNY"))]));
        Assert.Contains("Record 1", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, Scalar(storage.Path, "SELECT count(*) FROM activity"));
    }

    [Fact]
    public async Task AppendAsync_CancelledMidBatch_RollsBackTheWholeBatch()
    {
        // The cancellation comes from a timer, so on a fast, quiet machine a batch can be stored before it fires: then
        // the batch is doubled on a fresh file until one append outlasts the timer (and is cancelled).
        for (var size = 300_000; ; size *= 2)
        {
            var storage = SqliteTestFiles.Fresh();
            await storage.MigrateAsync();
            using var cts = new CancellationTokenSource();
            var batch = Enumerable.Range(0, size).Select(i => (ActivityRecord)new Purchase(Ids[i % 5], T0 + Duration.FromSeconds(i), Money.Of(1, "CNY"))).ToArray();
            cts.CancelAfter(TimeSpan.FromMilliseconds(150));
            try
            {
                await storage.Activity.AppendAsync(batch, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Equal(0, Scalar(storage.Path, "SELECT count(*) FROM activity"));
                return;
            }

            Assert.Equal(size, Scalar(storage.Path, "SELECT count(*) FROM activity"));
            Assert.True(size < 5_000_000, $"an append of {size} rows never outlasted a 150 ms cancellation");
        }
    }

    [Fact]
    public async Task UseSqlite_RegistersStoresAndSummarySource()
    {
        var path = SqliteTestFiles.NewPath();
        await using var services = new ServiceCollection().AddCustomerSegmentation(b => b.UseSqlite(path)).BuildServiceProvider();
        await services.GetRequiredService<ICustomerStore>().UpsertAsync(new Customer(Ids[0], CustomerKind.Person, "李娜", T0), 0);
        Assert.IsType<SqliteActivityStore>(services.GetRequiredService<IActivityStore>());
        Assert.IsType<SqliteActivitySummarySource>(services.GetRequiredService<IActivitySummarySource>());
        Assert.Equal(1, Scalar(path, "SELECT count(*) FROM customers"));
    }
}

internal static class ApplyExtensions
{
    public static TResult Apply<T, TResult>(this T value, Func<T, TResult> f)
        where T : IDisposable
    {
        using (value)
        {
            return f(value);
        }
    }
}
