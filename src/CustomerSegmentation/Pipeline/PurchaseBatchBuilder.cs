namespace CustomerSegmentation.Pipeline;

/// <summary>
/// A reusable buffer of parsed purchase rows, already split into the partitions of the
/// <see cref="RfmAggregatesBuilder"/> that created it: a parser fills it from one chunk of input, then each
/// partition's owner folds its part in with <see cref="RfmAggregatesBuilder.Add(PurchaseBatchBuilder, int)"/>.
/// </summary>
/// <remarks>
/// Rows dated after the as-of date are counted in <see cref="RowsAfterAsOf"/> and otherwise ignored. Ids are copied,
/// so the parser's buffer may be reused as soon as <see cref="Add(ReadOnlySpan{byte}, int, long)"/> returns.
/// <threadsafety>Not thread-safe while filled; safe to read from several threads once filled.</threadsafety>
/// </remarks>
public sealed class PurchaseBatchBuilder
{
    private readonly int _asOfDay;
    private readonly Part[] _parts;

    // The partition of each sub-table (table index mod partitions): a lookup instead of a division per row.
    private readonly byte[] _partitionOfTable;

    internal PurchaseBatchBuilder(int partitions, int asOfDay)
    {
        _asOfDay = asOfDay;
        _partitionOfTable = new byte[RfmAggregatesBuilder.TableCount];
        for (var t = 0; t < _partitionOfTable.Length; t++)
        {
            _partitionOfTable[t] = (byte)(t % partitions);
        }

        _parts = new Part[partitions];
        for (var p = 0; p < partitions; p++)
        {
            _parts[p] = new Part();
        }
    }

    /// <summary>Gets the number of rows taken (dated on or before the as-of date).</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of rows ignored because they are dated after the as-of date.</summary>
    public int RowsAfterAsOf { get; private set; }

    /// <summary>Gets the number of partitions the rows are split into.</summary>
    internal int Partitions => _parts.Length;

    /// <summary>Gets the as-of epoch day: later rows are not taken.</summary>
    internal int AsOfDay => _asOfDay;

    internal Part GetPart(int partition) => _parts[partition];

    /// <summary>Adds one row.</summary>
    /// <param name="customerId">The customer id's UTF-8 bytes, not empty.</param>
    /// <param name="epochDay">The row's (UTC) date as days since 1970-01-01 (see <see cref="Utf8PurchaseFields"/>).</param>
    /// <param name="amountUnits">The amount in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>; negative for a refund.</param>
    /// <returns><see langword="true"/> when the row was taken, <see langword="false"/> when it is after the as-of date.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is empty.</exception>
    public bool Add(ReadOnlySpan<byte> customerId, int epochDay, long amountUnits)
    {
        if (customerId.IsEmpty)
        {
            throw new ArgumentException("A customer id is never empty.", nameof(customerId));
        }

        if (epochDay > _asOfDay)
        {
            RowsAfterAsOf++;
            return false;
        }

        ulong lo, hi, hash;
        if (customerId.Length <= CustomerKey.MaxInline)
        {
            CustomerKey.Inline(customerId, out lo, out hi);
            hash = CustomerKey.Hash(lo, hi);
        }
        else
        {
            hash = CustomerKey.HashLong(customerId);
            hi = CustomerKey.LongHi(hash, customerId.Length);
            lo = 0;
        }

        var part = _parts[_partitionOfTable[(int)(hash >> RfmAggregatesBuilder.TableShift)]];
        if (customerId.Length > CustomerKey.MaxInline)
        {
            lo = (ulong)part.AppendLongId(customerId);
        }

        part.Append(lo, hi, hash, epochDay, amountUnits);
        Count++;
        return true;
    }

    /// <summary>Empties the batch for reuse, keeping its buffers.</summary>
    public void Clear()
    {
        foreach (var part in _parts)
        {
            part.Clear();
        }

        Count = 0;
        RowsAfterAsOf = 0;
    }

    internal sealed class Part
    {
        private const int InitialRows = 1024;

        public ulong[] Lo { get; private set; } = new ulong[InitialRows];

        public ulong[] Hi { get; private set; } = new ulong[InitialRows];

        public ulong[] Hash { get; private set; } = new ulong[InitialRows];

        public int[] Day { get; private set; } = new int[InitialRows];

        public long[] Amount { get; private set; } = new long[InitialRows];

        public byte[] LongIds { get; private set; } = [];

        public int Count { get; private set; }

        private int LongIdsLength { get; set; }

        public void Append(ulong lo, ulong hi, ulong hash, int day, long amount)
        {
            var n = Count;
            if (n == Lo.Length)
            {
                Grow();
            }

            Lo[n] = lo;
            Hi[n] = hi;
            Hash[n] = hash;
            Day[n] = day;
            Amount[n] = amount;
            Count = n + 1;
        }

        public int AppendLongId(ReadOnlySpan<byte> id)
        {
            var start = LongIdsLength;
            if (start + id.Length > LongIds.Length)
            {
                var bigger = new byte[Math.Max(start + id.Length, Math.Max(4096, LongIds.Length * 2))];
                LongIds.AsSpan(0, start).CopyTo(bigger);
                LongIds = bigger;
            }

            id.CopyTo(LongIds.AsSpan(start));
            LongIdsLength = start + id.Length;
            return start;
        }

        public void Clear()
        {
            Count = 0;
            LongIdsLength = 0;
        }

        private void Grow()
        {
            var size = Lo.Length * 2;
            Lo = Resize(Lo, size);
            Hi = Resize(Hi, size);
            Hash = Resize(Hash, size);
            Day = Resize(Day, size);
            Amount = Resize(Amount, size);
        }

        private static T[] Resize<T>(T[] array, int size)
        {
            var bigger = new T[size];
            array.CopyTo(bigger, 0);
            return bigger;
        }
    }
}
