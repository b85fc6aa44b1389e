using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using NodaTime;

namespace CustomerSegmentation.Tests.Scoring;

public class PointsScorerTests
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 0, 0);

    /// <summary>The rule set of the docs/scoring.md worked example, built in C#.</summary>
    private static PointsRuleSet LeadRules() => new(
        "lead",
        [
            new PerPurchaseInWindowRule("recent purchases", 10m, "last90", maxPoints: 50m),
            new ProfileFieldEqualsRule("finance industry", 20m, "industry", "finance"),
            new PerInteractionRule("complaints", -15m, InteractionKind.Complaint, minPoints: -45m),
            new PerMonthWithoutInteractionRule("silence", -5m, minPoints: -30m),
        ],
        minTotal: 0m,
        maxTotal: 100m);

    private const string LeadRulesJson = """
        {
          // the same rule set as LeadRules()
          "name": "lead",
          "minTotal": 0,
          "maxTotal": 100,
          "rules": [
            { "type": "perPurchaseInWindow", "name": "recent purchases", "points": 10, "window": "last90", "max": 50 },
            { "type": "profileFieldEquals", "name": "finance industry", "points": 20, "field": "industry", "value": "finance" },
            { "type": "perInteraction", "name": "complaints", "points": -15, "interaction": "complaint", "min": -45 },
            { "type": "perMonthWithoutInteraction", "name": "silence", "points": -5, "min": -30 },
          ]
        }
        """;

    private static ActivitySummary Summary(string id, int purchasesInWindow, int complaints, Instant? lastInteraction, Instant? lastPurchase = null) => new()
    {
        CustomerId = new CustomerId(id),
        AsOf = AsOf,
        PurchaseCount = purchasesInWindow,
        LastPurchaseAt = lastPurchase ?? (purchasesInWindow > 0 ? AsOf - Duration.FromDays(1) : null),
        Windows = [new WindowTotals("last90", AsOf - Duration.FromDays(90), AsOf + Duration.Epsilon, purchasesInWindow, purchasesInWindow * 100m)],
        InteractionsByKind = complaints > 0 ? ImmutableDictionary<InteractionKind, int>.Empty.Add(InteractionKind.Complaint, complaints) : ImmutableDictionary<InteractionKind, int>.Empty,
        LastInteractionAt = lastInteraction,
    };

    private static Customer Profile(string id, string? industry, Instant? created = null) =>
        new Customer(new CustomerId(id), CustomerKind.Organisation, id + " Ltd", created ?? Instant.FromUtc(2025, 1, 1, 0, 0)) { Industry = industry };

    private static readonly ActivitySummary CustomerA = Summary("A", 7, 2, Instant.FromUtc(2026, 3, 15, 0, 0));
    private static readonly ActivitySummary CustomerB = Summary("B", 0, 4, Instant.FromUtc(2025, 12, 1, 0, 0));

    [Fact]
    public void Score_WorkedExampleA_EachRuleAsComputedByHand()
    {
        var result = new PointsScorer(LeadRules()).Score(CustomerA, Profile("A", "Finance"), AsOf);

        Assert.Equal(["recent purchases", "finance industry", "complaints", "silence"], result.Rules.Select(r => r.RuleName));
        Assert.Equal([70m, 20m, -30m, -15m], result.Rules.Select(r => r.Raw));
        Assert.Equal([50m, 20m, -30m, -15m], result.Rules.Select(r => r.Points));   // 7 x 10 capped at 50; 3 months of silence
        Assert.Equal(25m, result.Sum);
        Assert.Equal(25m, result.Total);
        Assert.Contains("7 purchases in window 'last90' x 10", result.Rules[0].Explanation, StringComparison.Ordinal);
        Assert.Contains("capped at the maximum 50", result.Rules[0].Explanation, StringComparison.Ordinal);
        Assert.Contains("3 whole months since the last interaction", result.Rules[3].Explanation, StringComparison.Ordinal);
        Assert.Contains("total 25", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_WorkedExampleB_RuleCapsAndTotalCap()
    {
        var result = new PointsScorer(LeadRules()).Score(CustomerB, Profile("B", "retail"), AsOf);

        Assert.Equal([0m, 0m, -60m, -35m], result.Rules.Select(r => r.Raw));         // 4 complaints; 7 months Dec..Jul
        Assert.Equal([0m, 0m, -45m, -30m], result.Rules.Select(r => r.Points));
        Assert.Equal(-75m, result.Sum);
        Assert.Equal(0m, result.Total);
        Assert.Contains("capped to 0", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_SameRulesAsCSharp_SameResults()
    {
        var fromJson = new PointsScorer(PointsRuleSet.FromJson(LeadRulesJson));
        var fromCode = new PointsScorer(LeadRules());

        foreach (var (summary, profile) in new[] { (CustomerA, Profile("A", "Finance")), (CustomerB, Profile("B", "retail")) })
        {
            var a = fromJson.Score(summary, profile, AsOf);
            var b = fromCode.Score(summary, profile, AsOf);
            Assert.Equal(b.Total, a.Total);
            Assert.Equal(b.Rules.ToArray(), a.Rules.ToArray());
        }

        Assert.Equal(0m, fromJson.RuleSet.MinTotal);
        Assert.Equal(100m, fromJson.RuleSet.MaxTotal);
        Assert.Equal(InteractionKind.Complaint, Assert.IsType<PerInteractionRule>(fromJson.RuleSet.Rules[2]).Kind);
    }

    [Theory]
    [InlineData(0, 40)]
    [InlineData(30, 20)]
    [InlineData(60, 10)]
    public void Score_Decay_HalvesPerHalfLife(int daysSinceLastPurchase, int expected)
    {
        var rules = new PointsRuleSet("decay", [new PerPurchaseInWindowRule("recent", 10m, "last90", decayHalfLife: Duration.FromDays(30))]);
        var summary = Summary("D", 4, 0, null, AsOf - Duration.FromDays(daysSinceLastPurchase));

        var line = new PointsScorer(rules).Score(summary, null, AsOf).Rules[0];

        Assert.Equal(40m, line.Raw);
        Assert.Equal(expected, line.Decayed);
        Assert.Equal(expected, line.Points);
    }

    [Fact]
    public void FromJson_Decay_ReadsHalfLifeInDays()
    {
        var rules = PointsRuleSet.FromJson("""{ "name": "d", "rules": [ { "type": "perPurchaseInWindow", "name": "r", "points": 10, "window": "last90", "decayHalfLifeDays": 30 } ] }""");

        Assert.Equal(Duration.FromDays(30), rules.Rules[0].DecayHalfLife);
        Assert.Equal(20m, new PointsScorer(rules).Score(Summary("D", 4, 0, null, AsOf - Duration.FromDays(30)), null, AsOf).Total);
    }

    [Fact]
    public void Score_NoProfile_ProfileRuleGivesZero()
    {
        var result = new PointsScorer(LeadRules()).Score(CustomerA, null, AsOf);

        Assert.Equal(0m, result.Rules[1].Points);
        Assert.Contains("no profile", result.Rules[1].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_NoInteractions_MonthsSinceProfileCreation()
    {
        var rules = new PointsRuleSet("s", [new PerMonthWithoutInteractionRule("silence", -5m)]);
        var summary = Summary("N", 0, 0, null);

        var withProfile = new PointsScorer(rules).Score(summary, Profile("N", null, Instant.FromUtc(2026, 1, 1, 0, 0)), AsOf);
        var without = new PointsScorer(rules).Score(summary, null, AsOf);

        Assert.Equal(-30m, withProfile.Total);   // January..July: 6 whole months
        Assert.Equal(0m, without.Total);
    }

    [Fact]
    public void Score_CustomAttribute_ComparedByInvariantText()
    {
        var rules = new PointsRuleSet("c", [new ProfileFieldEqualsRule("vip", 30m, "custom:vip", "true")]);
        var profile = Profile("V", null) with { CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("vip", true) };

        Assert.Equal(30m, new PointsScorer(rules).Score(Summary("V", 0, 0, null), profile, AsOf).Total);
    }

    [Fact]
    public void Score_AsValueScorer_ReportsTotalAndExplanation()
    {
        IValueScorer scorer = new PointsScorer(LeadRules());

        var scores = scorer.Score([new ValueScoringInput(CustomerA, Profile("A", "finance")), new ValueScoringInput(CustomerB)], AsOf);

        Assert.Equal("points:lead", scores[0].Scorer);
        Assert.Equal(25m, scores[0].Value);
        Assert.Equal(0m, scores[1].Value);
        Assert.All(scores, s => Assert.True(s.IsScored));
        Assert.Contains("complaints:", scores[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_Misuse_Throws()
    {
        var scorer = new PointsScorer(LeadRules());

        Assert.Throws<ArgumentException>(() => scorer.Score(CustomerA, Profile("B", null), AsOf));
        Assert.Throws<ArgumentException>(() => scorer.Score(CustomerA, null, AsOf + Duration.FromHours(1)));
        Assert.Throws<ArgumentException>(() => scorer.Score(CustomerA with { Windows = [] }, null, AsOf));
        Assert.Throws<ArgumentNullException>(() => scorer.Score((ActivitySummary)null!, null, AsOf));
    }

    public static TheoryData<string, string> BadJson => new()
    {
        { """{ "name": "x", "rules": [ { "type": "perPurchaseInWindow", "name": "r", "points": 1 } ] }""", "$.rules[0].window" },
        { """{ "name": "x", "rules": [ { "type": "teleport", "name": "r", "points": 1 } ] }""", "$.rules[0].type" },
        { """{ "name": "x", "rules": [ { "type": "perInteraction", "name": "r", "points": 1, "interaction": "fax" } ] }""", "$.rules[0].interaction" },
        { """{ "name": "x", "rules": [ { "type": "perInteraction", "name": "r", "points": 1, "interaction": "5" } ] }""", "$.rules[0].interaction" },
        { """{ "name": "x", "rules": [ { "type": "profileFieldEquals", "name": "r", "points": 1, "field": "industry", "value": "a", "decayHalfLifeDays": 3 } ] }""", "$.rules[0].decayHalfLifeDays" },
        { """{ "name": "x", "rules": [ { "type": "perMonthWithoutInteraction", "name": "r" } ] }""", "$.rules[0].points" },
        { """{ "name": "x", "rules": [ { "type": "perMonthWithoutInteraction", "name": "r", "points": 1, "pionts": 2 } ] }""", "$.rules[0].pionts" },
        { """{ "name": "x", "zone": "Mars/Olympus", "rules": [ { "type": "perMonthWithoutInteraction", "name": "r", "points": 1 } ] }""", "$.zone" },
        { """{ "name": "x" }""", "$.rules" },
        { """{ "rules": [ { "type": "perMonthWithoutInteraction", "name": "r", "points": 1 } ] }""", "$.name" },
        { """{ "name": "x", "rules": [ """, "$" },
        { """{ "name": "x", "rules": [ { "type": "perMonthWithoutInteraction", "name": "r", "points": "ten" } ] }""", "$.rules[0].points" },
    };

    [Theory]
    [MemberData(nameof(BadJson))]
    public void FromJson_Invalid_ThrowsNamingThePlace(string json, string setting)
    {
        var e = Assert.Throws<ScoringConfigurationException>(() => PointsRuleSet.FromJson(json));

        Assert.StartsWith(setting, e.Setting, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadRules_ThrowsConfigurationException()
    {
        Assert.Throws<ScoringConfigurationException>(() => new PointsRuleSet("x", []));
        Assert.Throws<ScoringConfigurationException>(() => new PointsRuleSet("x", [new PerMonthWithoutInteractionRule("a", 1m), new PerMonthWithoutInteractionRule("a", 2m)]));
        Assert.Throws<ScoringConfigurationException>(() => new PointsRuleSet("x", [new PerMonthWithoutInteractionRule("a", 1m)], minTotal: 5m, maxTotal: 1m));
        Assert.Throws<ScoringConfigurationException>(() => new PerMonthWithoutInteractionRule("a", 1m, minPoints: 5m, maxPoints: 1m));
        Assert.Throws<ScoringConfigurationException>(() => new ProfileFieldEqualsRule("a", 1m, "shoeSize", "42"));
        Assert.Throws<ScoringConfigurationException>(() => new PerPurchaseInWindowRule("a", 1m, "w", decayHalfLife: Duration.Zero));
        Assert.Throws<ScoringConfigurationException>(() => new PerInteractionRule("a", 1m, (InteractionKind)99));
    }
}
