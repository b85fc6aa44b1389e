using System.Globalization;
using System.Text;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

public class RfmCommandTests
{
    private static readonly LocalDate AsOf = new(2025, 12, 31);

    public static TheoryData<string> Parsers => new() { "auto", "utf8", "sep" };

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Rfm_SmallFile_EqualsReferenceComputation(string parser)
    {
        var random = new Random(12);
        var rows = new List<RfmReference.Row>();
        for (var i = 0; i < 3000; i++)
        {
            var id = random.Next(10) switch
            {
                0 => $"客户{random.Next(50)}",
                1 => $"Shop, Inc. #{random.Next(20)}",
                2 => $"a \"quoted\" id {random.Next(10)}",
                3 => $"an-identifier-longer-than-fifteen-bytes-{random.Next(30)}",
                _ => $"C{random.Next(400):D5}",
            };
            var cents = random.Next(8) == 0 ? -random.Next(1, 3000) : random.Next(0, 90000);
            rows.Add(new RfmReference.Row(id, AsOf.PlusDays(random.Next(-700, 20)), cents / 100m));
        }

        using var cli = new CliRunner();
        cli.WriteInput(Csv(rows, "\r\n"), bom: true);

        var (exit, _, err) = cli.Rfm(extra: ["--parser", parser]);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, err);
        var expected = RfmReference.Compute(rows, AsOf);
        var actual = cli.ReadOutput();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (id, e) in expected)
        {
            Assert.Equal(e, actual[id]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Rfm_ThreadCount_GivesByteIdenticalOutput(int threads)
    {
        using var cli = new CliRunner();
        var random = new Random(5);
        var text = new StringBuilder("customer_id,date,amount\n");
        for (var i = 0; i < 20000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{random.Next(3000)},2025-{random.Next(1, 13):D2}-{random.Next(1, 29):D2},{random.Next(-100, 10000) / 100m}\n");
        }

        cli.WriteInput(text.ToString());
        Assert.Equal(0, cli.Rfm(extra: ["--threads", "2"]).Exit);
        var reference = File.ReadAllBytes(cli.Output);

        Assert.Equal(0, cli.Rfm(extra: ["--threads", threads.ToString(CultureInfo.InvariantCulture)]).Exit);
        Assert.Equal(reference, File.ReadAllBytes(cli.Output));
        Assert.Equal(0, cli.Rfm(extra: ["--threads", threads.ToString(CultureInfo.InvariantCulture), "--parser", "sep"]).Exit);
        Assert.Equal(reference, File.ReadAllBytes(cli.Output));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("sep")]
    public void Rfm_RowOrder_DoesNotChangeScores(string parser)
    {
        using var cli = new CliRunner();
        var random = new Random(9);
        var rows = Enumerable.Range(0, 5000)
            .Select(_ => new RfmReference.Row($"C{random.Next(700)}", AsOf.PlusDays(-random.Next(900)), random.Next(100, 50000) / 100m))
            .ToList();
        cli.WriteInput(Csv(rows.OrderBy(r => r.Date), "\n"));
        Assert.Equal(0, cli.Rfm(extra: ["--parser", parser]).Exit);
        var timeOrdered = cli.ReadOutput();

        cli.WriteInput(Csv(rows.OrderBy(r => r.CustomerId, StringComparer.Ordinal), "\n"));
        Assert.Equal(0, cli.Rfm(extra: ["--parser", parser]).Exit);

        Assert.Equal(timeOrdered, cli.ReadOutput());
    }

    [Fact]
    public void Rfm_AsOfDate_IsInclusiveAndLaterRowsAreIgnored()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,2025-12-31,10\nA,2026-01-01,99\nB,2026-01-05,5\nC,2025-12-30T23:59:59Z,1\n");

        var (exit, output, _) = cli.Rfm();

        Assert.Equal(0, exit);
        var result = cli.ReadOutput();
        Assert.Equal(2, result.Count);
        Assert.Equal((0, 1, 10m), (result["A"].RecencyDays!.Value, result["A"].Frequency, result["A"].Monetary));
        Assert.Equal(1, result["C"].RecencyDays);
        Assert.Contains("2 after 2025-12-31 ignored", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfm_RefundsOnly_AppearUnscoredWithSegmentNone()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,2025-12-01,10\nA,2025-12-02,-4\nR,2025-11-01,-7.5\n");

        Assert.Equal(0, cli.Rfm().Exit);

        var result = cli.ReadOutput();
        Assert.Equal(new RfmReference.Result("A", 30, 1, 6m, 1, 1, 1, "Lost"), result["A"]);
        Assert.Equal(new RfmReference.Result("R", null, 0, -7.5m, 0, 0, 0, "None"), result["R"]);
        Assert.Contains("R,,0,-7.50,,,,None\n", File.ReadAllText(cli.Output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ":1: the file is empty")]
    [InlineData("\uFEFF", ":1: the file is empty")]
    [InlineData("A,2025-01-01,5\n", ":1: the header must be 'customer_id,date,amount'")]
    [InlineData("customer_id;date;amount\nA;2025-01-01;5\n", ":1: the header must be")]
    [InlineData("customer_id,date,amount\nA,2025-01-01,5\nB,2025-01-01\n", ":3: expected 3 columns (customer_id,date,amount), found 2")]
    [InlineData("customer_id,date,amount\r\nA,2025-01-01,5\r\nB,2025-01-01,5,x\r\n", ":3: expected 3 columns (customer_id,date,amount), found 4")]
    [InlineData("customer_id,date,amount\nA,2025-01-01,5\n\nB,2025-01-01,5\n", ":3: expected 3 columns (customer_id,date,amount), found 1")]
    [InlineData("customer_id,date,amount\nA,01/02/2025,5\n", ":2: bad date '01/02/2025'")]
    [InlineData("customer_id,date,amount\nA,2025-02-30,5\n", ":2: bad date '2025-02-30'")]
    [InlineData("customer_id,date,amount\nA,2025-01-01,5\nA,2025-01-02,1,5\n", ":3: expected 3 columns")]
    [InlineData("customer_id,date,amount\nA,2025-01-01,\"1,5\"\n", ":2: bad amount '1,5'")]
    [InlineData("customer_id,date,amount\nA,2025-01-01,12.34567\n", ":2: bad amount '12.34567'")]
    [InlineData("customer_id,date,amount\n,2025-01-01,5\n", ":2: customer_id is empty")]
    [InlineData("customer_id,date,amount\n\"multi\nline\",2025-01-01,5\nB,2025-01-01,x\n", ":4: bad amount 'x'")]
    public void Rfm_MalformedInput_StopsWithLineAndReason(string text, string expected)
    {
        foreach (var parser in new[] { "auto", "sep" })
        {
            using var cli = new CliRunner();
            cli.WriteInput(text);

            var (exit, _, err) = cli.Rfm(extra: ["--parser", parser]);

            Assert.Equal(2, exit);
            Assert.Contains(cli.Input + expected, err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Rfm_SkipBadRows_SkipsCountsAndReports()
    {
        foreach (var parser in new[] { "auto", "sep" })
        {
            using var cli = new CliRunner();
            cli.WriteInput("customer_id,date,amount\nA,2025-01-01,5\nB,2025-13-01,5\nC,2025-01-01,abc\nD,2025-01-01,7\n");

            var (exit, output, err) = cli.Rfm(extra: ["--skip-bad-rows", "--parser", parser]);

            Assert.Equal(0, exit);
            Assert.Equal(["A", "D"], cli.ReadOutput().Keys.Order(StringComparer.Ordinal));
            Assert.Contains("skipped 2 bad row(s)", err, StringComparison.Ordinal);
            Assert.Contains(cli.Input + ":3: bad date '2025-13-01'", err, StringComparison.Ordinal);
            Assert.Contains(cli.Input + ":4: bad amount 'abc'", err, StringComparison.Ordinal);
            Assert.Contains("2 bad rows skipped", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("customer_id,date,amount\r\nA,2025-12-01,5\r\nB,2025-12-02,6\r\n", false)]
    [InlineData("customer_id,date,amount\nA,2025-12-01,5\nB,2025-12-02,6", true)]
    [InlineData("customer_id,date,amount\rA,2025-12-01,5\rB,2025-12-02,6\r", false)]
    [InlineData("\"customer_id\",\"date\",\"amount\"\n\"A\",\"2025-12-01\",\"5\"\n\"B\",2025-12-02,\"6\"\n", true)]
    public void Rfm_LineEndsBomAndQuotes_AreAccepted(string text, bool bom)
    {
        using var cli = new CliRunner();
        cli.WriteInput(text, bom);

        Assert.Equal(0, cli.Rfm().Exit);

        var result = cli.ReadOutput();
        Assert.Equal((30, 5m), (result["A"].RecencyDays!.Value, result["A"].Monetary));
        Assert.Equal((29, 6m), (result["B"].RecencyDays!.Value, result["B"].Monetary));
    }

    [Fact]
    public void Rfm_QuotedCommasAndChineseIds_RoundTrip()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\n\"Shop, Inc.\",2025-12-01,5\n\"say \"\"hi\"\"\",2025-12-01,1\n重要客户001,2025-12-30,8.5\n重要客户001,2025-12-31,1.5\n", bom: true);

        Assert.Equal(0, cli.Rfm().Exit);

        var text = File.ReadAllText(cli.Output);
        Assert.Contains("\"Shop, Inc.\",30,1,5.00,", text, StringComparison.Ordinal);
        Assert.Contains("\"say \"\"hi\"\"\",30,1,1.00,", text, StringComparison.Ordinal);
        Assert.Contains("重要客户001,0,2,10.00,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfm_HeaderOnly_WritesHeaderOnly()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\r\n");

        Assert.Equal(0, cli.Rfm().Exit);

        Assert.Equal("customer_id,recency_days,frequency,monetary,r,f,m,segment\n", File.ReadAllText(cli.Output));
    }

    [Fact]
    public void Rfm_Timings_PrintsOneJsonLineOnStderr()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,2025-12-01,5\n");

        var (exit, _, err) = cli.Rfm(extra: ["--timings"]);

        Assert.Equal(0, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = System.Text.Json.JsonDocument.Parse(line);
        foreach (var key in new[] { "read_s", "aggregate_s", "score_s", "write_s", "total_s", "peak_memory_mb" })
        {
            Assert.True(json.RootElement.GetProperty(key).GetDouble() >= 0, key);
        }
    }

    [Theory]
    [InlineData(1, "--as-of", "31/12/2025")]
    [InlineData(1, "--bins", "11")]
    [InlineData(1, "--threads", "0")]
    [InlineData(1, "--parser", "xml")]
    public void Rfm_BadOption_ExitsWithUsageError(int code, string option, string value)
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,2025-12-01,5\n");
        var args = new List<string> { "rfm", "--transactions", cli.Input, "--out", cli.Output };
        if (option != "--as-of")
        {
            args.AddRange(["--as-of", "2025-12-31"]);
        }

        args.AddRange([option, value]);

        Assert.Equal(code, cli.Run([.. args]).Exit);
        Assert.False(File.Exists(cli.Output));
    }

    [Fact]
    public void Rfm_MissingInput_ExitsWith3()
    {
        using var cli = new CliRunner();

        var (exit, _, err) = cli.Rfm();

        Assert.Equal(3, exit);
        Assert.Contains("input file not found", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfm_Bins_ChangesScoreRange()
    {
        using var cli = new CliRunner();
        var text = new StringBuilder("customer_id,date,amount\n");
        for (var i = 0; i < 100; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{i},2025-12-{1 + (i % 28):D2},{i}\n");
        }

        cli.WriteInput(text.ToString());
        Assert.Equal(0, cli.Rfm(extra: ["--bins", "10"]).Exit);

        var result = cli.ReadOutput();
        Assert.Equal(10, result.Values.Max(r => r.M));
        Assert.Equal(1, result.Values.Min(r => r.M));
    }

    internal static string Csv(IEnumerable<RfmReference.Row> rows, string newline)
    {
        var text = new StringBuilder("customer_id,date,amount").Append(newline);
        foreach (var r in rows)
        {
            var id = r.CustomerId.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + r.CustomerId.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : r.CustomerId;
            text.Append(CultureInfo.InvariantCulture, $"{id},{r.Date:yyyy-MM-dd},{r.Amount}").Append(newline);
        }

        return text.ToString();
    }
}
