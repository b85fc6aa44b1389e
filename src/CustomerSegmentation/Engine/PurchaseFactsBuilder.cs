using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Engine;

/// <summary>
/// Folds purchase rows into <see cref="CustomerFacts"/> in hash-partitioned columnar sub-tables, as the Pipeline's
/// <see cref="RfmAggregatesBuilder"/> does: one thread per partition, no locks, no object per row or per customer.
/// </summary>
/// <remarks>
/// <para>Each customer is one 40-byte slot holding its id key, net spend, purchase count, last and first purchase day:
/// a row costs one slot update (one likely cache miss). The sub-tables, their hashing and growth are those of
/// <see cref="RfmAggregatesBuilder"/>, so the customers come out in the same order as <c>rfm</c>'s.</para>
/// <para>Row rules are those of <see cref="RfmAggregatesBuilder"/>: a negative amount is a refund (netted, not a purchase),
/// rows after the as-of date are ignored. The result's order depends only on the ids and the input order, never on the
/// number of partitions.</para>
/// <para>Rows come either in a <see cref="PurchaseFactsBatch"/> (<see cref="CreateBatch"/>) or in the Pipeline's
/// <see cref="PurchaseBatchBuilder"/> (<see cref="CreatePurchaseBatch"/>), so that a parser written for
/// <see cref="RfmAggregatesBuilder"/> feeds this builder unchanged.</para>
/// <threadsafety>As <see cref="RfmAggregatesBuilder"/>: <see cref="Add(PurchaseBatchBuilder, int)"/> may run concurrently for
/// different partitions; calls for one partition must not overlap and must see the batches in input order.</threadsafety>
/// </remarks>
public sealed class PurchaseFactsBuilder
{
    internal static readonly int MinDay = Utf8PurchaseFields.ToEpochDay(LocalDate.MinIsoValue);

    private readonly KeyedSlotTableSet<FactsSlot> _set;
    private bool _built;

