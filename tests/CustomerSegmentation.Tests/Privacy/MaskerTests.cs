using CustomerSegmentation.Customers;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Privacy;

public class MaskerTests
{
    private static readonly PersonalDataMasker M = PersonalDataMasker.Default;

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("138 1234 5678", "138****5678")]
    [InlineData("+86 138-1234-5678", "138****5678")]
    [InlineData("１３８１２３４５６７８", "138****5678")]
    [InlineData("010-12345678", "+86******5678")]
    [InlineData("0755-12345678", "+86*******5678")]
    [InlineData("+44 20 7946 0958", "+44******0958")]
    [InlineData("+1 (415) 555-2671", "+1******2671")]
    [InlineData("+49 30 12345678", "+49******5678")]
    [InlineData("+852 1234567", "+852*******")]
    [InlineData("0101234567", "******4567")]
    [InlineData("12345", "****")]
    [InlineData("call me", "****")]
    [InlineData("138****5678", "138****5678")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskPhone_Examples(string? input, string expected) => Assert.Equal(expected, M.MaskPhone(input));

    [Theory]
    [InlineData("zhang.wei@example.com", "z***@example.com")]
    [InlineData(" Zhang.Wei@Example.COM ", "Z***@example.com")]
    [InlineData("张伟@例子.中国", "张***@例子.中国")]
    [InlineData("josé@Bücher.DE", "j***@bücher.de")]
    [InlineData("wang＠qq。com", "w***@qq.com")]
    [InlineData("li.na@example", "l***@example")]
    [InlineData("li na@Example.com", "l***@example.com")]
    [InlineData("bad\u0000@exa mple.com", "b***@***")]
    [InlineData("no-at-sign", "***")]
    [InlineData("@example.com", "***@example.com")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void MaskEmail_Examples(string? input, string expected) => Assert.Equal(expected, M.MaskEmail(input));

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("张伟", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData(" 李娜 ", "李*")]
    [InlineData("Zhang San", "Z*** S***")]
    [InlineData("José  María Ørsted", "J*** M*** Ø***")]
    [InlineData("Zoë", "Z***")]
    [InlineData("张", "*")]
    [InlineData("😀", "*")]
    [InlineData("(unknown)", "***")]
    [InlineData("Z*** S***", "Z*** S***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskName_Examples(string? input, string expected) => Assert.Equal(expected, M.MaskName(input));

    [Theory]
    [InlineData("110105194912310021", "110***********0021")]
    [InlineData("11010519491231002X", "110***********002X")]
    [InlineData("110105491231002", "110********1002")]
    [InlineData("110105194912310029", "110***********0029")] // wrong checksum: masked all the same, validated separately
    [InlineData("1101051949", "****")]
    [InlineData("ABCDEFGHIJKLMNOPQR", "****")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskResidentId_Examples(string? input, string expected) => Assert.Equal(expected, M.MaskResidentId(input));

    [Theory]
    [InlineData("北京市朝阳区建国路88号", "北京市朝阳区****")]
    [InlineData("广东省深圳市南山区科苑路15号", "广东省深圳市南山区****")]
    [InlineData("上海市浦东新区世纪大道100号", "上海市浦东新区****")]
    [InlineData("221B Baker Street, London, United Kingdom", "****, London, United Kingdom")]
    [InlineData("1600 Amphitheatre Pkwy, Mountain View, CA 94043", "****")]
    [InlineData("Main Street, Springfield", "****, Springfield")]
    [InlineData("somewhere", "****")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskAddress_Examples(string? input, string expected) => Assert.Equal(expected, M.MaskAddress(input));

    [Theory]
    [InlineData("wx_zw", "w***")]
    [InlineData("喜欢红酒，电话13812345678", "喜***")]
    [InlineData("a", "***")]
    [InlineData("#vip", "***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskText_Examples(string? input, string expected) => Assert.Equal(expected, M.MaskText(input));

    [Fact]
    public void Options_MaskCharacterAndKeptDigits_AreConfigurable()
    {
        var m = new PersonalDataMasker(new MaskingOptions { MaskCharacter = '#', ResidentIdKeepFirst = 6, ResidentIdKeepLast = 1 });
        Assert.Equal("138####5678", m.MaskPhone("13812345678"));
        Assert.Equal("z###@example.com", m.MaskEmail("zhang@example.com"));
        Assert.Equal("110105###########1", m.MaskResidentId("110105194912310021"));
        Assert.Equal("张#", m.MaskName("张伟"));
        Assert.Equal(m.MaskPhone("13812345678"), m.MaskPhone(m.MaskPhone("13812345678")));
    }

    [Fact]
    public void Options_BadValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingOptions { MaskCharacter = 'x' });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingOptions { ResidentIdKeepFirst = 7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingOptions { ResidentIdKeepLast = -1 });
    }

    [Fact]
    public void MaskAttribute_UsesConfiguredKind_AndHidesNonText()
    {
        var m = new PersonalDataMasker(MaskingOptions.Default.WithAttributeKind("homeAddress", PersonalDataKind.Address).WithAttributeKind("idNumber", PersonalDataKind.ResidentId));
        Assert.Equal("北京市朝阳区****", m.MaskAttribute("homeAddress", "北京市朝阳区建国路88号"));
        Assert.Equal("110***********0021", m.MaskAttribute("idNumber", "110105194912310021"));
        Assert.Equal("w***", m.MaskAttribute("wechat", "wx_zw"));
        Assert.Equal("***", m.MaskAttribute("vipLevel", 3m));
        Assert.Equal(string.Empty, m.MaskAttribute("x", null));
    }

    [Property(MaxTest = 300)]
    public Property Maskers_NeverThrowAndAreIdempotent_Holds() =>
        Prop.ForAll(
            Gen.OneOf(CustomerArbitraries.HostileStrings, CustomerArbitraries.ValidEmails, CustomerArbitraries.ChinesePhones, CustomerArbitraries.DisplayNames, ArbMap.Default.GeneratorFor<string>()).ToArbitrary(),
            s => AllKinds.All(k => Idempotent(M, k, s)));

    [Fact]
    public void Fuzz_100000RandomStrings_ThroughEveryMaskerAndValidator()
    {
        var random = new Random(20261202);
        var masked = new PersonalDataMasker(new MaskingOptions { MaskCharacter = '•' });
        var validator = new CustomerValidator(ProfileSchema.Default);
        var asOf = NodaTime.Instant.FromUtc(2026, 12, 1, 0, 0);
        var failures = new List<string>();
        var validCounts = new int[3];
        for (var n = 0; n < 100_000; n++)
        {
            var s = RandomString(random);
            foreach (var kind in AllKinds)
            {
                if (!Idempotent(M, kind, s) || !Idempotent(masked, kind, s))
                {
                    failures.Add($"{kind}: {Escape(s)}");
                }
            }

            validCounts[0] += EmailAddress.Parse(s).IsValid ? 1 : 0;
            validCounts[1] += PhoneNumber.Parse(s, PhoneRegion.China).IsValid ? 1 : 0;
            var id = ChineseResidentId.Parse(s);
            validCounts[2] += id.IsValid ? 1 : 0;
            Assert.True(id.IsValid || !string.IsNullOrEmpty(id.Error));
            if (n % 10 == 0)
            {
                var customer = new Customer(new CustomerId("F" + n), CustomerKind.Person, s, asOf) { Emails = [s], Phones = [s], Region = s, CustomAttributes = System.Collections.Immutable.ImmutableDictionary<string, object>.Empty.Add("note", s) };
                var result = validator.Validate(customer, asOf);
                Assert.NotNull(result.Normalized);
                Assert.DoesNotContain(result.Problems, p => p.Field.StartsWith("Phones", StringComparison.Ordinal) && s.Length >= 8 && s.All(char.IsAsciiDigit) && p.Reason.Contains($"'{s}'", StringComparison.Ordinal));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(validCounts[1] > 0, "the generator also produces valid phone numbers");
        Assert.True(validCounts[2] > 0, "the generator also produces valid resident ID numbers");
    }

    internal static readonly PersonalDataKind[] AllKinds = Enum.GetValues<PersonalDataKind>();

    internal static bool Idempotent(PersonalDataMasker m, PersonalDataKind kind, string? s)
    {
        var once = m.Mask(kind, s);
        return string.Equals(m.Mask(kind, once), once, StringComparison.Ordinal);
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7e ? $"\\u{(int)c:X4}" : c.ToString()));

    private static readonly string[] Pieces =
    [
        "@", "＠", ".", "。", "-", "+", " ", "\t", "\0", "\u200b", "\ud800", "\udc00", "😀", "*", "#", "•", ",", "，", "X", "x",
        "138", "1234", "5678", "0086", "+86", "010", "0755", "example.com", "bücher.de", "例子.中国", "张", "伟", "欧阳", "Zoë", "Smith",
        "北京市", "朝阳区", "88号", "Street", "London", "省", "市", "区", "110105", "19491231", "002", "(0)", "（", "）", "１", "８",
    ];

    private static string RandomString(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => (char)random.Next(0, 0x10000))]);
            case 1:
                var first17 = string.Concat(Enumerable.Range(0, 17).Select(i => i is >= 6 and < 14 ? "19900101"[i - 6] : (char)('0' + random.Next(10))));
                return first17 + ChineseResidentId.CheckCharacter(first17);
            case 2:
                return "1" + random.Next(3, 10) + random.NextInt64(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            default:
                return string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pieces[random.Next(Pieces.Length)]));
        }
    }
}
