using CustomerSegmentation.Tiers;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.Tiers;

public class QuantileTierPolicyTests
{
    [Fact]
    public void Assign_TenDistinct_Top20Next30Rest()
    {
        var result = Abc().Assign(Population(1m, 2m, 3m, 4m, 5m, 6m, 7m, 8m, 9m, 10m), T0);
        Assert.Equal(["C", "C", "C", "C", "C", "B", "B", "B", "A", "A"], Names(result));
        // A takes the 2 best (floor(0.2 * 10)), A and B together the 5 best: a customer must beat the 6th and 3rd best values.
        Assert.Equal([5m, 8m], result[0].Reason.Bounds.Select(b => b.Value!.Value));
        Assert.All(result[0].Reason.Bounds, b => Assert.False(b.Inclusive));
        Assert.Contains("shares of 10 ranked customers", result[0].Reason.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_TiesAcrossBoundary_TakeLowerTier()
    {
        // Three tie for the two A places: none of them is A (A may hold at most 20 %); they fit in A + B (50 %).
        var result = Abc().Assign(Population(10m, 10m, 10m, 1m, 1m, 1m, 1m, 1m, 1m, 1m), T0);
        Assert.Equal(["B", "B", "B", "C", "C", "C", "C", "C", "C", "C"], Names(result));
        Assert.Equal(["C", "C", "C", "C"], Names(Abc().Assign(Population(0m, 0m, 0m, 0m), T0)));
    }

    [Fact]
    public void Assign_MissingValues_NotRankedAndLowest()
    {
        var result = Abc().Assign(Population(5m, null, 4m, 3m, 2m, 1m), T0);
        Assert.Equal(["A", "C", "B", "C", "C", "C"], Names(result));
        Assert.Contains("5 ranked", result[0].Reason.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_SmallPopulation_SharesRoundDown()
    {
        // 20 % of one or two customers is no customer; 50 % of two is one.
        Assert.Equal(["C"], Names(Abc().Assign(Population(3m), T0)));
        Assert.Equal(["C", "B"], Names(Abc().Assign(Population(1m, 2m), T0)));
        Assert.Null(Abc().Assign(Population(1m, 2m), T0)[0].Reason.Bounds[1].Value);
        Assert.Empty(Abc().Assign([], T0));
    }

    [Fact]
    public void Ctor_AllTiersListed_MustAddUpToOne()
    {
        var ok = new QuantileTierPolicy("q", Cba, V, [new("A", 0.2m), new("B", 0.3m), new("C", 0.5m)]);
        Assert.Equal([0.5m, 0.3m, 0.2m], ok.Shares.Select(s => s.Share));
        var e = Assert.Throws<InvalidTierPolicyException>(() => new QuantileTierPolicy("q", Cba, V, [new("A", 0.2m), new("B", 0.3m), new("C", 0.4m)]));
        Assert.Contains("add up to 0.9, not 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_BadShares_Throw()
    {
        Assert.Contains("leaving nothing", Assert.Throws<InvalidTierPolicyException>(() => Abc(0.6m, 0.4m)).Message, StringComparison.Ordinal);
        Assert.Contains("must be in (0, 1]", Assert.Throws<InvalidTierPolicyException>(() => Abc(0m, 0.4m)).Message, StringComparison.Ordinal);
        Assert.Contains("'B' has no share", Assert.Throws<InvalidTierPolicyException>(() => new QuantileTierPolicy("q", Cba, V, [new("A", 0.2m)])).Message, StringComparison.Ordinal);
        Assert.Contains("unknown tier 'D'", Assert.Throws<InvalidTierPolicyException>(() => new QuantileTierPolicy("q", Cba, V, [new("A", 0.2m), new("D", 0.2m)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssignLevels_ParallelAndSequential_Agree()
    {
        var rnd = new Random(7);
        var values = Enumerable.Range(0, 200_000).Select(_ => (decimal)rnd.Next(0, 5000) / 4m).ToArray();
        var seq = new byte[values.Length];
        var par = new byte[values.Length];
        var c1 = Abc().AssignLevels(values, seq, new decimal[values.Length]);
        var c2 = Abc().AssignLevels(values, par, new decimal[values.Length], 2);
        Assert.Equal(seq, par);
        Assert.True(c1.Bounds.SequenceEqual(c2.Bounds));
        var sorted = values.OrderByDescending(v => v).ToArray();
        Assert.Equal(sorted[values.Length / 5], c1.Bounds[1].Value);
        Assert.Equal(sorted[values.Length / 2], c1.Bounds[0].Value);
    }

    [Fact]
    public void AssignLevels_ShortScratch_Throws()
    {
        Assert.Throws<ArgumentException>(() => Abc().AssignLevels([1m, 2m], new byte[2], new decimal[1]));
        Assert.Throws<ArgumentException>(() => Abc().AssignLevels(new decimal[] { 1m, 2m }, new byte[1], new decimal[2], 2));
    }
}

public class ParetoTierPolicyTests
{
    private static ParetoTierPolicy Abc80() => new("abc-revenue", Cba, V, [new("A", 0.8m), new("B", 0.15m)]);

    [Fact]
    public void Assign_Revenue_FirstEightyPercentIsA()
    {
        var result = Abc80().Assign(Population(500m, 300m, 100m, 50m, 30m, 20m), T0);
        // 500 and 300 hold 80 %; 100 and 50 the next 15 % (up to 95 %); 30 starts exactly at 95 % and is C.
        Assert.Equal(["A", "A", "B", "B", "C", "C"], Names(result));
        Assert.Contains("total 1000 over 6 customers", result[0].Reason.Rule, StringComparison.Ordinal);
        Assert.Equal([50m, 300m], result[0].Reason.Bounds.Select(b => b.Value!.Value));
    }

    [Fact]
    public void Assign_CustomerCrossingTheLine_StaysA()
    {
        Assert.Equal(["A", "A", "B"], Names(Abc80().Assign(Population(600m, 300m, 100m), T0)));
    }

    [Fact]
    public void Assign_ZeroAndNegative_AlwaysLowest()
    {
        Assert.Equal(["A", "C", "C"], Names(Abc80().Assign(Population(10m, 0m, -5m), T0)));
        var none = Abc80().Assign(Population(0m, -1m), T0);
        Assert.Equal(["C", "C"], Names(none));
        Assert.All(none[0].Reason.Bounds, b => Assert.Null(b.Value));
    }

    [Fact]
    public void Assign_EqualValues_ShareATier()
    {
        Assert.Equal(["A", "A", "A", "A"], Names(Abc80().Assign(Population(25m, 25m, 25m, 25m), T0)));
    }

    [Fact]
    public void Ctor_LowerIsBetterMetric_Throws()
    {
        var e = Assert.Throws<InvalidTierPolicyException>(() => new ParetoTierPolicy("p", Cba, TierMetric.RecencyDays, [new("A", 0.8m), new("B", 0.15m)]));
        Assert.Contains("higher-is-better", e.Message, StringComparison.Ordinal);
    }
}

public class MatrixTierPolicyTests
{
    private static readonly TierLadder Lmh = TierLadder.Of("low", "mid", "high");

    private static MatrixTierPolicy PowerByFrequency() => new(
        "power×frequency",
        Chinese,
        new ThresholdTierPolicy("power", Lmh, TierMetric.NetSpend, [new("mid", 1000m), new("high", 10000m)]),
        new ThresholdTierPolicy("frequency", Lmh, TierMetric.PurchaseCount, [new("mid", 3m), new("high", 10m)]),
        [
            ["潜力客户", "潜力客户", "标准客户"],
            ["潜力客户", "标准客户", "VIP"],
            ["标准客户", "VIP", "VIP"],
        ]);

    [Fact]
    public void Assign_TwoCriteria_MapsCell()
    {
        TierSubject[] people =
        [
            TierSubject.From(Summary(1, 20000m, 1)),  // high power, low frequency
            TierSubject.From(Summary(2, 500m, 12)),   // low power, high frequency
            TierSubject.From(Summary(3, 2000m, 5)),   // mid, mid
            TierSubject.From(Summary(4, 50000m, 30)), // high, high
        ];
        var result = PowerByFrequency().Assign(people, T0);
        Assert.Equal(["标准客户", "标准客户", "标准客户", "VIP"], Names(result));
        var r = result[0].Reason;
        Assert.Equal(TierPolicyKind.Matrix, r.Kind);
        Assert.Equal(["netSpend", "purchaseCount"], r.Readings.Select(x => x.Metric));
        Assert.Equal("cell (power = high, frequency = low)", r.Rule);
        Assert.Equal(2, r.Components.Length);
    }

    [Fact]
    public void Cell_EveryCombination_Defined()
    {
        var m = PowerByFrequency();
        Assert.Equal("VIP", m.Cell(Lmh["high"], Lmh["mid"]).Name);
        Assert.Throws<ArgumentException>(() => m.Cell(new Tier("x", 0), Lmh["mid"]));
    }

    [Fact]
    public void Ctor_MissingCellOrRow_Throws()
    {
        var axis = new ThresholdTierPolicy("a", Lmh, V, [new("mid", 1m), new("high", 2m)]);
        var e1 = Assert.Throws<InvalidTierPolicyException>(() => new MatrixTierPolicy("m", Cba, axis, axis, [["C", "C", "C"], ["C", "B", "A"]]));
        Assert.Contains("2 rows", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<InvalidTierPolicyException>(() => new MatrixTierPolicy("m", Cba, axis, axis, [["C", "C", "C"], ["C", "B"], ["B", "A", "A"]]));
        Assert.Contains("row 1 ('mid') has 2 cells", e2.Message, StringComparison.Ordinal);
        var e3 = Assert.Throws<InvalidTierPolicyException>(() => new MatrixTierPolicy("m", Cba, axis, axis, [["C", "C", "C"], ["C", "B", "A"], ["B", "A", "S"]]));
        Assert.Contains("unknown tier 'S'", e3.Message, StringComparison.Ordinal);
    }
}
