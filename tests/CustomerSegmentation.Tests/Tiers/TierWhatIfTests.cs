using CustomerSegmentation.Tiers;
using NodaTime;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.Tiers;

public class TierWhatIfTests
{
    private static readonly List<TierSubject> People = Population(500m, 1500m, 8000m, 12000m, 30000m);

    [Fact]
    public void Compare_RaisedVipThreshold_MatrixMovesAndValues()
    {
        var report = TierWhatIf.Compare(Spend(), Spend(vip: 20000m), People, T0, V);

        Assert.Equal(1, report.Count("VIP", "标准客户"));
        Assert.Equal(1, report.Count("VIP", "VIP"));
        Assert.Equal(2, report.Count("标准客户", "标准客户"));
        Assert.Equal(1, report.Count("潜力客户", "潜力客户"));
        Assert.Equal(0, report.Count(null, "VIP"));
        Assert.Equal(People.Count, report.Matrix.Sum(r => r.Sum()));

        var move = Assert.Single(report.Moves);
        Assert.Equal(Id(3), move.CustomerId);
        Assert.Equal("VIP", move.From!.Value.Name);
        Assert.Equal("标准客户", move.To.Name);
        Assert.Contains("VIP ≥ 20000", move.Reason.ToString(), StringComparison.Ordinal);

        Assert.Equal(42000m, report.Before["VIP"].ValueTotal);
        Assert.Equal(30000m, report.After["VIP"].ValueTotal);
        Assert.Equal(2, report.Before["VIP"].Count);
        Assert.Equal(1, report.After["VIP"].Count);
        Assert.Equal(report.Before.TotalValue, report.After.TotalValue);
    }

    [Fact]
    public void Compare_DifferentLadder_CountsAcrossLadders()
    {
        var report = TierWhatIf.Compare(Spend(), Abc(0.2m, 0.4m), People, T0, V);
        Assert.Equal(Cba, report.After.Ladder);
        Assert.Equal(1, report.Count("VIP", "A"));
        Assert.Equal(1, report.Count("VIP", "B"));
        Assert.Equal(1, report.Count("标准客户", "B"));
        Assert.Equal(People.Count, report.Moves.Length); // every tier name changes
        Assert.Equal("abc", report.Candidate);
    }

    [Fact]
    public void Compare_Ledger_UsesStabilisedTiersAndCountsNewcomers()
    {
        var stabilizer = new TierStabilizer(Chinese, new TierStabilityOptions { GracePeriod = Duration.FromDays(90) });
        var ledger = TierLedger.Empty(stabilizer).Evaluate(Spend(), Population(20000m, 5m), Day(0)).Ledger;
        ledger = ledger.Evaluate(Spend(), Population(5m, 5m), Day(1)).Ledger; // customer 0 keeps VIP during the grace period
        var report = TierWhatIf.Compare(ledger, Spend(), Population(5m, 5m, 2000m), Day(2), V);
        Assert.Equal(1, report.Count("VIP", "潜力客户"));
        Assert.Equal(1, report.Count(null, "标准客户"));
        Assert.Equal(1, report.Before.UntieredCount);
        Assert.Equal(2000m, report.Before.UntieredValueTotal);
        Assert.Equal(2, report.Moves.Length);
        Assert.Equal("VIP", ledger.CurrentTier(Id(0))!.Value.Name); // nothing changed
    }

    [Fact]
    public void Distribution_Of_CountsAndTotalsPerTier()
    {
        var d = TierDistribution.Of(Chinese, Spend().Assign(People, T0), People, V);
        Assert.Equal([1, 2, 2], d.Rows.Select(r => r.Count));
        Assert.Equal([500m, 9500m, 42000m], d.Rows.Select(r => r.ValueTotal));
        Assert.Equal(5, d.TotalCount);
        Assert.Equal(52000m, d.TotalValue);
        Assert.Equal("host:v", d.ValueMetric);
    }
}
