using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CustomerSegmentation.Cli.Input;

/// <summary>What a row sink tells the parser after a row.</summary>
internal enum RowVerdict
{
    /// <summary>Go on with the next row.</summary>
    Continue,

    /// <summary>Stop parsing (a bad row stops the run).</summary>
    Stop,

    /// <summary>The input needs the general (Sep) reader: the fast path gives up on the whole file.</summary>
    Irregular,
}

/// <summary>Receives the rows of a chunk; fields are valid only during the call.</summary>
internal interface IRowSink
{
    RowVerdict Row(long rowOffset, int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount);
}

/// <summary>
/// Splits UTF-8 CSV bytes into rows and fields the way Sep does for regular CSV: ',' separator, CRLF, LF or CR line
/// ends, fields quoted with '"' where "" is an escaped quote and separators and line ends inside quotes are data.
/// Anything Sep would read leniently (a quote inside an unquoted field, text after a closing quote, an unterminated
/// quote) is reported as <see cref="RowVerdict.Irregular"/>, and the caller then reads the whole file with Sep itself.
/// </summary>
internal static class Utf8CsvRows
{
    private static readonly SearchValues<byte> Specials = SearchValues.Create(","u8 + "\""u8 + "\r\n"u8);

    /// <summary>Parses every row of <paramref name="chunk"/>, which starts at a row start and ends at a row end or the end of the file.</summary>
    /// <returns>The last verdict: <see cref="RowVerdict.Continue"/> when the chunk was parsed to its end.</returns>
    public static RowVerdict Parse<TSink>(ReadOnlySpan<byte> chunk, long chunkOffset, ref TSink sink, ref Scratch scratch)
        where TSink : struct, IRowSink
    {
        return chunk.IndexOf((byte)'"') < 0 ? ParseUnquoted(chunk, chunkOffset, ref sink) : ParseGeneral(chunk, chunkOffset, ref sink, ref scratch);
    }

    /// <summary>The general split of <see cref="Parse"/>, for chunks with quotes (also used to check <see cref="ParseUnquoted"/>).</summary>
    internal static RowVerdict ParseGeneral<TSink>(ReadOnlySpan<byte> chunk, long chunkOffset, ref TSink sink, ref Scratch scratch)
        where TSink : struct, IRowSink
    {
        var n = chunk.Length;
        var p = 0;
        Span<int> starts = stackalloc int[3];
        Span<int> lengths = stackalloc int[3];
        Span<bool> escaped = stackalloc bool[3];
        while (p < n)
        {
            var rowStart = p;
            var fieldCount = 0;
            while (true)
            {
                int fieldStart, fieldLength;
                var hasEscapes = false;
                if (p < n && chunk[p] == (byte)'"')
                {
                    var q = p + 1;
                    while (true)
                    {
                        var k = chunk[q..].IndexOf((byte)'"');
                        if (k < 0)
                        {
                            return RowVerdict.Irregular;
                        }

                        k += q;
                        if (k + 1 < n && chunk[k + 1] == (byte)'"')
                        {
                            hasEscapes = true;
                            q = k + 2;
                            continue;
                        }

                        fieldStart = p + 1;
                        fieldLength = k - p - 1;
                        p = k + 1;
                        break;
                    }

                    if (p < n && chunk[p] is not ((byte)',' or (byte)'\r' or (byte)'\n'))
                    {
                        return RowVerdict.Irregular;
                    }
                }
                else
                {
                    var k = chunk[p..].IndexOfAny(Specials);
                    var end = k < 0 ? n : p + k;
                    if (end < n && chunk[end] == (byte)'"')
                    {
                        return RowVerdict.Irregular;
                    }

                    fieldStart = p;
                    fieldLength = end - p;
                    p = end;
                }

                if (fieldCount < 3)
                {
                    starts[fieldCount] = fieldStart;
                    lengths[fieldCount] = fieldLength;
                    escaped[fieldCount] = hasEscapes;
                }

                fieldCount++;
                if (p < n && chunk[p] == (byte)',')
                {
                    p++;
                    continue;
                }

                if (p < n)
                {
                    if (chunk[p] == (byte)'\r' && p + 1 < n && chunk[p + 1] == (byte)'\n')
                    {
                        p++;
                    }

                    p++;
                }

                break;
            }

            var verdict = sink.Row(
                chunkOffset + rowStart,
                fieldCount,
                Field(chunk, starts, lengths, escaped, 0, fieldCount, scratch.Id),
                Field(chunk, starts, lengths, escaped, 1, fieldCount, scratch.Date),
                Field(chunk, starts, lengths, escaped, 2, fieldCount, scratch.Amount));
            if (verdict != RowVerdict.Continue)
            {
                return verdict;
            }
        }

        return RowVerdict.Continue;
    }

