using System.Buffers.Binary;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Storage.Internal;

/// <summary>How both SQL stores write a <see cref="PurchaseColumnsBuilder"/>: the checks, PostgreSQL's binary COPY rows, the amount text.</summary>
internal static class PurchaseColumnsCodec
{
    /// <summary>Nanoseconds in a day.</summary>
    public const long NanosPerDay = 86_400_000_000_000;

    /// <summary>The first epoch day whose midnight fits the stored 64-bit nanoseconds (1677-09-22).</summary>
    public const int MinDay = -106_751;

    /// <summary>The last epoch day whose midnight fits the stored 64-bit nanoseconds (2262-04-11).</summary>
    public const int MaxDay = 106_751;

    private const int FlushAt = 60 * 1024;

    private static ReadOnlySpan<byte> CopyHeader => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    /// <summary>Checks a batch before anything is written.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="purchases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The currency is the default value or a day is outside the stored range.</exception>
    public static void Check(PurchaseColumnsBuilder purchases, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        if (currency == default)
        {
            throw new ArgumentException("The purchases need a currency.", nameof(currency));
        }

        var days = purchases.EpochDays;
        for (var i = 0; i < days.Length; i++)
        {
            if (days[i] is < MinDay or > MaxDay)
            {
                throw new ArgumentException(
                    $"Row {i} of the batch is dated {Utf8PurchaseFields.FromEpochDay(days[i]):yyyy-MM-dd}, outside the range the SQL stores hold (64-bit nanoseconds since 1970: about the years 1678 to 2262). Nothing was stored.",
                    nameof(purchases));
            }
        }
    }

