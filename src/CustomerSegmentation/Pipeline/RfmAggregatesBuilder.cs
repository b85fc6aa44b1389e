using NodaTime;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// Folds purchase rows into per-customer RFM aggregates (last purchase day, purchase count, net spend) in a
/// hash-partitioned columnar table: each partition has its own sub-tables, so one thread per partition updates its
/// part without locks.
/// </summary>
/// <remarks>
/// <para>Customers are spread over a fixed 4 096 sub-tables by the top bits of a fixed (unseeded) hash of their id;
/// partition <c>p</c> owns the sub-tables whose index is <c>p</c> modulo the partition count. The aggregates and the
/// order of <see cref="RfmAggregates"/> therefore do not depend on the number of partitions or threads, provided each
/// partition receives its batches in input order.</para>
/// <para>Rules: a row with a negative amount is a refund: it is netted into the monetary total but is not a purchase
/// (no count, no recency). Rows dated after the as-of date are ignored (the as-of date itself is included).</para>
/// <para>Sub-tables start small (or at the size hint, filled to 0.6) and grow by 1.5× at load 0.7 independently, so
/// memory follows the customer count (about 45–70 bytes per customer) with no single large rehash and no assumption
/// on row order.</para>
/// <threadsafety>
/// <see cref="Add(PurchaseBatchBuilder, int)"/> may run concurrently for different partitions; calls for one partition
/// must not overlap. <see cref="Build(int)"/> must run after every <see cref="Add(PurchaseBatchBuilder, int)"/> finished.
/// </threadsafety>
/// </remarks>
public sealed class RfmAggregatesBuilder
{
    /// <summary>The number of sub-tables: fixed, so that the result's order is independent of the partition count.</summary>
    internal const int TableCount = 4096;

    /// <summary>The hash shift that selects a sub-table from the top 12 bits.</summary>
    internal const int TableShift = 52;

    private readonly KeyedSlotTableSet<AggregateSlot> _set;
    private bool _built;

    /// <summary>Creates a builder.</summary>
    /// <param name="asOf">The as-of date: rows dated later are ignored; a purchase on it has recency 0.</param>
    /// <param name="partitions">The number of partitions (usually the number of threads), 1..64.</param>
    /// <param name="expectedCustomers">An optional size hint; the tables grow as needed whatever it is. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitions"/> is outside 1..64 or <paramref name="expectedCustomers"/> is negative.</exception>
    public RfmAggregatesBuilder(LocalDate asOf, int partitions, long expectedCustomers = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, 64);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCustomers);
        AsOf = asOf;
        AsOfDay = Utf8PurchaseFields.ToEpochDay(asOf);
        Partitions = partitions;
        _set = new KeyedSlotTableSet<AggregateSlot>(expectedCustomers, static capacity => new AggregateTable(capacity));
    }

    /// <summary>Gets the as-of date.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the as-of date as an epoch day (days since 1970-01-01).</summary>
    public int AsOfDay { get; }

    /// <summary>Gets the number of partitions.</summary>
    public int Partitions { get; }

    /// <summary>Creates an empty batch whose rows are split into this builder's partitions.</summary>
    /// <returns>A new batch.</returns>
    public PurchaseBatchBuilder CreateBatch() => new(Partitions, AsOfDay);

    /// <summary>Folds one partition's rows of a batch into the aggregates.</summary>
    /// <param name="batch">A batch created by <see cref="CreateBatch"/>.</param>
    /// <param name="partition">The partition, 0..<see cref="Partitions"/>−1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partition"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The builder was already built.</exception>
    /// <exception cref="OverflowException">A customer's net spend exceeds the range of a 64-bit unit count.</exception>
    public void Add(PurchaseBatchBuilder batch, int partition)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, Partitions);
        if (_built)
        {
            throw new InvalidOperationException("The aggregates were already built.");
        }

        _set.Fold(batch.GetPart(partition));
    }

    /// <summary>Finishes the aggregation: compacts the tables into the read-only result.</summary>
    /// <returns>The aggregates, in an order that depends only on the customers' ids and the input's order.</returns>
    /// <exception cref="InvalidOperationException">The builder was already built.</exception>
    public RfmAggregates Build() => Build(1);

    /// <summary>Finishes the aggregation: compacts the tables into the read-only result, on several threads.</summary>
    /// <param name="threads">The number of threads compacting the sub-tables, at least 1; the result does not depend on it.</param>
    /// <returns>The aggregates, in an order that depends only on the customers' ids and the input's order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The builder was already built.</exception>
    public RfmAggregates Build(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (_built)
        {
            throw new InvalidOperationException("The aggregates were already built.");
        }

        _built = true;
        var tables = new List<AggregateTable>();
        foreach (var table in _set.Tables)
        {
            if (table is AggregateTable { Count: > 0 } aggregate)
            {
                tables.Add(aggregate);
            }
        }

        RfmColumnarScorer.Parallel(threads, tables.Count, (from, to) =>
        {
            for (var t = from; t < to; t++)
            {
                tables[t].Compact();
            }
        });
        return new RfmAggregates(AsOf, AsOfDay, tables);
    }
}