    /// <summary>
    /// The same split as <see cref="Parse"/> for a chunk without any '"' (the usual case): the positions of ',', CR and
    /// LF come from 64-byte vector compares as a bit mask, and the rows are cut from those positions alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static RowVerdict ParseUnquoted<TSink>(ReadOnlySpan<byte> chunk, long chunkOffset, ref TSink sink)
        where TSink : struct, IRowSink
    {
        var n = chunk.Length;
        var rowStart = 0;
        var fieldStart = 0;
        var fieldCount = 0;
        int s0 = 0, l0 = 0, s1 = 0, l1 = 0, s2 = 0, l2 = 0;
        var block = 0;
        var mask = n == 0 ? 0 : SpecialsMask(chunk, 0);
        while (true)
        {
            while (mask == 0)
            {
                block += 64;
                if (block >= n)
                {
                    goto End;
                }

                mask = SpecialsMask(chunk, block);
            }

            var pos = block + BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            if (pos < fieldStart)
            {
                continue; // the LF of a CRLF already taken
            }

            switch (fieldCount)
            {
                case 0: s0 = fieldStart; l0 = pos - fieldStart; break;
                case 1: s1 = fieldStart; l1 = pos - fieldStart; break;
                case 2: s2 = fieldStart; l2 = pos - fieldStart; break;
            }

            fieldCount++;
            var c = chunk[pos];
            fieldStart = pos + 1;
            if (c == (byte)',')
            {
                continue;
            }

            if (c == (byte)'\r' && pos + 1 < n && chunk[pos + 1] == (byte)'\n')
            {
                fieldStart = pos + 2;
            }

            var verdict = sink.Row(
                chunkOffset + rowStart,
                fieldCount,
                chunk.Slice(s0, l0),
                fieldCount > 1 ? chunk.Slice(s1, l1) : default,
                fieldCount > 2 ? chunk.Slice(s2, l2) : default);
            if (verdict != RowVerdict.Continue)
            {
                return verdict;
            }

            rowStart = fieldStart;
            fieldCount = 0;
        }

    End:
        if (fieldStart < n || fieldCount > 0)
        {
            switch (fieldCount)
            {
                case 0: s0 = fieldStart; l0 = n - fieldStart; break;
                case 1: s1 = fieldStart; l1 = n - fieldStart; break;
                case 2: s2 = fieldStart; l2 = n - fieldStart; break;
            }

            fieldCount++;
            return sink.Row(
                chunkOffset + rowStart,
                fieldCount,
                chunk.Slice(s0, l0),
                fieldCount > 1 ? chunk.Slice(s1, l1) : default,
                fieldCount > 2 ? chunk.Slice(s2, l2) : default);
        }

        return RowVerdict.Continue;
    }

    /// <summary>Bit i set when byte <c>at + i</c> (i &lt; 64, inside the chunk) is ',', CR or LF.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SpecialsMask(ReadOnlySpan<byte> chunk, int at)
    {
        ref var r = ref Unsafe.Add(ref MemoryMarshal.GetReference(chunk), at);
        if (at + 64 <= chunk.Length)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var a = Vector256.LoadUnsafe(ref r);
                var b = Vector256.LoadUnsafe(ref r, 32);
                var comma = Vector256.Create((byte)',');
                var cr = Vector256.Create((byte)'\r');
                var lf = Vector256.Create((byte)'\n');
                var ma = (Vector256.Equals(a, comma) | Vector256.Equals(a, cr) | Vector256.Equals(a, lf)).ExtractMostSignificantBits();
                var mb = (Vector256.Equals(b, comma) | Vector256.Equals(b, cr) | Vector256.Equals(b, lf)).ExtractMostSignificantBits();
                return ma | ((ulong)mb << 32);
            }

