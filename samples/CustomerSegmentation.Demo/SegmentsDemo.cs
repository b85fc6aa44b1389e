using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>Segments (Segments/): rules in the expression language over everything known about a customer, with profiles, overlaps and an explanation.</summary>
public static class SegmentsDemo
{
    public static void Run(DemoPopulation population, RfmResult rfm, IReadOnlyDictionary<CustomerId, CustomerLifecycle> lifecycles, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(rfm);
        ArgumentNullException.ThrowIfNull(lifecycles);
        ArgumentNullException.ThrowIfNull(output);
        var taxonomy = new TagTaxonomyBuilder()
            .AddGroup("region", "地区", TagSelection.Single)
            .AddTag("east", "region", "华东").AddTag("shanghai", "region", "上海", "east")
            .AddTag("south", "region", "华南").AddTag("other", "region", "其他")
            .Build();
        // Demo tiers by net spend (the Tiers section shows real policies): C below 500, B below 2 000, A above.
        var ladder = TierLadder.Of("C", "B", "A");
        var scores = rfm.Customers.ToDictionary(s => s.CustomerId);
        var summaries = population.Summaries.ToDictionary(s => s.CustomerId);
        var facts = population.Customers.Select(c =>
        {
            var summary = summaries.GetValueOrDefault(c.Id);
            var spend = summary?.NetSpend ?? 0m;
            var tag = c.Region switch { "上海" => "shanghai", "江苏" or "浙江" => "east", "广东" or "福建" => "south", _ => "other" };
            return new CustomerFacts(c)
            {
                Activity = summary,
                Rfm = scores.TryGetValue(c.Id, out var s) && s.IsScored ? s : null,
                Tier = ladder[spend < 500m ? 0 : spend < 2000m ? 1 : 2],
                Stage = lifecycles.TryGetValue(c.Id, out var l) ? l.Stage : null,
                Tags = [new HeldTag(tag)],
            };
        }).ToList();

        var json = """
            { "segments": [
              { "id": "east-lapsing", "name": "华东沉睡的B级以上客户", "rule": "tier >= \"B\" and has_tag(\"地区/华东\") and days_since_last_purchase > 60" },
              { "id": "champions", "name": "重要价值客户", "rule": "rfm_segment = \"Champions\"" },
              { "id": "at-risk", "name": "流失风险", "rule": "stage in (\"at-risk\", \"lost\") or complaints >= 2" },
              { "id": "happy-repeat", "name": "满意的回头客", "rule": "stage = \"repeat\" and satisfaction >= 4 and not complaints > 0" }
            ] }
            """;
        var context = new SegmentBindingContext { Taxonomy = taxonomy, Tiers = ladder }
            .WithLifecycle(LifecycleModel.CreateDefault()).WithRfmSegments(RfmSegmentTable.Default);
        var set = SegmentSet.Create(SegmentJson.Read(json).GetValueOrThrow(), context).GetValueOrThrow();
        var columns = SegmentPopulation.Create(facts);
        var evaluation = set.Evaluate(columns, population.AsOf);

        output.WriteLine();
        output.WriteLine($"== Segments: {set.Definitions.Length} rules over {columns.Count} customers as of {population.AsOf} ==");
        TextTable.Write(output, ["segment", "size", "share", "revenue", "mean", "tiers", "top stage"], evaluation.Memberships.Select(m =>
        {
            var p = m.Profile(topTags: 3);
            return (IReadOnlyList<string>)
            [
                m.Definition.Id, Inv($"{p.Size}"), Inv($"{p.Share:P1}"), Inv($"{p.RevenueTotal:N0}"), Inv($"{p.RevenueMean:N0}"),
                string.Join(" ", p.TierMix.Select(t => Inv($"{t.Value}:{t.Count}"))), p.StageMix.FirstOrDefault().Value ?? "-",
            ];
        }));

        var overlap = evaluation.Overlaps();
        output.WriteLine(Inv($"overlap at-risk ∩ east-lapsing: {overlap.Between("at-risk", "east-lapsing")} (Jaccard {overlap.Jaccard("at-risk", "east-lapsing"):F2})"));
        var later = set.Evaluate(columns, population.AsOf + NodaTime.Duration.FromDays(30))["east-lapsing"];
        var changes = SegmentChanges.Between(evaluation["east-lapsing"], later);
        output.WriteLine($"east-lapsing 30 days later: {changes.Entered.Length} enter, {changes.Left.Length} leave, {changes.Stayed} stay");

        var someone = columns.Ids.First(id => !evaluation["east-lapsing"].Contains(id) && facts[columns.OrdinalOf(id)].Tier?.Level >= 1);
        output.WriteLine(set.Explain("east-lapsing", columns, someone, population.AsOf).Text);
        var bad = SegmentParser.Parse("tier >= \"B\" and stage in (\"active\" \"repeat\")");
        output.WriteLine($"a typo is reported, not thrown: {bad.Errors[0]}");
    }
}
