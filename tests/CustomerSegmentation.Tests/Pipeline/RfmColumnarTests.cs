using System.Text;
using CustomerSegmentation.Pipeline;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Tests.Pipeline;

public class RfmColumnarTests
{
    private static readonly LocalDate AsOf = new(2025, 12, 31);

    private static readonly Gen<RfmReference.Row> Rows =
        from id in Gen.OneOf(
            Gen.Choose(0, 60).Select(i => $"C{i}"),
            Gen.Choose(0, 20).Select(i => $"客户-{i}"),
            Gen.Choose(0, 10).Select(i => $"a-rather-long-customer-identifier-{i}"))
        from day in Gen.Choose(-400, 40)
        from cents in Gen.Frequency((4, Gen.Choose(0, 50_000)), (1, Gen.Choose(-5_000, -1)), (1, Gen.Constant(0)))
        select new RfmReference.Row(id, AsOf.PlusDays(day), cents / 100m);

    private static readonly Arbitrary<RfmReference.Row[]> Populations = Gen.ArrayOf(Rows).ToArbitrary();

    [Property(MaxTest = 120)]
    public Property Score_EqualsStraightforwardReference_Holds() =>
        Prop.ForAll(Populations, Gen.Choose(2, 10).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(), (rows, bins, partitions) =>
        {
            var expected = RfmReference.Compute(rows, AsOf, bins);
            var actual = Columnar(rows, bins, partitions, threads: 1);
            return actual.Count == expected.Count && actual.All(a => expected.TryGetValue(a.CustomerId, out var e) && e == a);
        });

    [Property(MaxTest = 40)]
    public Property Score_AnySizeHint_EqualsReference_Holds() =>
        Prop.ForAll(Populations, Gen.Elements(1L, 300L, 20_000L, 400_000L).ToArbitrary(), (rows, hint) =>
        {
            // The size hint (right, too small or far too large) only changes the table sizes, never a result.
            var expected = RfmReference.Compute(rows, AsOf, 5);
            var actual = Columnar(rows, 5, partitions: 2, threads: 1, expectedCustomers: hint);
            return actual.Count == expected.Count && actual.All(a => expected.TryGetValue(a.CustomerId, out var e) && e == a);
        });

    [Property(MaxTest = 60)]
    public Property Result_IndependentOfPartitionsAndThreads_Holds() =>
        Prop.ForAll(Populations, rows =>
        {
            var one = Columnar(rows, 5, partitions: 1, threads: 1);
            return new[] { (2, 2), (3, 1), (7, 3), (64, 4) }.All(pt => Columnar(rows, 5, pt.Item1, pt.Item2).SequenceEqual(one));
        });

    [Property(MaxTest = 25)]
    public Property Score_WideRanges_EqualsCutPointsOfTheValues_Holds() =>
        Prop.ForAll(Gen.Choose(1, 4).ToArbitrary(), Gen.Choose(2, 10).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (threads, bins, seed) =>
        {
            // Days over 270 years and amounts up to 10^13 units: every value's range needs the refining pass.
            var random = new Random(seed);
            var builder = new RfmAggregatesBuilder(AsOf, 3);
            var batch = builder.CreateBatch();
            var today = Utf8PurchaseFields.ToEpochDay(AsOf);
            for (var i = 0; i < 6_000; i++)
            {
                var id = Encoding.UTF8.GetBytes($"C{random.Next(3_000)}");
                var units = random.Next(8) == 0 ? -random.NextInt64(1, 1_000_000) : random.NextInt64(0, 10_000_000_000_000);
                batch.Add(id, today - random.Next(100_000), units);
                if (random.Next(7) == 0)
                {
                    builder.Add(batch, random.Next(builder.Partitions));
                }
            }

            Flush(builder, batch);
            var aggregates = builder.Build(threads);
            var scores = RfmColumnarScorer.Score(aggregates, bins, threads: threads);
            List<long> recency = [], frequency = [], money = [];
            for (var b = 0; b < aggregates.BlockCount; b++)
            {
                for (var j = 0; j < aggregates.BlockLength(b); j++)
                {
                    if (aggregates.GetFrequency(b, j) > 0)
                    {
                        recency.Add(aggregates.GetRecencyDays(b, j));
                        frequency.Add(aggregates.GetFrequency(b, j));
                        money.Add(aggregates.GetMonetaryUnits(b, j));
                    }
                }
            }

            return scores.ScoredCount == recency.Count
                && scores.RecencyCutPoints.SequenceEqual(QuantileCutPoints.Compute(recency.ToArray(), bins, higherIsBetter: false))
                && scores.FrequencyCutPoints.SequenceEqual(QuantileCutPoints.Compute(frequency.ToArray(), bins, higherIsBetter: true))
                && scores.MonetaryCutPoints.SequenceEqual(QuantileCutPoints.Compute(money.ToArray(), bins, higherIsBetter: true));
        });

