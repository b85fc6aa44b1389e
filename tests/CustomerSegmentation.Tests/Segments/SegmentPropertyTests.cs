using CustomerSegmentation.Segments;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Segments;

public class SegmentPropertyTests
{
    // One population reused by every case: 3 000 random customers (every field sometimes missing, some tags expiring).
    private static readonly Lazy<(List<CustomerFacts> Facts, SegmentPopulation Population)> Data = new(() =>
    {
        var facts = SegmentScenario.Facts(3_000, 7);
        return (facts, SegmentPopulation.Create(facts));
    });

    private static int[] Members(SegmentRule rule, SegmentPopulation population, NodaTime.Instant asOf) =>
        [.. SegmentSet.Create([new SegmentDefinition("s", "s", rule)], SegmentScenario.Context).GetValueOrThrow()
            .Evaluate(population, asOf).Memberships[0].Ordinals()];

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 300)]
    public bool PrintThenParse_GivesAnEqualRule_Holds(SegmentRule rule)
    {
        var reparsed = SegmentParser.Parse(rule.ToString());
        return reparsed.IsValid && reparsed.Value!.Equals(rule) && reparsed.Value.ToString() == rule.ToString();
    }

    [Property(Arbitrary = [typeof(ValidRuleArbitraries)], MaxTest = 200)]
    public void Evaluate_EqualsTheReferenceInterpreter_Holds(ValidRule rule)
    {
        var (facts, population) = Data.Value;
        var expected = Enumerable.Range(0, facts.Count).Where(i => SegmentReference.Holds(rule.Rule, facts[i], SegmentScenario.AsOf)).ToArray();
        Assert.Equal(expected, Members(rule.Rule, population, SegmentScenario.AsOf));
    }

    [Property(Arbitrary = [typeof(ValidRuleArbitraries)], MaxTest = 100)]
    public Property Evaluate_UnionOverAnyPartition_EqualsTheWhole_Holds(ValidRule rule, int seed, PositiveInt parts)
    {
        var (facts, population) = Data.Value;
        var whole = Members(rule.Rule, population, SegmentScenario.AsOf).Select(i => facts[i].Id).ToHashSet();
        var rng = new Random(seed);
        var k = 1 + (parts.Get % 7);
        var union = new HashSet<CustomerSegmentation.Customers.CustomerId>();
        foreach (var part in facts.GroupBy(_ => rng.Next(k)))
        {
            var p = SegmentPopulation.Create(part);
            foreach (var o in Members(rule.Rule, p, SegmentScenario.AsOf))
            {
                Assert.True(union.Add(p.Ids[o]));
            }
        }

        return whole.SetEquals(union).Label($"{k} parts");
    }

    [Property(Arbitrary = [typeof(ValidRuleArbitraries)], MaxTest = 100)]
    public void DeMorgan_NotAndIsOrOfNots_Holds(ValidRule a, ValidRule b)
    {
        var (_, population) = Data.Value;
        var at = SegmentScenario.AsOf;
        Assert.Equal(Members(a.Rule.And(b.Rule).Not(), population, at), Members(a.Rule.Not().Or(b.Rule.Not()), population, at));
        Assert.Equal(Members(a.Rule.Or(b.Rule).Not(), population, at), Members(a.Rule.Not().And(b.Rule.Not()), population, at));
        Assert.Equal(Members(a.Rule, population, at), Members(a.Rule.Not().Not(), population, at));
        var all = Enumerable.Range(0, population.Count).ToArray();
        Assert.Equal(all, Members(a.Rule, population, at).Concat(Members(a.Rule.Not(), population, at)).Order().ToArray());
    }

    [Property(Arbitrary = [typeof(ValidRuleArbitraries)], MaxTest = 50)]
    public void Explain_AgreesWithMembership_Holds(ValidRule rule, NonNegativeInt pick)
    {
        var (facts, population) = Data.Value;
        var set = SegmentSet.Create([new SegmentDefinition("s", "s", rule.Rule)], SegmentScenario.Context).GetValueOrThrow();
        var membership = set.Evaluate(population, SegmentScenario.AsOf).Memberships[0];
        var id = facts[pick.Get % facts.Count].Id;
        var explanation = set.Explain("s", population, id, SegmentScenario.AsOf);
        Assert.Equal(membership.Contains(id), explanation.IsMember);
        Assert.NotEmpty(explanation.Deciding);
    }

    [Property(Arbitrary = [typeof(SegmentArbitraries)], MaxTest = 100)]
    public bool Json_RoundTrip_Holds(SegmentRule rule, NonEmptyString name)
    {
        var d = new SegmentDefinition("seg-1", name.Get, rule, name.Get.Length % 2 == 0 ? null : "描述 " + name.Get);
        var read = SegmentJson.Read(SegmentJson.Write([d]));
        return read.IsValid && read.Definitions.Single() == d;
    }
}
