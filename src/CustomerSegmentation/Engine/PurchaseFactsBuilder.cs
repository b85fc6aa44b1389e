using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Engine;

/// <summary>
/// Folds purchase rows into <see cref="CustomerFacts"/> with the Pipeline's hash-partitioned aggregate tables
/// (<see cref="RfmAggregatesBuilder"/>): one thread per partition, no locks, no object per row or per customer.
/// </summary>
/// <remarks>
/// <para>Each row feeds two aggregate tables: one keeps the last purchase day, the count and the net spend; the other sees
/// the day mirrored (<c>K − day</c>), so its "last" purchase is the customer's first one. Both get the same ids in the same
/// order, so their customers line up index by index (checked when building). Cost: twice the aggregation work and memory
/// of <c>rfm</c>, for the first purchase day that BG/NBD (t_x, T), the mean gap and the lifecycle start need.</para>
/// <para>Row rules are those of <see cref="RfmAggregatesBuilder"/>: a negative amount is a refund (netted, not a purchase),
/// rows after the as-of date are ignored. The result's order depends only on the ids and the input order, never on the
/// number of partitions.</para>
/// <threadsafety>As <see cref="RfmAggregatesBuilder"/>: <see cref="Add(PurchaseFactsBatch, int)"/> may run concurrently for
/// different partitions; calls for one partition must not overlap and must see the batches in input order.</threadsafety>
/// </remarks>
public sealed class PurchaseFactsBuilder
{
    internal static readonly int MinDay = Utf8PurchaseFields.ToEpochDay(LocalDate.MinIsoValue);
    private static readonly LocalDate MirrorAsOf = LocalDate.MaxIsoValue;
    private static readonly int Mirror = Utf8PurchaseFields.ToEpochDay(MirrorAsOf) + MinDay;

    private readonly RfmAggregatesBuilder _last;
    private readonly RfmAggregatesBuilder _first;

    /// <summary>Creates a builder.</summary>
    /// <param name="asOf">The as-of date (inclusive); later rows are ignored.</param>
    /// <param name="partitions">The number of partitions (threads), 1..64.</param>
    /// <param name="expectedCustomers">An optional size hint for the tables; never changes a result.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitions"/> is outside 1..64 or the hint is negative.</exception>
    public PurchaseFactsBuilder(LocalDate asOf, int partitions, long expectedCustomers = 0)
    {
        _last = new RfmAggregatesBuilder(asOf, partitions, expectedCustomers);
        _first = new RfmAggregatesBuilder(MirrorAsOf, partitions, expectedCustomers);
        AsOf = asOf;
        AsOfDay = _last.AsOfDay;
    }

    /// <summary>Gets the as-of date.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the as-of date as an epoch day.</summary>
    public int AsOfDay { get; }

    /// <summary>Gets the number of partitions.</summary>
    public int Partitions => _last.Partitions;

    /// <summary>Creates an empty batch for this builder's partitions.</summary>
    /// <returns>A reusable batch.</returns>
    public PurchaseFactsBatch CreateBatch() => new(_last.CreateBatch(), _first.CreateBatch(), AsOfDay, Mirror);

