using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CustomerSegmentation.Pipeline;

/// <summary>One customer's running totals: the id key (inline or arena offset), net money, purchase count, last purchase day.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AggregateSlot : IPrefetchedSlot<AggregateSlot>
{
    public ulong Lo;
    public ulong Hi;
    public long Money;
    public int Count;
    public int LastDay;

    /// <inheritdoc/>
    ulong IKeyedSlot<AggregateSlot>.Lo { readonly get => Lo; set => Lo = value; }

    /// <inheritdoc/>
    ulong IKeyedSlot<AggregateSlot>.Hi { readonly get => Hi; set => Hi = value; }

    /// <inheritdoc/>
    public static void Start(ref AggregateSlot slot) => slot.LastDay = AggregateTable.NoPurchase;

    /// <inheritdoc/>
    /// <remarks>Linear probing often continues into the next cache line (two 32-byte slots per line): load it too.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Touch(ref AggregateSlot first, int home, int capacity)
    {
        var next = home + 2 >= capacity ? home + 2 - capacity : home + 2;
        return Unsafe.Add(ref first, home).Hi ^ Unsafe.Add(ref first, next).Hi;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(ref AggregateSlot slot, int day, long amount)
    {
        slot.Money = checked(slot.Money + amount);
        if (amount >= 0)
        {
            slot.Count++;
            if (day > slot.LastDay)
            {
                slot.LastDay = day;
            }
        }
    }
}

/// <summary>
/// The RFM aggregates' sub-table (see <see cref="KeyedSlotTable{TSlot}"/>, 32-byte slots); <see cref="Compact"/> also
/// notes the ranges of the purchasing customers' values for the scorer.
/// </summary>
internal sealed class AggregateTable(int capacity) : KeyedSlotTable<AggregateSlot>(capacity)
{
    public const int NoPurchase = int.MinValue;

    public bool IsCompacted { get; private set; }

    /// <summary>Gets the number of customers with at least one purchase (set by <see cref="Compact"/>).</summary>
    public int PurchasingCount { get; private set; }

    /// <summary>
    /// Moves the occupied slots to the front, keeping their order, and notes the range of the purchasing customers'
    /// values (read by the scorer instead of a pass of its own); the table then only serves reads.
    /// </summary>
    public void Compact()
    {
        var slots = Slots;
        var w = 0;
        var purchasing = 0;
        int minDay = int.MaxValue, maxDay = int.MinValue, minCount = int.MaxValue, maxCount = int.MinValue;
        long minMoney = long.MaxValue, maxMoney = long.MinValue;
        for (var r = 0; r < slots.Length; r++)
        {
            ref readonly var s = ref slots[r];
            if (s.Hi == 0)
            {
                continue;
            }

            if (s.Count > 0)
            {
                purchasing++;
                minDay = Math.Min(minDay, s.LastDay);
                maxDay = Math.Max(maxDay, s.LastDay);
                minCount = Math.Min(minCount, s.Count);
                maxCount = Math.Max(maxCount, s.Count);
                minMoney = Math.Min(minMoney, s.Money);
                maxMoney = Math.Max(maxMoney, s.Money);
            }

            if (w != r)
            {
                slots[w] = s;
            }

            w++;
        }

        PurchasingCount = purchasing;
        LastDayRange = (minDay, maxDay);
        CountRange = (minCount, maxCount);
        MoneyRange = (minMoney, maxMoney);
        IsCompacted = true;
    }

    /// <summary>Gets the smallest and largest last purchase day of the purchasing customers (set by <see cref="Compact"/>; empty range when none).</summary>
    public (int Min, int Max) LastDayRange { get; private set; }

    /// <summary>Gets the smallest and largest purchase count of the purchasing customers (set by <see cref="Compact"/>).</summary>
    public (int Min, int Max) CountRange { get; private set; }

    /// <summary>Gets the smallest and largest net spend of the purchasing customers (set by <see cref="Compact"/>).</summary>
    public (long Min, long Max) MoneyRange { get; private set; }
}
