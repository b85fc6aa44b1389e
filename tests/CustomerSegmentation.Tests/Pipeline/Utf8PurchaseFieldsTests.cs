using System.Globalization;
using System.Text;
using CustomerSegmentation.Pipeline;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Tests.Pipeline;

public class Utf8PurchaseFieldsTests
{
    [Theory]
    [InlineData("2025-12-31", 2025, 12, 31)]
    [InlineData("1970-01-01", 1970, 1, 1)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("2025-03-01T10:00:00Z", 2025, 3, 1)]
    [InlineData("2025-03-01T23:30:00.123-02:00", 2025, 3, 2)]
    [InlineData("2025-03-01T01:00:00+08:00", 2025, 2, 28)]
    [InlineData("2025-03-01T00:00:00.000000001Z", 2025, 3, 1)]
    public void TryParseDate_ValidText_GivesUtcEpochDay(string text, int year, int month, int day)
    {
        Assert.True(Utf8PurchaseFields.TryParseDate(Encoding.UTF8.GetBytes(text), out var epochDay));
        Assert.Equal(new LocalDate(year, month, day), Utf8PurchaseFields.FromEpochDay(epochDay));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-02-29")]
    [InlineData("2025-13-01")]
    [InlineData("2025-00-10")]
    [InlineData("2025-1-01")]
    [InlineData("2025/01/01")]
    [InlineData("20250101")]
    [InlineData(" 2025-01-01")]
    [InlineData("2025-01-01 ")]
    [InlineData("2025-01-01T10:00:00")]
    [InlineData("2025-01-01T25:00:00Z")]
    [InlineData("2025-01-01T10:00Z")]
    [InlineData("2025-01-01T10:00:00+0800")]
    [InlineData("2025-01-01T10:00:00.Z")]
    [InlineData("２０２５-01-01")]
    public void TryParseDate_InvalidText_IsRejected(string text) =>
        Assert.False(Utf8PurchaseFields.TryParseDate(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("10", 100000)]
    [InlineData("10.5", 105000)]
    [InlineData("-2.25", -22500)]
    [InlineData("0.0001", 1)]
    [InlineData("-0", 0)]
    [InlineData("99999999999999.9999", 999999999999999999)]
    public void TryParseAmount_ValidText_GivesUnits(string text, long units)
    {
        Assert.True(Utf8PurchaseFields.TryParseAmount(Encoding.UTF8.GetBytes(text), out var parsed));
        Assert.Equal(units, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1,5")]
    [InlineData("1e3")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.23456")]
    [InlineData("1 000")]
    [InlineData("100000000000000")]
    [InlineData("99999999999999999999999999999999.5")]
    [InlineData("-123456789012345678901234567890")]
    [InlineData("abc")]
    public void TryParseAmount_InvalidText_IsRejected(string text) =>
        Assert.False(Utf8PurchaseFields.TryParseAmount(Encoding.UTF8.GetBytes(text), out _));

    [Property(MaxTest = 300)]
    public bool FormatAmount_MatchesDecimalFormat_Holds(long units)
    {
        units %= 1_000_000_000_000_000;
        Span<byte> buffer = stackalloc byte[24];
        var n = Utf8PurchaseFields.FormatAmount(units, buffer);
        var expected = (units / (decimal)Utf8PurchaseFields.AmountScale).ToString("0.00##", CultureInfo.InvariantCulture);
        return Encoding.ASCII.GetString(buffer[..n]) == expected;
    }

    [Property(MaxTest = 200)]
    public Property EpochDay_RoundTrips_Holds() =>
        Prop.ForAll(
            Gen.Choose(-200_000, 200_000).ToArbitrary(),
            days =>
            {
                var date = new LocalDate(1970, 1, 1).PlusDays(days);
                var text = Encoding.ASCII.GetBytes(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return date.Year is < 1 or > 9999
                    || (Utf8PurchaseFields.ToEpochDay(date) == days
                        && Utf8PurchaseFields.TryParseDate(text, out var parsed) && parsed == days);
            });
}
