using System.Globalization;
using CustomerSegmentation.ValueModels;
using Xunit.Abstractions;

namespace CustomerSegmentation.Tests.ValueModels;

/// <summary>
/// Reproduces the published CDNOW estimates from the raw transactions: BG/NBD (Fader, Hardie and Lee 2005, "Counting your
/// customers the easy way") and Gamma-Gamma (Fader, Hardie and Lee 2005, "RFM and CLV"), each within 1 %.
/// </summary>
public class CdnowValidationTests(CdnowFixture cdnow, ITestOutputHelper output) : IClassFixture<CdnowFixture>
{
    private static void WithinOnePercent(double published, double actual, string name)
    {
        var relative = Math.Abs(actual - published) / Math.Abs(published);
        Assert.True(relative <= 0.01, $"{name}: published {published}, fitted {actual} ({relative:P2} off)");
    }

    [Fact]
    public void Build_CdnowTransactions_MatchesPublishedSummaryForEveryCustomer()
    {
        var expected = File.ReadLines(CdnowFixture.DataPath("cdnow_customers_summary_with_transactions.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToDictionary(v => ((int)v[0]).ToString(CultureInfo.InvariantCulture));
        var data = cdnow.Data;
        Assert.Equal(2357, data.Count);
        Assert.Equal(expected.Count, data.Count);
        Assert.Equal(0, cdnow.Builder.CustomersExcluded);
        for (var i = 0; i < data.Count; i++)
        {
            var row = expected[data.CustomerIds[i].Value];

            // the published file rounds t_x, T and zbar to 2 decimals
            Assert.Equal(row[1], data.Frequency[i]);
            Assert.True(Math.Abs(row[2] - data.Recency[i]) <= 0.0051, $"customer {data.CustomerIds[i]} t_x");
            Assert.True(Math.Abs(row[3] - data.Age[i]) <= 0.0051, $"customer {data.CustomerIds[i]} T");
            Assert.True(Math.Abs(row[4] - data.AverageRepeatSpend[i]) <= 0.0051, $"customer {data.CustomerIds[i]} zbar");
        }

        Assert.Equal(39.0, data.HoldoutLength);
    }

    [Fact]
    public void BgNbdFit_Cdnow_ReproducesPublishedEstimates()
    {
        var p = cdnow.BgNbd.Parameters;
        var report = cdnow.BgNbd.FitReport!;
        output.WriteLine(report.Explanation);
        WithinOnePercent(0.243, p.R, "r");
        WithinOnePercent(4.414, p.Alpha, "alpha");
        WithinOnePercent(0.793, p.A, "a");
        WithinOnePercent(2.426, p.B, "b");
        WithinOnePercent(-9582.4, report.LogLikelihood, "log-likelihood");
        Assert.Equal(2357, report.Customers);
        Assert.True(report.DistinctHistories < report.Customers);
    }

    [Fact]
    public void BgNbdFit_Cdnow_IsAMaximumOfTheLikelihood()
    {
        // a check independent of the optimiser: every 1 % step of one parameter lowers the log-likelihood
        var p = cdnow.BgNbd.Parameters;
        var best = cdnow.BgNbd.LogLikelihood(cdnow.Data);
        double[] v = [p.R, p.Alpha, p.A, p.B];
        for (var k = 0; k < 4; k++)
        {
            foreach (var factor in new[] { 0.99, 1.01 })
            {
                var w = (double[])v.Clone();
                w[k] *= factor;
                var moved = new BgNbdModel(new BgNbdParameters(w[0], w[1], w[2], w[3]), BtydTimeUnit.Weeks).LogLikelihood(cdnow.Data);
                Assert.True(moved < best, $"parameter {k} × {factor}: {moved} ≥ {best}");
            }
        }
    }

    [Fact]
    public void GammaGammaFit_Cdnow_ReproducesPublishedEstimates()
    {
        var p = cdnow.GammaGamma.Parameters;
        var report = cdnow.GammaGamma.FitReport!;
        output.WriteLine(report.Explanation);
        Assert.Equal(946, report.Customers);
        WithinOnePercent(6.25, p.P, "p");
        WithinOnePercent(3.74, p.Q, "q");
        WithinOnePercent(15.44, p.Gamma, "gamma");

        // FHL report a weak correlation of frequency and spend for CDNOW; the assumption holds
        Assert.True(report.Correlation.IsIndependencePlausible, report.Correlation.Explanation);
        Assert.InRange(report.Correlation.Coefficient, -0.3, 0.3);
    }

    [Fact]
    public void CompareHoldout_Cdnow_PredictsTotalWithinFifteenPercent()
    {
        var holdout = cdnow.BgNbd.CompareHoldout(cdnow.Data);
        output.WriteLine(holdout.Explanation);

        // the actual total is counted from the raw file independently of the builder: purchase days in the holdout
        var actual = File.ReadLines(CdnowFixture.DataPath("cdnow_sample_transactions.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => string.CompareOrdinal(f[1], "1997-09-30") > 0)
            .Select(f => (f[0], f[1]))
            .Distinct()
            .Count();
        Assert.Equal(actual, holdout.ActualTotal);

        // Measured: 1653.4 predicted versus 1882 actual purchase days (−12.1 %), the same sum as the lifetimes formula with
        // scipy's hyp2f1 at these parameters (1653.42 on the rounded published summary). BG/NBD under-forecasts this
        // holdout, which starts in the Christmas quarter; the bound asserts a sensible forecast, not a perfect one.
        Assert.InRange(holdout.RelativeError, -0.15, 0.15);
        Assert.True(holdout.PredictedTotal < holdout.ActualTotal);
        Assert.True(holdout.MeanAbsoluteError < 1.5);
    }
}
