using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tiers;
using NodaTime;

namespace CustomerSegmentation.Tests.Segments;

public class SegmentSetTests
{
    private static readonly Instant AsOf = SegmentScenario.AsOf;

    private static ImmutableArray<SegmentDefinitionError> Errors(string expression) =>
        SegmentSet.Create([SegmentDefinition.FromExpression("s", "s", expression)], SegmentScenario.Context).Errors;

    public static TheoryData<string, string> BindingErrors => new()
    {
        { "has_tag(\"Industry/ITX\")", "unknown tag \"Industry/ITX\" in has_tag(\"Industry/ITX\"): group \"Industry\" has no tag named \"ITX\"" },
        { "has_tag(\"Nowhere/IT\")", "unknown tag \"Nowhere/IT\" in has_tag(\"Nowhere/IT\"): no tag has this id and no tag group is named \"Nowhere\"" },
        { "has_tag(\"nothing\")", "unknown tag \"nothing\" in has_tag(\"nothing\"): no tag has this id or name" },
        { "has_tag(\"Finance\")", "ambiguous tag \"Finance\" in has_tag(\"Finance\"): groups Industry, Interest each have one; write \"Group/Finance\"" },
        { "has_tag(\"Industry/SaaS/IT\")", "unknown tag \"Industry/SaaS/IT\" in has_tag(\"Industry/SaaS/IT\"): \"IT\" is not below \"SaaS\" in group \"Industry\"" },
        { "stage = \"actve\"", "unknown stage \"actve\" in stage = \"actve\"; the lifecycle model has: " + string.Join(", ", SegmentScenario.Stages) },
        { "tier >= 2", "tier is ranked by name on the ladder C < B < A, not by number: write a name in quotes instead of 2 in tier >= 2" },
        { "tier = \"Z\"", "unknown tier \"Z\" in tier = \"Z\"; the ladder is C < B < A" },
        { "churn_level > \"severe\"", "unknown churn level \"severe\" in churn_level > \"severe\"; the levels are low < medium < high < critical" },
        { "region > \"上海\"", "region is text: it can be compared with =, !=, in and not in, not with '>' in region > \"上海\"" },
        { "stage between \"new\" and \"lost\"", "stage is a lifecycle stage: it can be compared with =, !=, in and not in, not with 'between' in stage between \"new\" and \"lost\"" },
        { "net_spend > \"lots\"", "net_spend is a number: compare it with a number, not with \"lots\", in net_spend > \"lots\"" },
        { "marketing_consent = 1", "marketing_consent is a yes/no field: compare it with true or false, not with 1, in marketing_consent = 1" },
        { "purchase_count between 5 and 1", "empty range in purchase_count between 5 and 1: 5 is above 1" },
        { "rfm_segment = \"Champs\"", "unknown RFM segment \"Champs\" in rfm_segment = \"Champs\"; the segment table has: " + string.Join(", ", SegmentScenario.Context.RfmSegments) },
        { "attr(\"plan\") in (\"gold\", 1)", "attr(\"plan\") is compared with values of different kinds in attr(\"plan\") in (\"gold\", 1)" },
    };

    [Theory]
    [MemberData(nameof(BindingErrors))]
    public void Create_BadReference_ReportsAClearErrorWhenBuilt(string expression, string message)
    {
        var error = Assert.Single(Errors(expression));
        Assert.Equal(("s", message), (error.SegmentId, error.Message));
    }

