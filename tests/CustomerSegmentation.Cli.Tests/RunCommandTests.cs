using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

public class RunCommandTests
{
    internal const string Config = """
        {
          "tiers": { "name": "abc", "kind": "quantile", "tiers": ["C", "B", "A"], "metric": "netSpend", "shares": { "A": 0.2, "B": 0.3 } },
          "lifecycle": {
            "initialStage": "visitor",
            "stages": [ { "id": "visitor" }, { "id": "member" }, { "id": "lapsed" } ],
            "transitions": [ { "from": "visitor", "to": ["member"] }, { "from": "member", "to": ["lapsed"] }, { "from": "lapsed", "to": ["member"] } ],
            "rules": [
              { "id": "joins", "from": ["visitor"], "to": "member", "when": { "minPurchases": 1 } },
              { "id": "lapses", "from": ["member"], "to": "lapsed", "when": { "noPurchaseFor": { "medianGapMultiple": 2, "fallbackDays": 60 } } }
            ]
          },
          "model": { "bgnbd": { "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426 }, "gammaGamma": { "p": 6.25, "q": 3.74, "gamma": 15.44 } }
        }
        """;

    private static readonly LocalDate AsOf = new(2025, 12, 31);

    private static (string Csv, List<(string Id, LocalDate Date, decimal Amount)> Rows) Sample(int seed, string lineEnd)
    {
        var random = new Random(seed);
        var rows = new List<(string Id, LocalDate Date, decimal Amount)>();
        for (var i = 0; i < 3000; i++)
        {
            var id = random.Next(8) switch
            {
                0 => $"客户{random.Next(50)}",
                1 => $"Shop, Inc. #{random.Next(20)}",
                2 => $"a \"quoted\" id {random.Next(10)}",
                3 => $"an-identifier-longer-than-fifteen-bytes-{random.Next(30)}",
                _ => $"C{random.Next(400):D5}",
            };
            var cents = random.Next(8) == 0 ? -random.Next(1, 3000) : random.Next(0, 90000);
            rows.Add((id, AsOf.PlusDays(random.Next(-700, 20)), cents / 100m));
        }

        var text = new StringBuilder("customer_id,date,amount" + lineEnd);
        foreach (var (id, date, amount) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{PurchaseRows.Quote(id)},{date:yyyy-MM-dd},{amount}{lineEnd}");
        }

        return (text.ToString(), rows);
    }

