using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CustomerSegmentation.Cli.Commands;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// <c>rfm</c>, <c>run</c> and <c>churn</c> with <c>--store postgres|sqlite --connection …</c>: a CSV imported into each
/// store gives the same output files and summaries as the CSV itself, and store errors are clear, secret-free and exit 3.
/// </summary>
public sealed partial class StoreCommandTests
{
    /// <summary>The run tests' full config (tiers, lifecycle, model), so both files test the same pipeline.</summary>
    private const string RunConfig = RunCommandTests.Config;

    private const string AsOf = "2025-06-30";

    /// <summary>
    /// A purchases CSV with what the folds treat specially: ids with commas, quotes, Chinese and more than 16 bytes,
    /// refunds, customers with refunds only, zero amounts, 4-decimal amounts, rows after the as-of date and customers
    /// whose rows are all after it; rows in no particular order, with a BOM.
    /// </summary>
    internal static string Sample(int seed)
    {
        var random = new Random(seed);
        var asOf = new LocalDate(2025, 6, 30);
        var text = new StringBuilder("\uFEFFcustomer_id,date,amount\n");
        void Row(string id, LocalDate day, decimal amount) =>
            text.Append(CultureInfo.InvariantCulture, $"{PurchaseRows.Quote(id)},{day:yyyy-MM-dd},{amount}\n");

        for (var i = 0; i < 4000; i++)
        {
            var id = random.Next(8) switch
            {
                0 => $"客户{random.Next(60)}",
                1 => $"Shop, Inc. #{random.Next(25)}",
                2 => $"a \"quoted\" id {random.Next(12)}",
                3 => $"an-identifier-longer-than-sixteen-bytes-{random.Next(40)}",
                _ => $"C{random.Next(500):D5}",
            };
            var amount = random.Next(10) switch
            {
                0 => -random.Next(1, 3000) / 100m,
                1 => 0m,
                2 => random.Next(0, 900_000) / 10_000m,
                _ => random.Next(0, 90_000) / 100m,
            };
            Row(id, asOf.PlusDays(random.Next(-700, 60)), amount);
        }

        for (var i = 0; i < 20; i++)
        {
            Row($"refunds-only-{i}", asOf.PlusDays(-random.Next(0, 300)), -random.Next(1, 5000) / 100m);
            Row($"after-only-{i}", asOf.PlusDays(random.Next(1, 30)), random.Next(1, 5000) / 100m);
        }

        return text.ToString();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void RfmRunChurn_FromStore_SameOutputAsFromCsv(string store)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Sample(16));
        var dir = Path.GetDirectoryName(cli.Input)!;
        var connection = store == "sqlite" ? Path.Combine(dir, "store.db") : PostgresServer.FreshDatabase();
        var import = cli.Run("import", "--transactions", cli.Input, "--store", store, "--connection", connection);
        Assert.True(import.Exit == 0, import.Err);
        string[] fromCsv = ["--transactions", cli.Input];
        string[] fromStore = ["--store", store, "--connection", connection];
        string Out(string name) => Path.Combine(dir, name);

        var rfmCsv = cli.Run(["rfm", .. fromCsv, "--as-of", AsOf, "--out", Out("csv.rfm")]);
        var rfmStore = cli.Run(["rfm", .. fromStore, "--as-of", AsOf, "--out", Out("store.rfm"), "--timings"]);
        Assert.True(rfmStore.Exit == 0, rfmStore.Err);
        Assert.Equal(File.ReadAllBytes(Out("csv.rfm")), File.ReadAllBytes(Out("store.rfm")));
        Assert.Equal(Summary(rfmCsv.Out), Summary(rfmStore.Out));
        var rfmRows = File.ReadAllText(Out("store.rfm"));
        Assert.Matches(@"\nrefunds-only-0,,0,-[0-9.]+,,,,None\n", rfmRows);
        Assert.DoesNotContain("after-only-", rfmRows, StringComparison.Ordinal);
        Assert.Contains("an-identifier-longer-than-sixteen-bytes-", rfmRows, StringComparison.Ordinal);
        Assert.Contains("\"parser\":\"store-pushdown\"", rfmStore.Err, StringComparison.Ordinal);

        var config = Out("config.json");
        File.WriteAllText(config, RunConfig);
        var runCsv = cli.Run(["run", .. fromCsv, "--as-of", AsOf, "--config", config, "--out", Out("csv.run")]);
        var runStore = cli.Run(["run", .. fromStore, "--as-of", AsOf, "--config", config, "--out", Out("store.run"), "--timings", "--threads", "3"]);
        Assert.True(runStore.Exit == 0, runStore.Err);
        Assert.Equal(File.ReadAllBytes(Out("csv.run")), File.ReadAllBytes(Out("store.run")));
        Assert.Equal(Summary(runCsv.Out), Summary(runStore.Out));
        Assert.Contains("\"parser\":\"store-pushdown\"", runStore.Err, StringComparison.Ordinal);

