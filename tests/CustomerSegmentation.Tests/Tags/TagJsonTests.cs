using System.Text.Json;
using CustomerSegmentation.Tags;
using NodaTime;
using static CustomerSegmentation.Tests.Tags.TagSamples;

namespace CustomerSegmentation.Tests.Tags;

public class TagJsonTests
{
    private const string RulesJson = """
        {
          "schema": "customer-segmentation/tag-rules/v1",
          "rules": [
            { "id": "vip-spend", "tag": "vip", "description": "消费满一万",
              "when": { "fact": "activity.netSpend", "op": ">=", "value": 10000 } },
            { "id": "east", "tag": "east",
              "when": { "any": [ { "fact": "customer.region", "op": "in", "values": ["华东", "上海"] },
                                 { "not": { "fact": "customer.attribute.vipSince", "op": "missing" } } ] } },
            { "id": "new", "tag": "potential", "enabled": false,
              "when": { "fact": "customer.createdAt", "op": ">", "value": { "instant": "2026-01-01T00:00:00Z" } } }
          ]
        }
        """;

    [Fact]
    public void Taxonomy_RoundTripsWithChineseNamesStatusesAndColours()
    {
        var taxonomy = Taxonomy().Merge("software", "it").Current.Retire("finance").Current;
        var json = TagJson.WriteTaxonomy(taxonomy);
        Assert.Contains("\"name\": \"VIP客户\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"merged\"", json, StringComparison.Ordinal);
        var back = TagJson.ReadTaxonomy(json);
        Assert.Equal(taxonomy.Version, back.Version);
        Assert.Equal(taxonomy.Groups.ToArray(), back.Groups.ToArray());
        Assert.Equal(taxonomy.Tags.ToArray(), back.Tags.ToArray());
    }

    [Fact]
    public void ReadTaxonomy_WrongSchemaOrInconsistentContent_Throws()
    {
        Assert.Throws<JsonException>(() => TagJson.ReadTaxonomy("""{"schema":"x","version":1,"groups":[],"tags":[]}"""));
        Assert.Throws<JsonException>(() => TagJson.ReadTaxonomy("""{"schema":"customer-segmentation/tag-taxonomy/v1","groups":[],"tags":[]}"""));
        var cyclic = """
            {"schema":"customer-segmentation/tag-taxonomy/v1","version":1,
             "groups":[{"id":"g","name":"G","selection":"multiple"}],
             "tags":[{"id":"a","group":"g","name":"A","parent":"b"},{"id":"b","group":"g","name":"B","parent":"a"}]}
            """;
        Assert.Equal(TaxonomyError.Cycle, Assert.Throws<TagTaxonomyException>(() => TagJson.ReadTaxonomy(cyclic)).Error);
    }

    [Fact]
    public void ReadRuleSet_LoadsAndEvaluatesLikeCSharpRules()
    {
        var taxonomy = Taxonomy();
        var rules = TagJson.ReadRuleSet(RulesJson, taxonomy);
        Assert.Equal(["vip-spend", "east", "new"], rules.Rules.Select(r => r.Id));
        Assert.False(rules.Rules[2].Enabled);
        Assert.Equal("消费满一万", rules.Rules[0].Description);
        var index = new TagIndex(taxonomy);
        new TagRuleEvaluator(rules).Evaluate(index, [new TagRuleInput(Customer("c1", region: "上海"))], T1);
        Assert.Equal(["east"], index.TagsOf(C("c1")).Select(a => a.TagId.Value));
    }

    [Fact]
    public void Rules_RoundTrip()
    {
        var rules = TagJson.ReadRules(RulesJson);
        var again = TagJson.ReadRules(TagJson.WriteRules(rules));
        Assert.Equal(rules.ToArray(), again.ToArray());
    }

    [Fact]
    public void ReadRules_BadRule_ThrowsNamingIt()
    {
        var bad = """{"schema":"customer-segmentation/tag-rules/v1","rules":[{"id":"r1","tag":"vip","when":{"fact":"x","op":"between","value":1}}]}""";
        var ex = Assert.Throws<TagRuleException>(() => TagJson.ReadRules(bad));
        Assert.Equal(["r1"], ex.RuleIds.ToArray());
        Assert.Throws<TagRuleException>(() => TagJson.ReadRules("not json"));
        Assert.Throws<TagRuleException>(() => TagJson.ReadRules("""{"schema":"customer-segmentation/tag-rules/v1","rules":[{"id":"r","tag":"vip","when":{"fact":"x","op":"~"}}]}"""));
    }

    [Fact]
    public void WriteRules_PredicateCondition_IsNotSupported()
    {
        var rule = new TagRule("p", "vip", TagCondition.Where("anything", _ => true));
        Assert.Throws<NotSupportedException>(() => TagJson.WriteRules([rule]));
    }

    [Fact]
    public void Assignments_RoundTripWithNanosecondsAndExpiry()
    {
        var at = T0 + Duration.FromNanoseconds(123_456_789);
        TagAssignment[] assignments =
        [
            new(C("客户-001"), "vip", TagSource.Manual, at, "王经理", at + Duration.FromDays(30)),
            new(C("c2"), "east", TagSource.Rule("east-region"), T1),
        ];
        Assert.Equal(assignments, TagJson.ReadAssignments(TagJson.WriteAssignments(assignments)).ToArray());
    }
}
