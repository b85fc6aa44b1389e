using CustomerSegmentation.Customers;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Customers;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13812345678", "+8613812345678")]
    [InlineData("138 1234 5678", "+8613812345678")]
    [InlineData("138-1234-5678", "+8613812345678")]
    [InlineData("+86 138 1234 5678", "+8613812345678")]
    [InlineData("(+86) 138-1234-5678", "+8613812345678")]
    [InlineData("0086 13812345678", "+8613812345678")]
    [InlineData("8613812345678", "+8613812345678")]
    [InlineData("１３８１２３４５６７８", "+8613812345678")]
    [InlineData("＋８６ １９９ ８８８８ ００００", "+8619988880000")]
    [InlineData(" 17612345678\n", "+8617612345678")]
    [InlineData("010-12345678", "+861012345678")]
    [InlineData("(010) 1234 5678", "+861012345678")]
    [InlineData("0755-12345678", "+8675512345678")]
    [InlineData("0755 1234567", "+867551234567")]
    [InlineData("021-6888 8888", "+862168888888")]
    [InlineData("（0571）88888888", "+8657188888888")]
    [InlineData("+86 (0)10 1234 5678", "+861012345678")]
    [InlineData("+86 755 1234 5678", "+8675512345678")]
    [InlineData("400-810-8888", "+864008108888")]
    public void Parse_ChineseNumbers_GiveE164(string input, string expected)
    {
        var result = PhoneNumber.Parse(input, PhoneRegion.China);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value!.Value.E164);
        Assert.Equal(86, result.Value.Value.CountryCallingCode);
    }

    [Theory]
    [InlineData("+1 (415) 555-2671", "+14155552671", 1)]
    [InlineData("+44 20 7946 0958", "+442079460958", 44)]
    [InlineData("+44 (0)20 7946 0958", "+442079460958", 44)]
    [InlineData("0044 7700 900123", "+447700900123", 44)]
    [InlineData("+49 30 12345678", "+493012345678", 49)]
    [InlineData("+49 (0)151 23456789", "+4915123456789", 49)]
    [InlineData("+81 3-1234-5678", "+81312345678", 81)]
    [InlineData("+852 2123 4567", "+85221234567", 852)]
    [InlineData("+886 2 2345 6789", "+886223456789", 886)]
    [InlineData("+33 1 23 45 67 89", "+33123456789", 33)]
    [InlineData("+39 06 1234 5678", "+390612345678", 39)]
    [InlineData("+7 495 123-45-67", "+74951234567", 7)]
    public void Parse_InternationalNumbers_GiveE164InAnyRegion(string input, string expected, int countryCode)
    {
        foreach (var region in Enum.GetValues<PhoneRegion>())
        {
            var result = PhoneNumber.Parse(input, region);
            Assert.True(result.IsValid, $"{region}: {result.Error}");
            Assert.Equal(expected, result.Value!.Value.E164);
            Assert.Equal(countryCode, result.Value.Value.CountryCallingCode);
            Assert.Equal(expected[(1 + countryCode.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)..], result.Value.Value.NationalNumber);
        }
    }

    [Theory]
    [InlineData("(415) 555-2671", PhoneRegion.UnitedStates, "+14155552671")]
    [InlineData("1-415-555-2671", PhoneRegion.UnitedStates, "+14155552671")]
    [InlineData("415.555.2671", PhoneRegion.UnitedStates, "+14155552671")]
    [InlineData("011 44 20 7946 0958", PhoneRegion.UnitedStates, "+442079460958")]
    [InlineData("020 7946 0958", PhoneRegion.UnitedKingdom, "+442079460958")]
    [InlineData("07700 900123", PhoneRegion.UnitedKingdom, "+447700900123")]
    [InlineData("030 12345678", PhoneRegion.Germany, "+493012345678")]
    [InlineData("0151 23456789", PhoneRegion.Germany, "+4915123456789")]
    [InlineData("089/1234567", PhoneRegion.Germany, "+49891234567")]
    public void Parse_NationalNumbersOfOtherRegions_GiveE164(string input, PhoneRegion region, string expected)
    {
        var result = PhoneNumber.Parse(input, region);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value!.Value.E164);
    }

    [Theory]
    [InlineData(null, ValidationCodes.Empty)]
    [InlineData("", ValidationCodes.Empty)]
    [InlineData("   ", ValidationCodes.Empty)]
    [InlineData("12345678", ValidationCodes.InvalidPhone)]
    [InlineData("1381234567", ValidationCodes.InvalidPhone)]
    [InlineData("138123456789", ValidationCodes.InvalidPhone)]
    [InlineData("12812345678", ValidationCodes.InvalidPhone)]
    [InlineData("010-1234567", ValidationCodes.InvalidPhone)]
    [InlineData("0755-123456", ValidationCodes.InvalidPhone)]
    [InlineData("95588", ValidationCodes.InvalidPhone)]
    [InlineData("138-1234-567a", ValidationCodes.InvalidPhone)]
    [InlineData("138 1234 5678 ext. 12", ValidationCodes.InvalidPhone)]
    [InlineData("+86 12345", ValidationCodes.InvalidPhone)]
    [InlineData("+0123456789", ValidationCodes.InvalidPhone)]
    [InlineData("+", ValidationCodes.InvalidPhone)]
    [InlineData("++8613812345678", ValidationCodes.InvalidPhone)]
    [InlineData("138+12345678", ValidationCodes.InvalidPhone)]
    [InlineData("138\u00001234\u00005678", ValidationCodes.ControlCharacter)]
    [InlineData("138\t12345678", ValidationCodes.ControlCharacter)]
    [InlineData("电话13812345678", ValidationCodes.InvalidPhone)]
    [InlineData("+1 123 555 2671", ValidationCodes.InvalidPhone)]
    [InlineData("+44 4123 456789", ValidationCodes.InvalidPhone)]
    [InlineData("+999 1", ValidationCodes.InvalidPhone)]
    [InlineData("+1234567890123456", ValidationCodes.InvalidPhone)]
    public void Parse_BadInput_FailsWithCodeAndReason(string? input, string code)
    {
        var result = PhoneNumber.Parse(input, PhoneRegion.China);
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(code, result.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Theory]
    [InlineData("13812345678", PhoneRegion.None)]
    [InlineData("020 7946 0958", PhoneRegion.None)]
    [InlineData("2079460958", PhoneRegion.UnitedKingdom)]
    [InlineData("3012345678", PhoneRegion.Germany)]
    [InlineData("555-2671", PhoneRegion.UnitedStates)]
    public void Parse_NationalNumberWithoutItsRegionRules_Fails(string input, PhoneRegion region)
    {
        var result = PhoneNumber.Parse(input, region);
        Assert.Equal(ValidationCodes.InvalidPhone, result.ErrorCode);
    }

    [Fact]
    public void Parse_TenThousandCharacters_FailsTooLong()
    {
        Assert.Equal(ValidationCodes.TooLong, PhoneNumber.Parse(new string('1', 10_000), PhoneRegion.China).ErrorCode);
    }

    [Fact]
    public void Parse_UndefinedRegion_FailsWithoutThrowing()
    {
        Assert.Equal(ValidationCodes.InvalidPhone, PhoneNumber.Parse("13812345678", (PhoneRegion)99).ErrorCode);
    }

    [Fact]
    public void Default_IsEmpty()
    {
        Assert.Equal(string.Empty, default(PhoneNumber).E164);
        Assert.Equal(string.Empty, default(PhoneNumber).NationalNumber);
        Assert.Equal(0, default(PhoneNumber).CountryCallingCode);
    }

    [Property(MaxTest = 300)]
    public Property Parse_AnyString_NeverThrows_Holds(string? input) =>
        Enum.GetValues<PhoneRegion>().All(region => PhoneNumber.Parse(input, region) is var r && r.IsValid != (r.Error is not null)).ToProperty();

    [Property(MaxTest = 200)]
    public Property Parse_HostileString_NeverThrows_Holds() =>
        Prop.ForAll(CustomerArbitraries.HostileStrings.ToArbitrary(), s => PhoneNumber.Parse(s, PhoneRegion.China).IsValid || PhoneNumber.Parse(s, PhoneRegion.China).Error is not null);

    [Property(MaxTest = 300)]
    public Property Parse_ChinesePhoneFormats_AreValidAndIdempotentInEveryRegion_Holds() =>
        Prop.ForAll(CustomerArbitraries.ChinesePhones.ToArbitrary(), s =>
        {
            var first = PhoneNumber.Parse(s, PhoneRegion.China);
            return first.IsValid
                && Enum.GetValues<PhoneRegion>().All(region => PhoneNumber.Parse(first.Value!.Value.E164, region).Value == first.Value);
        });

    [Property(MaxTest = 300)]
    public Property Parse_AnyValidResult_IsIdempotent_Holds(string? input, PhoneRegion region)
    {
        var first = PhoneNumber.Parse(input, region);
        return (!first.IsValid || PhoneNumber.Parse(first.Value!.Value.E164, PhoneRegion.None).Value == first.Value).ToProperty();
    }
}