        string[] churnArgs = ["--calibration-end", "2025-03-31", "--holdout-end", AsOf];
        var churnCsv = cli.Run(["churn", .. fromCsv, .. churnArgs, "--out", Out("csv.churn")]);
        var churnStore = cli.Run(["churn", .. fromStore, .. churnArgs, "--out", Out("store.churn")]);
        Assert.True(churnStore.Exit == 0, churnStore.Err);
        Assert.Equal(File.ReadAllBytes(Out("csv.churn")), File.ReadAllBytes(Out("store.churn")));
        Assert.Equal(churnCsv.Out, churnStore.Out);
    }

    [Theory]
    [InlineData("rfm")]
    [InlineData("run")]
    [InlineData("churn")]
    public void Command_UnknownStore_IsAUsageError(string command)
    {
        using var cli = new CliRunner();
        var (exit, _, err) = cli.Run([command, "--store", "mysql", "--connection", "x", .. DateArgs(command), "--out", cli.Output]);
        Assert.Equal(1, exit);
        Assert.Contains("mysql", err, StringComparison.Ordinal);
        Assert.Contains("postgres", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rfm")]
    [InlineData("run")]
    [InlineData("churn")]
    public void Command_TransactionsAndStore_IsAUsageError(string command)
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,2025-01-01,1\n");
        var (exit, _, err) = cli.Run([command, "--transactions", cli.Input, "--store", "sqlite", "--connection", cli.Output + ".db", .. DateArgs(command), "--out", cli.Output]);
        Assert.Equal(1, exit);
        Assert.Contains("cannot be used together", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rfm", "Host=127.0.0.1;Port=1;Username=app;Password=hunter2-secret;Timeout=2")]
    [InlineData("run", "Host=127.0.0.1;Port=1;Username=app;Password=hunter2-secret;Timeout=2")]
    [InlineData("churn", "Host=127.0.0.1;Port=1;Username=app;Password=hunter2-secret;Timeout=2")]
    [InlineData("rfm", "Host=127.0.0.1;Pasword=hunter2-secret")]
    [InlineData("run", "Host=127.0.0.1;Pasword=hunter2-secret")]
    [InlineData("churn", "Host=127.0.0.1;Pasword=hunter2-secret")]
    public void Command_BadPostgresConnection_ExitsThreeWithoutThePassword(string command, string connection)
    {
        using var cli = new CliRunner();
        var (exit, output, err) = cli.Run([command, "--store", "postgres", "--connection", connection, .. DateArgs(command), "--out", cli.Output]);
        Assert.Equal(3, exit);
        Assert.Contains($"custseg {command}: cannot read the postgres store: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", err + output, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.Output));
    }

    [Theory]
    [InlineData("rfm")]
    [InlineData("run")]
    [InlineData("churn")]
    public void Command_SqliteFileThatIsNotADatabase_ExitsThree(string command)
    {
        using var cli = new CliRunner();
        var db = cli.Output + ".db";
        File.WriteAllText(db, new string('x', 4096));
        var (exit, _, err) = cli.Run([command, "--store", "sqlite", "--connection", db, .. DateArgs(command), "--out", cli.Output]);
        Assert.Equal(3, exit);
        Assert.Contains($"custseg {command}: cannot read the sqlite store: ", err, StringComparison.Ordinal);
        Assert.DoesNotContain(db, err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("churn")]
    public void Command_EmptyStore_ExitsThreeSayingItHoldsNoPurchase(string command)
    {
        using var cli = new CliRunner();
        var db = cli.Output + ".db";
        cli.WriteInput("customer_id,date,amount\n");
        Assert.Equal(0, cli.Run("import", "--transactions", cli.Input, "--store", "sqlite", "--connection", db).Exit);
        var (exit, _, err) = cli.Run([command, "--store", "sqlite", "--connection", db, .. DateArgs(command), "--out", cli.Output]);
        Assert.Equal(3, exit);
        Assert.Contains("holds no purchase", err, StringComparison.Ordinal);
    }

    private static string[] DateArgs(string command) =>
        command == "churn" ? ["--calibration-end", "2025-03-31", "--holdout-end", AsOf] : ["--as-of", AsOf];

    /// <summary>A command's stdout without what differs between two runs: the output path and the elapsed time.</summary>
    private static string Summary(string stdout) => Volatile().Replace(stdout, "-> OUT (${bytes}) in T s");

    [GeneratedRegex(@"-> \S+ \((?<bytes>\d+ bytes)\) in [0-9.]+ s")]
    private static partial Regex Volatile();
}
