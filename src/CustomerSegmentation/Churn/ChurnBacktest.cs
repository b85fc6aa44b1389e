using System.Collections.Immutable;
using System.Text;
using CustomerSegmentation.Activity;
using NodaTime;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>One customer of a backtest: the summary as of the calibration end and whether they bought in the holdout.</summary>
/// <param name="Calibration">The summary as of the calibration end.</param>
/// <param name="PurchasedInHoldout">Whether the customer bought in the holdout period (no purchase = churned).</param>
/// <param name="Signals">Optional signals as known at the calibration end.</param>
public sealed record ChurnBacktestCustomer(ActivitySummary Calibration, bool PurchasedInHoldout, ChurnSignals? Signals = null);

/// <summary>Precision, recall and F1 of "churned" predicted by a level or higher.</summary>
/// <param name="Level">Customers at this level or above are predicted to churn.</param>
/// <param name="Flagged">How many are at this level or above.</param>
/// <param name="TruePositives">Flagged customers who churned.</param>
/// <param name="Precision">True positives ÷ flagged (0 when none flagged).</param>
/// <param name="Recall">True positives ÷ churned.</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="AtLevel">How many have exactly this level.</param>
/// <param name="ChurnRateAtLevel">Share of those with exactly this level who churned (0 when none).</param>
public readonly record struct ChurnLevelMetrics(ChurnRiskLevel Level, int Flagged, int TruePositives, double Precision, double Recall, double F1, int AtLevel, double ChurnRateAtLevel);

/// <summary>What a backtest measured.</summary>
/// <param name="CalibrationEnd">The as-of instant of the assessments.</param>
/// <param name="HoldoutEnd">The end of the holdout period.</param>
/// <param name="Customers">Customers scored (those who bought before the calibration end).</param>
/// <param name="Skipped">Customers left out because they had no purchase before the calibration end.</param>
/// <param name="Churned">Scored customers without a purchase in the holdout.</param>
/// <param name="Auc">ROC AUC of the churn score (ties count one half).</param>
/// <param name="RecencyAuc">ROC AUC of days since the last purchase alone (the baseline).</param>
/// <param name="Levels">Metrics per level.</param>
public sealed record ChurnBacktestReport(Instant CalibrationEnd, Instant HoldoutEnd, int Customers, int Skipped, int Churned, double Auc, double RecencyAuc, ImmutableArray<ChurnLevelMetrics> Levels)
{
    /// <summary>Gets the share of scored customers who churned.</summary>
    public double ChurnRate => Customers == 0 ? 0 : (double)Churned / Customers;

    /// <summary>Formats the report as a Markdown table block.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"calibration end {CalibrationEnd}, holdout to {HoldoutEnd}: {Customers} customers scored ({Skipped} skipped), {Churned} churned ({F(ChurnRate * 100, "0.0")} %)"));
        sb.AppendLine(Inv($"ROC AUC score {F(Auc, "0.0000")}; recency alone {F(RecencyAuc, "0.0000")}"));
        sb.AppendLine("| level (and above) | flagged | churned among flagged | precision | recall | F1 | at level | churn rate at level |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var l in Levels)
        {
            sb.AppendLine(Inv($"| {l.Level} | {l.Flagged} | {l.TruePositives} | {F(l.Precision, "0.000")} | {F(l.Recall, "0.000")} | {F(l.F1, "0.000")} | {l.AtLevel} | {F(l.ChurnRateAtLevel, "0.000")} |"));
        }

        return sb.ToString();
    }
}

