using System.Text;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Pipeline;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The store pushdown folds one total per customer (<see cref="StoreTotalsIngest.AsRows"/>) instead of the rows: for any
/// rows, the facts (and with them the RFM aggregates) must equal those of the rows themselves, in the same order.
/// </summary>
public sealed class StoreTotalsIngestTests
{
    private static readonly LocalDate AsOf = new(2025, 6, 30);
    private static readonly int AsOfDay = Utf8PurchaseFields.ToEpochDay(AsOf);

    /// <summary>Rows (customer index, day offset from the as-of date, amount units): refunds, zeros, rows after the as-of date.</summary>
    public static Arbitrary<(int Customer, int Day, long Units)[]> Rows() =>
        Gen.Zip(
                Gen.Zip(Gen.Choose(0, 60), Gen.Choose(-400, 30)),
                Gen.Frequency((1, Gen.Constant(0L)), (2, Gen.Choose(-90_000, -1).Select(u => (long)u)), (6, Gen.Choose(1, 2_000_000).Select(u => (long)u))),
                (a, u) => (a.Item1, a.Item2, u))
            .ArrayOf()
            .ToArbitrary();

    [Property(Arbitrary = [typeof(StoreTotalsIngestTests)], MaxTest = 200)]
    public void AsRows_FoldedTotals_EqualFoldedRows_Holds((int Customer, int Day, long Units)[] rows)
    {
        var direct = new PurchaseFactsBuilder(AsOf, 2);
        var batch = direct.CreateBatch();
        foreach (var (c, d, u) in rows)
        {
            batch.Add(Id(c), AsOfDay + d, u);
        }

        direct.Add(batch, 0);
        direct.Add(batch, 1);

        var viaTotals = new PurchaseFactsBuilder(AsOf, 2);
        var totalsBatch = viaTotals.CreateBatch();
        foreach (var t in Totals(rows))
        {
            StoreTotalsIngest.AsRows(t, AsOfDay, (day, units) => totalsBatch.Add(Encoding.UTF8.GetBytes(t.CustomerId.Value), day, units));
        }

        viaTotals.Add(totalsBatch, 0);
        viaTotals.Add(totalsBatch, 1);

        var expected = direct.Build();
        var actual = viaTotals.Build();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.GetId(i), actual.GetId(i));
        }

        Assert.Equal(expected.PurchaseCount.ToArray(), actual.PurchaseCount.ToArray());
        Assert.Equal(expected.FirstPurchaseDay.ToArray(), actual.FirstPurchaseDay.ToArray());
        Assert.Equal(expected.LastPurchaseDay.ToArray(), actual.LastPurchaseDay.ToArray());
        Assert.Equal(expected.NetSpendUnits.ToArray(), actual.NetSpendUnits.ToArray());
        Assert.Equal(expected.GapDays.ToArray(), actual.GapDays.ToArray());
        Assert.Equal(expected.GapIsMedian, actual.GapIsMedian);
    }

    [Fact]
    public void AsRows_RowsAllAfterAsOf_GivesNoRow()
    {
        var rows = new List<(int, long)>();
        StoreTotalsIngest.AsRows(new CustomerPurchaseTotals(new CustomerId("late"), 0, null, null, 0, 0, 3), AsOfDay, (d, u) => rows.Add((d, u)));
        Assert.Empty(rows);
    }

    private static byte[] Id(int customer) => Encoding.UTF8.GetBytes(customer % 3 == 0 ? $"a-customer-id-longer-than-16-bytes-{customer}" : $"C{customer}");

    /// <summary>What a store computes: totals per customer in the order of each one's first row up to the as-of date.</summary>
    private static List<CustomerPurchaseTotals> Totals((int Customer, int Day, long Units)[] rows)
    {
        var order = new List<int>();
        var byCustomer = new Dictionary<int, (int N, int? First, int? Last, long Units, long Rows, long After)>();
        foreach (var (c, d, u) in rows)
        {
            var t = byCustomer.GetValueOrDefault(c);
            if (d > 0)
            {
                byCustomer[c] = t with { After = t.After + 1 };
                continue;
            }

            if (t.Rows == 0)
            {
                order.Add(c);
            }

            var day = AsOfDay + d;
            byCustomer[c] = u >= 0
                ? t with { N = t.N + 1, First = Math.Min(t.First ?? day, day), Last = Math.Max(t.Last ?? day, day), Units = t.Units + u, Rows = t.Rows + 1 }
                : t with { Units = t.Units + u, Rows = t.Rows + 1 };
        }

        return [.. order.Concat(byCustomer.Keys.Except(order)).Select(c =>
        {
            var t = byCustomer[c];
            return new CustomerPurchaseTotals(new CustomerId(Encoding.UTF8.GetString(Id(c))), t.N, t.First, t.Last, t.Units, t.Rows, t.After);
        })];
    }
}
