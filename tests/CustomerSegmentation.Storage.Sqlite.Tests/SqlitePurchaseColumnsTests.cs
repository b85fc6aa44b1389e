using System.Text;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CustomerSegmentation.Storage.Sqlite.Tests;

/// <summary><see cref="SqliteActivityStore.AppendPurchasesAsync"/>: the column append writes what the record append writes.</summary>
public sealed class SqlitePurchaseColumnsTests
{
    private static readonly long[] Units =
    [
        0, 1, -1, 10, 100, 1000, 9999, 10_000, 10_001, -10_000, 123_450, 360_000, 5_000, 99_990_000, 100_000_000,
        1_000_000_000_000, 123_456_789_012_345_678, -123_456_789_012_345_678, 999_999_999_999_999_999, -5,
    ];

    private static readonly string[] Ids = ["C1", "张伟", "a,b \"q\"", "x" + new string('y', 250), "Ünïcödé-42", "  padded  "];

    private static List<string> Rows(string path)
    {
        using var conn = new SqliteConnection("Data Source=" + path);
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT customer_id, kind, at_ns, amount, amount_e4, currency, order_id, quantity, interaction_kind, satisfaction, nps, channel, referred_id, typeof(amount), typeof(at_ns) FROM activity ORDER BY seq";
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read())
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

    [Fact]
    public async Task AppendPurchasesAsync_SameRowsAsAppendAsyncOfPurchases()
    {
        var columns = new PurchaseColumnsBuilder(4);
        var records = new List<ActivityRecord>();
        var days = new[] { 0, 1, -1, 20_000, -106_751, 106_751, 10_227 };
        for (var i = 0; i < 700; i++)
        {
            var id = Ids[i % Ids.Length] + (i / Ids.Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var units = Units[i % Units.Length];
            columns.Add(Encoding.UTF8.GetBytes(id), days[i % days.Length], units);
            records.Add(new Purchase(
                new CustomerId(id),
                Utf8PurchaseFields.FromEpochDay(days[i % days.Length]).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(),
                new Money(units / (decimal)Utf8PurchaseFields.AmountScale, new Currency("EUR"))));
        }

        var a = SqliteTestFiles.NewPath();
        var b = SqliteTestFiles.NewPath();
        await SqliteStorage.Create(a).Activity.AppendAsync(records);
        await SqliteStorage.Create(b).Activity.AppendPurchasesAsync(columns, new Currency("EUR"));

        var expected = Rows(a);
        Assert.Equal(700, expected.Count);
        Assert.Equal(expected, Rows(b));
    }

    [Fact]
    public async Task AppendPurchasesAsync_DayOutsideStoredRange_ThrowsAndStoresNothing()
    {
        var path = SqliteTestFiles.NewPath();
        var storage = SqliteStorage.Create(path);
        var columns = new PurchaseColumnsBuilder();
        columns.Add("ok"u8, 0, 10_000);
        columns.Add("early"u8, -106_752, 10_000);

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await storage.Activity.AppendPurchasesAsync(columns, new Currency("USD")));

        Assert.Contains("Row 1", ex.Message, StringComparison.Ordinal);
        await storage.MigrateAsync();
        Assert.Empty(Rows(path));
    }

    [Fact]
    public async Task AppendPurchasesAsync_Cancelled_StoresNothing()
    {
        var path = SqliteTestFiles.NewPath();
        var storage = SqliteStorage.Create(path);
        var columns = new PurchaseColumnsBuilder();
        columns.Add("a"u8, 0, 1);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await storage.Activity.AppendPurchasesAsync(columns, new Currency("USD"), cts.Token));

        await storage.MigrateAsync();
        Assert.Empty(Rows(path));
    }
}