            if (Vector128.IsHardwareAccelerated)
            {
                ulong m = 0;
                var comma = Vector128.Create((byte)',');
                var cr = Vector128.Create((byte)'\r');
                var lf = Vector128.Create((byte)'\n');
                for (var k = 0; k < 4; k++)
                {
                    var v = Vector128.LoadUnsafe(ref r, (nuint)(16 * k));
                    m |= (ulong)(Vector128.Equals(v, comma) | Vector128.Equals(v, cr) | Vector128.Equals(v, lf)).ExtractMostSignificantBits() << (16 * k);
                }

                return m;
            }
        }

        ulong bits = 0;
        var count = Math.Min(64, chunk.Length - at);
        for (var i = 0; i < count; i++)
        {
            if (Unsafe.Add(ref r, i) is (byte)',' or (byte)'\r' or (byte)'\n')
            {
                bits |= 1UL << i;
            }
        }

        return bits;
    }

    /// <summary>
    /// Finds where the last complete row of <paramref name="data"/> ends: just after the last line end outside quotes
    /// (a CR at the very end is not taken, its LF may follow). Returns −1 when there is none.
    /// </summary>
    public static int LastRowEnd(ReadOnlySpan<byte> data)
    {
        var quotes = data.Count((byte)'"');
        if (quotes == 0)
        {
            var lf = data.LastIndexOf((byte)'\n');
            if (lf >= 0)
            {
                return lf + 1;
            }

            var cr = data.IsEmpty ? -1 : data[..^1].LastIndexOf((byte)'\r');
            return cr >= 0 ? cr + 1 : -1;
        }

        var after = 0;
        for (var i = data.Length - 1; i >= 0; i--)
        {
            var b = data[i];
            if (b == (byte)'"')
            {
                after++;
            }
            else if (((quotes - after) & 1) == 0
                && (b == (byte)'\n' || (b == (byte)'\r' && i + 1 < data.Length && data[i + 1] != (byte)'\n')))
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>Counts the line ends (CRLF, LF or CR) in <paramref name="data"/>; a LF right after a CR that ended the previous data is part of that CRLF.</summary>
    public static long CountLineEnds(ReadOnlySpan<byte> data, bool previousWasCr, out bool endsWithCr)
    {
        long count = 0;
        var prevCr = previousWasCr;
        foreach (var b in data)
        {
            if (b == (byte)'\n')
            {
                if (!prevCr)
                {
                    count++;
                }

                prevCr = false;
            }
            else if (b == (byte)'\r')
            {
                count++;
                prevCr = true;
            }
            else
            {
                prevCr = false;
            }
        }

        endsWithCr = prevCr;
        return count;
    }

    private static ReadOnlySpan<byte> Field(
        ReadOnlySpan<byte> chunk, Span<int> starts, Span<int> lengths, Span<bool> escaped, int i, int count, byte[] scratch)
    {
        if (i >= count)
        {
            return default;
        }

        var field = chunk.Slice(starts[i], lengths[i]);
        if (!escaped[i])
        {
            return field;
        }

        if (scratch.Length < field.Length)
        {
            Array.Resize(ref scratch, field.Length);
        }

        var w = 0;
        for (var r = 0; r < field.Length; r++)
        {
            scratch[w++] = field[r];
            if (field[r] == (byte)'"')
            {
                r++;
            }
        }

        return scratch.AsSpan(0, w);
    }

    /// <summary>Per-thread buffers for unescaped fields.</summary>
    internal struct Scratch
    {
        public Scratch()
        {
        }

        public byte[] Id { get; set; } = new byte[256];

        public byte[] Date { get; set; } = new byte[256];

        public byte[] Amount { get; set; } = new byte[256];
    }
}
