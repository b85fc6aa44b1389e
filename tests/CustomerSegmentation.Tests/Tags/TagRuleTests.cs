using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using static CustomerSegmentation.Tests.Tags.TagSamples;

namespace CustomerSegmentation.Tests.Tags;

public class TagRuleTests
{
    private static ActivitySummary Spend(string id, decimal net, int purchases) =>
        new() { CustomerId = new CustomerId(id), AsOf = T1, PurchaseCount = purchases, GrossSpend = net, LastPurchaseAt = T0, FirstPurchaseAt = T0 };

    private static TagRuleSet ValueRules(TagTaxonomy taxonomy) => TagRuleSet.Create(taxonomy,
    [
        new TagRule("vip-spend", "vip", TagCondition.AtLeast(TagFacts.NetSpend, 10_000m)) { Description = "消费满一万为VIP" },
        new TagRule("potential-buyer", "potential", TagCondition.AtLeast(TagFacts.PurchaseCount, 1)),
        new TagRule("east-region", "east", TagCondition.In(TagFacts.Region, "华东", "上海", "江苏")),
        new TagRule("long-term", "long-term", TagCondition.All(TagCondition.AtLeast(TagFacts.PurchaseCount, 5), TagCondition.AtLeast(TagFacts.CustomerForDays, 20))),
    ]);

    [Fact]
    public void Evaluate_AssignsAndExplainsWithTheFiguresSeen()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        var evaluator = new TagRuleEvaluator(ValueRules(taxonomy));
        var result = evaluator.Evaluate(index, [new TagRuleInput(Customer("c1", region: "上海"), Spend("c1", 12_500m, 6))], T1, "nightly");

