using System.Collections.Immutable;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Tags;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>Tags (Tags/): a small taxonomy and auto-tagging rules over the profile, the activity summary and the RFM segment.</summary>
public static class TagsDemo
{
    public static void Run(DemoPopulation population, RfmResult rfm, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(rfm);
        ArgumentNullException.ThrowIfNull(output);
        var taxonomy = new TagTaxonomyBuilder()
            .AddGroup("value", "客户价值")
            .AddTag("vip", "value", "VIP客户", colour: TagColour.Red)
            .AddTag("high-value", "value", "高价值客户")
            .AddGroup("care", "客户关怀")
            .AddTag("complainer", "care", "多次投诉")
            .AddTag("sleeping", "care", "沉睡客户")
            .AddGroup("region", "地区", TagSelection.Single)
            .AddTag("east", "region", "华东")
            .AddTag("south", "region", "华南")
            .AddTag("north", "region", "华北")
            .Build();

        var rules = TagRuleSet.Create(taxonomy,
        [
            new TagRule("vip-spend", "vip", TagCondition.AtLeast(TagFacts.NetSpend, 10_000m)),
            new TagRule("rfm-champion", "high-value", TagCondition.EqualTo("rfm.segment", "Champions")),   // a fact the host supplies
            new TagRule("two-complaints", "complainer", TagCondition.AtLeast(TagFacts.Complaints, 2)),
            new TagRule("sleeping", "sleeping", TagCondition.All(TagCondition.AtLeast(TagFacts.PurchaseCount, 2), TagCondition.AtLeast(TagFacts.RecencyDays, 180))),
            new TagRule("east", "east", TagCondition.In(TagFacts.Region, "上海", "江苏", "浙江")),
            new TagRule("south", "south", TagCondition.In(TagFacts.Region, "广东", "福建")),
            new TagRule("north", "north", TagCondition.In(TagFacts.Region, "北京", "天津")),
        ]);

        var summaries = population.Summaries.ToDictionary(s => s.CustomerId);
        var segments = rfm.Customers.Where(c => c.IsScored).ToDictionary(c => c.CustomerId, c => c.Segment!);
        var inputs = population.Customers.Select(c => new TagRuleInput(
            c,
            summaries.GetValueOrDefault(c.Id),
            segments.TryGetValue(c.Id, out var segment) ? ImmutableDictionary<string, FactValue>.Empty.Add("rfm.segment", FactValue.FromText(segment)) : null)).ToList();

        var index = new TagIndex(taxonomy, population.Customers.Count);
        var result = new TagRuleEvaluator(rules).Evaluate(index, inputs, population.AsOf, by: "demo");

        output.WriteLine();
        output.WriteLine(Inv($"== Auto-tags (自动标签): {rules.Rules.Length} rules over {result.CustomersEvaluated} customers, {result.Changes.Length} tag changes =="));
        Write(output, ["group", "tag", "customers", "rule"],
            rules.Rules.Select(r => (IReadOnlyList<string>)
            [
                taxonomy.GroupOf(r.TagId).Name,
                taxonomy.GetTag(r.TagId).Name,
                Inv($"{index.CountWith(r.TagId)}"),
                r.Condition.Description,
            ]));
        var vipAndComplainer = index.CustomersWith("vip").Intersect(index.CustomersWith("complainer"));
        output.WriteLine(Inv($"  VIP客户 who complained twice or more: {vipAndComplainer.Count}"));
        var shown = result.Outcomes.First(o => o.RuleId == "rfm-champion" && o.Matched);
        output.WriteLine($"  e.g. {shown.CustomerId}: {shown.Reason}");
    }
}
