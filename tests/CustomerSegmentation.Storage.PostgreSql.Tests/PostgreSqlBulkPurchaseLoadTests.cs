using System.Text;
using CustomerSegmentation.Activity;
using Npgsql;

namespace CustomerSegmentation.Storage.PostgreSql.Tests;

/// <summary><see cref="PostgreSqlBulkPurchaseLoad"/>: the same rows as batched appends, and nothing changed unless it completes.</summary>
public sealed class PostgreSqlBulkPurchaseLoadTests
{
    private static readonly Currency Cny = new("CNY");

    /// <summary>The activity table's index and constraint definitions, with the schema name taken out.</summary>
    private static async Task<List<string>> DefinitionsAsync(string schema)
    {
        await using var cmd = PostgresServer.DataSource.CreateCommand(
            $"""
            SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = '{schema}' AND tablename = 'activity'
            UNION ALL SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '"{schema}".activity'::regclass
            ORDER BY 1
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        var defs = new List<string>();
        while (await r.ReadAsync())
        {
            defs.Add(r.GetString(0).Replace(schema, "S", StringComparison.Ordinal));
        }

        return defs;
    }

    private static List<PurchaseColumnsBuilder> Batches(PurchaseColumnsBuilder all, int size)
    {
        var batches = new List<PurchaseColumnsBuilder>();
        for (var i = 0; i < all.Count; i += size)
        {
            var b = new PurchaseColumnsBuilder(size);
            for (var k = i; k < Math.Min(all.Count, i + size); k++)
            {
                b.Add(all.GetCustomerId(k), all.EpochDays[k], all.AmountUnits[k]);
            }

            batches.Add(b);
        }

        return batches;
    }

    [Fact]
    public async Task CompleteAsync_SameRowsSeqAndIndexesAsBatchedAppends()
    {
        var (columns, _) = PostgreSqlPurchaseColumnsTests.Sample(3_000);
        var batches = Batches(columns, 700);
        var appended = PostgresStorages.Fresh();
        var bulk = PostgresStorages.Fresh();
        foreach (var b in batches)
        {
            await appended.Activity.AppendPurchasesAsync(b, Cny);
        }

        await using (var load = await bulk.Activity.BeginBulkPurchaseLoadAsync(Cny))
        {
            foreach (var b in batches)
            {
                await load.AppendAsync(b);
            }

            Assert.Equal(3_000, load.Copied);
            await load.CompleteAsync();
        }

        var expected = await PostgreSqlPurchaseColumnsTests.RowsAsync(appended.Options.Schema);
        Assert.Equal(3_000, expected.Count);
        Assert.Equal(expected, await PostgreSqlPurchaseColumnsTests.RowsAsync(bulk.Options.Schema));
        var definitions = await DefinitionsAsync(appended.Options.Schema);
        Assert.Equal(5, definitions.Count); // 3 indexes (one the primary key's), the primary key and the kind check
        Assert.Equal(definitions, await DefinitionsAsync(bulk.Options.Schema));
        Assert.Equal(PostgreSqlStorage.SchemaVersion, await bulk.GetSchemaVersionAsync());

        // The table goes on as usual: appends after the load continue the seq.
        await bulk.Activity.AppendPurchasesAsync(batches[0], Cny);
        await appended.Activity.AppendPurchasesAsync(batches[0], Cny);
        Assert.Equal(await PostgreSqlPurchaseColumnsTests.RowsAsync(appended.Options.Schema), await PostgreSqlPurchaseColumnsTests.RowsAsync(bulk.Options.Schema));
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_LeavesTheTableAsBefore()
    {
        var (columns, _) = PostgreSqlPurchaseColumnsTests.Sample(500);
        var storage = PostgresStorages.Fresh();
        var reference = PostgresStorages.Fresh();
        await reference.MigrateAsync();
        await using (var load = await storage.Activity.BeginBulkPurchaseLoadAsync(Cny))
        {
            await load.AppendAsync(columns);
        }

        Assert.Empty(await PostgreSqlPurchaseColumnsTests.RowsAsync(storage.Options.Schema));
        Assert.Equal(await DefinitionsAsync(reference.Options.Schema), await DefinitionsAsync(storage.Options.Schema));
    }

    [Fact]
    public async Task CompleteAsync_ConnectionDroppedMidLoad_ThrowsAndLeavesTheTableAsBefore()
    {
        var app = "custseg-bulkdrop-" + Guid.NewGuid().ToString("N")[..8];
        await using var source = NpgsqlDataSource.Create(PostgresServer.ConnectionString + ";Application Name=" + app + ";Pooling=false");
        var storage = PostgreSqlStorage.Create(source, new PostgreSqlStoreOptions { Schema = PostgresServer.FreshSchemaName() });
        var reference = PostgresStorages.Fresh();
        await reference.MigrateAsync();
        var columns = new PurchaseColumnsBuilder(20_000);
        for (var i = 0; i < 20_000; i++)
        {
            columns.Add(Encoding.ASCII.GetBytes("c" + (i % 5000)), 20_000 + (i % 700), (i % 1000) * 100);
        }

        var load = await storage.Activity.BeginBulkPurchaseLoadAsync(Cny);
        await using (load)
        {
            await load.AppendAsync(columns);
            await using (var kill = PostgresServer.DataSource.CreateCommand($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{app}'"))
            {
                Assert.Equal(1L, await kill.ExecuteScalarAsync());
            }

            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await load.AppendAsync(columns);
                await load.CompleteAsync();
            });
        }

        Assert.Empty(await PostgreSqlPurchaseColumnsTests.RowsAsync(storage.Options.Schema));
        Assert.Equal(await DefinitionsAsync(reference.Options.Schema), await DefinitionsAsync(storage.Options.Schema));
    }

    [Fact]
    public async Task BeginBulkPurchaseLoadAsync_TableHoldsRows_ThrowsAndChangesNothing()
    {
        var (columns, _) = PostgreSqlPurchaseColumnsTests.Sample(50);
        var storage = PostgresStorages.Fresh();
        await storage.Activity.AppendPurchasesAsync(columns, Cny);
        var before = await PostgreSqlPurchaseColumnsTests.RowsAsync(storage.Options.Schema);
        var definitions = await DefinitionsAsync(storage.Options.Schema);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await storage.Activity.BeginBulkPurchaseLoadAsync(Cny));

        Assert.Contains("holds rows", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await PostgreSqlPurchaseColumnsTests.RowsAsync(storage.Options.Schema));
        Assert.Equal(definitions, await DefinitionsAsync(storage.Options.Schema));
    }

    [Fact]
    public async Task AppendAsync_DayOutsideStoredRange_ThrowsAndTheLoadGoesOn()
    {
        var storage = PostgresStorages.Fresh();
        var bad = new PurchaseColumnsBuilder();
        bad.Add("late"u8, 106_752, 10_000);
        var (good, _) = PostgreSqlPurchaseColumnsTests.Sample(20);
        await using var load = await storage.Activity.BeginBulkPurchaseLoadAsync(Cny);

        await Assert.ThrowsAsync<ArgumentException>(async () => await load.AppendAsync(bad));
        await load.AppendAsync(good);
        await load.CompleteAsync();

        Assert.Equal(20, (await PostgreSqlPurchaseColumnsTests.RowsAsync(storage.Options.Schema)).Count);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await load.AppendAsync(good));
    }
}
