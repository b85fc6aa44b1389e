using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>Churn (Churn/): the default rule set with interaction records and lifecycle stages as signals, levels and a watch list.</summary>
public static class ChurnDemo
{
    public static void Run(DemoPopulation population, IReadOnlyDictionary<CustomerId, CustomerLifecycle> lifecycles, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(lifecycles);
        ArgumentNullException.ThrowIfNull(output);
        var result = new ChurnAssessor().AssessAll(population.Summaries, population.AsOf, s => new ChurnSignals
        {
            Interactions = population.Records[s.CustomerId].OfType<Interaction>().ToImmutableArray(),   // complaints and CSAT per window
            LifecycleStage = lifecycles[s.CustomerId].Stage,
        });

        output.WriteLine();
        output.WriteLine(Inv($"== Churn risk (流失预警), default rule set: {result.Assessments.Length} assessed, {result.Rejected.Length} rejected =="));
        Write(output, ["level", "customers", "share", "value at risk"],
            Enum.GetValues<ChurnRiskLevel>().Reverse().Select(level =>
            {
                var group = result.Assessments.Where(a => a.Level == level).ToList();
                return (IReadOnlyList<string>)
                [
                    level.ToString(),
                    Inv($"{group.Count}"),
                    Inv($"{100.0 * group.Count / result.Assessments.Length:0.0}%"),
                    Inv($"{group.Sum(a => a.ValueAtRisk):N0}"),
                ];
            }));

        var watch = ChurnWatchList.Build(result.Assessments, ChurnRiskLevel.High, limit: 5);
        output.WriteLine("  Watch list (High or above, by value at risk = expected value × score), top 5:");
        Write(output, ["#", "customer", "level", "score", "value at risk"],
            watch.Entries.Select(e => (IReadOnlyList<string>)
                [Inv($"{e.Rank}"), e.CustomerId.Value, e.Level.ToString(), Inv($"{e.Score:0.000}"), Inv($"{e.ValueAtRisk:N0}")]));
        foreach (var entry in watch.Entries)
        {
            output.WriteLine($"  {entry.Rank}. {entry.CustomerId}, the three largest reasons:");
            foreach (var reason in entry.Reasons.Take(3))
            {
                output.WriteLine($"       - {reason}");
            }
        }
    }
}
