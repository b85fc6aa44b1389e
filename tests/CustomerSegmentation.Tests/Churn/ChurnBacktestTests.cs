using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using NodaTime;
using Xunit.Abstractions;
using static CustomerSegmentation.Tests.Churn.ChurnTestData;

namespace CustomerSegmentation.Tests.Churn;

public class ChurnBacktestTests(ITestOutputHelper output)
{
    // Published BG/NBD estimates on this sample (Fader, Hardie and Lee 2005), time in weeks: see Data/cdnow/SOURCE.md.
    private const double R = 0.243, Alpha = 4.414, A = 0.793, B = 2.426;

    private static readonly Instant CdnowCalibrationEnd = EndOfDay(1997, 9, 30);
    private static readonly Instant CdnowHoldoutEnd = EndOfDay(1998, 6, 30);

    [Fact]
    public void RocAuc_PerfectAndReversed_OneAndZero()
    {
        Assert.Equal(1.0, ChurnBacktest.RocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.0, ChurnBacktest.RocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]));
    }

    [Fact]
    public void RocAuc_Ties_CountOneHalf()
    {
        // pairs (positive, negative): (0.5,0.5) tie = 1/2, (0.5,0.1) = 1, (0.9,0.5) = 1, (0.9,0.1) = 1 -> 3.5 / 4
        Assert.Equal(3.5 / 4, ChurnBacktest.RocAuc([0.5, 0.9, 0.5, 0.1], [true, true, false, false]), 12);
        Assert.Equal(0.5, ChurnBacktest.RocAuc([0.3, 0.3, 0.3], [true, false, true]));
        Assert.Equal(0.5, ChurnBacktest.RocAuc([0.3, 0.4], [true, true]));
    }

    [Fact]
    public void RocAuc_BruteForce_Matches()
    {
        var rng = new Random(7);
        var scores = Enumerable.Range(0, 300).Select(_ => (double)rng.Next(20)).ToArray();
        var labels = scores.Select(s => rng.NextDouble() < 0.3 + (s / 40)).ToArray();
        double wins = 0, pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(wins / pairs, ChurnBacktest.RocAuc(scores, labels), 12);
    }

    [Fact]
    public void RocAuc_LengthMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() => ChurnBacktest.RocAuc([0.1], [true, false]));

    [Fact]
    public void Run_HoldoutBeforeCalibration_Throws() =>
        Assert.Throws<ArgumentException>(() => ChurnBacktest.Run(new ChurnAssessor(), [], T0, T0));

    [Fact]
    public void Run_CustomerWithoutPurchase_IsSkipped()
    {
        var none = Summarise(Id("none"), [], T0);
        var buyer = WithPurchasesDaysAgo("b", T0, 10, 40);
        var report = ChurnBacktest.Run(new ChurnAssessor(), [new(none, false), new(buyer, true)], T0, T0 + Duration.FromDays(90));
        Assert.Equal(1, report.Customers);
        Assert.Equal(1, report.Skipped);
        Assert.Equal(0, report.Churned);
    }

    [Fact]
    public void Run_Cdnow_CombinedScoreBeatsRecencyAlone()
    {
        var byCustomer = ReadTransactions(CdnowPath).GroupBy(t => t.Customer).ToList();
        Assert.Equal(2357, byCustomer.Count);
        var withModel = new List<ChurnBacktestCustomer>();
        var rulesOnly = new List<ChurnBacktestCustomer>();
        foreach (var g in byCustomer)
        {
            var summary = Summarise(new CustomerId(g.Key), g.Select(t => (t.At, t.Amount)), CdnowCalibrationEnd);
            var bought = g.Any(t => t.At > CdnowCalibrationEnd && t.At <= CdnowHoldoutEnd);
            var days = g.Where(t => t.At <= CdnowCalibrationEnd).Select(t => t.At.InUtc().Date).Distinct().Order().ToList();
            var first = days[0];
            var calEnd = CdnowCalibrationEnd.InUtc().Date;
            var pAlive = BgNbdPAlive(R, Alpha, A, B, days.Count - 1, Period.DaysBetween(first, days[^1]) / 7.0, Period.DaysBetween(first, calEnd) / 7.0);
            withModel.Add(new(summary, bought, new ChurnSignals { PAlive = pAlive }));
            rulesOnly.Add(new(summary, bought));
        }

        var model = ChurnBacktest.Run(new ChurnAssessor(), withModel, CdnowCalibrationEnd, CdnowHoldoutEnd);
        var rules = ChurnBacktest.Run(new ChurnAssessor(), rulesOnly, CdnowCalibrationEnd, CdnowHoldoutEnd);
        var noisy = ChurnBacktest.Run(new ChurnAssessor(NoisyOrDefault()), withModel, CdnowCalibrationEnd, CdnowHoldoutEnd);
        output.WriteLine("CDNOW, default rule set with BG/NBD P(alive) (published parameters):");
        output.WriteLine(model.ToString());
        output.WriteLine("CDNOW, default rule set without a model:");
        output.WriteLine(rules.ToString());
        output.WriteLine("CDNOW, the default rules combined by noisy-or (weights / 3.4), with BG/NBD P(alive):");
        output.WriteLine(noisy.ToString());

        Assert.Equal(2357, model.Customers);
        Assert.InRange(model.ChurnRate, 0.6, 0.8);
        Assert.True(model.Auc > model.RecencyAuc, $"combined {model.Auc} vs recency {model.RecencyAuc}");
        Assert.True(rules.Auc > rules.RecencyAuc, $"rules only {rules.Auc} vs recency {rules.RecencyAuc}");
        Assert.Equal(1.0, model.Levels[0].Recall);
    }

    [Fact]
    public void Run_Synthetic_CombinedScoreBeatsRecencyAlone()
    {
        var (customers, calibrationEnd, holdoutEnd) = Synthetic(4000, seed: 20261201);
        var report = ChurnBacktest.Run(new ChurnAssessor(), customers, calibrationEnd, holdoutEnd);
        output.WriteLine("Synthetic (4000 customers, seed 20261201), default rule set, interactions supplied:");
        output.WriteLine(report.ToString());
        Assert.True(report.Auc > report.RecencyAuc, $"combined {report.Auc} vs recency {report.RecencyAuc}");
        var rates = report.Levels.Where(l => l.AtLevel > 0).Select(l => l.ChurnRateAtLevel).ToList();
        Assert.Equal(4, rates.Count);
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.First < p.Second), "each level churns more often than the one below");
    }

    internal static ChurnRuleSet NoisyOrDefault()
    {
        var b = new ChurnRuleSetBuilder().CombineWith(ChurnCombination.NoisyOr);
        foreach (var (rule, weight) in ChurnRuleSet.Default.Rules)
        {
            b.Add(rule, weight / 3.4);
        }

        return b.Build();
    }

    /// <summary>
    /// Customers arrive in the first half of a 365-day calibration year, buy at a gamma-distributed rate and, after each
    /// purchase, drop out with a beta-distributed probability (the BG/NBD story). While alive they are contacted every
    /// ~30 days and answer surveys with CSAT 3..5; shortly before dropping out some complain and score 1..3.
    /// </summary>
    internal static (List<ChurnBacktestCustomer> Customers, Instant CalibrationEnd, Instant HoldoutEnd) Synthetic(int n, int seed)
    {
        var rng = new Random(seed);
        var start = Day(2025, 1, 1);
        var calibrationEnd = start + Duration.FromDays(365) - Duration.Epsilon;
        var holdoutEnd = calibrationEnd + Duration.FromDays(182);
        var horizon = (holdoutEnd - start).TotalDays;
        var list = new List<ChurnBacktestCustomer>(n);
        for (var c = 0; c < n; c++)
        {
            var id = new CustomerId($"S{c:00000}");
            var rate = (-Math.Log(1 - rng.NextDouble()) - Math.Log(1 - rng.NextDouble())) / 60.0; // gamma(2, 1/60): mean 1 per 30 days
            var dropout = 1 - Math.Pow(rng.NextDouble(), 1.0 / 4); // beta(1, 4): mean 0.2
            var t = rng.NextDouble() * 182;
            var purchases = new List<(Instant, decimal)>();
            var interactions = new List<Interaction>();
            var spend = 20 + (rng.NextDouble() * 80);
            double death = horizon;
            while (t < horizon)
            {
                purchases.Add((start + Duration.FromMinutes((long)(t * 1440)), Math.Round((decimal)(spend * (0.5 + rng.NextDouble())), 2)));
                if (rng.NextDouble() < dropout)
                {
                    death = t + (-Math.Log(1 - rng.NextDouble()) / rate / 2);
                    break;
                }

                t += -Math.Log(1 - rng.NextDouble()) / rate;
            }

            var firstAt = purchases[0].Item1;
            for (var d = (firstAt - start).TotalDays + (rng.NextDouble() * 30); d < Math.Min(death, horizon); d += 10 + (rng.NextDouble() * 40))
            {
                interactions.Add(new Interaction(id, (InteractionKind)rng.Next(0, 5), start + Duration.FromMinutes((long)(d * 1440))));
                if (rng.NextDouble() < 0.3)
                {
                    interactions.Add(new Interaction(id, InteractionKind.Survey, start + Duration.FromMinutes((long)(d * 1440) + 60), satisfaction: rng.Next(3, 6)));
                }
            }

            if (death < horizon && rng.NextDouble() < 0.4)
            {
                var at = start + Duration.FromMinutes((long)(Math.Max((firstAt - start).TotalDays, death - (rng.NextDouble() * 20)) * 1440));
                interactions.Add(new Interaction(id, InteractionKind.Complaint, at, satisfaction: rng.Next(1, 4)));
            }

            var summary = Summarise(id, purchases, calibrationEnd, interactions: interactions);
            var bought = purchases.Any(p => p.Item1 > calibrationEnd && p.Item1 <= holdoutEnd);
            list.Add(new(summary, bought, new ChurnSignals { Interactions = [.. interactions] }));
        }

        return (list, calibrationEnd, holdoutEnd);
    }
}
