using NodaTime;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// Parses the date and amount fields of a purchases file from their UTF-8 bytes, the same way for every reader
/// (the byte-level fast path and the Sep path both call these), so that both accept and reject exactly the same text.
/// </summary>
/// <remarks>
/// <para>Dates are <c>yyyy-MM-dd</c>, or ISO-8601 instants <c>yyyy-MM-ddTHH:mm:ss[.f…]</c> followed by <c>Z</c> or an
/// offset <c>±HH:mm</c>; an instant counts on its UTC date. Days are counted from 1970-01-01 ("epoch days").</para>
/// <para>Amounts are <c>[-]digits[.digits]</c> with at most 14 integer and <see cref="AmountDecimals"/> fraction
/// digits, held exactly as a <see cref="long"/> count of 1/<see cref="AmountScale"/> units. No exponent, no thousands
/// separators, no spaces.</para>
/// </remarks>
public static class Utf8PurchaseFields
{
    /// <summary>The number of amount units in one currency unit: amounts are held as <c>amount × 10 000</c>.</summary>
    public const long AmountScale = 10_000;

    /// <summary>The most fraction digits an amount may have.</summary>
    public const int AmountDecimals = 4;

    private const int MaxIntegerDigits = 14;

    /// <summary>Parses a <c>yyyy-MM-dd</c> date or an ISO instant into its (UTC) epoch day.</summary>
    /// <param name="text">The field's UTF-8 bytes.</param>
    /// <param name="epochDay">Days since 1970-01-01 when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a valid date or instant.</returns>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out int epochDay)
    {
        epochDay = 0;
        if (text.Length < 10 || text[4] != (byte)'-' || text[7] != (byte)'-')
        {
            return false;
        }

        if (!TryDigits(text, 0, 4, out var year) || !TryDigits(text, 5, 2, out var month) || !TryDigits(text, 8, 2, out var day)
            || year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return false;
        }

        var date = DaysFromCivil(year, month, day);
        if (text.Length == 10)
        {
            epochDay = date;
            return true;
        }

        return TryParseTimeOfDay(text[10..], date, out epochDay);
    }

    /// <summary>Parses an amount into units of 1/<see cref="AmountScale"/>.</summary>
    /// <param name="text">The field's UTF-8 bytes.</param>
    /// <param name="units">The amount × <see cref="AmountScale"/> when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a valid amount.</returns>
    public static bool TryParseAmount(ReadOnlySpan<byte> text, out long units)
    {
        units = 0;
        var i = 0;
        var negative = false;
        if (!text.IsEmpty && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        long whole = 0;
        var start = i;
        while (i < text.Length && IsDigit(text[i]))
        {
            if (i - start == MaxIntegerDigits)
            {
                return false; // too many integer digits (checked before the value could overflow)
            }

            whole = unchecked((whole * 10) + (text[i] - '0'));
            i++;
        }

        var intDigits = i - start;
        if (intDigits == 0)
        {
            return false;
        }

        long fraction = 0;
        var fractionDigits = 0;
        if (i < text.Length)
        {
            if (text[i] != (byte)'.')
            {
                return false;
            }

            i++;
            while (i < text.Length && IsDigit(text[i]))
            {
                if (++fractionDigits > AmountDecimals)
                {
                    return false;
                }

                fraction = unchecked((fraction * 10) + (text[i] - '0'));
                i++;
            }

            if (fractionDigits == 0 || i != text.Length)
            {
                return false;
            }
        }

        for (var d = fractionDigits; d < AmountDecimals; d++)
        {
            fraction *= 10;
        }

        units = unchecked((whole * AmountScale) + fraction); // at most 14 + 4 digits: below 2^63
        if (negative)
        {
            units = -units;
        }

        return true;
    }

    /// <summary>Gets the epoch day (days since 1970-01-01) of a date.</summary>
    /// <param name="date">The date (ISO calendar).</param>
    /// <returns>The epoch day.</returns>
    public static int ToEpochDay(LocalDate date) => DaysFromCivil(date.Year, date.Month, date.Day);

    /// <summary>Gets the date of an epoch day.</summary>
    /// <param name="epochDay">Days since 1970-01-01.</param>
    /// <returns>The date.</returns>
    public static LocalDate FromEpochDay(int epochDay) => new LocalDate(1970, 1, 1).PlusDays(epochDay);

    /// <summary>Formats an amount held in units of 1/<see cref="AmountScale"/> with 2 to 4 decimals (<c>0.00##</c>).</summary>
    /// <param name="units">The amount in units.</param>
    /// <param name="destination">Where to write the ASCII text; 24 bytes always suffice.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int FormatAmount(long units, Span<byte> destination)
    {
        Span<byte> tmp = stackalloc byte[24];
        var negative = units < 0;
        var magnitude = negative ? (ulong)(-(units + 1)) + 1 : (ulong)units;
        var whole = magnitude / (ulong)AmountScale;
        var fraction = (int)(magnitude % (ulong)AmountScale);
        var decimals = AmountDecimals;
        while (decimals > 2 && fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }

        var p = tmp.Length;
        for (var d = 0; d < decimals; d++)
        {
            tmp[--p] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        tmp[--p] = (byte)'.';
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

        var length = tmp.Length - p;
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short for the amount.", nameof(destination));
        }

        tmp[p..].CopyTo(destination);
        return length;
    }

    private static bool TryParseTimeOfDay(ReadOnlySpan<byte> t, int date, out int epochDay)
    {
        // T HH : mm : ss [. f+] (Z | ±HH:mm)
        epochDay = 0;
        if (t.Length < 9 || t[0] != (byte)'T' || t[3] != (byte)':' || t[6] != (byte)':'
            || !TryDigits(t, 1, 2, out var hour) || !TryDigits(t, 4, 2, out var minute) || !TryDigits(t, 7, 2, out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var i = 9;
        if (i < t.Length && t[i] == (byte)'.')
        {
            i++;
            var start = i;
            while (i < t.Length && IsDigit(t[i]))
            {
                i++;
            }

            if (i == start || i - start > 9)
            {
                return false;
            }
        }

        if (i >= t.Length)
        {
            return false;
        }

        var offsetMinutes = 0;
        if (t[i] == (byte)'Z')
        {
            if (i + 1 != t.Length)
            {
                return false;
            }
        }
        else if (t[i] == (byte)'+' || t[i] == (byte)'-')
        {
            if (t.Length - i != 6 || t[i + 3] != (byte)':' || !TryDigits(t, i + 1, 2, out var oh) || !TryDigits(t, i + 4, 2, out var om)
                || oh > 18 || om > 59)
            {
                return false;
            }

            offsetMinutes = ((oh * 60) + om) * (t[i] == (byte)'-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        var utcMinutes = (hour * 60) + minute - offsetMinutes;
        epochDay = utcMinutes < 0 ? date - 1 : utcMinutes >= 24 * 60 ? date + 1 : date;
        return true;
    }

    private static bool IsDigit(byte b) => unchecked((uint)(b - '0')) <= 9;

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = unchecked((uint)(text[i] - '0'));
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    // Howard Hinnant's days_from_civil: proleptic Gregorian date to days since 1970-01-01.
    private static int DaysFromCivil(int year, int month, int day)
    {
        var y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097) + doe - 719468;
    }
}
