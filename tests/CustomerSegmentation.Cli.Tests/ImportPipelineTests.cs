using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Storage.PostgreSql;
using CustomerSegmentation.Storage.Sqlite;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// <c>custseg import</c>'s column pipeline into both stores: the stored rows equal the CSV's rows in order, across several
/// batches, with the row rules of <c>rfm</c>; bad rows stop before their batch; input left to Sep resumes without loss.
/// </summary>
public sealed class ImportPipelineTests
{
    private const int Batch = 100;

    public static TheoryData<string> Stores => ["postgres", "sqlite"];

    /// <summary>A fresh, empty target: a new PostgreSQL database or a new SQLite file.</summary>
    private static string NewTarget(string store, CliRunner cli)
    {
        if (store == "sqlite")
        {
            return cli.Output + "." + Guid.NewGuid().ToString("N")[..8] + ".db";
        }

        return PostgresServer.FreshDatabase();
    }

    private static List<(CustomerId Id, LocalDate Day, decimal Amount)> Stored(string store, string target)
    {
        var rows = new List<(CustomerId, LocalDate, decimal)>();
        async Task ReadAsync(IAsyncEnumerable<(CustomerId, LocalDate, decimal)> source)
        {
            await foreach (var r in source)
            {
                rows.Add(r);
            }
        }

        if (store == "postgres")
        {
            var pg = PostgreSqlStorage.Create(target);
            try
            {
                ReadAsync(pg.StreamPurchaseRowsAsync()).GetAwaiter().GetResult();
            }
            finally
            {
                pg.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        else
        {
            ReadAsync(SqliteStorage.Create(target).StreamPurchaseRowsAsync()).GetAwaiter().GetResult();
        }

        return rows;
    }

    /// <summary>The rows a CSV holds as Sep reads it (header skipped), with the row rules applied: what the store must hold.</summary>
    private static List<(CustomerId Id, LocalDate Day, decimal Amount)> Expected(string path, int take = int.MaxValue, bool skipBad = false)
    {
        var rows = new List<(CustomerId, LocalDate, decimal)>();
        foreach (var raw in SepPurchaseReader.ReadRawRows(path).Skip(1))
        {
            var f = raw.Fields.Select(Encoding.UTF8.GetBytes).ToArray();
            var reason = ImportPipeline.Check(f.Length, f[0], f.Length > 1 ? f[1] : [], f.Length > 2 ? f[2] : [], out var day, out var units);
            if (reason is not null)
            {
                Assert.True(skipBad, $"unexpected bad row at line {raw.Line}: {reason}");
                continue;
            }

            rows.Add((new CustomerId(raw.Fields[0]), Utf8PurchaseFields.FromEpochDay(day), units / 10_000m));
        }

        return [.. rows.Take(take)];
    }

    private static (int Exit, string Out, string Err) Import(string path, string store, string target, bool skipBad = false, bool bulk = false)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = ImportCommand.Run(new FileInfo(path), store, target, "USD", skipBad, output, error, Batch, bulk);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Rows of every shape the fast path meets: quoted ids with commas and quotes, Chinese ids, instants with offsets, refunds, 1-4 decimals.</summary>
    private static string Csv(int rows, Func<int, string?>? replace = null, bool crlf = false)
    {
        var sb = new StringBuilder("customer_id,date,amount");
        var eol = crlf ? "\r\n" : "\n";
        sb.Append(eol);
        for (var i = 0; i < rows; i++)
        {
            var line = replace?.Invoke(i) ?? (i % 7) switch
            {
                0 => $"C{i % 37:D4},2024-{1 + (i % 12):D2}-{1 + (i % 28):D2},{i % 1000}.{i % 100:D2}",
                1 => $"\"客户,{i % 11}\",2025-03-01T23:30:00-02:00,-{i % 50}.5",
                2 => $"\"q\"\"{i % 5}\",1999-12-31,0",
                3 => $"张伟{i % 13},2026-02-28T10:00:00Z,{i}.1234",
                _ => $"id-{i % 101},2023-07-{1 + (i % 30):D2},{i % 300}",
            };
            sb.Append(line).Append(eol);
        }

        return sb.ToString();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Import_SeveralBatches_StoresEveryRowOfTheCsvInOrder(string store)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(2_345, crlf: true), bom: true);
        var target = NewTarget(store, cli);

        var (exit, output, err) = Import(cli.Input, store, target);

        Assert.True(exit == 0, err);
        Assert.Contains("2345 rows (0 bad rows skipped)", output, StringComparison.Ordinal);
        Assert.Contains("utf8 parser", output, StringComparison.Ordinal);
        var expected = Expected(cli.Input);
        Assert.Equal(2_345, expected.Count);
        Assert.Equal(expected, Stored(store, target));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Import_BadRowInThirdBatch_StopsWithItsLineAndKeepsTheWholeBatchesBefore(string store)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(400, i => i == 230 ? "C1,2025-02-30,1" : null));
        var target = NewTarget(store, cli);

        var (exit, _, err) = Import(cli.Input, store, target);

        Assert.Equal(2, exit);
        Assert.Contains($"{cli.Input}:232: bad date '2025-02-30'", err, StringComparison.Ordinal);
        Assert.Contains("(200 rows stored before it, in whole batches of 100)", err, StringComparison.Ordinal);
        var expected = Expected(cli.Input, take: 200, skipBad: true);
        Assert.Equal(expected, Stored(store, target));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Import_SkipBadRows_StoresTheOthersAndCountsTheSkipped(string store)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(350, i => i switch
        {
            10 => "C1,2025-01-01",
            150 => " ,2025-01-01,1",
            151 => "C2,2025-01-01,1.23456",
            349 => "C3,2300-01-01,1",
            _ => null,
        }));
        var target = NewTarget(store, cli);

