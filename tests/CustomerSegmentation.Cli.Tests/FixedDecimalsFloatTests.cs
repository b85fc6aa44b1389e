using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Output;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The fast "0.####" float formatting writes exactly what <see cref="float.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// writes whenever it does not decline, and it declines only where it says it does.
/// </summary>
public class FixedDecimalsFloatTests
{
    /// <summary>Floats of every kind the run CSV holds and the awkward ones: near powers of ten, near half-units, bit noise.</summary>
    private static readonly Gen<float> Value = Gen.OneOf(
        Gen.Choose(0, 1_000_000).Select(i => i / 1_000_000f),
        Gen.Choose(0, 1_000_000).Select(i => i / 10_000f),
        Gen.Choose(0, int.MaxValue).Select(i => i / 2_147f),
        Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle),
        Gen.Choose(-7, 6).SelectMany(k => Gen.Choose(-40, 40).Select(d => Nudge((float)Math.Pow(10, k), d))),
        Gen.Choose(0, 2_000_000).SelectMany(i => Gen.Choose(-3, 3).Select(d => Nudge(i * 0.00005f, d))),
        Gen.Choose(0, 2_000_000).SelectMany(i => Gen.Choose(0, 7).Select(k => (float)(i / 2.0 / Math.Pow(10, k)))),
        Gen.Elements(0f, -0f, 1e-6f, 999_999.94f, 1e6f, 0.5f, 0.00005f, 0.99995f, 1234567.5f, -1.5f, float.NaN, float.PositiveInfinity, float.Epsilon));

    private static float Nudge(float f, int ulps) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(f) + ulps);

    [Property(MaxTest = 300)]
    public Property TryWrite_WhenItWrites_WritesWhatTryFormatWrites_Holds() =>
        Prop.ForAll(Gen.ArrayOf(Value).ToArbitrary(), Gen.Choose(1, FixedDecimalsFloat.MaxDecimals).ToArbitrary(), (values, decimals) =>
        {
            var format = "0." + new string('#', decimals);
            var fast = new byte[32];
            var expected = new byte[64];
            foreach (var v in values)
            {
                var n = FixedDecimalsFloat.TryWrite(v, decimals, fast);
                if (n < 0)
                {
                    // Declines only where documented.
                    if (v is >= 1e-6f and < 1e6f && !IsNearTie(v))
                    {
                        return false.Label($"declined {v:R}");
                    }

                    continue;
                }

                v.TryFormat(expected, out var m, format, CultureInfo.InvariantCulture);
                if (!fast.AsSpan(0, n).SequenceEqual(expected.AsSpan(0, m)))
                {
                    return false.Label($"{v:R} with {decimals} decimals: '{Encoding.ASCII.GetString(fast, 0, n)}', .NET '{Encoding.ASCII.GetString(expected, 0, m)}'");
                }
            }

            return true.ToProperty();
        });

    [Theory]
    [InlineData(0.12344999f, 4, "0.1235")] // 7 digits first (0.1234500), then half up: .NET's two-step rounding
    [InlineData(0.5f, 4, "0.5")]
    [InlineData(0f, 4, "0")]
    [InlineData(1f, 2, "1")]
    [InlineData(0.00004f, 4, "0")]
    [InlineData(99.995f, 2, "100")]
    [InlineData(123456.79f, 4, "123456.8")]
    public void TryWrite_Examples_GiveTryFormatsText(float value, int decimals, string text)
    {
        var buffer = new byte[32];
        var n = FixedDecimalsFloat.TryWrite(value, decimals, buffer);

        Assert.Equal(text, Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(text, value.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(-0f)]
    [InlineData(-1.5f)]
    [InlineData(1e-7f)]
    [InlineData(1e6f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void TryWrite_OutsideTheFastRange_Declines(float value) =>
        Assert.Equal(-1, FixedDecimalsFloat.TryWrite(value, 4, new byte[32]));

    private static bool IsNearTie(float v)
    {
        double d = v;
        var e = (int)Math.Floor(Math.Log10(d));
        var scaled = d * Math.Pow(10, 6 - e);
        var fraction = scaled - Math.Floor(scaled);
        return Math.Abs(fraction - 0.5) < 1e-5 || scaled < 1_000_000 || scaled >= 9_999_999;
    }
}
