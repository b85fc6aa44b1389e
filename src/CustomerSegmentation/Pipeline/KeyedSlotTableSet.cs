using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// A slot whose fold loop loads its home slot ahead of the update (<see cref="KeyedSlotTableSet{TSlot}"/>).
/// </summary>
/// <typeparam name="TSlot">The slot type itself.</typeparam>
internal interface IPrefetchedSlot<TSlot> : IKeyedSlot<TSlot>
    where TSlot : unmanaged, IPrefetchedSlot<TSlot>
{
    /// <summary>
    /// Reads the words of the home slot (and of whatever the probe is likely to meet next) that the update will read, so
    /// that their cache misses start now; returns a value the caller folds into a sink so the loads are not removed.
    /// </summary>
    static abstract ulong Touch(ref TSlot first, int home, int capacity);
}

/// <summary>
/// The fixed set of <see cref="RfmAggregatesBuilder.TableCount"/> sub-tables that both aggregate builders (the RFM
/// aggregates and the engine's facts) fold one partition's rows into, and the fold loop itself: the top hash bits pick
/// the sub-table, the rows go in groups whose home slots are all loaded first, so that their cache misses overlap.
/// </summary>
/// <typeparam name="TSlot">The slot.</typeparam>
/// <remarks>
/// <para>The set holds its tables as <see cref="KeyedSlotTable{TSlot}"/>, not as a type parameter, so that the fold loop
/// is compiled for the slot type alone (no shared generic code for a reference type).</para>
/// <threadsafety>Calls of <see cref="Fold"/> for different partitions may overlap only when the partitions' rows go to different sub-tables, which the builders' hash partitioning guarantees.</threadsafety>
/// </remarks>
internal sealed class KeyedSlotTableSet<TSlot>
    where TSlot : unmanaged, IPrefetchedSlot<TSlot>
{
    // Rows per group: the home slots of a whole group are loaded first so that their cache misses overlap.
    private const int Group = 32;

    private readonly KeyedSlotTable<TSlot>?[] _tables = new KeyedSlotTable<TSlot>?[RfmAggregatesBuilder.TableCount];

    // Mirrors of each table's slot array and its length (kept in step on growth): the look-ahead loads then need
    // neither the table object nor the array header, which with 4 096 tables miss the cache themselves.
    private readonly TSlot[]?[] _slotsOf = new TSlot[RfmAggregatesBuilder.TableCount][];
    private readonly int[] _capacityOf = new int[RfmAggregatesBuilder.TableCount];
    private readonly Func<int, KeyedSlotTable<TSlot>> _create;
    private readonly int _initialCapacity;

    /// <summary>Creates an empty set.</summary>
    /// <param name="expectedCustomers">A size hint (0: none): each sub-table starts with room for its share at load 0.6.</param>
    /// <param name="create">Creates an empty sub-table with a given initial capacity (on a sub-table's first row).</param>
    public KeyedSlotTableSet(long expectedCustomers, Func<int, KeyedSlotTable<TSlot>> create)
    {
        _initialCapacity = (int)Math.Min(1 << 24, expectedCustomers / RfmAggregatesBuilder.TableCount * 5 / 3);
        _create = create;
    }

    /// <summary>Gets the sub-tables, null where no row has arrived.</summary>
    public ReadOnlySpan<KeyedSlotTable<TSlot>?> Tables => _tables;

    /// <summary>Folds one partition's rows.</summary>
    /// <exception cref="OverflowException">A slot's running value overflows.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fold(PurchaseBatchBuilder.Part part)
    {
        var n = part.Count;
        var lo = part.Lo;
        var hi = part.Hi;
        var hashes = part.Hash;
        var days = part.Day;
        var amounts = part.Amount;
        var longIds = part.LongIds;
        var slotsOf = _slotsOf;
        var capacityOf = _capacityOf;
        ulong touch = 0;
        for (var start = 0; start < n; start += Group)
        {
            var end = Math.Min(n, start + Group);
            for (var i = start; i < end; i++)
            {
                var h = hashes[i];
                var t = (int)(h >> RfmAggregatesBuilder.TableShift);
                var slots = slotsOf[t] ?? CreateTable(t);
                var capacity = capacityOf[t];
                touch ^= TSlot.Touch(ref MemoryMarshal.GetArrayDataReference(slots), KeyedSlotTable<TSlot>.HomeIndex(h, capacity), capacity);
            }

            for (var i = start; i < end; i++)
            {
                var h = hashes[i];
                var t = (int)(h >> RfmAggregatesBuilder.TableShift);
                var table = _tables[t]!;
                if (table.Update(lo[i], hi[i], h, days[i], amounts[i], longIds))
                {
                    slotsOf[t] = table.Slots;
                    capacityOf[t] = table.Slots.Length;
                }
            }
        }

        GC.KeepAlive(touch);
    }

    /// <summary>Drops every sub-table (after a build has taken them).</summary>
    public void Clear()
    {
        Array.Clear(_tables);
        Array.Clear(_slotsOf);
    }

    private TSlot[] CreateTable(int index)
    {
        var table = _create(_initialCapacity);
        _tables[index] = table;
        _slotsOf[index] = table.Slots;
        _capacityOf[index] = table.Slots.Length;
        return table.Slots;
    }
}