    /// <summary>Creates a builder.</summary>
    /// <param name="asOf">The as-of date (inclusive); later rows are ignored.</param>
    /// <param name="partitions">The number of partitions (threads), 1..64.</param>
    /// <param name="expectedCustomers">An optional size hint for the tables; never changes a result.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitions"/> is outside 1..64 or the hint is negative.</exception>
    public PurchaseFactsBuilder(LocalDate asOf, int partitions, long expectedCustomers = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, 64);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCustomers);
        AsOf = asOf;
        AsOfDay = Utf8PurchaseFields.ToEpochDay(asOf);
        Partitions = partitions;
        _set = new KeyedSlotTableSet<FactsSlot>(expectedCustomers, static capacity => new FactsTable(capacity));
    }

    /// <summary>Gets the as-of date.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the as-of date as an epoch day.</summary>
    public int AsOfDay { get; }

    /// <summary>Gets the number of partitions.</summary>
    public int Partitions { get; }

    /// <summary>Creates an empty batch for this builder's partitions.</summary>
    /// <returns>A reusable batch.</returns>
    public PurchaseFactsBatch CreateBatch() => new(CreatePurchaseBatch());

    /// <summary>Creates an empty batch of the Pipeline's row type for this builder's partitions and as-of date.</summary>
    /// <returns>A reusable batch for <see cref="Add(PurchaseBatchBuilder, int)"/>.</returns>
    public PurchaseBatchBuilder CreatePurchaseBatch() => new(Partitions, AsOfDay);

    /// <summary>Folds one partition of a batch.</summary>
    /// <param name="batch">A batch of this builder.</param>
    /// <param name="partition">The partition, 0..<see cref="Partitions"/>−1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="batch"/> has another partition count or as-of date.</exception>
    /// <exception cref="InvalidOperationException">Already built.</exception>
    /// <exception cref="OverflowException">A customer's net spend exceeds 64-bit units.</exception>
    public void Add(PurchaseFactsBatch batch, int partition)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Add(batch.Rows, partition);
    }

    /// <summary>Folds one partition of a batch of the Pipeline's row type (from <see cref="CreatePurchaseBatch"/>).</summary>
    /// <param name="batch">A batch with this builder's partitions and as-of date.</param>
    /// <param name="partition">The partition, 0..<see cref="Partitions"/>−1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="batch"/> has another partition count or as-of date.</exception>
    /// <exception cref="InvalidOperationException">Already built.</exception>
    /// <exception cref="OverflowException">A customer's net spend exceeds 64-bit units.</exception>
    public void Add(PurchaseBatchBuilder batch, int partition)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, Partitions);
        if (batch.Partitions != Partitions || batch.AsOfDay != AsOfDay)
        {
            throw new ArgumentException("The batch was made for another partition count or as-of date.", nameof(batch));
        }

        if (_built)
        {
            throw new InvalidOperationException("The facts were already built.");
        }

        _set.Fold(batch.GetPart(partition));
    }

    /// <summary>Builds the facts; the tables become garbage.</summary>
    /// <param name="threads">Threads for copying the columns, at least 1.</param>
    /// <returns>The facts, one per customer with at least one row on or before the as-of date.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">Already built.</exception>
    public CustomerFacts Build(int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (_built)
        {
            throw new InvalidOperationException("The facts were already built.");
        }

        _built = true;
        var tables = new List<FactsTable>();
        var starts = new List<int> { 0 };
        foreach (var table in _set.Tables)
        {
            if (table is FactsTable { Count: > 0 } facts)
            {
                tables.Add(facts);
                starts.Add(checked(starts[^1] + facts.Count));
            }
        }

        var n = starts[^1];
        var count = new int[n];
        var firstDay = new int[n];
        var lastDay = new int[n];
        var net = new long[n];
        var gap = new float[n];
        var idStarts = new long[n + 1];

        // Compact in parallel, then the id offsets (a prefix sum, sequential), then the columns in parallel.
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, tables.Count, options, b =>
        {
            var table = tables[b];
            table.Compact();
            var start = starts[b];
            for (var j = 0; j < table.Count; j++)
            {
                idStarts[start + j + 1] = table.IdLength(j);
            }
        });
        for (var i = 0; i < n; i++)
        {
            idStarts[i + 1] += idStarts[i];
        }

        var ids = new byte[checked((int)idStarts[n])];
        var gapIsMedian = 1;
        Parallel.For(0, tables.Count, options, b =>
        {
            var table = tables[b];
            var slots = table.Slots;
            var start = starts[b];
            var local = true;
            for (var j = 0; j < table.Count; j++)
            {
                var i = start + j;
                table.IdBytes(j).CopyTo(ids.AsSpan((int)idStarts[i]));
                ref readonly var s = ref slots[j];
                var c = s.Count;
                count[i] = c;
                net[i] = s.Money;
                if (s.LastDay == FactsTable.NoPurchase)
                {
                    firstDay[i] = lastDay[i] = CustomerFacts.NoDay;
                    gap[i] = float.NaN;
                    continue;
                }

                lastDay[i] = s.LastDay;
                firstDay[i] = s.FirstDay;
                gap[i] = c >= 2 ? (float)((s.LastDay - s.FirstDay) / (double)(c - 1)) : float.NaN;
                local &= c <= 3;
            }

            if (!local)
            {
                Interlocked.Exchange(ref gapIsMedian, 0);
            }
        });

        _set.Clear();
        return new CustomerFacts(AsOf.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), ids, idStarts, count, firstDay, lastDay, net, gap, gapIsMedian == 1);
    }
}

/// <summary>A reusable batch of parsed purchase rows for a <see cref="PurchaseFactsBuilder"/>; fill it from one chunk of input.</summary>
/// <remarks><threadsafety>Not thread safe while filled; readable from several threads once filled.</threadsafety></remarks>
public sealed class PurchaseFactsBatch
{
    internal PurchaseFactsBatch(PurchaseBatchBuilder rows)
    {
        Rows = rows;
    }

    /// <summary>Gets the number of rows taken.</summary>
    public int Count => Rows.Count;

    /// <summary>Gets the number of rows ignored because they are dated after the as-of date.</summary>
    public int RowsAfterAsOf => Rows.RowsAfterAsOf;

    internal PurchaseBatchBuilder Rows { get; }

    /// <summary>Adds one row.</summary>
    /// <param name="customerId">The id's UTF-8 bytes, not empty.</param>
    /// <param name="epochDay">The row's UTC date as days since 1970-01-01.</param>
    /// <param name="amountUnits">The amount in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>; negative for a refund.</param>
    /// <returns>True when taken, false when after the as-of date.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochDay"/> is before <see cref="LocalDate.MinIsoValue"/>.</exception>
    public bool Add(ReadOnlySpan<byte> customerId, int epochDay, long amountUnits)
    {
        if (epochDay <= Rows.AsOfDay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(epochDay, PurchaseFactsBuilder.MinDay);
        }

        return Rows.Add(customerId, epochDay, amountUnits);
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear() => Rows.Clear();
}
