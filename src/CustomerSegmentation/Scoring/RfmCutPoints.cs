using System.Collections.Immutable;
using System.Globalization;

namespace CustomerSegmentation.Scoring;

/// <summary>The cut points in force for one RFM metric, and how a value is scored against them.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Binning">Quantile (from the population) or fixed (from the host).</param>
/// <param name="Values">The k − 1 cut points, worst to best; empty when no customer was scored with quantiles.</param>
/// <param name="HigherIsBetter"><see langword="false"/> for recency.</param>
public sealed record RfmCutPoints(RfmMetric Metric, RfmBinning Binning, ImmutableArray<decimal> Values, bool HigherIsBetter)
{
    /// <summary>Scores a value: 1 + the number of cut points it is strictly better than (quantile), or that it meets (fixed).</summary>
    /// <param name="value">The metric's value.</param>
    /// <returns>The score, 1..k.</returns>
    public int Score(decimal value)
    {
        var score = 1;
        foreach (var cut in Values)
        {
            var better = Binning == RfmBinning.Quantile
                ? (HigherIsBetter ? value > cut : value < cut)
                : (HigherIsBetter ? value >= cut : value <= cut);
            if (better)
            {
                score++;
            }
        }

        return score;
    }

    /// <summary>Describes the cut points, e.g. <c>quantile cut points [120, 60, 30, 10], lower is better, score = 1 + cut points strictly beaten</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{(Binning == RfmBinning.Quantile ? "quantile cut points" : "fixed thresholds")} [{string.Join(", ", Values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}] worst to best, "
            + $"{(HigherIsBetter ? "higher" : "lower")} is better, score = 1 + {(Binning == RfmBinning.Quantile ? "cut points strictly beaten" : (HigherIsBetter ? "thresholds reached (value >= threshold)" : "thresholds met (value <= threshold)"))}");
}