        Assert.Equal(["vip", "long-term", "east"], index.TagsOf(C("c1")).Select(a => a.TagId.Value));
        var vip = result.Outcomes.Single(o => o.RuleId == "vip-spend");
        Assert.Equal(TagRuleAction.Assigned, vip.Action);
        Assert.Equal([new FactReading(TagFacts.NetSpend, FactValue.FromNumber(12_500m))], vip.Readings.ToArray());
        Assert.Equal("rule 'vip-spend' (activity.netSpend >= 10000) holds; saw activity.netSpend = 12500; assigned 'VIP客户' (vip)", vip.Reason);
        var potential = result.Outcomes.Single(o => o.RuleId == "potential-buyer");
        Assert.Equal(TagRuleAction.Superseded, potential.Action);
        var assignment = index.Find(C("c1"), "vip")!;
        Assert.Equal(TagSource.Rule("vip-spend"), assignment.Source);
        Assert.Equal(T1, assignment.AssignedAt);
        Assert.Equal("nightly", assignment.AssignedBy);
        Assert.Contains(result.Changes, c => c.TagId == new TagId("vip") && c.Reason == vip.Reason);
    }

    [Fact]
    public void Evaluate_Twice_SecondRunChangesNothing()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        var evaluator = new TagRuleEvaluator(ValueRules(taxonomy));
        TagRuleInput[] inputs = [new(Customer("c1", "华东"), Spend("c1", 12_500m, 6)), new(Customer("c2"), Spend("c2", 300m, 1))];
        evaluator.Evaluate(index, inputs, T1);
        var once = index.Assignments().ToList();
        var again = evaluator.Evaluate(index, inputs, T1);
        Assert.Empty(again.Changes);
        Assert.Equal(once, index.Assignments().ToList());
        Assert.All(again.Outcomes.Where(o => o.Matched && o.Action != TagRuleAction.Superseded), o => Assert.Equal(TagRuleAction.Kept, o.Action));
    }

    [Fact]
    public void Evaluate_PredicateStopsHolding_RemovesOnlyRuleTags()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        var evaluator = new TagRuleEvaluator(ValueRules(taxonomy));
        evaluator.Evaluate(index, [new TagRuleInput(Customer("c1", "华东"), Spend("c1", 12_500m, 6))], T1);
        index.Assign(C("c1"), "high-value", TagSource.Manual, T1, "王经理");

        var later = evaluator.Evaluate(index, [new TagRuleInput(Customer("c1", "华南"), Spend("c1", 800m, 2))], T2);
        Assert.Equal(["potential", "high-value"], index.TagsOf(C("c1")).Select(a => a.TagId.Value));
        var removed = later.Outcomes.Single(o => o.RuleId == "east-region");
        Assert.Equal(TagRuleAction.Removed, removed.Action);
        Assert.Contains("customer.region = \"华南\"", removed.Reason, StringComparison.Ordinal);
        Assert.Contains(later.Changes, c => c.Kind == TagChangeKind.Replaced && c.TagId == new TagId("potential") && c.PreviousTagId == new TagId("vip"));
        Assert.Contains(later.Changes, c => c.Kind == TagChangeKind.Removed && c.TagId == new TagId("east"));
    }

    [Fact]
    public void Evaluate_ManualTagInSingleSelectGroup_IsNeverOverridden()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        index.Assign(C("c1"), "general", TagSource.Manual, T0, "李四");
        var result = new TagRuleEvaluator(ValueRules(taxonomy)).Evaluate(index, [new TagRuleInput(Customer("c1"), Spend("c1", 50_000m, 9))], T1);
        Assert.Equal(TagRuleAction.KeptManual, result.Outcomes.Single(o => o.RuleId == "vip-spend").Action);
        Assert.Equal(["general", "long-term"], index.TagsOf(C("c1")).Select(a => a.TagId.Value));
    }

    [Fact]
    public void Evaluate_ExtraFactsProvidersAndCustomAttributes_PlugIn()
    {
        var taxonomy = Taxonomy();
        var rules = TagRuleSet.Create(taxonomy,
        [
            new TagRule("champions", "vip", TagCondition.EqualTo("rfm.segment", "Champions")),
            new TagRule("tier-gold", "high-value", TagCondition.EqualTo("tier.name", "Gold")),
            new TagRule("saas-attr", "saas", TagCondition.EqualTo(TagFacts.AttributePrefix + "产品线", "SaaS")),
        ]);
        var evaluator = new TagRuleEvaluator(rules, new TagRuleEvaluatorOptions { FactProviders = [new TierProvider()] });
        var customer = Customer("c1") with { CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("产品线", "saas") };
        var input = new TagRuleInput(customer, Facts: ImmutableDictionary<string, FactValue>.Empty.Add("rfm.segment", FactValue.FromText("Champions")));
        var index = new TagIndex(taxonomy);
        evaluator.Evaluate(index, [input], T1);
        Assert.Equal(["vip", "saas", "high-value"], index.TagsOf(C("c1")).Select(a => a.TagId.Value));
    }

    [Fact]
    public void Evaluate_PredicateRule_RecordsFactsReadThroughTheContext()
    {
        var taxonomy = Taxonomy();
        var rule = new TagRule("big-org", "high-value", TagCondition.Where("organisation with 3+ purchases",
            ctx => ctx.Fact(TagFacts.Kind).Text == "Organisation" && ctx.Fact(TagFacts.PurchaseCount).Number >= 3));
        var outcome = Assert.Single(new TagRuleEvaluator(TagRuleSet.Create(taxonomy, [rule])).Explain(new TagRuleInput(Customer("c1"), Spend("c1", 10m, 4)), T1));
        Assert.True(outcome.Matched);
        Assert.Equal([TagFacts.Kind, TagFacts.PurchaseCount], outcome.Readings.Select(r => r.Name));
    }

    [Fact]
    public void Evaluate_DisabledRule_RemovesItsTags()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        var rule = new TagRule("east-region", "east", TagCondition.EqualTo(TagFacts.Region, "华东"));
        var input = new TagRuleInput(Customer("c1", "华东"));
        new TagRuleEvaluator(TagRuleSet.Create(taxonomy, [rule])).Evaluate(index, [input], T1);
        Assert.True(index.Has(C("c1"), "east"));
        new TagRuleEvaluator(TagRuleSet.Create(taxonomy, [rule with { Enabled = false }])).Evaluate(index, [input], T2);
        Assert.False(index.Has(C("c1"), "east"));
    }

    [Fact]
    public void Evaluate_UnknownRuleTags_KeptByDefaultRemovedWhenAsked()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        index.Assign(C("c1"), "east", TagSource.Rule("deleted-rule"), T0);
        var empty = TagRuleSet.Create(taxonomy, []);
        var input = new TagRuleInput(Customer("c1"));
        new TagRuleEvaluator(empty).Evaluate(index, [input], T1);
        Assert.True(index.Has(C("c1"), "east"));
        var result = new TagRuleEvaluator(empty, new TagRuleEvaluatorOptions { RemoveTagsOfUnknownRules = true }).Evaluate(index, [input], T1);
        Assert.False(index.Has(C("c1"), "east"));
        Assert.Contains("deleted-rule", Assert.Single(result.Changes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleSet_InvalidRules_ThrowWhenBuilt()
    {
        var taxonomy = Taxonomy();
        var always = TagCondition.All();
        Assert.Throws<TagRuleException>(() => TagRuleSet.Create(taxonomy, [new TagRule("a", "nope", always)]));
        var dup = Assert.Throws<TagRuleException>(() => TagRuleSet.Create(taxonomy, [new TagRule("a", "vip", always), new TagRule("a", "east", always)]));
        Assert.Equal(["a"], dup.RuleIds.ToArray());
        var retired = taxonomy.Retire("finance").Current;
        Assert.Throws<TagRuleException>(() => TagRuleSet.Create(retired, [new TagRule("f", "finance", always)]));
        var merged = taxonomy.Merge("software", "it").Current;
        Assert.Equal("it", TagRuleSet.Create(merged, [new TagRule("s", "software", always)]).EffectiveTagOf("s").Value);
        Assert.Throws<ArgumentException>(() => new FactCondition("x", FactOperator.Between, FactValue.FromNumber(1)));
    }

    [Fact]
    public void Evaluate_RuleSetOfAnotherTaxonomyVersion_Throws()
    {
        var taxonomy = Taxonomy();
        var rules = ValueRules(taxonomy);
        var index = new TagIndex(taxonomy);
        index.Apply(taxonomy.Rename("vip", "贵宾客户"), T0);
        Assert.Throws<ArgumentException>(() => new TagRuleEvaluator(rules).Evaluate(index, [], T1));
        Assert.Equal(0, new TagRuleEvaluator(rules.WithTaxonomy(index.Taxonomy)).Evaluate(index, [], T1).CustomersEvaluated);
    }

    [Theory]
    [InlineData(FactOperator.Equal, "10", true)]
    [InlineData(FactOperator.NotEqual, "10", false)]
    [InlineData(FactOperator.GreaterThan, "9.5", true)]
    [InlineData(FactOperator.LessOrEqual, "9", false)]
    [InlineData(FactOperator.Contains, "1", true)]
    public void FactCondition_ComparesNumbersWithTextOperands(FactOperator op, string operand, bool expected)
    {
        var context = new TagEvaluationContext(new TagRuleInput(Customer("c1"), Facts: ImmutableDictionary<string, FactValue>.Empty.Add("n", FactValue.FromNumber(10))), T1);
        Assert.Equal(expected, new FactCondition("n", op, FactValue.FromText(operand)).Evaluate(context));
    }

    [Fact]
    public void FactCondition_MissingFact_OnlyMissingHolds()
    {
        var context = new TagEvaluationContext(new TagRuleInput(Customer("c1")), T1);
        Assert.False(new FactCondition(TagFacts.Region, FactOperator.NotEqual, FactValue.FromText("华东")).Evaluate(context));
        Assert.False(new FactCondition(TagFacts.NetSpend, FactOperator.LessThan, FactValue.FromNumber(1)).Evaluate(context));
        Assert.True(new FactCondition(TagFacts.Region, FactOperator.Missing).Evaluate(context));
        Assert.True(new FactCondition(TagFacts.TenureDays, FactOperator.Between, FactValue.FromNumber(27), FactValue.FromNumber(27)).Evaluate(context));
    }

    private sealed class TierProvider : ITagFactProvider
    {
        public bool TryGetFact(string name, TagEvaluationContext context, out FactValue value)
        {
            value = name == "tier.name" ? FactValue.FromText("Gold") : FactValue.Missing;
            return name == "tier.name";
        }
    }
}