    /// <summary>Folds one partition of a batch.</summary>
    /// <param name="batch">A batch of this builder.</param>
    /// <param name="partition">The partition, 0..<see cref="Partitions"/>−1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is out of range.</exception>
    /// <exception cref="OverflowException">A customer's net spend exceeds 64-bit units.</exception>
    public void Add(PurchaseFactsBatch batch, int partition)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _last.Add(batch.Last, partition);
        _first.Add(batch.First, partition);
    }

    /// <summary>Builds the facts; the aggregate tables become garbage.</summary>
    /// <param name="threads">Threads for copying the columns, at least 1.</param>
    /// <returns>The facts, one per customer with at least one row on or before the as-of date.</returns>
    /// <exception cref="InvalidOperationException">Already built.</exception>
    public CustomerFacts Build(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var last = _last.Build();
        var first = _first.Build();
        if (last.Count != first.Count || last.BlockCount != first.BlockCount)
        {
            throw new InvalidOperationException("The mirrored aggregate tables disagree (customer count).");
        }

        var n = last.Count;
        var count = new int[n];
        var firstDay = new int[n];
        var lastDay = new int[n];
        var net = new long[n];
        var gap = new float[n];
        var idStarts = new long[n + 1];
        long idBytes = 0;
        for (var b = 0; b < last.BlockCount; b++)
        {
            var start = last.BlockStart(b);
            for (var j = 0; j < last.BlockLength(b); j++)
            {
                idBytes += last.GetCustomerIdUtf8(b, j).Length;
                idStarts[start + j + 1] = idBytes;
            }
        }

        var ids = new byte[checked((int)idBytes)];
        var gapIsMedian = 1;
        Parallel.For(0, last.BlockCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var start = last.BlockStart(b);
            var local = true;
            for (var j = 0; j < last.BlockLength(b); j++)
            {
                var i = start + j;
                var id = last.GetCustomerIdUtf8(b, j);
                if (!id.SequenceEqual(first.GetCustomerIdUtf8(b, j)))
                {
                    throw new InvalidOperationException("The mirrored aggregate tables disagree (customer order).");
                }

                id.CopyTo(ids.AsSpan((int)idStarts[i]));
                var c = last.GetFrequency(b, j);
                count[i] = c;
                net[i] = last.GetMonetaryUnits(b, j);
                var recency = last.GetRecencyDays(b, j);
                if (recency < 0)
                {
                    firstDay[i] = lastDay[i] = CustomerFacts.NoDay;
                    gap[i] = float.NaN;
                    continue;
                }

                lastDay[i] = last.AsOfDay - recency;
                firstDay[i] = first.GetRecencyDays(b, j) + MinDay;
                gap[i] = c >= 2 ? (float)((lastDay[i] - firstDay[i]) / (double)(c - 1)) : float.NaN;
                local &= c <= 3;
            }

            if (!local)
            {
                Interlocked.Exchange(ref gapIsMedian, 0);
            }
        });

        return new CustomerFacts(AsOf.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), ids, idStarts, count, firstDay, lastDay, net, gap, gapIsMedian == 1);
    }
}

/// <summary>A reusable batch of parsed purchase rows for a <see cref="PurchaseFactsBuilder"/>; fill it from one chunk of input.</summary>
/// <remarks><threadsafety>Not thread safe while filled; readable from several threads once filled.</threadsafety></remarks>
public sealed class PurchaseFactsBatch
{
    private readonly int _asOfDay;
    private readonly int _mirror;

    internal PurchaseFactsBatch(PurchaseBatchBuilder last, PurchaseBatchBuilder first, int asOfDay, int mirror)
    {
        Last = last;
        First = first;
        _asOfDay = asOfDay;
        _mirror = mirror;
    }

    /// <summary>Gets the number of rows taken.</summary>
    public int Count => Last.Count;

    /// <summary>Gets the number of rows ignored because they are dated after the as-of date.</summary>
    public int RowsAfterAsOf { get; private set; }

    internal PurchaseBatchBuilder Last { get; }

    internal PurchaseBatchBuilder First { get; }

    /// <summary>Adds one row.</summary>
    /// <param name="customerId">The id's UTF-8 bytes, not empty.</param>
    /// <param name="epochDay">The row's UTC date as days since 1970-01-01.</param>
    /// <param name="amountUnits">The amount in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>; negative for a refund.</param>
    /// <returns>True when taken, false when after the as-of date.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochDay"/> is before <see cref="LocalDate.MinIsoValue"/>.</exception>
    public bool Add(ReadOnlySpan<byte> customerId, int epochDay, long amountUnits)
    {
        if (epochDay > _asOfDay)
        {
            RowsAfterAsOf++;
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(epochDay, PurchaseFactsBuilder.MinDay);
        Last.Add(customerId, epochDay, amountUnits);
        First.Add(customerId, _mirror - epochDay, amountUnits);
        return true;
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        Last.Clear();
        First.Clear();
        RowsAfterAsOf = 0;
    }
}
