using System.Numerics;

namespace CustomerSegmentation.Tags;

/// <summary>
/// The customers (dense ordinals) holding one tag: a sorted array while sparse, a bitset once more than one customer
/// in 32 holds it (where the bitset is the smaller of the two), back to an array below one in 128.
/// </summary>
internal sealed class PostingSet
{
    private const int MinBitsetUniverse = 4096;

    private int[] _sorted = [];
    private ulong[]? _bits;

    public int Count { get; private set; }

    public bool IsBitset => _bits is not null;

    public long ApproximateBytes => _bits is { } b ? b.Length * 8L : _sorted.Length * 4L;

    public bool Contains(int ordinal)
    {
        if (_bits is { } bits)
        {
            var w = ordinal >> 6;
            return w < bits.Length && (bits[w] & (1UL << ordinal)) != 0;
        }

        return _sorted.AsSpan(0, Count).BinarySearch(ordinal) >= 0;
    }

    public bool Add(int ordinal, int universe)
    {
        if (_bits is { } bits)
        {
            var w = ordinal >> 6;
            if (w >= bits.Length)
            {
                Array.Resize(ref bits, Math.Max(w + 1, bits.Length * 2));
                _bits = bits;
            }

            var mask = 1UL << ordinal;
            if ((bits[w] & mask) != 0)
            {
                return false;
            }

            bits[w] |= mask;
            Count++;
            return true;
        }

        var count = Count;
        int at;
        if (count == 0 || _sorted[count - 1] < ordinal)
        {
            at = count; // ordinals usually arrive in order: append
        }
        else
        {
            at = _sorted.AsSpan(0, count).BinarySearch(ordinal);
            if (at >= 0)
            {
                return false;
            }

            at = ~at;
        }

        if (count == _sorted.Length)
        {
            Array.Resize(ref _sorted, Math.Max(4, count * 2));
        }

        Array.Copy(_sorted, at, _sorted, at + 1, count - at);
        _sorted[at] = ordinal;
        Count = count + 1;
        if (universe >= MinBitsetUniverse && Count > universe / 32)
        {
            ToBitset(universe);
        }

        return true;
    }

    public bool Remove(int ordinal, int universe)
    {
        if (_bits is { } bits)
        {
            var w = ordinal >> 6;
            var mask = 1UL << ordinal;
            if (w >= bits.Length || (bits[w] & mask) == 0)
            {
                return false;
            }

            bits[w] &= ~mask;
            Count--;
            if (Count < universe / 128)
            {
                ToSorted();
            }

            return true;
        }

        var at = _sorted.AsSpan(0, Count).BinarySearch(ordinal);
        if (at < 0)
        {
            return false;
        }

        Array.Copy(_sorted, at + 1, _sorted, at, Count - at - 1);
        Count--;
        return true;
    }

    /// <summary>Sets the bit of every member in <paramref name="target"/> (sized for the universe).</summary>
    public void OrInto(ulong[] target)
    {
        if (_bits is { } bits)
        {
            var n = Math.Min(bits.Length, target.Length);
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var width = Vector<ulong>.Count;
                for (; i + width <= n; i += width)
                {
                    (new Vector<ulong>(target, i) | new Vector<ulong>(bits, i)).CopyTo(target, i);
                }
            }

            for (; i < n; i++)
            {
                target[i] |= bits[i];
            }

            return;
        }

        foreach (var o in _sorted.AsSpan(0, Count))
        {
            target[o >> 6] |= 1UL << o;
        }
    }

    /// <summary>Copies the members, ascending.</summary>
    public int[] ToArray()
    {
        if (_bits is null)
        {
            return _sorted.AsSpan(0, Count).ToArray();
        }

        var result = new int[Count];
        var k = 0;
        for (var w = 0; w < _bits.Length; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                result[k++] = (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }

        return result;
    }

    private void ToBitset(int universe)
    {
        var bits = new ulong[(universe + 63) >> 6];
        foreach (var o in _sorted.AsSpan(0, Count))
        {
            bits[o >> 6] |= 1UL << o;
        }

        _bits = bits;
        _sorted = [];
    }

    private void ToSorted()
    {
        _sorted = ToArray();
        _bits = null;
    }
}