    [Fact]
    public void Run_SmallFile_EqualsEngineApiResults()
    {
        using var cli = new CliRunner();
        var (csv, rows) = Sample(12, "\r\n");
        cli.WriteInput(csv, bom: true);
        var config = Path.Combine(Path.GetDirectoryName(cli.Input)!, "config.json");
        File.WriteAllText(config, Config);

        var (exit, _, err) = cli.Run("run", "--transactions", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, err);
        var lines = CliRunner.ParseCsv(File.ReadAllText(cli.Output, Encoding.UTF8));
        Assert.Equal(RunCsvSink.Header.Split(','), lines[0]);
        var actual = lines.Skip(1).ToDictionary(l => l[0]);

        // The library's way: the same rows folded into facts, the same options, the engine's batches.
        var builder = new PurchaseFactsBuilder(AsOf, 1);
        var batch = builder.CreateBatch();
        foreach (var (id, date, amount) in rows)
        {
            batch.Add(Encoding.UTF8.GetBytes(id), Utf8PurchaseFields.ToEpochDay(date), (long)(amount * 10000));
        }

        builder.Add(batch, 0);
        var facts = builder.Build();
        var engine = new SegmentationEngine(RunConfig.Load(config, 1).Options);
        var sink = new Expecting(actual);
        engine.Run(facts, sink);
        Assert.Equal(facts.Count, sink.Checked);
        Assert.Equal(facts.Count, actual.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Run_ThreadCount_GivesByteIdenticalOutput(int threads)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Sample(4, "\n").Csv);
        var config = Path.Combine(Path.GetDirectoryName(cli.Input)!, "config.json");
        File.WriteAllText(config, Config);
        Assert.Equal(0, cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output, "--threads", "2").Exit);
        var two = File.ReadAllBytes(cli.Output);
        Assert.Equal(0, cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output, "--threads", threads.ToString(CultureInfo.InvariantCulture)).Exit);
        Assert.Equal(two, File.ReadAllBytes(cli.Output));
    }

    [Fact]
    public void Run_BomCrlfQuotedCommasChineseIds_GiveTheSameRowsAsPlainLf()
    {
        using var cli = new CliRunner();
        var (lf, _) = Sample(9, "\n");
        cli.WriteInput(lf);
        Assert.Equal(0, cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--out", cli.Output).Exit);
        var plain = File.ReadAllText(cli.Output);
        cli.WriteInput(Sample(9, "\r\n").Csv, bom: true);
        Assert.Equal(0, cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--out", cli.Output).Exit);
        Assert.Equal(plain, File.ReadAllText(cli.Output));
        Assert.Contains("\"Shop, Inc. #", plain, StringComparison.Ordinal);
        Assert.Contains("客户", plain, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ":1: the file is empty")]
    [InlineData("id,date,amount\nC1,2025-01-01,5\n", ":1: ")]
    [InlineData("customer_id,date,amount\nC1,2025-01-01,5\nC2,2025-01-01\n", ":3: ")]
    [InlineData("customer_id,date,amount\nC1,2025-01-01,5\nC2,2025-13-01,5\n", ":3: ")]
    [InlineData("customer_id,date,amount\nC1,2025-01-01,5\nC2,2025-01-01,5,00\n", ":3: ")]
    [InlineData("customer_id,date,amount\nC1,2025-01-01,5\n\nC2,2025-01-01,abc\n", ":3: expected 3 columns")]
    [InlineData("customer_id,date,amount\nC1,2025-01-01,5\nC2,2025-01-01,abc\n", ":3: ")]
    public void Run_MalformedInput_StopsWithFileLineAndReason(string text, string where)
    {
        using var cli = new CliRunner();
        cli.WriteInput(text);

        var (exit, _, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--out", cli.Output);

        Assert.Equal(2, exit);
        Assert.Contains(cli.Input + where, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SkipBadRows_CountsAndReportsThemAndScoresTheRest()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nC1,2025-01-01,5\nC2,2025-13-01,5\nC3,2025-02-01,7\n");

        var (exit, output, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--out", cli.Output, "--skip-bad-rows");

        Assert.Equal(0, exit);
        Assert.Contains("skipped 1 bad row", err, StringComparison.Ordinal);
        Assert.Contains($"{cli.Input}:3:", err, StringComparison.Ordinal);
        Assert.Contains("2 customers", output, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(cli.Output).Length);
    }

    [Fact]
    public void Run_BadConfig_ExitsTwoNamingTheFileAndMember()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nC1,2025-01-01,5\n");
        var config = Path.Combine(Path.GetDirectoryName(cli.Input)!, "config.json");
        File.WriteAllText(config, """{ "tiers": { "name": "x", "kind": "quantile", "tiers": ["C", "A"], "metric": "distinctPurchaseDays", "shares": { "A": 0.2 } } }""");
        var (exit, _, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output);
        Assert.Equal(2, exit);
        Assert.Contains(config, err, StringComparison.Ordinal);
        Assert.Contains("distinctPurchaseDays", err, StringComparison.Ordinal);

        File.WriteAllText(config, """{ "tier": {} }""");
        (exit, _, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output);
        Assert.Equal(2, exit);
        Assert.Contains("unknown member 'tier'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Segments_FillTheSegmentsColumnWithMemberIds()
    {
        using var cli = new CliRunner();

        // C1: one purchase 1 day before the as-of date; C2: two purchases, the last 213 days before; C3: three purchases, the last 11 days before.
        cli.WriteInput("customer_id,date,amount\nC1,2025-12-30,5\nC2,2025-05-01,40\nC2,2025-06-01,70\nC3,2025-12-01,10\nC3,2025-12-10,10\nC3,2025-12-20,10\n");
        var config = Path.Combine(Path.GetDirectoryName(cli.Input)!, "config.json");
        File.WriteAllText(config, """
            { "segments": [
              { "id": "lapsed", "name": "Lapsed", "rule": "days_since_last_purchase > 60" },
              { "id": "repeat", "name": "Repeat buyers", "rule": "purchase_count >= 2" },
              { "id": "big", "name": "Big spenders", "rule": "net_spend >= 100" }
            ] }
            """);

        var (exit, _, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, err);
        var lines = CliRunner.ParseCsv(File.ReadAllText(cli.Output, Encoding.UTF8));
        var column = Array.IndexOf(lines[0], "segments");
        var segments = lines.Skip(1).ToDictionary(l => l[0], l => l[column]);
        Assert.Equal(string.Empty, segments["C1"]);
        Assert.Equal("lapsed;repeat;big", segments["C2"]);
        Assert.Equal("repeat", segments["C3"]);
    }

    [Theory]
    [InlineData("""{ "id": "bad", "name": "Bad", "rule": "days_since_last_purchase >" }""", "segment 'bad': $.segments[0].rule: line 1")]
    [InlineData("""{ "id": "stage-typo", "name": "Typo", "rule": "stage = \"actve\"" }""", "segment 'stage-typo': ")]
    [InlineData("""{ "id": "no-field", "name": "Unknown field", "rule": "shoe_size > 3" }""", "segment 'no-field': ")]
    public void Run_BadSegmentDefinition_ExitsTwoNamingFileSegmentAndError(string definition, string expected)
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nC1,2025-01-01,5\n");
        var config = Path.Combine(Path.GetDirectoryName(cli.Input)!, "config.json");
        File.WriteAllText(config, $$"""{ "segments": [ {{definition}} ] }""");

        var (exit, _, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--config", config, "--out", cli.Output);

        Assert.Equal(2, exit);
        Assert.Contains(config, err, StringComparison.Ordinal);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Timings_PrintsOneJsonLineWithThePhases()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Sample(2, "\n").Csv);
        var (exit, _, err) = cli.Run("run", "-t", cli.Input, "--as-of", "2025-12-31", "--out", cli.Output, "--timings");
        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(err.Trim());
        foreach (var phase in new[] { "read_s", "aggregate_s", "score_s", "write_s", "total_s", "peak_memory_mb" })
        {
            Assert.True(json.RootElement.GetProperty(phase).GetDouble() >= 0, phase);
        }
    }

    private sealed class Expecting(Dictionary<string, string[]> actual) : ISegmentationBatchSink
    {
        private int _checked;

        public int Checked => _checked;

        public void Write(SegmentationBatch b)
        {
            var e = b.Engine;
            for (var j = 0; j < b.Length; j++)
            {
                var i = b.Start + j;
                var row = actual[Encoding.UTF8.GetString(b.Facts.GetIdUtf8(i))];
                Assert.Equal(b.Facts.RecencyDays(i) < 0 ? string.Empty : b.Facts.RecencyDays(i).ToString(CultureInfo.InvariantCulture), row[1]);
                Assert.Equal(b.Facts.PurchaseCount[i], int.Parse(row[2], CultureInfo.InvariantCulture));
                Assert.Equal(b.Facts.NetSpendUnits[i] / 10000m, decimal.Parse(row[3], CultureInfo.InvariantCulture));
                Assert.Equal(b.R[j] == 0 ? string.Empty : $"{b.R[j]}", row[4]);
                Assert.Equal(b.F[j] == 0 ? string.Empty : $"{b.F[j]}", row[5]);
                Assert.Equal(b.M[j] == 0 ? string.Empty : $"{b.M[j]}", row[6]);
                Assert.Equal(e.RfmSegmentName(b.RfmSegment[j]), row[7]);
                Near(b.PAlive[j], row[8], 0.0001);
                Near(b.ExpectedPurchases[j], row[9], 0.0001);
                Near(b.Clv[j], row[10], 0.01);
                Assert.Equal(e.TierName(b.Tier[j]), row[11]);
                Assert.Equal(e.StageName(b.Stage[j]), row[12]);
                Assert.Equal(b.ChurnLevel[j].ToString().ToLowerInvariant(), row[13]);
                Near(b.ChurnScore[j], row[14], 0.0001);
                Interlocked.Increment(ref _checked);
            }
        }

        private static void Near(float expected, string actual, double tolerance)
        {
            if (float.IsNaN(expected))
            {
                Assert.Equal(string.Empty, actual);
                return;
            }

            Assert.Equal(expected, double.Parse(actual, CultureInfo.InvariantCulture), tolerance);
        }
    }
}