/// <summary>
/// Backtests churn scores: assess every customer who bought before the calibration end as of that instant, call those
/// without a purchase in the holdout churned, and measure ROC AUC (against recency alone) and precision, recall and F1
/// per level.
/// </summary>
public static class ChurnBacktest
{
    /// <summary>Runs a backtest.</summary>
    /// <param name="assessor">The assessor under test.</param>
    /// <param name="customers">The customers with their calibration summaries (as of <paramref name="calibrationEnd"/>) and holdout outcome.</param>
    /// <param name="calibrationEnd">The calibration end: the assessments' as-of instant.</param>
    /// <param name="holdoutEnd">The end of the holdout, after <paramref name="calibrationEnd"/> (recorded in the report; the outcome comes with each customer).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="holdoutEnd"/> is not after <paramref name="calibrationEnd"/>, or a summary holds purchases after the calibration end.</exception>
    public static ChurnBacktestReport Run(ChurnAssessor assessor, IReadOnlyList<ChurnBacktestCustomer> customers, Instant calibrationEnd, Instant holdoutEnd)
    {
        ArgumentNullException.ThrowIfNull(assessor);
        ArgumentNullException.ThrowIfNull(customers);
        if (holdoutEnd <= calibrationEnd)
        {
            throw new ArgumentException("The holdout must end after the calibration end.", nameof(holdoutEnd));
        }

        var buyers = customers.Where(c => c.Calibration.HasPurchases).ToList();
        var population = ChurnPopulation.FromSummaries(buyers.Select(c => c.Calibration), calibrationEnd);
        var scores = new double[buyers.Count];
        var recency = new double[buyers.Count];
        var churned = new bool[buyers.Count];
        var levels = new ChurnRiskLevel[buyers.Count];
        for (var i = 0; i < buyers.Count; i++)
        {
            var c = buyers[i];
            var r = assessor.Assess(c.Calibration, calibrationEnd, population, c.Signals);
            if (r.Value is not { } a)
            {
                throw new ArgumentException(string.Join("; ", r.Errors), nameof(customers));
            }

            scores[i] = a.Score;
            levels[i] = a.Level;
            recency[i] = c.Calibration.RecencyDays(assessor.Zone) ?? 0;
            churned[i] = !c.PurchasedInHoldout;
        }

        var totalChurned = churned.Count(x => x);
        var metrics = ImmutableArray.CreateBuilder<ChurnLevelMetrics>();
        foreach (var level in Enum.GetValues<ChurnRiskLevel>())
        {
            int flagged = 0, tp = 0, at = 0, atChurned = 0;
            for (var i = 0; i < levels.Length; i++)
            {
                if (levels[i] >= level)
                {
                    flagged++;
                    tp += churned[i] ? 1 : 0;
                }

                if (levels[i] == level)
                {
                    at++;
                    atChurned += churned[i] ? 1 : 0;
                }
            }

            var precision = flagged == 0 ? 0 : (double)tp / flagged;
            var recall = totalChurned == 0 ? 0 : (double)tp / totalChurned;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            metrics.Add(new ChurnLevelMetrics(level, flagged, tp, precision, recall, f1, at, at == 0 ? 0 : (double)atChurned / at));
        }

        return new ChurnBacktestReport(calibrationEnd, holdoutEnd, buyers.Count, customers.Count - buyers.Count, totalChurned, RocAuc(scores, churned), RocAuc(recency, churned), metrics.ToImmutable());
    }

    /// <summary>
    /// ROC AUC: the probability that a random positive scores above a random negative, ties counting one half
    /// (Mann–Whitney U with mid-ranks). 0.5 when either class is empty.
    /// </summary>
    /// <param name="scores">Higher means more likely positive.</param>
    /// <param name="positive">The true class of each score.</param>
    /// <returns>The AUC in 0..1.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or a score is not a number.</exception>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new ArgumentException("Scores and classes must have the same length.", nameof(positive));
        }

        var n = scores.Length;
        var order = new int[n];
        var keys = scores.ToArray();
        if (keys.Any(double.IsNaN))
        {
            throw new ArgumentException("A score is not a number.", nameof(scores));
        }

        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        double rankSumPositive = 0;
        long positives = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i])
            {
                j++;
            }

            var midRank = ((i + 1) + (j + 1)) / 2.0;
            for (var k = i; k <= j; k++)
            {
                if (positive[order[k]])
                {
                    rankSumPositive += midRank;
                    positives++;
                }
            }

            i = j + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return 0.5;
        }

        return (rankSumPositive - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
