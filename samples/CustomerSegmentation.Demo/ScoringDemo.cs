using System.Collections.Immutable;
using CustomerSegmentation.Scoring;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>RFM (Scoring/): quantile scores 1..5 on recency, frequency and net spend, named segments, Chinese display names.</summary>
public static class ScoringDemo
{
    // The host's own mapping of segment keys to display names (could equally come from configuration).
    private static readonly ImmutableDictionary<string, string> ChineseNames = new Dictionary<string, string>
    {
        ["Champions"] = "重要价值客户",
        ["Loyal Customers"] = "重要保持客户",
        ["Potential Loyalist"] = "重要发展客户",
        ["Need Attention"] = "一般价值客户",
        ["About To Sleep"] = "一般保持客户",
        ["At Risk"] = "重要挽留客户",
        ["Lost"] = "流失客户",
        ["Others"] = "其他客户",
    }.ToImmutableDictionary();

    public static RfmResult Run(DemoPopulation population, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(output);
        var result = new RfmScorer(new RfmOptions { SegmentDisplayNames = ChineseNames }).Score(population.Summaries, population.AsOf);

        output.WriteLine();
        output.WriteLine(Inv($"== RFM segments (客户价值 RFM 分群): {result.ScoredCount} of {population.Customers.Count} customers scored (the others never bought) =="));
        output.WriteLine($"  R: {result.Scale.Recency.Describe()}");
        output.WriteLine($"  F: {result.Scale.Frequency.Describe()}");
        output.WriteLine($"  M: {result.Scale.Monetary.Describe()}");
        var scored = result.Customers.Where(c => c.IsScored).ToList();
        Write(output, ["segment", "显示名称", "customers", "share", "avg net spend", "avg R/F/M"],
            scored.GroupBy(c => c.Segment!)
                .OrderByDescending(g => g.Count())
                .Select(g => (IReadOnlyList<string>)
                [
                    g.Key,
                    g.First().SegmentDisplayName!,
                    Inv($"{g.Count()}"),
                    Inv($"{100.0 * g.Count() / scored.Count:0.0}%"),
                    Inv($"{g.Average(c => c.MonetaryValue!.Value):0.00}"),
                    Inv($"{g.Average(c => c.R!.Value):0.0}/{g.Average(c => c.F!.Value):0.0}/{g.Average(c => c.M!.Value):0.0}"),
                ]));
        var champion = scored.OrderByDescending(c => c.WeightedScore).ThenBy(c => c.CustomerId.Value, StringComparer.Ordinal).First();
        output.WriteLine($"  Why {champion.CustomerId} is {champion.SegmentDisplayName}: {champion.Explanation}");
        return result;
    }
}
