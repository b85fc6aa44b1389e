using System.Globalization;
using System.Text.Json;
using CustomerSegmentation.Customers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

public class ClvCommandTests
{
    private static readonly string Cdnow = Path.Combine(AppContext.BaseDirectory, "Data", "cdnow", "cdnow_sample_transactions.csv");

    [Fact]
    public void Clv_Cdnow_ReproducesPublishedParametersAndEqualsLibrary()
    {
        using var cli = new CliRunner();
        var paramsPath = cli.Output + ".json";
        var (exit, output, error) = cli.Run("clv", "--transactions", Cdnow, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30",
            "--params-out", paramsPath, "--out", cli.Output);
        Assert.True(exit == 0, error);
        Assert.Contains("holdout: predicted", output, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(paramsPath));
        var bg = json.RootElement.GetProperty("bgnbd");
        var gg = json.RootElement.GetProperty("gammaGamma");
        AssertWithin(0.243, bg.GetProperty("r").GetDouble());
        AssertWithin(4.414, bg.GetProperty("alpha").GetDouble());
        AssertWithin(0.793, bg.GetProperty("a").GetDouble());
        AssertWithin(2.426, bg.GetProperty("b").GetDouble());
        AssertWithin(-9582.4, bg.GetProperty("logLikelihood").GetDouble());
        AssertWithin(6.25, gg.GetProperty("p").GetDouble());
        AssertWithin(3.74, gg.GetProperty("q").GetDouble());
        AssertWithin(15.44, gg.GetProperty("gamma").GetDouble());

        // The same numbers through the library's API.
        var builder = new BtydSummaryBuilder(new LocalDate(1997, 9, 30), new LocalDate(1998, 6, 30));
        foreach (var line in File.ReadLines(Cdnow).Skip(1))
        {
            var f = line.Split(',');
            builder.Add(new CustomerId(f[0]), LocalDate.FromDateTime(DateTime.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture)), decimal.Parse(f[2], CultureInfo.InvariantCulture));
        }

        var data = builder.Build();
        var model = BgNbdModel.Fit(data);
        var spend = GammaGammaModel.Fit(data);
        var pAlive = model.ProbabilityAlive(data);
        var expected = model.ConditionalExpectedPurchases(data.HoldoutLength!.Value, data);
        var clv = new ClvCalculator(model, spend).Values(data);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < data.Count; i++)
        {
            byId[data.CustomerIds[i].Value] = i;
        }

        var rows = File.ReadAllLines(cli.Output);
        Assert.Equal("customer_id,frequency,recency,T,p_alive,expected_purchases,expected_avg_spend,clv", rows[0]);
        Assert.Equal(2357, rows.Length - 1);
        foreach (var row in rows.Skip(1))
        {
            var f = row.Split(',');
            var i = byId[f[0]];
            Assert.Equal(data.Frequency[i], Parse(f[1]));
            Assert.Equal(data.Recency[i], Parse(f[2]));
            Assert.Equal(data.Age[i], Parse(f[3]));
            Assert.Equal(pAlive[i], Parse(f[4]));
            Assert.Equal(expected[i], Parse(f[5]));
            Assert.Equal(spend.ConditionalExpectedAverageSpend(data.Frequency[i], data.AverageRepeatSpend[i]), Parse(f[6]), 9);
            Assert.Equal(clv[i], Parse(f[7]));
        }
    }

    [Fact]
    public void Clv_Horizon_ExpectedPurchasesGrowWithHorizon()
    {
        using var cli = new CliRunner();
        var p = cli.Output + ".json";
        Assert.Equal(0, cli.Run("clv", "-t", Cdnow, "--calibration-end", "1997-09-30", "--horizon", "10", "--params-out", p, "--out", cli.Output).Exit);
        var shortRun = File.ReadAllLines(cli.Output).Skip(1).Select(l => Parse(l.Split(',')[5])).ToArray();
        Assert.Equal(0, cli.Run("clv", "-t", Cdnow, "--calibration-end", "1997-09-30", "--horizon", "52", "--params-out", p, "--out", cli.Output).Exit);
        var longRun = File.ReadAllLines(cli.Output).Skip(1).Select(l => Parse(l.Split(',')[5])).ToArray();
        Assert.Equal(shortRun.Length, longRun.Length);
        Assert.All(shortRun.Zip(longRun), pair => Assert.True(pair.Second >= pair.First));
        Assert.True(longRun.Sum() > shortRun.Sum());
    }

    [Fact]
    public void Clv_BadDate_StopsWithLineAndExitCode2()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,1997-01-01,10\nB,1997-13-01,5\n");
        var (exit, _, error) = cli.Run("clv", "-t", cli.Input, "--calibration-end", "1997-09-30", "--params-out", cli.Output + ".json");
        Assert.Equal(2, exit);
        Assert.Contains(":3: bad date '1997-13-01'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.Output + ".json"));
    }

    [Fact]
    public void Clv_NoRepeatBuyers_SaysModelCannotBeIdentified()
    {
        using var cli = new CliRunner();
        cli.WriteInput("customer_id,date,amount\nA,1997-01-01,10\nB,1997-02-01,5\nC,1997-03-01,7\n");
        var (exit, _, error) = cli.Run("clv", "-t", cli.Input, "--calibration-end", "1997-09-30", "--params-out", cli.Output + ".json");
        Assert.Equal(2, exit);
        Assert.Contains("repeat", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Clv_HoldoutBeforeCalibration_IsRejected()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = cli.Run("clv", "-t", Cdnow, "--calibration-end", "1997-09-30", "--holdout-end", "1997-09-01", "--params-out", cli.Output + ".json");
        Assert.Equal(2, exit);
        Assert.Contains("must be after --calibration-end", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_MissingFile_ExitCode3()
    {
        using var cli = new CliRunner();
        var (exit, _, error) = cli.Run("clv", "-t", cli.Input + ".missing", "--calibration-end", "1997-09-30", "--params-out", cli.Output + ".json");
        Assert.Equal(3, exit);
        Assert.Contains("not found", error, StringComparison.Ordinal);
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static void AssertWithin(double published, double actual) =>
        Assert.True(Math.Abs(actual - published) <= 0.01 * Math.Abs(published), $"expected {published} within 1 %, got {actual}");
}