    /// <summary>
    /// Writes the batch as PostgreSQL binary COPY data for the columns (customer_id, kind, at_ns, amount, currency, quantity),
    /// header and trailer included, in buffers of about 64 KB.
    /// </summary>
    public static async ValueTask WriteCopyAsync(Stream stream, PurchaseColumnsBuilder purchases, Currency currency, CancellationToken cancellationToken)
    {
        var code = currency.Code;
        var currencyBytes = new byte[] { (byte)code[0], (byte)code[1], (byte)code[2] };
        var buffer = new byte[FlushAt + 1024];
        CopyHeader.CopyTo(buffer);
        var used = CopyHeader.Length;
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(used), 0); // flags
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(used + 4), 0); // header extension length
        used += 8;
        var next = 0;
        while (next < purchases.Count)
        {
            next = Fill(ref buffer, ref used, purchases, next, currencyBytes);
            await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            used = 0;
        }

        BinaryPrimitives.WriteInt16BigEndian(buffer, -1); // trailer
        await stream.WriteAsync(buffer.AsMemory(0, 2), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Formats an amount the way <see cref="decimal.ToString()"/> formats <c>units / 10 000m</c>: no trailing zeros, no point for a whole amount.</summary>
    public static int FormatAmount(long units, Span<byte> destination)
    {
        var negative = units < 0;
        var magnitude = negative ? (ulong)(-(units + 1)) + 1 : (ulong)units;
        var whole = magnitude / (ulong)Utf8PurchaseFields.AmountScale;
        var fraction = (int)(magnitude % (ulong)Utf8PurchaseFields.AmountScale);
        var decimals = Utf8PurchaseFields.AmountDecimals;
        while (decimals > 0 && fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }

        Span<byte> tmp = stackalloc byte[24];
        var p = tmp.Length;
        for (var d = 0; d < decimals; d++)
        {
            tmp[--p] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        if (decimals > 0)
        {
            tmp[--p] = (byte)'.';
        }

        do
        {
            tmp[--p] = (byte)('0' + (int)(whole % 10));
            whole /= 10;
        }
        while (whole != 0);

        if (negative)
        {
            tmp[--p] = (byte)'-';
        }

        tmp[p..].CopyTo(destination);
        return tmp.Length - p;
    }

    /// <summary>Encodes rows from <paramref name="next"/> on until the buffer holds about 64 KB; returns the next row.</summary>
    private static int Fill(ref byte[] buffer, ref int used, PurchaseColumnsBuilder purchases, int next, byte[] currency)
    {
        var days = purchases.EpochDays;
        var units = purchases.AmountUnits;
        var i = next;
        for (; i < purchases.Count && used < FlushAt; i++)
        {
            var id = purchases.GetCustomerId(i);
            var need = 2 + 4 + id.Length + 6 + 12 + 30 + 7 + 8;
            if (used + need > buffer.Length)
            {
                if (used > 0)
                {
                    break;
                }

                buffer = new byte[need];
            }

            used += WriteRow(buffer.AsSpan(used), id, days[i], units[i], currency);
        }

        return i;
    }

    private static int WriteRow(Span<byte> b, ReadOnlySpan<byte> id, int day, long units, byte[] currency)
    {
        BinaryPrimitives.WriteInt16BigEndian(b, 6);
        var p = 2;
        BinaryPrimitives.WriteInt32BigEndian(b[p..], id.Length);
        id.CopyTo(b[(p + 4)..]);
        p += 4 + id.Length;
        BinaryPrimitives.WriteInt32BigEndian(b[p..], 2);
        BinaryPrimitives.WriteInt16BigEndian(b[(p + 4)..], ActivityRow.PurchaseKind);
        p += 6;
        BinaryPrimitives.WriteInt32BigEndian(b[p..], 8);
        BinaryPrimitives.WriteInt64BigEndian(b[(p + 4)..], day * NanosPerDay);
        p += 12;
        p += WriteNumeric(b[p..], units);
        BinaryPrimitives.WriteInt32BigEndian(b[p..], 3);
        currency.CopyTo(b[(p + 4)..]);
        p += 7;
        BinaryPrimitives.WriteInt32BigEndian(b[p..], 4);
        BinaryPrimitives.WriteInt32BigEndian(b[(p + 4)..], 1);
        return p + 8;
    }

    /// <summary>
    /// PostgreSQL's binary numeric (ndigits, weight, sign, dscale, base-10 000 digits) of <c>units / 10 000</c>, with the
    /// display scale of the normalized decimal (trailing zeros dropped), as Npgsql writes <c>units / 10 000m</c>.
    /// </summary>
    private static int WriteNumeric(Span<byte> b, long units)
    {
        var negative = units < 0;
        var magnitude = negative ? (ulong)(-(units + 1)) + 1 : (ulong)units;
        var fraction = (short)(magnitude % 10_000);
        var whole = magnitude / 10_000;
        Span<short> digits = stackalloc short[8];
        var n = 0;
        while (whole != 0)
        {
            digits[n++] = (short)(whole % 10_000);
            whole /= 10_000;
        }

        // digits[0..n) are the integer digits, least significant first; weight = n - 1 (or -1 for a fraction only).
        short dscale = fraction == 0 ? (short)0 : fraction % 1000 == 0 ? (short)1 : fraction % 100 == 0 ? (short)2 : fraction % 10 == 0 ? (short)3 : (short)4;
        Span<short> output = stackalloc short[9];
        var count = 0;
        for (var k = n - 1; k >= 0; k--)
        {
            output[count++] = digits[k];
        }

        var weight = (short)(n - 1);
        if (fraction != 0)
        {
            output[count++] = fraction;
        }

        // Strip leading and trailing zero digits as PostgreSQL does (the value is unchanged).
        var first = 0;
        while (first < count && output[first] == 0)
        {
            first++;
            weight--;
        }

        var last = count;
        while (last > first && output[last - 1] == 0)
        {
            last--;
        }

        var nd = last - first;
        if (nd == 0)
        {
            weight = 0;
        }

        var length = 8 + (2 * nd);
        BinaryPrimitives.WriteInt32BigEndian(b, length);
        BinaryPrimitives.WriteInt16BigEndian(b[4..], (short)nd);
        BinaryPrimitives.WriteInt16BigEndian(b[6..], weight);
        BinaryPrimitives.WriteUInt16BigEndian(b[8..], nd == 0 || !negative ? (ushort)0x0000 : (ushort)0x4000);
        BinaryPrimitives.WriteInt16BigEndian(b[10..], dscale);
        for (var k = 0; k < nd; k++)
        {
            BinaryPrimitives.WriteInt16BigEndian(b[(12 + (2 * k))..], output[first + k]);
        }

        return 4 + length;
    }
}
