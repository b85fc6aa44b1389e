using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.Tests.Tags;

/// <summary>
/// Random taxonomies, assignments, operations and rules for the property tests, built from one FsCheck-generated seed
/// so that every failing case can be replayed from the seed FsCheck reports.
/// </summary>
internal static class TagScenario
{
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);

    private static readonly string[] NamePool = ["VIP", "vip", "潜在客户", "长期客户", "Tag1", "tag2", "高价值客户", "Région", "REGION"];

    public static TagTaxonomy RandomTaxonomy(Random rng, int maxTags = 14)
    {
        var builder = new TagTaxonomyBuilder();
        var groups = rng.Next(1, 4);
        for (var g = 0; g < groups; g++)
        {
            builder.AddGroup("g" + g, "组" + g, rng.Next(2) == 0 ? TagSelection.Single : TagSelection.Multiple);
        }

        var n = rng.Next(1, maxTags + 1);
        var groupOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            groupOf[i] = rng.Next(groups);
            var candidates = Enumerable.Range(0, i).Where(j => groupOf[j] == groupOf[i]).ToArray();
            var parent = candidates.Length > 0 && rng.Next(3) > 0 ? "t" + candidates[rng.Next(candidates.Length)] : null;
            var name = rng.Next(2) == 0 ? "标签" + i : "Tag-" + i;
            var colour = rng.Next(3) == 0 ? new TagColour((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)) : (TagColour?)null;
            string[] aliases = rng.Next(3) == 0 ? ["别名" + i] : [];
            builder.AddTag("t" + i, "g" + groupOf[i], name, parent, colour, aliases);
        }

        return builder.Build();
    }

    public static CustomerId AnyCustomer(Random rng, int customers) => new("c" + rng.Next(customers));

    public static TagId AnyTag(Random rng, TagTaxonomy taxonomy) => taxonomy.Tags[rng.Next(taxonomy.Tags.Length)].Id;

    public static TagSource AnySource(Random rng) => rng.Next(3) == 0 ? TagSource.Manual : TagSource.Rule("r" + rng.Next(4));

    public static void AssignRandomly(Random rng, TagIndex index, int customers, int count)
    {
        for (var k = 0; k < count; k++)
        {
            Instant? expiry = rng.Next(4) == 0 ? Start + Duration.FromDays(rng.Next(1, 60)) : null;
            index.Assign(AnyCustomer(rng, customers), AnyTag(rng, index.Taxonomy), AnySource(rng), Start + Duration.FromHours(k), "user" + rng.Next(2), expiry);
        }
    }

    /// <summary>Runs one random evolution operation; returns <see langword="null"/> when the taxonomy rejects it.</summary>
    public static TaxonomyChange? RandomOperation(Random rng, TagTaxonomy taxonomy)
    {
        var a = AnyTag(rng, taxonomy);
        var b = AnyTag(rng, taxonomy);
        try
        {
            return rng.Next(4) switch
            {
                0 => taxonomy.Rename(a, NamePool[rng.Next(NamePool.Length)] + (rng.Next(2) == 0 ? string.Empty : rng.Next(5).ToString(System.Globalization.CultureInfo.InvariantCulture)), rng.Next(2) == 0),
                1 => taxonomy.Move(a, rng.Next(4) == 0 ? null : (TagId?)b),
                2 => taxonomy.Merge(a, b),
                _ => taxonomy.Retire(a, rng.Next(2) == 0 ? null : (TagId?)b),
            };
        }
        catch (TagTaxonomyException)
        {
            return null;
        }
    }

    /// <summary>Walks every parent and successor chain independently of the taxonomy's own checks.</summary>
    public static bool IsAcyclic(TagTaxonomy taxonomy)
    {
        foreach (var tag in taxonomy.Tags)
        {
            if (!ChainEnds(taxonomy, tag, t => t.ParentId) || !ChainEnds(taxonomy, tag, t => t.SuccessorId))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ChainEnds(TagTaxonomy taxonomy, Tag start, Func<Tag, TagId?> next)
    {
        var current = start;
        for (var steps = 0; steps <= taxonomy.Tags.Length; steps++)
        {
            if (next(current) is not { } id)
            {
                return true;
            }

            if (taxonomy.FindTag(id) is not { } tag)
            {
                return false;
            }

            current = tag;
        }

        return false;
    }

    public static bool SingleSelectHolds(TagIndex index) =>
        index.Customers.All(c => index.Taxonomy.Groups.Where(g => g.IsSingleSelect).All(g => index.TagsOf(c, g.Id).Length <= 1));

    /// <summary>Both directions of the index agree: per-tag posting sets hold exactly the customers whose lists hold the tag.</summary>
    public static bool IndexIsConsistent(TagIndex index)
    {
        var fromLists = index.Assignments().ToLookup(a => a.TagId, a => a.CustomerId);
        return index.Taxonomy.Tags.All(t => index.CustomersWith(t.Id).ToHashSet().SetEquals(fromLists[t.Id]))
            && index.Taxonomy.Tags.Sum(t => index.CountWith(t.Id)) == index.AssignmentCount;
    }

    public static FactValue RandomValue(Random rng) => rng.Next(5) switch
    {
        0 => FactValue.FromText(rng.Next(2) == 0 ? "华东" + rng.Next(3) : "East \"quoted\" " + rng.Next(3)),
        1 => FactValue.FromNumber(rng.Next(-1000, 1000) / 8m),
        2 => FactValue.FromBoolean(rng.Next(2) == 0),
        3 => FactValue.FromDate(new LocalDate(2020, 1, 1).PlusDays(rng.Next(2000))),
        _ => FactValue.FromInstant(Start + Duration.FromNanoseconds(rng.NextInt64(0, 1_000_000_000_000_000))),
    };

    public static ITagCondition RandomCondition(Random rng, int depth = 0)
    {
        var pick = depth >= 2 ? rng.Next(3) : rng.Next(6);
        switch (pick)
        {
            case 3:
                return new AllCondition(Enumerable.Range(0, rng.Next(0, 3)).Select(_ => RandomCondition(rng, depth + 1)).ToList());
            case 4:
                return new AnyCondition(Enumerable.Range(0, rng.Next(0, 3)).Select(_ => RandomCondition(rng, depth + 1)).ToList());
            case 5:
                return new NotCondition(RandomCondition(rng, depth + 1));
        }

        var fact = rng.Next(2) == 0 ? "x" : "y";
        var op = (FactOperator)rng.Next(12);
        var n = op switch
        {
            FactOperator.Exists or FactOperator.Missing => 0,
            FactOperator.Between => 2,
            FactOperator.In or FactOperator.NotIn => rng.Next(1, 4),
            _ => 1,
        };
        var numeric = rng.Next(3) > 0;
        return new FactCondition(fact, op, Enumerable.Range(0, n).Select(_ => numeric ? FactValue.FromNumber(rng.Next(0, 6)) : RandomValue(rng)).ToList());
    }

    public static TagRuleInput RandomInput(Random rng, int customer)
    {
        var facts = ImmutableDictionary<string, FactValue>.Empty;
        if (rng.Next(5) > 0)
        {
            facts = facts.Add("x", FactValue.FromNumber(rng.Next(0, 6)));
        }

        if (rng.Next(2) == 0)
        {
            facts = facts.Add("y", rng.Next(2) == 0 ? FactValue.FromText(rng.Next(6).ToString(System.Globalization.CultureInfo.InvariantCulture)) : RandomValue(rng));
        }

        return new TagRuleInput(new Customer(new CustomerId("c" + customer), CustomerKind.Person, "客户" + customer, Start), Facts: facts);
    }
}
