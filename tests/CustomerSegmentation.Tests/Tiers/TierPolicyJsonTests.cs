using CustomerSegmentation.Tiers;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.Tiers;

public class TierPolicyJsonTests
{
    private const string SpendJson = """
        {
          // comments and trailing commas are allowed
          "name": "spend",
          "kind": "threshold",
          "tiers": ["潜力客户", "标准客户", "VIP"],
          "metric": "host:v",
          "boundary": "inclusive",
          "thresholds": { "标准客户": 1000, "VIP": 10000, },
        }
        """;

    [Fact]
    public void Parse_Threshold_SameAsCSharp()
    {
        var p = Assert.IsType<ThresholdTierPolicy>(TierPolicyJson.Parse(SpendJson));
        var people = Population(0m, 1000m, 9999m, 10000m);
        Assert.Equal(Names(Spend().Assign(people, T0)), Names(p.Assign(people, T0)));
        Assert.Equal(Chinese, p.Ladder);
    }

    [Fact]
    public void Parse_QuantileParetoMatrix_Build()
    {
        var q = TierPolicyJson.Parse("""{ "name": "abc", "kind": "quantile", "tiers": ["C","B","A"], "metric": "netSpend", "shares": { "A": 0.2, "B": 0.3 } }""");
        Assert.Equal(TierPolicyKind.Quantile, Assert.IsType<QuantileTierPolicy>(q).Kind);
        var p = TierPolicyJson.Parse("""{ "name": "rev", "kind": "pareto", "tiers": ["C","B","A"], "metric": "netSpend", "shares": { "A": 0.8, "B": 0.15, "C": 0.05 } }""");
        Assert.Equal([0.05m, 0.15m, 0.8m], Assert.IsType<ParetoTierPolicy>(p).Shares.Select(s => s.Share));
        var m = TierPolicyJson.Parse("""
            { "name": "grid", "kind": "matrix", "tiers": ["C","B","A"],
              "rows":    { "name": "power", "kind": "threshold", "tiers": ["low","high"], "metric": "netSpend", "thresholds": { "high": 5000 } },
              "columns": { "name": "freq", "kind": "threshold", "tiers": ["low","high"], "metric": "purchaseCount", "thresholds": { "high": 5 } },
              "cells": [["C","B"],["B","A"]] }
            """);
        var matrix = Assert.IsType<MatrixTierPolicy>(m);
        Assert.Equal("A", matrix.Assign([TierSubject.From(Summary(1, 9000m, 9))], T0)[0].Tier.Name);
    }

    [Fact]
    public void Parse_HostMetricLowerIsBetter_ObjectForm()
    {
        var p = (SingleMetricTierPolicy)TierPolicyJson.Parse("""{ "name": "r", "kind": "threshold", "tiers": ["C","B","A"], "metric": { "name": "host:days", "higherIsBetter": false }, "thresholds": { "B": 90, "A": 30 } }""");
        Assert.False(p.Metric.HigherIsBetter);
        Assert.Contains("\"higherIsBetter\": false", TierPolicyJson.Serialize(p), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Threshold_ReadableAndRoundTrips()
    {
        var json = TierPolicyJson.Serialize(Spend());
        Assert.Contains("\"VIP\": 10000", json, StringComparison.Ordinal);
        Assert.Contains("\"标准客户\"", json, StringComparison.Ordinal); // not \u escaped
        Assert.Equal(json, TierPolicyJson.Serialize(TierPolicyJson.Parse(json)));
    }

    [Fact]
    public void Parse_CustomMetric_NeedsResolver()
    {
        const string Json = """{ "name": "x", "kind": "threshold", "tiers": ["C","B"], "metric": "clv", "thresholds": { "B": 1 } }""";
        Assert.Contains("unknown metric 'clv'", Assert.Throws<InvalidTierPolicyException>(() => TierPolicyJson.Parse(Json)).Message, StringComparison.Ordinal);
        var clv = TierMetric.Custom("clv", _ => 2m);
        Assert.Equal("B", TierPolicyJson.Parse(Json, n => n == "clv" ? clv : null).Assign([Subject(1, 0m)], T0)[0].Tier.Name);
        Assert.Throws<ArgumentException>(() => TierPolicyJson.Serialize(new ThresholdTierPolicy("x", TierLadder.Of("C", "B"), clv, [new("B", 1m)])));
    }

    [Theory]
    [InlineData("""{ "name": "x", "kind": "threshold", "tiers": ["C","B","A"], "metric": "netSpend", "thresholds": { "B": 500, "A": 100 } }""", "not ordered")]
    [InlineData("""{ "name": "x", "kind": "threshold", "tiers": ["C","B","A"], "metric": "netSpend", "thresholds": { "B": 500, "S": 900 } }""", "unknown tier 'S'")]
    [InlineData("""{ "name": "x", "kind": "quantile", "tiers": ["C","B","A"], "metric": "netSpend", "shares": { "A": 0.5, "B": 0.3, "C": 0.3 } }""", "add up to 1.1, not 1")]
    [InlineData("""{ "name": "x", "kind": "pyramid", "tiers": ["C","B"] }""", "unknown kind 'pyramid'")]
    [InlineData("""{ "name": "x", "kind": "threshold", "tiers": ["C","B"], "metric": "netSpend", "thresholds": { "B": 1 }, "treshold": 2 }""", "$.treshold: unknown property")]
    [InlineData("""{ "name": "x", "kind": "threshold", "tiers": ["C","B"], "metric": "netSpend" }""", "$.thresholds: is missing")]
    [InlineData("""{ "name": "x", "kind": "threshold", "tiers": ["C","B"], "metric": "netSpend", "thresholds": { "B": "1" } }""", "$.thresholds.B: expected a number")]
    [InlineData("""{ "name": "x", "kind": "threshold", "tiers": ["C","C"], "metric": "netSpend", "thresholds": { "C": 1 } }""", "$.tiers: tier name 'C' appears twice")]
    [InlineData("""{ "name": "x", "kind": "matrix", "tiers": ["C","B"], "rows": { "name": "r", "kind": "threshold", "tiers": ["l","h"], "metric": "netSpend", "thresholds": { "h": 1 } }, "columns": { "name": "c", "kind": "threshold", "tiers": ["l","h"], "metric": "netSpend", "thresholds": { "h": 1 } }, "cells": [["C","B"]] }""", "1 rows")]
    [InlineData("""{ "name": "x", "kind": """, "malformed")]
    public void Parse_BadPolicy_ThrowsNamingProblem(string json, string problem)
    {
        var e = Assert.Throws<InvalidTierPolicyException>(() => TierPolicyJson.Parse(json));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