        var (exit, output, err) = Import(cli.Input, store, target, skipBad: true);

        Assert.True(exit == 0, err);
        Assert.Contains("346 rows (4 bad rows skipped)", output, StringComparison.Ordinal);
        Assert.Contains("skipped 4 bad row(s)", err, StringComparison.Ordinal);
        Assert.Equal(Expected(cli.Input, skipBad: true), Stored(store, target));
    }

    [Theory]
    [InlineData("postgres", "lenient quote")]
    [InlineData("sqlite", "lenient quote")]
    [InlineData("postgres", "invalid UTF-8")]
    [InlineData("sqlite", "invalid UTF-8")]
    public void Import_InputLeftToSepAfterSomeBatches_ResumesAtTheUnwrittenBatchAndStoresEveryRowOnce(string store, string kind)
    {
        using var cli = new CliRunner();
        var text = Csv(420, i => i == 257 ? (kind == "lenient quote" ? "a\"b\"c,2025-01-01,3" : "BAD_UTF8,2025-01-01,3") : null);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (kind == "invalid UTF-8")
        {
            var at = bytes.AsSpan().IndexOf("BAD_UTF8"u8);
            bytes[at + 3] = 0xFF; // "BAD\xFFUTF8": Sep decodes it as U+FFFD, the fast path leaves the file to Sep
        }

        cli.WriteInput(bytes);
        var target = NewTarget(store, cli);

        var (exit, output, err) = Import(cli.Input, store, target);

        Assert.True(exit == 0, err);
        Assert.Contains("420 rows (0 bad rows skipped)", output, StringComparison.Ordinal);
        Assert.Contains("sep parser", output, StringComparison.Ordinal);
        var expected = Expected(cli.Input);
        Assert.Equal(420, expected.Count);
        Assert.Equal(expected, Stored(store, target));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Import_BadRowAfterSepTookOver_StopsWithItsLine(string store)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(400, i => i switch { 120 => "a\"b\"c,2025-01-01,3", 333 => "C1,2025-01-01,abc", _ => null }));
        var target = NewTarget(store, cli);

        var (exit, _, err) = Import(cli.Input, store, target);

        Assert.Equal(2, exit);
        Assert.Contains($"{cli.Input}:335: bad amount 'abc'", err, StringComparison.Ordinal);
        Assert.Contains("(300 rows stored before it", err, StringComparison.Ordinal);
        Assert.Equal(Expected(cli.Input, take: 300, skipBad: true), Stored(store, target));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Import_BadHeaderOrEmptyFile_StopsAtLineOneAndStoresNothing(string store)
    {
        using var cli = new CliRunner();
        foreach (var text in new[] { "id,date,amount\nC1,2025-01-01,1\n", string.Empty })
        {
            cli.WriteInput(text);
            var target = NewTarget(store, cli);
            var (exit, _, err) = Import(cli.Input, store, target);
            Assert.Equal(2, exit);
            Assert.Contains($"{cli.Input}:1: ", err, StringComparison.Ordinal);
            Assert.Contains("0 rows stored", err, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Import_Bulk_StoresTheSameRowsAsTheBatchedImport(bool skipBad)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(2_345, i => skipBad && i % 500 == 3 ? "C1,2025-02-30,1" : null, crlf: true), bom: true);
        var batched = NewTarget("postgres", cli);
        var bulk = NewTarget("postgres", cli);

        var a = Import(cli.Input, "postgres", batched, skipBad);
        var b = Import(cli.Input, "postgres", bulk, skipBad, bulk: true);

        Assert.True(a.Exit == 0, a.Err);
        Assert.True(b.Exit == 0, b.Err);
        Assert.Contains(skipBad ? "2340 rows (5 bad rows skipped)" : "2345 rows (0 bad rows skipped)", b.Out, StringComparison.Ordinal);
        Assert.Contains("bulk load committed", b.Err, StringComparison.Ordinal);
        var expected = Expected(cli.Input, skipBad: skipBad);
        Assert.Equal(expected, Stored("postgres", batched));
        Assert.Equal(expected, Stored("postgres", bulk));
    }

    [Theory]
    [InlineData(230)]
    [InlineData(333)]
    public void Import_BulkBadRow_StopsWithItsLineAndStoresNothing(int badAt)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(400, i => i == badAt ? "C1,2025-02-30,1" : i == 120 && badAt == 333 ? "a\"b\"c,2025-01-01,3" : null));
        var target = NewTarget("postgres", cli);

        var (exit, _, err) = Import(cli.Input, "postgres", target, bulk: true);

        Assert.Equal(2, exit);
        Assert.Contains($"{cli.Input}:{badAt + 2}: bad date '2025-02-30'", err, StringComparison.Ordinal);
        Assert.Contains("(0 rows stored: a --bulk import is one transaction)", err, StringComparison.Ordinal);
        Assert.Empty(Stored("postgres", target));

        // The table is as before (empty, its indexes in place): a normal import afterwards works.
        cli.WriteInput(Csv(150));
        Assert.Equal(0, Import(cli.Input, "postgres", target).Exit);
        Assert.Equal(Expected(cli.Input), Stored("postgres", target));
    }

    [Fact]
    public void Import_BulkIntoATableThatHoldsRows_FailsWithExit3AndChangesNothing()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(150));
        var target = NewTarget("postgres", cli);
        Assert.Equal(0, Import(cli.Input, "postgres", target).Exit);

        var (exit, _, err) = Import(cli.Input, "postgres", target, bulk: true);

        Assert.Equal(3, exit);
        Assert.Contains("cannot start a bulk load (nothing was changed)", err, StringComparison.Ordinal);
        Assert.Contains("holds rows", err, StringComparison.Ordinal);
        Assert.Equal(Expected(cli.Input), Stored("postgres", target));
    }

    [Fact]
    public void Import_BulkWithSqlite_IsAUsageError()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(10));
        var (exit, _, err) = cli.Run("import", "--transactions", cli.Input, "--store", "sqlite", "--connection", cli.Output + ".db", "--bulk");
        Assert.Equal(1, exit);
        Assert.Contains("--bulk needs --store postgres", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnreachablePostgres_FailsWithExit3WithoutPrintingTheConnectionString()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Csv(10));
        var (exit, output, err) = cli.Run("import", "--transactions", cli.Input, "--store", "postgres", "--connection", "Host=127.0.0.1;Port=1;Password=hunter2-secret;Timeout=2");

        Assert.Equal(3, exit);
        Assert.Contains("the postgres store failed after 0 rows were stored", err, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", err + output, StringComparison.Ordinal);
    }
}
