using CustomerSegmentation.Customers;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.ValueModels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Partitioning;

public sealed class PartialResultTests
{
    private static readonly Gen<(long Day, long Count, long Money, int Shard)[]> Customers =
        (from day in Gen.Choose(0, 60)
         from count in Gen.Choose(1, 6)
         from money in Gen.Choose(-500, 5_000)
         from shard in Gen.Choose(0, 3)
         select ((long)day, (long)count, (long)money * 25, shard)).ArrayOf().Where(a => a.Length > 0);

    /// <summary>Partials of any partition of the customers merge into the cut points of the whole population, for every k.</summary>
    [Property(MaxTest = 200)]
    public Property CutPoints_MergedShards_EqualQuantileCutPointsOnWholePopulation_Holds() =>
        Prop.ForAll(
            (from c in Customers from bins in Gen.Choose(2, 10) select (c, bins)).ToArbitrary(),
            w =>
            {
                var parts = Enumerable.Range(0, 4).Select(s =>
                {
                    var b = new RfmPartialBuilder();
                    foreach (var x in w.c.Where(x => x.Shard == s))
                    {
                        b.Add(x.Day, x.Count, x.Money);
                    }

                    return b.Build();
                }).Reverse();
                var cuts = RfmPartial.Merge(parts).CutPoints(w.bins, 100);
                var days = w.c.Select(x => x.Day).ToArray();
                Assert.Equal(QuantileCutPoints.Compute(days, w.bins, higherIsBetter: true), cuts.LastDayCutPoints.AsEnumerable());
                Assert.Equal(QuantileCutPoints.Compute(w.c.Select(x => x.Count).ToArray(), w.bins, higherIsBetter: true), cuts.FrequencyCutPoints.AsEnumerable());
                Assert.Equal(QuantileCutPoints.Compute(w.c.Select(x => x.Money).ToArray(), w.bins, higherIsBetter: true), cuts.MonetaryCutPoints.AsEnumerable());
                Assert.Equal(w.c.Length, cuts.LastDayCutPoints.Length == 0 ? 0 : RfmPartial.Merge(parts).Customers);
                return true;
            });

    [Fact]
    public void Score_OneCustomer_IsOnePlusCutPointsBeaten()
    {
        var b = new RfmPartialBuilder();
        foreach (var (day, n, money) in new[] { (10L, 1L, 100L), (20, 2, 200), (30, 3, 300), (40, 4, 400) })
        {
            b.Add(day, n, money);
        }

        var cuts = b.Build().CutPoints(4, 50);

        Assert.Equal([10L, 20, 30], cuts.LastDayCutPoints.AsEnumerable());
        Assert.Equal([40L, 30, 20], cuts.RecencyCutPoints.AsEnumerable());
        Assert.Equal((4, 1, 3), cuts.Score(40, 1, 250));
    }

    [Fact]
    public void FromHistograms_InconsistentCounts_ThrowsNamingTheCounts()
    {
        var ex = Assert.Throws<ArgumentException>(() => RfmPartial.FromHistograms([new(1, 2)], [new(1, 2)], [new(5, 1)]));
        Assert.Contains("different customers", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => RfmPartial.Empty.CutPoints(5, 0));
    }

    /// <summary>BG/NBD statistics of shards merge into the statistics, log-likelihood and fit of the whole population.</summary>
    [Fact]
    public void BgNbdStatistics_MergedShards_EqualWholePopulation()
    {
        // Times on a one-day grid (1/7 week), as the stores count them.
        var data = BtydSimulator.Simulate(new BgNbdParameters(0.25, 4.0, 0.8, 2.5), new GammaGammaParameters(6, 4, 15), [.. Enumerable.Range(0, 3000).Select(i => 20.0 + (i % 19))], seed: 7, grid: 1.0 / 7);
        var byShard = Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, data.Count).Where(i => ShardRouter.ShardOf(new CustomerId("c" + i), 3) == s).ToArray()).ToArray();
        var parts = byShard.Select(rows => BgNbdSufficientStatistics.FromData(BtydData.FromColumns(
            data.TimeUnit, [.. rows.Select(i => data.Frequency[i])], [.. rows.Select(i => data.Recency[i])], [.. rows.Select(i => data.Age[i])])));

        var merged = BgNbdSufficientStatistics.Merge(parts);
        var whole = BgNbdSufficientStatistics.FromData(data);

        Assert.Equal(whole.Counts, merged.Counts);
        Assert.All(byShard, rows => Assert.NotEmpty(rows));
        var model = BgNbdModel.Fit(data);
        var p = model.Parameters;
        Assert.Equal(model.LogLikelihood(data), merged.LogLikelihood(p.R, p.Alpha, p.A, p.B), 6);
        Assert.Equal(whole.Fit().Parameters, merged.Fit().Parameters);
        Assert.Equal(p.R, merged.Fit().Parameters.R, 4);
    }

    [Fact]
    public void ShardRouter_SameIdAlwaysSameShard_AndSpreads()
    {
        var shards = Enumerable.Range(0, 10_000).Select(i => ShardRouter.ShardOf(new CustomerId("C" + i), 4)).ToArray();
        Assert.Equal(shards, Enumerable.Range(0, 10_000).Select(i => ShardRouter.ShardOf(new CustomerId("C" + i), 4)));
        Assert.All(Enumerable.Range(0, 4), s => Assert.InRange(shards.Count(x => x == s), 2_200, 2_800));
    }
}
