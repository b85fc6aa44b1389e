using CustomerSegmentation.Tiers;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>Tiers (Tiers/): fixed thresholds on net spend (VIP / 标准客户 / 潜力客户) and top-x % quantile tiers (A / B / C).</summary>
public static class TiersDemo
{
    public static void Run(DemoPopulation population, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(output);
        var subjects = population.Summaries.Select(TierSubject.From).ToList();

        var spend = new ThresholdTierPolicy("spend", TierLadder.Of("潜力客户", "标准客户", "VIP"), TierMetric.NetSpend,
            [new("标准客户", 2_000m), new("VIP", 10_000m)]);
        var abc = new QuantileTierPolicy("abc", TierLadder.Of("C", "B", "A"), TierMetric.NetSpend, [new("A", 0.2m), new("B", 0.3m)]);

        output.WriteLine();
        output.WriteLine(Inv($"== Tiers (客户分级) on net spend, {subjects.Count} customers with activity =="));
        foreach (var (policy, rule) in new (ITierPolicy, string)[] { (spend, "VIP from 10 000 CNY, 标准客户 from 2 000"), (abc, "A = top 20 %, B = next 30 %, C = the rest") })
        {
            var assignments = policy.Assign(subjects, population.AsOf);
            var distribution = TierDistribution.Of(policy.Ladder, assignments, subjects, TierMetric.NetSpend);
            output.WriteLine($"  policy '{policy.Name}' ({policy.GetType().Name}: {rule}):");
            Write(output, ["tier", "customers", "share", "net spend", "share of spend"],
                distribution.Rows.Reverse().Select(r => (IReadOnlyList<string>)
                [
                    r.Tier.Name,
                    Inv($"{r.Count}"),
                    Inv($"{100.0 * r.Count / distribution.TotalCount:0.0}%"),
                    Inv($"{r.ValueTotal:N0}"),
                    Inv($"{(distribution.TotalValue == 0 ? 0 : 100 * r.ValueTotal / distribution.TotalValue):0.0}%"),
                ]));
            output.WriteLine($"  e.g. {assignments.First(a => a.Tier == policy.Ladder.Highest)}");
        }
    }
}
