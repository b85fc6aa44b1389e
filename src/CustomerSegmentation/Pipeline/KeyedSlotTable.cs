using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// A slot of a <see cref="KeyedSlotTable{TSlot}"/>: it starts with the id key <c>Lo</c>, <c>Hi</c> as
/// <see cref="CustomerKey"/> lays it out (an inline id's bytes are the slot's first bytes), then the running values.
/// </summary>
/// <typeparam name="TSlot">The slot type itself.</typeparam>
internal interface IKeyedSlot<TSlot>
    where TSlot : unmanaged, IKeyedSlot<TSlot>
{
    /// <summary>Gets or sets the low key word: the inline id bytes, or the arena offset of a long id.</summary>
    ulong Lo { get; set; }

    /// <summary>Gets or sets the high key word; 0 marks an empty slot.</summary>
    ulong Hi { get; set; }

    /// <summary>Sets the values of a slot just claimed for a new customer (before its first row is applied).</summary>
    static abstract void Start(ref TSlot slot);

    /// <summary>Folds one row into the slot.</summary>
    static abstract void Apply(ref TSlot slot, int day, long amount);
}

/// <summary>
/// One of the fixed number of open-addressing sub-tables the aggregate builders fold rows into: linear probing, any
/// size through multiply-shift indexing, growth by 1.5× at load 0.7, long ids in an arena. The RFM aggregates and the
/// engine's facts use the same table with different slots, so customers land in the same slots in the same order.
/// Growth touches one small table at a time, never the whole population.
/// </summary>
/// <typeparam name="TSlot">The slot: key plus the running values.</typeparam>
internal class KeyedSlotTable<TSlot>
    where TSlot : unmanaged, IKeyedSlot<TSlot>
{
    private const int MinCapacity = 64;

    private TSlot[] _slots;
    private int _growAt;
    private byte[] _arena = [];
    private int _arenaLength;

    public KeyedSlotTable(int capacity)
    {
        _slots = NewSlots(Math.Max(MinCapacity, capacity));
        _growAt = GrowAt(_slots.Length);
    }

    public int Count { get; private set; }

    public TSlot[] Slots => _slots;

    public ReadOnlySpan<byte> Arena => _arena.AsSpan(0, _arenaLength);

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
                TSlot.Apply(ref s, day, amount);
                return grew;
            }

            if (s.Hi == 0)
            {
                s.Hi = hi;
                s.Lo = CustomerKey.IsLong(hi) ? (ulong)AppendArena(longIds.Slice((int)lo, unchecked((int)(uint)hi))) : lo;
                TSlot.Start(ref s);
                Count++;
                TSlot.Apply(ref s, day, amount);
                return grew;
            }

            if (++i == slots.Length)
            {
                i = 0;
            }
        }
    }

    /// <summary>The id of a slot (after compaction: of the customer at that position).</summary>
    public ReadOnlySpan<byte> IdBytes(int index)
    {
        ref var s = ref _slots[index];
        if (CustomerKey.IsLong(s.Hi))
        {
            return _arena.AsSpan((int)s.Lo, unchecked((int)(uint)s.Hi));
        }

        return MemoryMarshal.AsBytes(_slots.AsSpan(index, 1))[..(int)(s.Hi >> 56)];
    }

    /// <summary>The id length of a slot.</summary>
    public int IdLength(int index)
    {
        var hi = _slots[index].Hi;
        return CustomerKey.IsLong(hi) ? unchecked((int)(uint)hi) : (int)(hi >> 56);
    }

    private static int GrowAt(int capacity) => (int)(capacity * 0.7);

    /// <summary>
    /// A new zeroed slot array on the pinned heap whose pages are written once up front. Fresh pages from the OS
    /// are otherwise first mapped by a read (the look-ahead loads) to the shared zero page, and the first write then
    /// takes a copy-on-write fault that flushes the TLB of every core running the process (an IPI per page): measured
    /// at 16 % of all CPU time at 10 M customers before this.
    /// </summary>
    private static TSlot[] NewSlots(int capacity)
    {
        var slots = GC.AllocateArray<TSlot>(capacity, pinned: true);
        var slotsPerPage = Math.Max(1, 4096 / Unsafe.SizeOf<TSlot>());
        for (var i = 0; i < slots.Length; i += slotsPerPage)
        {
            Volatile.Write(ref Unsafe.As<TSlot, ulong>(ref slots[i]), 0UL);
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

    // Arrays live on the pinned heap: never copied by the GC; the old one is garbage right away, and because all
    // sub-tables grow in step, the space of one generation is reused by the next after a collection.
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
