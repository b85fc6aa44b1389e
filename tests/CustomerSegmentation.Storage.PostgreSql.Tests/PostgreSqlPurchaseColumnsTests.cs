using System.Text;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using NodaTime;
using Npgsql;

namespace CustomerSegmentation.Storage.PostgreSql.Tests;

/// <summary><see cref="PostgreSqlActivityStore.AppendPurchasesAsync"/>: the column append writes what the record append writes.</summary>
public sealed class PostgreSqlPurchaseColumnsTests
{
    /// <summary>Amounts in units of 1/10 000 that stress the numeric encoding: zero, signs, 1..4 decimals, base-10 000 digit edges, 14 integer digits.</summary>
    internal static readonly long[] Units =
    [
        0, 1, -1, 10, 100, 1000, 9999, 10_000, 10_001, -10_000, 123_450, 360_000, 5_000, 99_990_000, 100_000_000, 100_010_000,
        1_000_000_000_000, 10_000_000_000_000, 123_456_789_012_345_678, -123_456_789_012_345_678, 999_999_999_999_999_999, -5, 50_000_500,
    ];

    internal static readonly string[] Ids = ["C1", "张伟", "a,b \"q\"", "x" + new string('y', 250), "Ünïcödé-42", "  padded  "];

    internal static async Task<List<string>> RowsAsync(string schema)
    {
        await using var cmd = PostgresServer.DataSource.CreateCommand(
            $"SELECT seq, customer_id, kind, at_ns, amount::text, currency, order_id, quantity, interaction_kind, satisfaction, nps, channel, referred_id FROM \"{schema}\".activity ORDER BY seq");
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
        {
            var fields = new string[r.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            }

            rows.Add(string.Join('|', fields));
        }

        return rows;
    }

    internal static (PurchaseColumnsBuilder Columns, List<ActivityRecord> Records) Sample(int count)
    {
        var columns = new PurchaseColumnsBuilder(4);
        var records = new List<ActivityRecord>();
        var days = new[] { 0, 1, -1, 20_000, -106_751, 106_751, 10_227 };
        for (var i = 0; i < count; i++)
        {
            var id = Ids[i % Ids.Length] + (i / Ids.Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var day = days[i % days.Length];
            var units = Units[i % Units.Length];
            columns.Add(Encoding.UTF8.GetBytes(id), day, units);
            records.Add(new Purchase(
                new CustomerId(id),
                Utf8PurchaseFields.FromEpochDay(day).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(),
                new Money(units / (decimal)Utf8PurchaseFields.AmountScale, new Currency("CNY"))));
        }

        return (columns, records);
    }

    [Fact]
    public async Task AppendPurchasesAsync_SameRowsAsAppendAsyncOfPurchases()
    {
        // 3 000 rows: more than one 64 KB COPY buffer, every id, day and amount combined with the others.
        var (columns, records) = Sample(3_000);
        var byRecords = PostgresStorages.Fresh();
        var byColumns = PostgresStorages.Fresh();

        await byRecords.Activity.AppendAsync(records);
        await byColumns.Activity.AppendPurchasesAsync(columns, new Currency("CNY"));

        var expected = await RowsAsync(byRecords.Options.Schema);
        var actual = await RowsAsync(byColumns.Options.Schema);
        Assert.Equal(3_000, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Contains(actual, r => r.Contains("|36|", StringComparison.Ordinal)); // 360 000 units: no trailing zeros, as decimal division gives
    }

    [Fact]
    public async Task AppendPurchasesAsync_RowsReadBackAsPurchases_EqualTheColumns()
    {
        var (columns, records) = Sample(50);
        var storage = PostgresStorages.Fresh();
        await storage.Activity.AppendPurchasesAsync(columns, new Currency("CNY"));

        var read = new List<ActivityRecord>();
        await foreach (var r in storage.Activity.StreamRangeAsync(Instant.MinValue, Instant.MaxValue))
        {
            read.Add(r);
        }

        Assert.Equal(
            records.Cast<Purchase>().Select(p => (p.CustomerId, p.At, p.Amount, p.Quantity, p.OrderId)).OrderBy(x => x.At).ThenBy(x => x.CustomerId).ThenBy(x => x.Amount.Amount),
            read.Cast<Purchase>().Select(p => (p.CustomerId, p.At, p.Amount, p.Quantity, p.OrderId)).OrderBy(x => x.At).ThenBy(x => x.CustomerId).ThenBy(x => x.Amount.Amount));
    }

    [Fact]
    public async Task AppendPurchasesAsync_DayOutsideStoredRange_ThrowsAndStoresNothing()
    {
        var storage = PostgresStorages.Fresh();
        var columns = new PurchaseColumnsBuilder();
        columns.Add("ok"u8, 0, 10_000);
        columns.Add("late"u8, 106_752, 10_000);

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await storage.Activity.AppendPurchasesAsync(columns, new Currency("USD")));

        Assert.Contains("Row 1", ex.Message, StringComparison.Ordinal);
        await storage.MigrateAsync();
        Assert.Empty(await RowsAsync(storage.Options.Schema));
    }

    [Fact]
    public async Task AppendPurchasesAsync_ConnectionDroppedMidBatch_LeavesNothingWritten()
    {
        var app = "custseg-coldrop-" + Guid.NewGuid().ToString("N")[..8];
        await using var source = NpgsqlDataSource.Create(PostgresServer.ConnectionString + ";Application Name=" + app + ";Pooling=false");
        var storage = PostgreSqlStorage.Create(source, new PostgreSqlStoreOptions { Schema = PostgresServer.FreshSchemaName() });
        await storage.MigrateAsync();
        var columns = new PurchaseColumnsBuilder(1_000_000);
        for (var i = 0; i < 1_000_000; i++)
        {
            columns.Add(Encoding.ASCII.GetBytes("c" + (i % 5000)), 20_000 + (i % 700), (i % 1000) * 100);
        }

        var append = storage.Activity.AppendPurchasesAsync(columns, new Currency("CNY")).AsTask();
        var killed = 0L;
        for (var i = 0; i < 1000 && killed == 0 && !append.IsCompleted; i++)
        {
            await Task.Delay(5);
            await using var kill = PostgresServer.DataSource.CreateCommand(
                $"SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{app}' AND query LIKE 'COPY%') t");
            killed = Convert.ToInt64(await kill.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.True(killed > 0, "the COPY finished before the connection could be dropped; the test proves nothing");
        await Assert.ThrowsAnyAsync<Exception>(() => append);
        Assert.Empty(await RowsAsync(storage.Options.Schema));
    }

    [Fact]
    public async Task AppendPurchasesAsync_Cancelled_StoresNothing()
    {
        var storage = PostgresStorages.Fresh();
        var (columns, _) = Sample(10);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await storage.Activity.AppendPurchasesAsync(columns, new Currency("CNY"), cts.Token));

        await storage.MigrateAsync();
        Assert.Empty(await RowsAsync(storage.Options.Schema));
    }
}
