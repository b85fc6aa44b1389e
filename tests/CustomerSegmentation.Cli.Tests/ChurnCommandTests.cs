using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

public class ChurnCommandTests
{
    private static readonly string Cdnow = Path.Combine(AppContext.BaseDirectory, "Data", "cdnow", "cdnow_sample_transactions.csv");

    [Fact]
    public void Churn_Cdnow_MetricsEqualLibraryBacktestAndBeatRecency()
    {
        using var cli = new CliRunner();
        var metricsPath = cli.Output + ".json";
        var (exit, output, error) = cli.Run("churn", "--transactions", Cdnow, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30",
            "--metrics-out", metricsPath, "--out", cli.Output);
        Assert.True(exit == 0, error);
        Assert.Contains("P(alive) from BG/NBD", output, StringComparison.Ordinal);

        var (report, assessed, holdoutBuyers) = LibraryBacktest(new LocalDate(1997, 9, 30), new LocalDate(1998, 6, 30));
        Assert.Equal(2357, report.Customers);

        using var json = JsonDocument.Parse(File.ReadAllText(metricsPath));
        var root = json.RootElement;
        Assert.Equal(["auc", "recencyAuc", "levels"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(report.Auc, root.GetProperty("auc").GetDouble(), 12);
        Assert.Equal(report.RecencyAuc, root.GetProperty("recencyAuc").GetDouble(), 12);
        Assert.True(root.GetProperty("auc").GetDouble() > root.GetProperty("recencyAuc").GetDouble(), "the combined score beats recency alone on CDNOW");
        var levels = root.GetProperty("levels");
        Assert.Equal(Enum.GetValues<ChurnRiskLevel>().Select(l => l.ToString().ToLowerInvariant()), levels.EnumerateObject().Select(p => p.Name));
        foreach (var expected in report.Levels)
        {
            var level = levels.GetProperty(expected.Level.ToString().ToLowerInvariant());
            Assert.Equal(["precision", "recall", "f1"], level.EnumerateObject().Select(p => p.Name));
            Assert.Equal(expected.Precision, level.GetProperty("precision").GetDouble(), 12);
            Assert.Equal(expected.Recall, level.GetProperty("recall").GetDouble(), 12);
            Assert.Equal(expected.F1, level.GetProperty("f1").GetDouble(), 12);
        }

        var rows = ParseCsv(File.ReadAllText(cli.Output, Encoding.UTF8));
        Assert.Equal(["customer_id", "score", "level", "churned", "reasons"], rows[0]);
        Assert.Equal(report.Customers, rows.Count - 1);
        var byId = assessed.Assessments.ToDictionary(a => a.CustomerId.Value, StringComparer.Ordinal);
        foreach (var row in rows.Skip(1))
        {
            Assert.Equal(5, row.Length);
            var a = byId[row[0]];
            Assert.Equal(a.Score, double.Parse(row[1], CultureInfo.InvariantCulture));
            Assert.Equal(a.Level.ToString().ToLowerInvariant(), row[2]);
            Assert.Equal(holdoutBuyers.Contains(row[0]) ? "false" : "true", row[3]);
            Assert.Equal(string.Join(" | ", a.Reasons), row[4]);
        }

        Assert.Equal(report.Churned, rows.Skip(1).Count(r => r[3] == "true"));
        foreach (var l in report.Levels)
        {
            Assert.Equal(l.AtLevel, rows.Skip(1).Count(r => r[2] == l.Level.ToString().ToLowerInvariant()));
        }
    }

    [Fact]
    public void Churn_Timings_OneJsonLineOnStderr()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = cli.Run("churn", "-t", Cdnow, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--timings");
        Assert.Equal(0, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("churn", json.RootElement.GetProperty("command").GetString());
        Assert.Equal(2357, json.RootElement.GetProperty("customers").GetInt32());
        Assert.True(json.RootElement.GetProperty("peak_memory_mb").GetDouble() > 0);
    }

    [Fact]
    public void Churn_QuotedIdsAndRefunds_FollowTheRowRules()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\r\n\"A,1\",2025-01-01,10\r\n\"A,1\",2025-03-01,12\r\n客户,2025-02-01,5\r\n客户,2025-07-01,-5\r\nB,2025-06-01,8\r\n\"A,1\",2025-05-01,9\r\n", bom: true);
        var (exit, _, error) = cli.Run("churn", "-t", cli.Input, "--calibration-end", "2025-03-31", "--holdout-end", "2025-12-31", "--out", cli.Output);
        Assert.True(exit == 0, error);
        var rows = ParseCsv(File.ReadAllText(cli.Output, Encoding.UTF8)).Skip(1).ToDictionary(r => r[0], StringComparer.Ordinal);

        // B first bought after the calibration end: not assessed. A refund in the holdout is not a purchase.
        Assert.Equal(["A,1", "客户"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("false", rows["A,1"][3]);
        Assert.Equal("true", rows["客户"][3]);
    }

    [Fact]
    public void Churn_NoRepeatBuyers_RunsWithoutPAliveAndSaysSo()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,1997-01-01,10\nB,1997-02-01,5\nC,1997-03-01,7\nA,1997-11-01,3\n");
        var metrics = cli.Output + ".json";
        var (exit, output, error) = cli.Run("churn", "-t", cli.Input, "--calibration-end", "1997-09-30", "--holdout-end", "1997-12-31", "--metrics-out", metrics);
        Assert.True(exit == 0, error);
        Assert.Contains("no P(alive) signal", output, StringComparison.Ordinal);
        Assert.True(File.Exists(metrics));
    }

    [Fact]
    public void Churn_BadDate_StopsWithLineAndExitCode2()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,1997-01-01,10\nB,1997-13-01,5\n");
        var metrics = cli.Output + ".json";
        var (exit, _, error) = cli.Run("churn", "-t", cli.Input, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--metrics-out", metrics);
        Assert.Equal(2, exit);
        Assert.Contains(cli.Input + ":3: bad date '1997-13-01'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(metrics));
    }

    [Fact]
    public void Churn_SkipBadRows_CountsThem()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,1997-01-01,10\nB,1997-13-01,5\nA,1997-02-01,x\nA,1997-03-01,4\n");
        var (exit, output, error) = cli.Run("churn", "-t", cli.Input, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--skip-bad-rows");
        Assert.Equal(0, exit);
        Assert.Contains("skipped 2 bad row(s)", error, StringComparison.Ordinal);
        Assert.Contains("2 bad rows skipped", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1998-06-30")]
    [InlineData("1997-09-30")]
    public void Churn_HoldoutNotAfterCalibration_IsRejected(string holdoutEnd)
    {
        using var cli = new CliRunner();
        var (exit, _, error) = cli.Run("churn", "-t", Cdnow, "--calibration-end", "1998-06-30", "--holdout-end", holdoutEnd);
        Assert.Equal(2, exit);
        Assert.Contains("must be after --calibration-end", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Churn_MissingFile_ExitCode3()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = cli.Run("churn", "-t", cli.Input + ".missing", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30");
        Assert.Equal(3, exit);
        Assert.Contains("not found", error, StringComparison.Ordinal);
    }

    /// <summary>The backtest through the library's API alone: summaries, BG/NBD P(alive) and <see cref="ChurnBacktest"/>.</summary>
    private static (ChurnBacktestReport Report, ChurnPopulationAssessment Assessed, HashSet<string> HoldoutBuyers) LibraryBacktest(LocalDate calibrationEnd, LocalDate holdoutEnd)
    {
        var calEnd = calibrationEnd.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() - Duration.Epsilon;
        var holdEnd = holdoutEnd.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() - Duration.Epsilon;
        var records = new List<ActivityRecord>();
        var builder = new BtydSummaryBuilder(calibrationEnd, holdoutEnd);
        var holdoutBuyers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Cdnow).Skip(1))
        {
            var f = line.Split(',');
            var day = LocalDate.FromDateTime(DateTime.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture));
            var amount = decimal.Parse(f[2], CultureInfo.InvariantCulture);
            builder.Add(new CustomerId(f[0]), day, amount);
            if (day <= calibrationEnd)
            {
                records.Add(new Purchase(new CustomerId(f[0]), day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), new Money(amount, Currency.Usd)));
            }
            else if (day <= holdoutEnd && amount >= 0)
            {
                holdoutBuyers.Add(f[0]);
            }
        }

        var data = builder.Build();
        var pAlive = BgNbdModel.Fit(data).ProbabilityAlive(data);
        var signals = new Dictionary<CustomerId, ChurnSignals>();
        for (var i = 0; i < data.Count; i++)
        {
            signals[data.CustomerIds[i]] = new ChurnSignals { PAlive = pAlive[i] };
        }

        var summarizer = new ActivitySummarizer(new ActivitySummaryOptions
        {
            Windows = [new SummaryWindow("recent", Duration.FromDays(91)), new SummaryWindow("baseline", Duration.FromDays(182), Duration.FromDays(91))],
        });
        var summaries = summarizer.SummarizeAll(records, calEnd).ToList();
        var customers = summaries.Select(s => new ChurnBacktestCustomer(s, holdoutBuyers.Contains(s.CustomerId.Value), signals[s.CustomerId])).ToList();
        var assessor = new ChurnAssessor();
        return (ChurnBacktest.Run(assessor, customers, calEnd, holdEnd), assessor.AssessAll(summaries, calEnd, s => signals[s.CustomerId]), holdoutBuyers);
    }

    /// <summary>A minimal RFC 4180 reader for the tool's output (LF rows, quoted fields).</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '"' && i + 1 < text.Length && text[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (!quoted && c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
