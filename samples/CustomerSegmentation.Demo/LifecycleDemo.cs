using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>Lifecycle (Lifecycle/): the default model replayed over each customer's activity, stage counts and a one-year funnel.</summary>
public static class LifecycleDemo
{
    /// <returns>Each customer's lifecycle as of the population's as-of instant.</returns>
    public static IReadOnlyDictionary<CustomerId, CustomerLifecycle> Run(DemoPopulation population, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(output);
        var model = LifecycleModel.CreateDefault();
        var lifecycles = population.Customers.ToDictionary(
            c => c.Id,
            c => model.Replay(c.Id, population.Records[c.Id], population.AsOf, startedAt: c.CreatedAt));

        var from = population.AsOf - Duration.FromDays(365);
        var funnel = LifecycleFunnel.Compute(model, lifecycles.Values, from, population.AsOf);

        output.WriteLine();
        output.WriteLine(Inv($"== Lifecycle (客户生命周期), default model; funnel over the last 365 days ({funnel.Joined} joined) =="));
        Write(output, ["stage", "a year ago", "now", "share now"],
            model.Stages.Where(s => !s.ExcludedFromFunnel).Select(s => (IReadOnlyList<string>)
            [
                s.Name,
                Inv($"{funnel.AtStart[s.Id]}"),
                Inv($"{funnel.AtEnd[s.Id]}"),
                Inv($"{100.0 * funnel.AtEnd[s.Id] / funnel.Customers:0.0}%"),
            ]));
        output.WriteLine("  Conversions in the year:");
        Write(output, ["move", "exposed", "moved", "rate"],
            funnel.Conversions.Where(c => c.Converted > 0).OrderByDescending(c => c.Converted).Select(c => (IReadOnlyList<string>)
            [
                $"{c.From} → {c.To}",
                Inv($"{c.Exposed}"),
                Inv($"{c.Converted}"),
                Inv($"{100 * c.Rate:0.0}%"),
            ]));
        // One customer's history, move by move, each with the rule and the figures that triggered it.
        var example = lifecycles.Values.OrderBy(l => Math.Abs(l.History.Length - 5)).ThenBy(l => l.CustomerId).First();
        output.WriteLine($"  History of {example.CustomerId} (customer since {example.StartedAt:uuuu-MM-dd}):");
        foreach (var move in example.History)
        {
            output.WriteLine(Inv($"    {move.At:uuuu-MM-dd}  {move.From} → {move.To}: {move.Reason}"));
        }

        return lifecycles;
    }
}
