using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Engine;

/// <summary>
/// One customer's running facts in one slot: the id key (inline or arena offset, as <see cref="CustomerKey"/> lays it
/// out), net money, purchase count, last and first purchase day. 40 bytes: a row's update is one slot, mostly one cache line.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FactsSlot
{
    public ulong Lo;
    public ulong Hi;
    public long Money;
    public int Count;
    public int LastDay;
    public int FirstDay;
}

/// <summary>
/// One of <see cref="PurchaseFactsBuilder"/>'s fixed number of open-addressing sub-tables. The same hash, home slot,
/// linear probing and growth rule (1.5× at load 0.7) as the Pipeline's RFM aggregate table, so customers land in the
/// same slots in the same order; the slot also keeps the first purchase day (no mirrored second table).
/// </summary>
internal sealed class FactsTable
{
    public const int NoPurchase = int.MinValue;
    private const int MinCapacity = 64;

    private FactsSlot[] _slots;
    private int _growAt;
    private byte[] _arena = [];
    private int _arenaLength;

    public FactsTable(int capacity)
    {
        _slots = NewSlots(Math.Max(MinCapacity, capacity));
        _growAt = GrowAt(_slots.Length);
    }

    public int Count { get; private set; }

    public FactsSlot[] Slots => _slots;

    /// <summary>The home slot of a hash in a table of <paramref name="capacity"/> slots (multiply-shift of the low 32 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HomeIndex(ulong hash, int capacity) => unchecked((int)(((ulong)(uint)hash * (uint)capacity) >> 32));

    /// <summary>Folds one row in; returns <see langword="true"/> when the table grew first (its <see cref="Slots"/> changed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Update(ulong lo, ulong hi, ulong hash, int day, long amount, ReadOnlySpan<byte> longIds)
    {
        var grew = false;
        if (Count >= _growAt)
        {
            Grow();
            grew = true;
        }

        var slots = _slots;
        var i = HomeIndex(hash, slots.Length);
        while (true)
        {
            ref var s = ref slots[i];
            if (s.Hi == hi && (s.Lo == lo || (CustomerKey.IsLong(hi) && LongEquals(s.Lo, longIds.Slice((int)lo, unchecked((int)(uint)hi))))))
            {
                Apply(ref s, day, amount);
                return grew;
            }

            if (s.Hi == 0)
            {
                s.Hi = hi;
                s.Lo = CustomerKey.IsLong(hi) ? (ulong)AppendArena(longIds.Slice((int)lo, unchecked((int)(uint)hi))) : lo;
                s.LastDay = NoPurchase;
                s.FirstDay = int.MaxValue;
                Count++;
                Apply(ref s, day, amount);
                return grew;
            }

            if (++i == slots.Length)
            {
                i = 0;
            }
        }
    }

    /// <summary>Moves the occupied slots to the front, keeping their order; the table then only serves reads.</summary>
    public void Compact()
    {
        var slots = _slots;
        var w = 0;
        for (var r = 0; r < slots.Length; r++)
        {
            if (slots[r].Hi != 0)
            {
                slots[w++] = slots[r];
            }
        }
    }

    /// <summary>The id of a compacted slot.</summary>
    public ReadOnlySpan<byte> IdBytes(int index)
    {
        ref var s = ref _slots[index];
        if (CustomerKey.IsLong(s.Hi))
        {
            return _arena.AsSpan((int)s.Lo, unchecked((int)(uint)s.Hi));
        }

        return MemoryMarshal.AsBytes(_slots.AsSpan(index, 1))[..(int)(s.Hi >> 56)];
    }

    /// <summary>The id length of a compacted slot.</summary>
    public int IdLength(int index)
    {
        var hi = _slots[index].Hi;
        return CustomerKey.IsLong(hi) ? unchecked((int)(uint)hi) : (int)(hi >> 56);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply(ref FactsSlot s, int day, long amount)
    {
        s.Money = checked(s.Money + amount);
        if (amount >= 0)
        {
            s.Count++;
            if (day > s.LastDay)
            {
                s.LastDay = day;
            }

            if (day < s.FirstDay)
            {
                s.FirstDay = day;
            }
        }
    }

    private static int GrowAt(int capacity) => (int)(capacity * 0.7);

    /// <summary>A zeroed slot array on the pinned heap, each page written once up front (see the Pipeline's aggregate table: no copy-on-write faults later).</summary>
    private static FactsSlot[] NewSlots(int capacity)
    {
        var slots = GC.AllocateArray<FactsSlot>(capacity, pinned: true);
        var perPage = 4096 / Unsafe.SizeOf<FactsSlot>();
        for (var i = 0; i < slots.Length; i += perPage)
        {
            Volatile.Write(ref slots[i].Count, 0);
        }

        return slots;
    }

    private bool LongEquals(ulong offset, ReadOnlySpan<byte> id) => _arena.AsSpan((int)offset, id.Length).SequenceEqual(id);

    private int AppendArena(ReadOnlySpan<byte> id)
    {
        var start = _arenaLength;
        if (start + id.Length > _arena.Length)
        {
            var bigger = new byte[Math.Max(start + id.Length, Math.Max(256, _arena.Length * 2))];
            _arena.AsSpan(0, start).CopyTo(bigger);
            _arena = bigger;
        }

        id.CopyTo(_arena.AsSpan(start));
        _arenaLength = start + id.Length;
        return start;
    }

    private void Grow()
    {
        var old = _slots;
        var slots = NewSlots(old.Length + (old.Length >> 1));
        foreach (ref readonly var s in old.AsSpan())
        {
            if (s.Hi == 0)
            {
                continue;
            }

            var hash = CustomerKey.IsLong(s.Hi) ? CustomerKey.HashLong(_arena.AsSpan((int)s.Lo, unchecked((int)(uint)s.Hi))) : CustomerKey.Hash(s.Lo, s.Hi);
            var i = HomeIndex(hash, slots.Length);
            while (slots[i].Hi != 0)
            {
                if (++i == slots.Length)
                {
                    i = 0;
                }
            }

            slots[i] = s;
        }

        _slots = slots;
        _growAt = GrowAt(slots.Length);
    }
}
