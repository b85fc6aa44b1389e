using System.Buffers.Text;

namespace CustomerSegmentation.Cli.Output;

/// <summary>
/// A fast path for <c>float.TryFormat(…, "0.####" / "0.##", InvariantCulture)</c> that writes the same bytes. .NET formats a
/// float for a custom format in two steps: first to 7 significant digits (correctly rounded), then that digit string is
/// rounded half up to the format's decimals and trailing zeros are dropped. This does the same with one double
/// multiplication (exact to far better than the margin it keeps from a rounding tie) and integer arithmetic. It declines
/// (returns −1) whenever it cannot be sure, and the caller formats as before: negative numbers, −0, values outside
/// [10⁻⁶, 10⁶), and values whose scaled digits lie within 10⁻⁶ of a tie.
/// </summary>
internal static class FixedDecimalsFloat
{
    private static readonly double[] Pow10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13];
    private static readonly long[] IntPow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    private static readonly double[] Decades = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5];

    /// <summary>The most decimals the fast path handles.</summary>
    public const int MaxDecimals = 6;

    /// <summary>
    /// Writes <paramref name="value"/> with at most <paramref name="decimals"/> decimals (1..<see cref="MaxDecimals"/>) into
    /// <paramref name="destination"/> (at least 16 bytes) and returns the bytes written, or −1 when the caller must use
    /// <see cref="float.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>.
    /// </summary>
    public static int TryWrite(float value, int decimals, Span<byte> destination)
    {
        if (value == 0)
        {
            if (BitConverter.SingleToInt32Bits(value) != 0)
            {
                return -1;
            }

            destination[0] = (byte)'0';
            return 1;
        }

        if (!(value >= 1e-6f && value < 1e6f))
        {
            return -1;
        }

        // 7 significant digits: d = round(v · 10^(6 − e)) with 10^e ≤ v < 10^(e+1); the product is below 2²⁴, so the
        // double's rounding error (< 2⁻²⁸) is far inside the 10⁻⁶ kept from a tie.
        double v = value;
        var e = 5;
        while (e > -6 && v < Decades[e + 6])
        {
            e--;
        }

        var scaled = v * Pow10[6 - e];
        if (scaled < 999_999.999 || scaled >= 9_999_999.999)
        {
            return -1;
        }

        var floor = Math.Floor(scaled);
        var fraction = scaled - floor;
        if (Math.Abs(fraction - 0.5) < 1e-6)
        {
            return -1;
        }

        var digits = (long)floor + (fraction > 0.5 ? 1 : 0);
        if (digits >= 10_000_000)
        {
            digits /= 10;
            e++;
        }

        // Round the digit string half up at the decimals (in units of 10^−decimals).
        var drop = 6 - e - decimals;
        long units;
        if (drop <= 0)
        {
            units = digits * IntPow10[-drop];
        }
        else if (drop <= 7)
        {
            units = digits / IntPow10[drop];
            if (digits / IntPow10[drop - 1] % 10 >= 5)
            {
                units++;
            }
        }
        else
        {
            units = 0;
        }

        var scale = IntPow10[decimals];
        var whole = units / scale;
        var part = units % scale;
        Utf8Formatter.TryFormat(whole, destination, out var w);
        if (part != 0)
        {
            var count = decimals;
            while (part % 10 == 0)
            {
                part /= 10;
                count--;
            }

            destination[w++] = (byte)'.';
            for (var k = count - 1; k >= 0; k--)
            {
                destination[w + k] = (byte)('0' + (int)(part % 10));
                part /= 10;
            }

            w += count;
        }

        return w;
    }
}