    [Fact]
    public void Create_SeveralSegmentsWithErrors_ReportsAllAndThrowsOnlyOnRequest()
    {
        var result = SegmentSet.Create(
            [
                SegmentDefinition.FromExpression("a", "A", "tier >= 2 and stage = \"x\""),
                SegmentDefinition.FromExpression("a", "A again", "true"),
                new SegmentDefinition("bad id!", "B", SegmentRules.True),
                new SegmentDefinition("c", "C", SegmentRules.Field("no_such_field").EqualTo(1)),
            ],
            SegmentScenario.Context);
        Assert.False(result.IsValid);
        Assert.Equal(["a", "a", "a", "bad id!", "c"], result.Errors.Select(e => e.SegmentId));
        Assert.Equal("unknown field 'no_such_field' in no_such_field = 1", result.Errors[^1].Message);
        var ex = Assert.Throws<SegmentDefinitionException>(() => result.GetValueOrThrow());
        Assert.Equal(5, ex.Errors.Length);
    }

    [Fact]
    public void Create_ContextWithoutModels_RejectsTagsTiersAndStages()
    {
        var result = SegmentSet.Create(
            [SegmentDefinition.FromExpression("s", "s", "has_tag(\"it\") or tier = \"A\" or stage = \"new\"")], SegmentBindingContext.Empty);
        Assert.Equal(
            [
                "has_tag(\"it\") names a tag, but the binding context has no taxonomy",
                "tier = \"A\" uses tier, but the binding context has no tier ladder",
                "stage = \"new\" uses stage, but the binding context has no lifecycle stages",
            ],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Create_SchemaThatForbidsUndeclaredAttributes_RejectsUnknownAndMistypedAttributes()
    {
        var schema = new ProfileSchemaBuilder { AllowUndeclaredAttributes = false }.AddCustomAttribute("seats", FieldKind.Number).Build();
        var context = SegmentScenario.Context with { Schema = schema };
        var result = SegmentSet.Create([SegmentDefinition.FromExpression("s", "s", "attr(\"plan\") = \"gold\" or attr(\"seats\") = \"ten\"")], context);
        Assert.Equal(
            [
                "unknown attribute \"plan\" in attr(\"plan\") = \"gold\": the profile schema does not declare it and does not allow undeclared attributes",
                "attribute \"seats\" is declared as Number: compare it with a number, not with a string, in attr(\"seats\") = \"ten\"",
            ],
            result.Errors.Select(e => e.Message));
    }

    private static CustomerFacts Person(string id, int daysSincePurchase, Tier? tier, string? stage, params string[] tags) =>
        new(new Customer(new CustomerId(id), CustomerKind.Person, id, AsOf - Duration.FromDays(500)) { Region = "上海" })
        {
            Activity = new ActivitySummary
            {
                CustomerId = new CustomerId(id),
                AsOf = AsOf,
                Currency = Currency.Cny,
                PurchaseCount = 3,
                LastPurchaseAt = AsOf - Duration.FromDays(daysSincePurchase),
                FirstPurchaseAt = AsOf - Duration.FromDays(400),
                GrossSpend = 300m,
            },
            Tier = tier,
            Stage = stage,
            Clv = 1000m,
            Tags = [.. tags.Select(t => new HeldTag(t))],
        };

    private static readonly SegmentPopulation Small = SegmentPopulation.Create(
    [
        Person("c1", 90, SegmentScenario.Ladder["A"], "active", "saas"),
        Person("c2", 90, SegmentScenario.Ladder["C"], "active", "saas"),
        Person("c3", 10, SegmentScenario.Ladder["B"], "repeat", "software"),
        Person("c4", 90, SegmentScenario.Ladder["B"], "lost", "finance"),
        Person("c5", 61, null, "repeat", "it"),
    ]);

    private const string IssueExample = "tier >= \"B\" and stage in (\"active\", \"repeat\") and has_tag(\"Industry/IT\") and days_since_last_purchase > 60";

    [Fact]
    public void Evaluate_IssueExample_SelectsTheCustomersThatMeetEveryClause()
    {
        var set = SegmentScenario.Set(("lapsing-it", IssueExample));
        var m = set.Evaluate(Small, AsOf)["lapsing-it"];
        Assert.Equal(["c1"], m.Members().Select(c => c.Value));
        Assert.Equal(0.2, m.Share);
    }

    [Fact]
    public void Explain_NonMember_NamesTheFirstFailingClauseWithTheObservedValue()
    {
        var set = SegmentScenario.Set(("lapsing-it", IssueExample));
        var c3 = set.Explain("lapsing-it", Small, new CustomerId("c3"), AsOf);
        Assert.False(c3.IsMember);
        Assert.Equal("out of lapsing-it: days_since_last_purchase > 60 is false (days_since_last_purchase = 10)", c3.Text);
        var c2 = set.Explain("lapsing-it", Small, new CustomerId("c2"), AsOf);
        Assert.Equal("out of lapsing-it: tier >= \"B\" is false (tier = C)", c2.Text);
        var c1 = set.Explain("lapsing-it", Small, new CustomerId("c1"), AsOf);
        Assert.True(c1.IsMember);
        Assert.Equal(4, c1.Deciding.Length);
        Assert.StartsWith("in lapsing-it: tier >= \"B\" is true (tier = A); stage in (\"active\", \"repeat\") is true (stage = \"active\")", c1.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Or_NamesTheFirstOperandThatHolds()
    {
        var set = SegmentScenario.Set(("s", "stage = \"lost\" or has_exact_tag(\"finance\") or tier = \"A\""));
        var e = set.Explain("s", Small, new CustomerId("c4"), AsOf);
        Assert.Equal("in s: stage = \"lost\" is true (stage = \"lost\")", e.Text);
    }

    [Fact]
    public void Evaluate_AsOfLater_MovesDaysAndChangesMembership()
    {
        var set = SegmentScenario.Set(("lapsed", "days_since_last_purchase > 60"));
        var now = set.Evaluate(Small, AsOf)["lapsed"];
        var later = set.Evaluate(Small, AsOf + Duration.FromDays(60))["lapsed"];
        Assert.Equal(["c1", "c2", "c4", "c5"], now.Members().Select(c => c.Value));
        Assert.Equal(5, later.Count);
        var changes = SegmentChanges.Between(now, later);
        Assert.Equal(["c3"], changes.Entered.Select(c => c.Value));
        Assert.Empty(changes.Left);
        Assert.Equal(4, changes.Stayed);
    }

    [Fact]
    public void Changes_BetweenTwoPopulations_ComparesByCustomerId()
    {
        var set = SegmentScenario.Set(("b-plus", "tier >= \"B\""));
        var before = set.Evaluate(Small, AsOf)["b-plus"];
        var next = SegmentPopulation.Create(
        [
            Person("c2", 5, SegmentScenario.Ladder["B"], "active"),
            Person("c3", 5, SegmentScenario.Ladder["C"], "active"),
            Person("c9", 5, SegmentScenario.Ladder["A"], "new"),
        ]);
        var after = set.Evaluate(next, AsOf + Duration.FromDays(30))["b-plus"];
        var changes = SegmentChanges.Between(before, after);
        Assert.Equal(["c2", "c9"], changes.Entered.Select(c => c.Value));
        Assert.Equal(["c1", "c3", "c4"], changes.Left.Select(c => c.Value));
        Assert.Equal(0, changes.Stayed);
    }

    [Fact]
    public void HeldTag_ExpiredAtAsOf_DoesNotCount()
    {
        var facts = Person("t1", 5, null, null) with { Tags = [new HeldTag("vip", AsOf + Duration.FromDays(1))] };
        var population = SegmentPopulation.Create([facts]);
        var set = SegmentScenario.Set(("vip", "has_tag(\"VIP\")"));
        Assert.Equal(1, set.Evaluate(population, AsOf).Memberships[0].Count);
        Assert.Equal(0, set.Evaluate(population, AsOf + Duration.FromDays(1)).Memberships[0].Count);
    }

    [Fact]
    public void Profile_Segment_SumsRevenueAndClvAndCountsMixes()
    {
        var set = SegmentScenario.Set(("it", "has_tag(\"Industry/IT\")"), ("repeat", "stage = \"repeat\""));
        var evaluation = set.Evaluate(Small, AsOf);
        var p = evaluation["it"].Profile(topTags: 2);
        Assert.Equal(4, p.Size);
        Assert.Equal(0.8, p.Share);
        Assert.Equal(1200m, p.RevenueTotal);
        Assert.Equal(300m, p.RevenueMean);
        Assert.Equal((4, 4000m, (decimal?)1000m), (p.ClvCount, p.ClvTotal, p.ClvMean));
        Assert.Equal([new SegmentMix("A", 1, 0.25), new SegmentMix("B", 1, 0.25), new SegmentMix("C", 1, 0.25), new SegmentMix(SegmentProfile.None, 1, 0.25)], p.TierMix.ToArray());
        Assert.Equal([new SegmentMix("active", 2, 0.5), new SegmentMix("repeat", 2, 0.5)], p.StageMix.ToArray());
        Assert.Equal([new SegmentMix("saas", 2, 0.5), new SegmentMix("it", 1, 0.25)], p.TopTags.ToArray());
        Assert.Equal([new SegmentMix(SegmentProfile.None, 4, 1.0)], p.RfmSegmentMix.ToArray());

        var overlap = evaluation.Overlaps();
        Assert.Equal(2, overlap.Between("it", "repeat"));
        Assert.Equal(4, overlap.Between("it", "it"));
        Assert.Equal(0.5, overlap.Jaccard("it", "repeat"));
    }

    [Fact]
    public void Population_DuplicateIdsOrMixedCurrencies_AreRejected()
    {
        var a = Person("d1", 5, null, null);
        var ex = Assert.Throws<ArgumentException>(() => SegmentPopulation.Create([a, a]));
        Assert.Contains("Customer d1 appears twice in the facts (positions 0 and 1)", ex.Message, StringComparison.Ordinal);
        var usd = Person("d2", 5, null, null);
        usd = usd with { Activity = usd.Activity! with { Currency = Currency.Usd } };
        Assert.Throws<MixedCurrencyException>(() => SegmentPopulation.Create([a, usd]));
    }

    [Fact]
    public void Json_BadInput_ReportsEveryProblemWithItsPath()
    {
        const string json = """
            { "segments": [
                { "id": "ok", "name": "OK", "rule": "tier >= \"B\"" },
                { "id": "ok", "name": "dup", "rule": "true" },
                { "name": "no id", "rule": "stage in (" },
                { "id": "x", "name": 5, "rule": "true", "colour": "red" }
            ] }
            """;
        var result = SegmentJson.Read(json);
        Assert.False(result.IsValid);
        Assert.Equal(
            [
                "$.segments[1].id: duplicate segment id \"ok\"",
                "$.segments[2].id: missing",
                "$.segments[2].rule: line 1, column 11: expected a value (number, string, true or false), found end of input",
                "$.segments[3].name: expected a string, found Number",
                "$.segments[3].colour: unknown member (expected id, name, description, rule)",
            ],
            result.Errors.ToArray());
        Assert.Equal(["$: not valid JSON: " ], SegmentJson.Read("{").Errors.Select(e => e[..19]));
    }

    [Fact]
    public void Json_Definitions_RoundTripWithReadableRules()
    {
        SegmentDefinition[] defs =
        [
            SegmentDefinition.FromExpression("lapsing-it", "沉睡的IT客户", IssueExample, "B 级以上、IT 行业、60 天未购买"),
            new("vip", "VIP", SegmentRules.HasTag("VIP")),
        ];
        var json = SegmentJson.Write(defs);
        Assert.Contains("\"rule\": \"has_tag(\\\"VIP\\\")\"", json, StringComparison.Ordinal);
        Assert.Contains("沉睡的IT客户", json, StringComparison.Ordinal);
        Assert.Equal(defs, SegmentJson.Read(json).GetValueOrThrow());
    }
}
