using CustomerSegmentation.Customers;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Customers;

public class EmailAddressTests
{
    [Theory]
    [InlineData("  Li.Na@Example.COM ", "Li.Na@example.com")]
    [InlineData("zhang.wei+crm@sub.Example.co.uk", "zhang.wei+crm@sub.example.co.uk")]
    [InlineData("1234567@qq.com", "1234567@qq.com")]
    [InlineData("d.o'neil_x@example.org", "d.o'neil_x@example.org")]
    [InlineData("张伟@例子.中国", "张伟@例子.中国")]
    [InlineData("用户@例子.广告", "用户@例子.广告")]
    [InlineData("josé@Bücher.DE", "josé@bücher.de")]
    [InlineData("δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@παράδειγμα.δοκιμή")]
    [InlineData("wang＠qq。com", "wang@qq.com")]
    [InlineData("li@ＥＸＡＭＰＬＥ.com", "li@example.com")]
    [InlineData("Pelé@EXAMPLE.com\r\n", "Pelé@example.com")]
    public void Parse_RealWorldAddress_Normalises(string input, string expected)
    {
        var result = EmailAddress.Parse(input);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value!.Value.Value);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Parse_Valid_SplitsLocalPartAndDomain()
    {
        var email = EmailAddress.Parse("Li.Na@Example.COM").GetValueOrThrow();
        Assert.Equal("Li.Na", email.LocalPart);
        Assert.Equal("example.com", email.Domain);
        Assert.Equal("Li.Na@example.com", email.ToString());
    }

    [Theory]
    [InlineData(null, ValidationCodes.Empty)]
    [InlineData("", ValidationCodes.Empty)]
    [InlineData("   \t ", ValidationCodes.Empty)]
    [InlineData("no-at.example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@b@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@localhost", ValidationCodes.InvalidEmail)]
    [InlineData("a@example..com", ValidationCodes.InvalidEmail)]
    [InlineData(".a@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a.@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a..b@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("li na@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("li\tna@example.com", ValidationCodes.ControlCharacter)]
    [InlineData("a@example.com\u0000", ValidationCodes.ControlCharacter)]
    [InlineData("a\u0007@example.com", ValidationCodes.ControlCharacter)]
    [InlineData("a@-example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@example-.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@exa_mple.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@1.2.3.4", ValidationCodes.InvalidEmail)]
    [InlineData("a@[127.0.0.1]", ValidationCodes.InvalidEmail)]
    [InlineData("\"quoted\"@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("a(comment)@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("li\u200bna@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("\ufeffli@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("li\u202ena@example.com", ValidationCodes.InvalidEmail)]
    [InlineData("li@exa\u200bmple.com", ValidationCodes.InvalidEmail)]
    [InlineData("a@", ValidationCodes.InvalidEmail)]
    public void Parse_BadInput_FailsWithCodeAndReason(string? input, string code)
    {
        var result = EmailAddress.Parse(input);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(code, result.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Throws<FormatException>(() => result.GetValueOrThrow());
    }

    [Fact]
    public void Parse_UnpairedSurrogate_FailsInvalidUnicode()
    {
        // Built at run time: attribute metadata would turn a lone surrogate into U+FFFD.
        Assert.Equal(ValidationCodes.InvalidUnicode, EmailAddress.Parse("a" + (char)0xD800 + "@example.com").ErrorCode);
        Assert.Equal(ValidationCodes.InvalidUnicode, EmailAddress.Parse("a@example.com" + (char)0xDC00).ErrorCode);
    }

    [Fact]
    public void Parse_TenThousandCharacters_FailsTooLong()
    {
        var result = EmailAddress.Parse(new string('a', 10_000) + "@example.com");
        Assert.Equal(ValidationCodes.TooLong, result.ErrorCode);
    }

    [Fact]
    public void Parse_LocalPartLimit_Is64Utf8Bytes()
    {
        Assert.True(EmailAddress.Parse(new string('a', 64) + "@example.com").IsValid);
        Assert.False(EmailAddress.Parse(new string('a', 65) + "@example.com").IsValid);
        // 22 Chinese characters are 66 UTF-8 bytes.
        Assert.False(EmailAddress.Parse(new string('张', 22) + "@example.com").IsValid);
        Assert.True(EmailAddress.Parse(new string('张', 21) + "@example.com").IsValid);
    }

    [Fact]
    public void Parse_DomainLabelLimit_Is63()
    {
        Assert.True(EmailAddress.Parse("a@" + new string('b', 63) + ".com").IsValid);
        Assert.False(EmailAddress.Parse("a@" + new string('b', 64) + ".com").IsValid);
    }

    [Fact]
    public void Parse_WholeAddressOver254_FailsTooLong()
    {
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".com"; // 248 characters
        var result = EmailAddress.Parse("abcdefg@" + domain);
        Assert.Equal(ValidationCodes.TooLong, result.ErrorCode);
    }

    [Fact]
    public void Default_IsEmptyAndNotEqualToParsed()
    {
        Assert.Equal(string.Empty, default(EmailAddress).Value);
        Assert.Equal(string.Empty, default(EmailAddress).Domain);
        Assert.NotEqual(default, EmailAddress.Parse("a@example.com").GetValueOrThrow());
        Assert.False(default(ContactParseResult<EmailAddress>).IsValid);
    }

    [Fact]
    public void TryParse_ValidAndInvalid_ReportsOutcome()
    {
        Assert.True(EmailAddress.TryParse("a@Example.com", out var ok));
        Assert.Equal("a@example.com", ok.Value);
        Assert.False(EmailAddress.TryParse("nope", out var bad));
        Assert.Equal(default, bad);
    }

    [Property(MaxTest = 300)]
    public Property Parse_AnyString_NeverThrows_Holds(string? input) =>
        (EmailAddress.Parse(input) is var r && (r.IsValid ? r.Error is null && r.Value is not null : r.Error is not null && r.ErrorCode is not null)).ToProperty();

    [Property(MaxTest = 300)]
    public Property Parse_HostileString_NeverThrows_Holds() =>
        Prop.ForAll(CustomerArbitraries.HostileStrings.ToArbitrary(), s => EmailAddress.Parse(s).IsValid || EmailAddress.Parse(s).Error is not null);

    [Property(MaxTest = 300)]
    public Property Parse_ValidAddress_IsValidAndIdempotent_Holds() =>
        Prop.ForAll(CustomerArbitraries.ValidEmails.ToArbitrary(), s =>
        {
            var first = EmailAddress.Parse(s);
            var second = EmailAddress.Parse(first.Value?.Value);
            return first.IsValid && second.IsValid && first.Value == second.Value;
        });

    [Property(MaxTest = 300)]
    public Property Parse_AnyValidResult_IsIdempotent_Holds(string? input)
    {
        var first = EmailAddress.Parse(input);
        return (!first.IsValid || EmailAddress.Parse(first.Value!.Value.Value).Value == first.Value).ToProperty();
    }
}
