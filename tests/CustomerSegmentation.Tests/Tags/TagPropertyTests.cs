using CustomerSegmentation.Tags;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Tags.TagScenario;

namespace CustomerSegmentation.Tests.Tags;

public class TagPropertyTests
{
    [Property(MaxTest = 200)]
    public Property Evolution_LosesNoAssignmentAndKeepsTaxonomyAcyclic_Holds(int seed)
    {
        var rng = new Random(seed);
        var index = new TagIndex(RandomTaxonomy(rng));
        AssignRandomly(rng, index, customers: 8, count: rng.Next(0, 40));
        var original = index.Assignments().Select(a => (a.CustomerId, a.TagId)).ToList();
        var applied = 0;
        for (var step = 0; step < rng.Next(1, 16); step++)
        {
            if (RandomOperation(rng, index.Taxonomy) is not { } change)
            {
                continue;
            }

            index.Apply(change, Start + Duration.FromDays(step), "prop");
            applied++;
            var lost = original.Where(o => !index.Has(o.CustomerId, index.Taxonomy.ResolveCurrent(o.TagId))).ToList();
            if (lost.Count > 0 || !IsAcyclic(index.Taxonomy) || !SingleSelectHolds(index) || !IndexIsConsistent(index))
            {
                return false.Label($"seed {seed}, after '{change.Description}': lost {string.Join(", ", lost)}");
            }
        }

        return true.Label($"seed {seed}").Classify(applied > 0, "operations applied");
    }

    [Property(MaxTest = 200)]
    public Property Assignments_SingleSelectGroupsNeverHoldTwoTags_Holds(int seed)
    {
        var rng = new Random(seed);
        var index = new TagIndex(RandomTaxonomy(rng));
        for (var step = 0; step < 60; step++)
        {
            var customer = AnyCustomer(rng, 6);
            var tag = AnyTag(rng, index.Taxonomy);
            var at = Start + Duration.FromHours(step);
            switch (rng.Next(5))
            {
                case 0:
                    index.Remove(customer, tag, at);
                    break;
                case 1:
                    index.RemoveExpired(at);
                    break;
                default:
                    index.Assign(customer, tag, AnySource(rng), at, null, rng.Next(3) == 0 ? at + Duration.FromHours(rng.Next(1, 10)) : null);
                    break;
            }

            if (!SingleSelectHolds(index) || !IndexIsConsistent(index))
            {
                return false.Label($"seed {seed}, step {step}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property RuleEvaluation_TwiceIsOnce_Holds(int seed, bool removeUnknown)
    {
        var rng = new Random(seed);
        var taxonomy = RandomTaxonomy(rng);
        if (rng.Next(3) == 0 && RandomOperation(rng, taxonomy) is { } change)
        {
            taxonomy = change.Current; // rules over merged or retired tags too
        }

        var index = new TagIndex(taxonomy);
        AssignRandomly(rng, index, customers: 6, count: rng.Next(0, 12));
        var manualBefore = index.Assignments().Where(a => a.Source.IsManual).ToHashSet();
        var active = taxonomy.Tags.Where(t => t.IsActive).ToList();
        var rules = Enumerable.Range(0, rng.Next(0, 7))
            .Select(i => new TagRule("r" + i, active[rng.Next(active.Count)].Id, RandomCondition(rng)) { Enabled = rng.Next(6) > 0 })
            .ToList();
        var evaluator = new TagRuleEvaluator(TagRuleSet.Create(taxonomy, rules), new TagRuleEvaluatorOptions { RemoveTagsOfUnknownRules = removeUnknown });
        var inputs = Enumerable.Range(0, 6).Select(c => RandomInput(rng, c)).ToList();
        var asOf = Start + Duration.FromDays(90);

        evaluator.Evaluate(index, inputs, asOf);
        var once = index.Assignments().ToHashSet();
        var second = evaluator.Evaluate(index, inputs, asOf);
        var twice = index.Assignments().ToHashSet();

        return (second.Changes.IsEmpty && once.SetEquals(twice)).Label($"seed {seed}: {second.Changes.Length} changes on the second run")
            .And(manualBefore.IsSubsetOf(twice)).Label("manual assignments untouched")
            .And(SingleSelectHolds(index)).Label("single-select");
    }

    [Property(MaxTest = 150)]
    public Property Json_TaxonomyRulesAndAssignments_RoundTrip_Holds(int seed)
    {
        var rng = new Random(seed);
        var index = new TagIndex(RandomTaxonomy(rng));
        AssignRandomly(rng, index, customers: 5, count: rng.Next(0, 15));
        for (var step = 0; step < 6; step++)
        {
            if (RandomOperation(rng, index.Taxonomy) is { } change)
            {
                index.Apply(change, Start, "prop");
            }
        }

        var taxonomy = index.Taxonomy;
        var back = TagJson.ReadTaxonomy(TagJson.WriteTaxonomy(taxonomy));
        var rules = Enumerable.Range(0, rng.Next(0, 5))
            .Select(i => new TagRule("规则" + i, AnyTag(rng, taxonomy), RandomCondition(rng)) { Description = rng.Next(2) == 0 ? null : "说明 " + i, Enabled = rng.Next(2) == 0 })
            .ToArray();
        var assignments = index.Assignments().ToArray();

        return (back.Version == taxonomy.Version && back.Groups.SequenceEqual(taxonomy.Groups) && back.Tags.SequenceEqual(taxonomy.Tags)).Label("taxonomy")
            .And(TagJson.ReadRules(TagJson.WriteRules(rules)).SequenceEqual(rules)).Label("rules")
            .And(TagJson.ReadAssignments(TagJson.WriteAssignments(assignments)).SequenceEqual(assignments)).Label("assignments");
    }

    [Property(MaxTest = 200)]
    public Property Taxonomy_NamesCompareCaseInsensitively_Holds(NonEmptyString name)
    {
        var text = name.Get;
        if (string.IsNullOrWhiteSpace(text) || text.Any(char.IsControl) || text.Any(char.IsSurrogate) || text.Length > 200)
        {
            return true.ToProperty().Classify(true, "skipped: not a valid name");
        }

        var taxonomy = new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("a", "g", text).Build();
        var found = taxonomy.FindByName("g", text.ToUpperInvariant())?.Id == new TagId("a")
            && taxonomy.FindByName("g", text.ToLowerInvariant())?.Id == new TagId("a");
        var duplicate = Record.Exception(() => new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("a", "g", text).AddTag("b", "g", text.ToUpperInvariant()).Build());
        return (found && duplicate is TagTaxonomyException { Error: TaxonomyError.DuplicateName }).Label(text);
    }
}
