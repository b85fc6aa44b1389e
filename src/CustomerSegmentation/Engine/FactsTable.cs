using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Engine;

/// <summary>
/// One customer's running facts in one slot: the id key (inline or arena offset, as <see cref="CustomerKey"/> lays it
/// out), net money, purchase count, last and first purchase day. 40 bytes: a row's update is one slot, mostly one cache line.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FactsSlot : IPrefetchedSlot<FactsSlot>
{
    public ulong Lo;
    public ulong Hi;
    public long Money;
    public int Count;
    public int LastDay;
    public int FirstDay;

    /// <inheritdoc/>
    ulong IKeyedSlot<FactsSlot>.Lo { readonly get => Lo; set => Lo = value; }

    /// <inheritdoc/>
    ulong IKeyedSlot<FactsSlot>.Hi { readonly get => Hi; set => Hi = value; }

    /// <inheritdoc/>
    public static void Start(ref FactsSlot slot)
    {
        slot.LastDay = FactsTable.NoPurchase;
        slot.FirstDay = int.MaxValue;
    }

    /// <inheritdoc/>
    /// <remarks>A 40-byte slot may end in the next cache line: touch its last field too.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Touch(ref FactsSlot first, int home, int capacity)
    {
        ref var slot = ref Unsafe.Add(ref first, home);
        return slot.Hi ^ (uint)slot.FirstDay;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(ref FactsSlot slot, int day, long amount)
    {
        slot.Money = checked(slot.Money + amount);
        if (amount >= 0)
        {
            slot.Count++;
            if (day > slot.LastDay)
            {
                slot.LastDay = day;
            }

            if (day < slot.FirstDay)
            {
                slot.FirstDay = day;
            }
        }
    }
}

/// <summary>
/// One of <see cref="PurchaseFactsBuilder"/>'s fixed number of sub-tables: the Pipeline's <see cref="KeyedSlotTable{TSlot}"/>
/// (same hash, home slot, probing and growth as the RFM aggregate table, so customers land in the same slots in the
/// same order) with a slot that also keeps the first purchase day (no mirrored second table).
/// </summary>
internal sealed class FactsTable(int capacity) : KeyedSlotTable<FactsSlot>(capacity)
{
    public const int NoPurchase = int.MinValue;

    /// <summary>Moves the occupied slots to the front, keeping their order; the table then only serves reads.</summary>
    public void Compact()
    {
        var slots = Slots;
        var w = 0;
        for (var r = 0; r < slots.Length; r++)
        {
            if (slots[r].Hi != 0)
            {
                slots[w++] = slots[r];
            }
        }
    }
}
