using CustomerSegmentation.Tiers;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.Tiers;

public class ThresholdTierPolicyTests
{
    [Fact]
    public void Assign_InclusiveThresholds_EqualValueEntersTier()
    {
        var result = Spend().Assign(Population(0m, 999.99m, 1000m, 9999.99m, 10000m, 250000m), T0);
        Assert.Equal(["潜力客户", "潜力客户", "标准客户", "标准客户", "VIP", "VIP"], Names(result));
    }

    [Fact]
    public void Assign_ExclusiveThresholds_EqualValueStaysBelow()
    {
        var result = Spend(boundary: ThresholdBoundary.Exclusive).Assign(Population(1000m, 1000.01m, 10000m, 10000.01m), T0);
        Assert.Equal(["潜力客户", "标准客户", "标准客户", "VIP"], Names(result));
    }

    [Fact]
    public void Assign_MissingValue_LowestTierWithReason()
    {
        var a = Assert.Single(Spend().Assign(Population([null]), T0));
        Assert.Equal("潜力客户", a.Tier.Name);
        Assert.Null(a.Reason.Readings[0].Value);
        Assert.Contains("no host:v value", a.Reason.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_Reason_CarriesPolicyValueAndThresholds()
    {
        var a = Assert.Single(Spend().Assign(Population(12000m), T0));
        Assert.Equal("spend", a.Reason.Policy);
        Assert.Equal(TierPolicyKind.Threshold, a.Reason.Kind);
        Assert.Equal(12000m, a.Reason.Readings[0].Value);
        Assert.Equal([1000m, 10000m], a.Reason.Bounds.Select(b => b.Value!.Value));
        Assert.Equal(T0, a.AsOf);
        var text = a.Reason.ToString();
        Assert.Contains("host:v = 12000", text, StringComparison.Ordinal);
        Assert.Contains("标准客户 ≥ 1000", text, StringComparison.Ordinal);
        Assert.Contains("VIP ≥ 10000", text, StringComparison.Ordinal);
        Assert.EndsWith("→ VIP (highest tier whose threshold is met; equal values enter)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_SummaryMetrics_ReadActivity()
    {
        var ladder = TierLadder.Of("普通", "VIP", "超级VIP");
        var byCount = new ThresholdTierPolicy("repurchase", ladder, TierMetric.PurchaseCount, [new("VIP", 3), new("超级VIP", 10)]);
        var byReferral = new ThresholdTierPolicy("referrals", ladder, TierMetric.ReferralsMade, [new("VIP", 1), new("超级VIP", 5)]);
        TierSubject[] people = [TierSubject.From(Summary(1, 500m, 2, 5)), TierSubject.From(Summary(2, 900m, 12, 0)), new TierSubject(Id(3))];
        Assert.Equal(["普通", "超级VIP", "普通"], Names(byCount.Assign(people, T0)));
        Assert.Equal(["超级VIP", "普通", "普通"], Names(byReferral.Assign(people, T0)));
    }

    [Fact]
    public void Assign_LowerIsBetterMetric_DecreasingThresholds()
    {
        var recency = new ThresholdTierPolicy("recency", Cba, TierMetric.Host("days", higherIsBetter: false), [new("B", 90m), new("A", 30m)]);
        TierSubject[] people = [.. new[] { 5m, 30m, 31m, 90m, 91m }.Select((d, i) => TierSubject.WithValue(Id(i), "days", d))];
        Assert.Equal(["A", "A", "B", "B", "C"], Names(recency.Assign(people, T0)));
        Assert.Equal("A ≤ 30", recency.CutPoints.Bounds[1].ToString());
    }

    [Fact]
    public void TierOf_SingleValue_NeedsNoPopulation()
    {
        Assert.Equal("标准客户", Spend().TierOf(5000m).Name);
    }

    [Fact]
    public void Assign_DuplicateCustomer_Throws()
    {
        TierSubject[] people = [Subject(1, 1m), Subject(1, 2m)];
        Assert.Throws<ArgumentException>(() => Spend().Assign(people, T0));
    }

    [Fact]
    public void Ctor_UnorderedThresholds_ThrowsNamingTiers()
    {
        var e = Assert.Throws<InvalidTierPolicyException>(() => Spend(standard: 10000m, vip: 5000m));
        Assert.Equal("spend", e.PolicyName);
        Assert.Contains("not ordered", e.Problem, StringComparison.Ordinal);
        Assert.Contains("'VIP' (5000)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_EqualThresholds_Throws()
    {
        Assert.Throws<InvalidTierPolicyException>(() => Spend(standard: 1000m, vip: 1000m));
    }

    [Fact]
    public void Ctor_UnknownTier_Throws()
    {
        var e = Assert.Throws<InvalidTierPolicyException>(() => new ThresholdTierPolicy("x", Cba, V, [new("B", 1m), new("AA", 2m)]));
        Assert.Contains("unknown tier 'AA'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_MissingOrDuplicateOrLowestThreshold_Throws()
    {
        Assert.Contains("'A' has no threshold", Assert.Throws<InvalidTierPolicyException>(() => new ThresholdTierPolicy("x", Cba, V, [new("B", 1m)])).Message, StringComparison.Ordinal);
        Assert.Contains("two thresholds", Assert.Throws<InvalidTierPolicyException>(() => new ThresholdTierPolicy("x", Cba, V, [new("B", 1m), new("B", 2m), new("A", 3m)])).Message, StringComparison.Ordinal);
        Assert.Contains("lowest tier", Assert.Throws<InvalidTierPolicyException>(() => new ThresholdTierPolicy("x", Cba, V, [new("C", 0m), new("B", 1m), new("A", 3m)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssignLevels_Columnar_MatchesAssign()
    {
        decimal[] values = [0m, 1000m, 10000m, 5m, 99999m];
        var levels = new byte[values.Length];
        var cuts = Spend().AssignLevels(values, levels, []);
        Assert.Equal([0, 1, 2, 0, 2], levels.Select(l => (int)l));
        Assert.True(Spend().CutPoints.Bounds.SequenceEqual(cuts.Bounds));
    }
}

public class TierLadderTests
{
    [Fact]
    public void Of_ChineseNames_LowestFirst()
    {
        var ladder = Chinese;
        Assert.Equal(3, ladder.Count);
        Assert.Equal("潜力客户", ladder.Lowest.Name);
        Assert.Equal("VIP", ladder.Highest.Name);
        Assert.Equal(1, ladder["标准客户"].Level);
        Assert.True(ladder["VIP"] > ladder["标准客户"]);
        Assert.Equal("潜力客户 < 标准客户 < VIP", ladder.ToString());
        Assert.Equal(TierLadder.Of("潜力客户", "标准客户", "VIP"), ladder);
    }

    [Fact]
    public void Ctor_BadLadders_Throw()
    {
        Assert.Throws<InvalidTierPolicyException>(() => TierLadder.Of("only"));
        Assert.Contains("twice", Assert.Throws<InvalidTierPolicyException>(() => TierLadder.Of("A", "B", "A")).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidTierPolicyException>(() => TierLadder.Of("A", " "));
    }

    [Fact]
    public void Indexer_UnknownName_Throws()
    {
        Assert.Throws<ArgumentException>(() => Cba["D"]);
        Assert.False(Cba.TryGet("D", out _));
    }
}

public class TierMetricTests
{
    [Theory]
    [InlineData("netSpend", true)]
    [InlineData("purchaseCount", true)]
    [InlineData("referralsMade", true)]
    [InlineData("recencyDays", false)]
    [InlineData("window:last365", true)]
    [InlineData("windowCount:last90", true)]
    [InlineData("host:points", true)]
    public void TryParse_BuiltInNames_RoundTrip(string name, bool higherIsBetter)
    {
        Assert.True(TierMetric.TryParse(name, true, out var m));
        Assert.Equal(name, m.Name);
        Assert.Equal(higherIsBetter, m.HigherIsBetter);
        Assert.True(m.IsBuiltIn);
    }

    [Fact]
    public void TryParse_Unknown_False()
    {
        Assert.False(TierMetric.TryParse("bogus", true, out _));
        Assert.False(TierMetric.TryParse("host:", true, out _));
    }

    [Fact]
    public void Read_SummaryFields_AndWindows()
    {
        var s = Summary(1, 1200m, 4, 2) with
        {
            RefundTotal = 200m,
            LastPurchaseAt = T0 - NodaTime.Duration.FromDays(10),
            Windows = [new CustomerSegmentation.Activity.WindowTotals("last365", T0 - NodaTime.Duration.FromDays(365), T0, 3, 700m)],
        };
        var subject = TierSubject.From(s);
        Assert.Equal(1000m, TierMetric.NetSpend.Read(subject));
        Assert.Equal(1200m, TierMetric.GrossSpend.Read(subject));
        Assert.Equal(250m, TierMetric.AverageSpend.Read(subject));
        Assert.Equal(4m, TierMetric.PurchaseCount.Read(subject));
        Assert.Equal(2m, TierMetric.ReferralsMade.Read(subject));
        Assert.Equal(10m, TierMetric.RecencyDays.Read(subject));
        Assert.Equal(700m, TierMetric.WindowSpend("last365").Read(subject));
        Assert.Equal(3m, TierMetric.WindowPurchaseCount("last365").Read(subject));
        Assert.Null(TierMetric.WindowSpend("last30").Read(subject));
        Assert.Null(TierMetric.Host("points").Read(subject));
        Assert.Equal(7m, TierMetric.Custom("seven", _ => 7m).Read(subject));
    }

    [Fact]
    public void TierSubject_SummaryOfAnotherCustomer_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TierSubject(Id(2), Summary(1, 0m, 0)));
    }
}
