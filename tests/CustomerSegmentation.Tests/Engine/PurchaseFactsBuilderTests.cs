using System.Text;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Engine.EngineFixtures;

namespace CustomerSegmentation.Tests.Engine;

/// <summary>
/// The facts builder's single-slot tables: the customers come out in the order of the Pipeline's RFM aggregates (same
/// hashing, probing and growth), with the same count, last day and net spend, whatever the partitions and size hint;
/// the Pipeline's row batches and the engine's own batches give the same facts.
/// </summary>
public class PurchaseFactsBuilderTests
{
    private static readonly Gen<(string Id, LocalDate Date, decimal Amount)> Row =
        from id in Gen.OneOf(Gen.Choose(0, 300).Select(i => $"C{i}"), Gen.Choose(0, 20).Select(i => $"a-customer-id-longer-than-fifteen-bytes-{i}"))
        from day in Gen.Choose(-900, 20)
        from cents in Gen.OneOf(Gen.Choose(0, 90000), Gen.Choose(-3000, -1))
        select (id, AsOf.PlusDays(day), cents / 100m);

    [Property(MaxTest = 60)]
    public Property Build_OrderAndValuesEqualRfmAggregates_Holds() =>
        Prop.ForAll(
            Gen.ArrayOf(Row).ToArbitrary(),
            Gen.Elements(1, 2, 3, 8).ToArbitrary(),
            Gen.Elements(0L, 50L, 5000L).ToArbitrary(),
            (rows, partitions, hint) =>
            {
                var facts = new PurchaseFactsBuilder(AsOf, partitions, hint);
                var rfm = new RfmAggregatesBuilder(AsOf, 1, hint);
                var a = facts.CreatePurchaseBatch();
                var b = rfm.CreateBatch();
                foreach (var (id, date, amount) in rows)
                {
                    var bytes = Encoding.UTF8.GetBytes(id);
                    a.Add(bytes, Utf8PurchaseFields.ToEpochDay(date), (long)(amount * Utf8PurchaseFields.AmountScale));
                    b.Add(bytes, Utf8PurchaseFields.ToEpochDay(date), (long)(amount * Utf8PurchaseFields.AmountScale));
                }

                for (var p = 0; p < partitions; p++)
                {
                    facts.Add(a, p);
                }

                rfm.Add(b, 0);
                var built = facts.Build(2);
                var aggregates = rfm.Build();
                var ok = built.Count == aggregates.Count;
                var i = 0;
                for (var block = 0; ok && block < aggregates.BlockCount; block++)
                {
                    for (var j = 0; j < aggregates.BlockLength(block); j++, i++)
                    {
                        ok &= built.GetIdUtf8(i).SequenceEqual(aggregates.GetCustomerIdUtf8(block, j))
                            && built.PurchaseCount[i] == aggregates.GetFrequency(block, j)
                            && built.NetSpendUnits[i] == aggregates.GetMonetaryUnits(block, j)
                            && built.RecencyDays(i) == aggregates.GetRecencyDays(block, j);
                    }
                }

                return ok;
            });

    [Fact]
    public void Add_PurchaseBatchAndFactsBatch_GiveTheSameFacts()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 4000).Select(_ => ($"C{random.Next(900)}", AsOf.PlusDays(random.Next(-700, 10)), (random.Next(6) == 0 ? -random.Next(1, 500) : random.Next(0, 50000)) / 100m)).ToList();
        var viaFacts = Facts(rows, partitions: 4, rowsPerBatch: 97);
        var builder = new PurchaseFactsBuilder(AsOf, 4);
        var batch = builder.CreatePurchaseBatch();
        foreach (var (id, date, amount) in rows)
        {
            batch.Add(Encoding.UTF8.GetBytes(id), Utf8PurchaseFields.ToEpochDay(date), (long)(amount * Utf8PurchaseFields.AmountScale));
        }

        for (var p = 0; p < 4; p++)
        {
            builder.Add(batch, p);
        }

        var viaRows = builder.Build();
        Assert.Equal(viaFacts.Count, viaRows.Count);
        for (var i = 0; i < viaRows.Count; i++)
        {
            Assert.Equal(viaFacts.GetId(i), viaRows.GetId(i));
            Assert.Equal(viaFacts.PurchaseCount[i], viaRows.PurchaseCount[i]);
            Assert.Equal(viaFacts.FirstPurchaseDay[i], viaRows.FirstPurchaseDay[i]);
            Assert.Equal(viaFacts.LastPurchaseDay[i], viaRows.LastPurchaseDay[i]);
            Assert.Equal(viaFacts.NetSpendUnits[i], viaRows.NetSpendUnits[i]);
            Assert.Equal(viaFacts.GapDays[i], viaRows.GapDays[i]);
        }
    }

    [Fact]
    public void Add_BatchOfAnotherPartitionCountOrAsOfDate_Throws()
    {
        var builder = new PurchaseFactsBuilder(AsOf, 2);
        Assert.Throws<ArgumentException>(() => builder.Add(new PurchaseFactsBuilder(AsOf, 3).CreatePurchaseBatch(), 0));
        Assert.Throws<ArgumentException>(() => builder.Add(new PurchaseFactsBuilder(AsOf.PlusDays(1), 2).CreatePurchaseBatch(), 0));
        Assert.Throws<ArgumentException>(() => builder.Add(new RfmAggregatesBuilder(AsOf, 3).CreateBatch(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(builder.CreatePurchaseBatch(), 2));
    }

    [Fact]
    public void Build_Twice_ThrowsAndAddAfterBuildThrows()
    {
        var builder = new PurchaseFactsBuilder(AsOf, 1);
        var batch = builder.CreateBatch();
        batch.Add("C1"u8, Utf8PurchaseFields.ToEpochDay(AsOf), 10);
        builder.Add(batch, 0);
        Assert.Equal(1, builder.Build().Count);
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Throws<InvalidOperationException>(() => builder.Add(batch, 0));
    }

    [Fact]
    public void FactsBatch_RowAfterAsOf_IsCountedNotTakenAndEarlyDayThrows()
    {
        var builder = new PurchaseFactsBuilder(AsOf, 1);
        var batch = builder.CreateBatch();
        Assert.False(batch.Add("C1"u8, Utf8PurchaseFields.ToEpochDay(AsOf) + 1, 10));
        Assert.True(batch.Add("C1"u8, Utf8PurchaseFields.ToEpochDay(AsOf), 10));
        Assert.Equal(1, batch.Count);
        Assert.Equal(1, batch.RowsAfterAsOf);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Add("C1"u8, Utf8PurchaseFields.ToEpochDay(LocalDate.MinIsoValue) - 1, 10));
        batch.Clear();
        Assert.Equal(0, batch.Count + batch.RowsAfterAsOf);
    }
}
