namespace CustomerSegmentation.Tiers;

/// <summary>
/// Exact fixed-point keys for money-like decimals: <c>value × 10⁴</c> as a <see cref="long"/> when the value has at most
/// four decimal places and fits. Comparing longs is several times cheaper than comparing decimals of mixed scale, so the
/// columnar paths use these keys and fall back to decimals for any value that does not fit.
/// </summary>
internal static class ScaledKeys
{
    public const int Decimals = 4;

    private const long Unit = 10_000;

    private static readonly ulong[] Pow10 = [1, 10, 100, 1_000, 10_000];

    public static bool TryGet(decimal value, out long key)
    {
        // GetBits: lo, mid, hi, flags (sign bit 31, scale in bits 16..23).
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] != 0 || scale > Decimals)
        {
            key = 0;
            return false;
        }

        var lo64 = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        var mult = Pow10[Decimals - scale];
        if (lo64 >= (ulong)long.MaxValue / mult)
        {
            key = 0;
            return false;
        }

        var k = (long)(lo64 * mult);
        key = bits[3] < 0 ? -k : k;
        return true;
    }

    public static decimal ToDecimal(long key) => key / (decimal)Unit;
}