    [Fact]
    public void Build_RefundOnlyAndLaterRows_FollowTheRules()
    {
        var rows = new[]
        {
            new RfmReference.Row("A", AsOf, 10m),
            new RfmReference.Row("A", AsOf.PlusDays(-3), -4m),
            new RfmReference.Row("B", AsOf.PlusDays(-10), -5m),
            new RfmReference.Row("C", AsOf.PlusDays(1), 99m),
        };

        var result = Columnar(rows, 5, 2, 1).ToDictionary(r => r.CustomerId);

        Assert.Equal(2, result.Count);
        Assert.Equal(new RfmReference.Result("A", 0, 1, 6m, 1, 1, 1, "Lost"), result["A"]);
        Assert.Equal(new RfmReference.Result("B", null, 0, -5m, 0, 0, 0, "None"), result["B"]);
    }

    [Fact]
    public void Build_NoRows_GivesEmptyPopulation()
    {
        var aggregates = new RfmAggregatesBuilder(AsOf, 2).Build();
        var scores = RfmColumnarScorer.Score(aggregates);

        Assert.Equal(0, aggregates.Count);
        Assert.Equal(0, scores.ScoredCount);
        Assert.Contains("0 customers", scores.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_Misuse_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RfmAggregatesBuilder(AsOf, 0));
        var builder = new RfmAggregatesBuilder(AsOf, 2);
        var batch = builder.CreateBatch();
        Assert.Throws<ArgumentException>(() => batch.Add([], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(batch, 2));
        builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Add(batch, 0));
        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Score_CutPointsInForce_AreReported()
    {
        var rows = Enumerable.Range(1, 10).Select(i => new RfmReference.Row($"C{i}", AsOf.PlusDays(-i), i)).ToArray();
        var builder = new RfmAggregatesBuilder(AsOf, 1);
        var batch = builder.CreateBatch();
        foreach (var r in rows)
        {
            batch.Add(Encoding.UTF8.GetBytes(r.CustomerId), Utf8PurchaseFields.ToEpochDay(r.Date), (long)(r.Amount * Utf8PurchaseFields.AmountScale));
        }

        builder.Add(batch, 0);
        var scores = RfmColumnarScorer.Score(builder.Build(), 5);

        // 10 customers, k = 5: cut positions ceil(s*10/5) - 1 = 1, 3, 5, 7 of the worst-to-best order.
        Assert.Equal([9L, 7, 5, 3], scores.RecencyCutPoints.ToArray());
        Assert.Equal([1L, 1, 1, 1], scores.FrequencyCutPoints.ToArray());
        Assert.Equal([20_000L, 40_000, 60_000, 80_000], scores.MonetaryCutPoints.ToArray());
        Assert.Contains("recency cut points (days) [9, 7, 5, 3]", scores.Explain(), StringComparison.Ordinal);
    }

    internal static List<RfmReference.Result> Columnar(IEnumerable<RfmReference.Row> rows, int bins, int partitions, int threads, long expectedCustomers = 0)
    {
        var builder = new RfmAggregatesBuilder(AsOf, partitions, expectedCustomers);
        var batch = builder.CreateBatch();
        foreach (var r in rows)
        {
            batch.Add(Encoding.UTF8.GetBytes(r.CustomerId), Utf8PurchaseFields.ToEpochDay(r.Date), (long)(r.Amount * Utf8PurchaseFields.AmountScale));
            if (batch.Count % 7 == 0)
            {
                Flush(builder, batch);
            }
        }

        Flush(builder, batch);
        var aggregates = builder.Build();
        var scores = RfmColumnarScorer.Score(aggregates, bins, threads: threads);
        var results = new List<RfmReference.Result>();
        for (var b = 0; b < aggregates.BlockCount; b++)
        {
            for (var j = 0; j < aggregates.BlockLength(b); j++)
            {
                var i = aggregates.BlockStart(b) + j;
                var recency = aggregates.GetRecencyDays(b, j);
                results.Add(new RfmReference.Result(
                    Encoding.UTF8.GetString(aggregates.GetCustomerIdUtf8(b, j)),
                    recency < 0 ? null : recency,
                    aggregates.GetFrequency(b, j),
                    aggregates.GetMonetaryUnits(b, j) / (decimal)Utf8PurchaseFields.AmountScale,
                    scores.R[i],
                    scores.F[i],
                    scores.M[i],
                    scores.SegmentName(scores.SegmentCodes[i])));
            }
        }

        return results;
    }

    private static void Flush(RfmAggregatesBuilder builder, PurchaseBatchBuilder batch)
    {
        for (var p = 0; p < builder.Partitions; p++)
        {
            builder.Add(batch, p);
        }

        batch.Clear();
    }
}
