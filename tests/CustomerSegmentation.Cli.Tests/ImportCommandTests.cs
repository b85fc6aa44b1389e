namespace CustomerSegmentation.Cli.Tests;

/// <summary><c>custseg import</c> into SQLite and <c>rfm</c> / <c>churn</c> with <c>--store</c>: the same results as from the CSV.</summary>
public sealed class ImportCommandTests
{
    private static readonly string Cdnow = Path.Combine(AppContext.BaseDirectory, "Data", "cdnow", "cdnow_sample_transactions.csv");

    [Fact]
    public void Import_ThenRfmAndChurnFromStore_SameOutputAsFromCsv()
    {
        using var cli = new CliRunner();
        var db = cli.Output + ".db";
        var import = cli.Run("import", "--transactions", Cdnow, "--store", "sqlite", "--connection", db);
        Assert.Equal(0, import.Exit);
        Assert.Contains("6919 rows", import.Out, StringComparison.Ordinal);

        var csvOut = cli.Output + ".csv.rfm";
        var storeOut = cli.Output + ".store.rfm";
        Assert.Equal(0, cli.Run("rfm", "--transactions", Cdnow, "--as-of", "1998-06-30", "--out", csvOut).Exit);
        Assert.Equal(0, cli.Run("rfm", "--store", "sqlite", "--connection", db, "--as-of", "1998-06-30", "--out", storeOut).Exit);
        Assert.Equal(File.ReadAllBytes(csvOut), File.ReadAllBytes(storeOut));

        var csvChurn = cli.Run("churn", "--transactions", Cdnow, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--out", csvOut);
        var storeChurn = cli.Run("churn", "--store", "sqlite", "--connection", db, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--out", storeOut);
        Assert.Equal(0, storeChurn.Exit);
        Assert.Equal(csvChurn.Out, storeChurn.Out);
        Assert.Equal(File.ReadAllBytes(csvOut), File.ReadAllBytes(storeOut));
    }

    [Fact]
    public void Import_BadRow_StopsWithLineAndKeepsOnlyWholeBatches()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,2025-01-01,10.00\nB,2025-13-01,5\n");
        var db = cli.Output + ".db";

        var (exit, _, err) = cli.Run("import", "--transactions", cli.Input, "--store", "sqlite", "--connection", db);

        Assert.Equal(2, exit);
        Assert.Contains(":3:", err, StringComparison.Ordinal);
        Assert.Contains("0 rows stored", err, StringComparison.Ordinal);
        var rfm = cli.Run("rfm", "--store", "sqlite", "--connection", db, "--as-of", "2025-12-31", "--out", cli.Output);
        Assert.NotEqual(0, rfm.Exit);
        Assert.Contains("holds no purchase", rfm.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--store", "sqlite")]
    [InlineData("--connection", "x.db")]
    public void Rfm_StoreWithoutConnectionOrConnectionWithoutStore_IsAUsageError(string option, string value)
    {
        using var cli = new CliRunner();
        var (exit, _, err) = cli.Run("rfm", option, value, "--as-of", "2025-12-31", "--out", cli.Output);
        Assert.Equal(1, exit);
        Assert.Contains(option == "--store" ? "--store needs --connection" : "--connection needs --store", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfm_UnreachablePostgres_FailsWithoutPrintingTheConnectionString()
    {
        using var cli = new CliRunner();
        var (exit, output, err) = cli.Run("rfm", "--store", "postgres", "--connection", "Host=127.0.0.1;Port=1;Password=hunter2-secret;Timeout=2", "--as-of", "2025-12-31", "--out", cli.Output);
        Assert.Equal(3, exit);
        Assert.Contains("cannot read the postgres store", err, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", err + output, StringComparison.Ordinal);
    }
}
