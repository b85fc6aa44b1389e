using System.Text.Json;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.DataQuality;

namespace CustomerSegmentation.Cli.Tests;

public class DedupeCommandTests
{
    private const string Sample =
        "customer_id,name,email,phone,organisation,region,note\n" +
        "C2,张 三,,＋８６１３８１２３４５６７８,,,\n" +
        "C1,张三,zs@x.com,+86 138 1234 5678,,,vip\n" +
        "P1,José Müller,,,ACME,,\n" +
        "P2,Jose Muller,,,acme,,\n" +
        "\"X,1\",\"Li \"\"Na\"\"\",li.na@EXAMPLE.com,,,,\n" +
        "X2,Wang,li.na@example.com,bad,,,\n" +
        "K1,欧阳娜娜,,,阿里,,\n" +
        "K2,欧阳娜,,,阿里,,\n";

    private static (int Exit, string Out, string Err) Dedupe(CliRunner cli, params string[] extra) =>
        cli.Run(["dedupe", "--customers", cli.Input, "--out", cli.Output, .. extra]);

    [Fact]
    public void Dedupe_Sample_WritesPairsBestFirstEqualToLibrary()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Sample, bom: true);
        var (exit, output, error) = Dedupe(cli);
        Assert.True(exit == 0, error);
        Assert.Contains("8 customers, 4 candidate pairs", output, StringComparison.Ordinal);
        Assert.Contains("X2: phone 'bad'", error, StringComparison.Ordinal);

        var lines = File.ReadAllLines(cli.Output);
        Assert.Equal("customer_id_a,customer_id_b,score,evidence", lines[0]);
        Assert.Equal("C1,C2,1,same phone +8613812345678; names 1.00 similar", lines[1]);
        Assert.Contains("\"X,1\",X2,0.95,same email li.na@example.com; names ", lines, StringComparer.Ordinal.WithPrefix());

        long bad = 0;
        Assert.Null(DedupeCommand.Read(cli.Input, false, out var customers, ref bad));
        Assert.Equal("vip", customers.Single(c => c.Id.Value == "C1").CustomAttributes["note"]);
        var expected = new DuplicateDetector().Find(customers).Candidates;
        Assert.Equal(expected.Length, lines.Length - 1);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i].A.Value == "X,1" ? "\"X,1\"" : expected[i].A.Value, lines[i + 1], StringComparison.Ordinal);
            Assert.EndsWith(expected[i].EvidenceText, lines[i + 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dedupe_HigherThreshold_DropsFuzzyPairKeepsExact()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Sample);
        var (exit, _, error) = Dedupe(cli, "--threshold", "0.999");
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(cli.Output);
        Assert.DoesNotContain(lines, l => l.StartsWith("K1,K2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("C1,C2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("customer_id,name,email\nA,x,y\n", ":1: expected the header to hold customer_id,name,email,phone: missing column(s) phone")]
    [InlineData("customer_id,name,email,phone\nA,x,,\nB,y\n", ":3: expected 4 fields, got 2")]
    [InlineData("customer_id,name,email,phone\nA,x,,\nA,y,,\n", ":3: customer_id 'A' already appeared on line 2")]
    [InlineData("customer_id,name,email,phone\n ,x,,\n", ":2: customer_id is not a valid id")]
    [InlineData("", ": the file is empty")]
    public void Dedupe_BadInput_Exit2WithFileLineReason(string csv, string expected)
    {
        using var cli = new CliRunner();
        cli.WriteInput(csv);
        var (exit, _, error) = Dedupe(cli);
        Assert.Equal(2, exit);
        Assert.Contains(cli.Input + expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dedupe_SkipBadRows_ReportsCountAndGoesOn()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,name,email,phone\nA,x,a@x.com,\nB,y\nC,z,a@x.com,\n");
        var (exit, _, error) = Dedupe(cli, "--skip-bad-rows");
        Assert.Equal(0, exit);
        Assert.Contains("skipped 1 bad row(s)", error, StringComparison.Ordinal);
        Assert.StartsWith("A,C,", File.ReadAllLines(cli.Output)[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Dedupe_MissingFileOrBadThreshold_ExitCodes()
    {
        using var cli = new CliRunner();
        Assert.Equal(3, Dedupe(cli).Exit);
        cli.WriteInput(Sample);
        var (exit, _, error) = Dedupe(cli, "--threshold", "1.5");
        Assert.Equal(1, exit);
        Assert.Contains("--threshold: '1.5' is not a number in (0, 1]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dedupe_Timings_OneJsonLine()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Sample);
        var (exit, _, error) = Dedupe(cli, "--timings");
        Assert.Equal(0, exit);
        var line = error.Split('\n').Single(l => l.StartsWith('{'));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("dedupe", json.RootElement.GetProperty("command").GetString());
        Assert.Equal(8, json.RootElement.GetProperty("customers").GetInt32());
        Assert.True(json.RootElement.GetProperty("peak_memory_mb").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("detect_s").GetDouble() >= 0);
    }
}

internal static class PrefixComparer
{
    public static IEqualityComparer<string> WithPrefix(this StringComparer _) => new Prefix();

    private sealed class Prefix : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => x is not null && y is not null && (y.StartsWith(x, StringComparison.Ordinal) || x.StartsWith(y, StringComparison.Ordinal));

        public int GetHashCode(string obj) => 0;
    }
}
