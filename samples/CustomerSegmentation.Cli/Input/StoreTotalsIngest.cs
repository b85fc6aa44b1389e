using System.Diagnostics;
using System.Text;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Cli.Input;

/// <summary>
/// <c>rfm --store</c> and <c>run --store</c> with the aggregation pushed into the database: the store sends one
/// <see cref="CustomerPurchaseTotals"/> per customer (<see cref="PurchaseInput.ReadTotals"/>) instead of every purchase
/// row, and each total is folded into the same hash-partitioned tables as the CSV readers use.
/// </summary>
/// <remarks>
/// <para>A total enters the tables as the shortest run of rows that folds to it: its first purchase (carrying the net
/// spend when that is not negative), then <c>frequency − 1</c> zero purchases on the last purchase day, then the net spend
/// as one refund when it is negative (a customer with refunds only: that refund alone). Refunds count in neither the
/// frequency nor the days, so the folded count, first and last day and net spend are exactly the customer's.</para>
/// <para>The store sends the customers in the order a replay of its rows in append order would first meet them, so every
/// sub-table receives its new customers in the same order as from the CSV that was imported: the output has the same rows,
/// and the same order whenever the CSV reader's tables start at the same size (CSVs up to about 15 MB; for larger files it
/// sizes its tables from the file length, which can order customers within a sub-table differently).</para>
/// </remarks>
internal static class StoreTotalsIngest
{
    /// <summary>The <c>parser</c> value of <c>--timings</c> for this path.</summary>
    public const string Parser = "store-pushdown";

    // Rows per batch before the partitions fold it.
    private const int BatchRows = 1 << 16;

    /// <summary>Folds a store's totals into RFM aggregates, as <c>rfm</c> reads a CSV.</summary>
    /// <exception cref="IOException">The store cannot be read (the message names the store kind, never the connection string).</exception>
    public static (RfmAggregatesBuilder Builder, ReadReport Report) IntoRfm(PurchaseInput store, LocalDate asOf, int threads)
    {
        var wall = Stopwatch.StartNew();
        var fold = new Stopwatch();
        var builder = new RfmAggregatesBuilder(asOf, RfmCommand.PartitionsFor(threads));
        var batch = builder.CreateBatch();
        var (rows, after) = Read(store, asOf, batch.Add, () => batch.Count >= BatchRows, Flush);
        Flush();
        // As the CSV readers of rfm count them: the rows taken (those after the as-of date are counted apart).
        return (builder, new ReadReport(rows - after, after, 0, [], Parser)
        {
            ParseSeconds = wall.Elapsed.TotalSeconds - fold.Elapsed.TotalSeconds,
            AggregateSeconds = fold.Elapsed.TotalSeconds,
            WallSeconds = wall.Elapsed.TotalSeconds,
        });

        void Flush()
        {
            fold.Start();
            Parallel.For(0, builder.Partitions, new ParallelOptions { MaxDegreeOfParallelism = threads }, p => builder.Add(batch, p));
            batch.Clear();
            fold.Stop();
        }
    }

    /// <summary>Folds a store's totals into the columnar facts of <c>run</c>, as <c>run</c> reads a CSV.</summary>
    /// <exception cref="IOException">The store cannot be read (the message names the store kind, never the connection string).</exception>
    public static IngestResult IntoFacts(PurchaseInput store, LocalDate asOf, int threads)
    {
        var wall = Stopwatch.StartNew();
        var fold = new Stopwatch();
        var builder = new PurchaseFactsBuilder(asOf, threads);
        var batch = builder.CreateBatch();
        var (rows, after) = Read(store, asOf, batch.Add, () => batch.Count >= BatchRows, Flush);
        Flush();
        fold.Start();
        var facts = builder.Build(threads);
        fold.Stop();
        // As run's CSV reader counts them: all rows, those after the as-of date included.
        return new IngestResult(facts, rows, after, 0, [], Parser, wall.Elapsed.TotalSeconds - fold.Elapsed.TotalSeconds, fold.Elapsed.TotalSeconds);

        void Flush()
        {
            fold.Start();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, p => builder.Add(batch, p));
            batch.Clear();
            fold.Stop();
        }
    }

    /// <summary>The rows that fold to a total (see the remarks of the class), as (epoch day, amount units) pairs.</summary>
    internal static void AsRows(CustomerPurchaseTotals t, int asOfDay, Action<int, long> row)
    {
        if (t.Rows == 0)
        {
            return;
        }

        if (t.Frequency > 0)
        {
            var first = t.FirstDay!.Value;
            var last = t.LastDay!.Value;
            row(first, Math.Max(0, t.MonetaryUnits));
            for (var i = 1; i < t.Frequency; i++)
            {
                row(last, 0);
            }

            if (t.MonetaryUnits < 0)
            {
                row(last, t.MonetaryUnits);
            }
        }
        else
        {
            // Refunds only: the net spend is negative (a zero amount would be a purchase).
            row(asOfDay, t.MonetaryUnits);
        }
    }

    private static (long Rows, long After) Read(PurchaseInput store, LocalDate asOf, Func<ReadOnlySpan<byte>, int, long, bool> add, Func<bool> full, Action flush)
    {
        var asOfDay = Utf8PurchaseFields.ToEpochDay(asOf);
        var buffer = new byte[CustomerId.MaxLength * 3];
        long rows = 0, after = 0;
        var problem = store.ReadTotals(asOf, t =>
        {
            rows += t.Rows + t.RowsAfterAsOf;
            after += t.RowsAfterAsOf;
            if (t.Rows == 0)
            {
                return;
            }

            var n = Encoding.UTF8.GetBytes(t.CustomerId.Value, buffer);
            AsRows(t, asOfDay, (day, units) => add(buffer.AsSpan(0, n), day, units));
            if (full())
            {
                flush();
            }
        });
        return problem is null ? (rows, after) : throw new IOException(problem);
    }
}
