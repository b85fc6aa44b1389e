using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleJsonTests
{
    internal const string Sample = """
        {
          // a subscription box: members judged by their own rhythm
          "initialStage": "visitor",
          "zone": "Asia/Shanghai",
          "stages": [
            { "id": "visitor", "name": "Visitor (潜在客户)" },
            { "id": "member" },
            { "id": "lapsed" },
            { "id": "blocked", "excludedFromFunnel": true }
          ],
          "transitions": [
            { "from": "visitor", "to": ["member", "blocked"] },
            { "from": "member", "to": ["lapsed", "blocked"] },
            { "from": "lapsed", "to": ["member"] }
          ],
          "rules": [
            { "id": "joins", "from": ["visitor"], "to": "member", "when": { "minPurchases": 1 } },
            { "id": "lapses", "from": ["member"], "to": "lapsed",
              "when": { "noPurchaseFor": { "medianGapMultiple": 2, "fallbackDays": 60, "minDays": 14, "maxDays": 400 } },
              "description": "Twice the usual gap without an order." },
            { "id": "returns", "from": ["lapsed"], "to": "member", "when": { "purchaseSinceEntered": true } },
          ]
        }
        """;

    [Fact]
    public void FromJson_Sample_BuildsTheModelDescribed()
    {
        var model = LifecycleModel.FromJson(Sample);
        Assert.Equal(["visitor", "member", "lapsed", "blocked"], model.Stages.Select(s => s.Id));
        Assert.Equal("Visitor (潜在客户)", model.Stages[0].Name);
        Assert.True(model.GetStage("blocked").ExcludedFromFunnel);
        Assert.Equal("visitor", model.InitialStage);
        Assert.Equal(DateTimeZoneProviders.Tzdb["Asia/Shanghai"], model.Zone);
        Assert.True(model.IsAllowed("lapsed", "member"));
        Assert.False(model.IsAllowed("lapsed", "blocked"));
        var lapses = model.Rules[1];
        Assert.Equal(LifecycleWindow.OfMedianGap(2, 60, 14, 400), lapses.NoPurchaseFor);
        Assert.Equal("Twice the usual gap without an order.", lapses.Description);
        Assert.True(model.Rules[2].RequiresPurchaseSinceEntered);
    }

    [Fact]
    public void FromJson_SampleModel_Evaluates()
    {
        var model = LifecycleModel.FromJson(Sample);
        Instant[] buys = [Day(0), Day(10), Day(20)]; // median gap 10 days: window 2 × 10 = 20 days (within 14..400)
        var member = model.Evaluate(model.Start(Id, T0), Summary(Day(30), buys));
        Assert.Equal("member", member.Stage);
        Assert.Equal("lapsed", model.Evaluate(member.Lifecycle, Summary(Day(41), buys)).Stage);
    }

    [Fact]
    public void ToJson_DefaultModel_RoundTripsToAnEquivalentModel()
    {
        var model = LifecycleModel.CreateDefault(new DefaultLifecycleOptions { AtRiskWindow = LifecycleWindow.OfMedianGap(3, 90, maxDays: 365) });
        var json = model.ToJson();
        var back = LifecycleModel.FromJson(json);
        Assert.Equal(model.Stages.ToArray(), back.Stages.ToArray());
        Assert.Equal(model.Transitions.ToArray(), back.Transitions.ToArray());
        Assert.Equal(model.Rules.ToArray(), back.Rules.ToArray());
        Assert.Equal(model.InitialStage, back.InitialStage);
        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"name\": \"Prospect (潜在客户)\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"stages\": [ { \"id\": \"a\" } ], \"colour\": \"red\" }", "colour")]
    [InlineData("{ \"stages\": [ { \"id\": \"a\" } ] ", "not a lifecycle model")]
    [InlineData("null", "The JSON is null.")]
    [InlineData("{ \"stages\": [ { \"id\": \"a\" } ], \"zone\": \"Mars/Olympus\" }", "'Mars/Olympus' is not a TZDB zone id")]
    [InlineData("{ \"stages\": [ { \"id\": \"a\" }, { \"id\": \"b\" } ], \"transitions\": [ { \"from\": \"a\", \"to\": [\"b\"] } ], \"rules\": [ { \"id\": \"r\", \"from\": [\"a\"], \"to\": \"b\", \"when\": { \"noPurchaseFor\": { \"days\": 0 } } } ] }", "'r' has a bad window")]
    [InlineData("{ \"stages\": [ { \"id\": \"a\" }, { \"id\": \"b\" } ], \"transitions\": [ { \"from\": \"a\", \"to\": [\"b\"] } ], \"rules\": [ { \"id\": \"r\", \"from\": [\"a\"], \"to\": \"b\", \"when\": { \"noPurchaseFor\": { \"days\": 5, \"maxDays\": 9 } } } ] }", "need medianGapMultiple")]
    [InlineData("{ \"stages\": [ { \"id\": \"a\" }, { \"id\": \"b\" } ], \"rules\": [ { \"id\": \"r\", \"from\": [\"a\"], \"to\": \"c\", \"when\": { \"minPurchases\": 1 } } ] }", "points to an unknown stage 'c'")]
    [InlineData("{ \"stages\": [ { } ] }", "malformed id")]
    public void FromJson_BadModel_ThrowsLifecycleModelException(string json, string expected)
    {
        var ex = Assert.Throws<LifecycleModelException>(() => LifecycleModel.FromJson(json));
        Assert.Contains(ex.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void FromJson_Null_Throws() => Assert.Throws<ArgumentNullException>(() => LifecycleModel.FromJson(null!));
}
