using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// Encodes a customer id's UTF-8 bytes as a 16-byte key plus a 64-bit hash. Ids of up to 15 bytes are held inline
/// (bytes 0..14, length in the top byte); longer ids carry their length and 24 hash bits and live in an arena.
/// </summary>
internal static class CustomerKey
{
    public const int MaxInline = 15;
    public const ulong LongMarker = 0xFFUL << 56;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Inline(ReadOnlySpan<byte> id, out ulong lo, out ulong hi)
    {
        unchecked
        {
            var len = id.Length;
            if (len >= 8)
            {
                lo = BinaryPrimitives.ReadUInt64LittleEndian(id);
                hi = len >= 16 ? 0 : Tail(id[8..]);
            }
            else
            {
                lo = Tail(id);
                hi = 0;
            }

            hi |= (ulong)len << 56;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ulong lo, ulong hi)
    {
        unchecked
        {
            var h = (lo * 0x9E3779B97F4A7C15UL) ^ (hi + 0x632BE59BD9B4E019UL);
            h ^= h >> 32;
            h *= 0xD6E8FEB86659FD93UL;
            h ^= h >> 32;
            h *= 0xD6E8FEB86659FD93UL;
            h ^= h >> 32;
            return h;
        }
    }

    public static ulong HashLong(ReadOnlySpan<byte> id)
    {
        unchecked
        {
            var h = 0x243F6A8885A308D3UL ^ (ulong)id.Length;
            var i = 0;
            for (; i + 8 <= id.Length; i += 8)
            {
                h = Hash(h, BinaryPrimitives.ReadUInt64LittleEndian(id[i..]));
            }

            return Hash(h, Tail(id[i..]) ^ 0x5555555555555555UL);
        }
    }

    /// <summary>The key's high word for a long id: marker, 24 hash bits, 32-bit length.</summary>
    public static ulong LongHi(ulong hash, int length) => LongMarker | ((hash & 0xFFFFFF) << 32) | (uint)length;

    public static bool IsLong(ulong hi) => (hi & LongMarker) == LongMarker;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Tail(ReadOnlySpan<byte> bytes)
    {
        unchecked
        {
            ulong v = 0;
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                v = (v << 8) | bytes[i];
            }

            return v;
        }
    }
}
