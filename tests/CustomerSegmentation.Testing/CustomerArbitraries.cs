using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace CustomerSegmentation.Testing;

/// <summary>
/// Shared FsCheck generators and arbitraries for customers, contact points and hostile strings.
/// Register with <c>[Property(Arbitrary = new[] { typeof(CustomerArbitraries) })]</c> or use the generators directly.
/// </summary>
public static class CustomerArbitraries
{
    private static readonly char[] IdChars = [.. "ABCXYZabcxyz0123456789-_客户张伟李娜é"];
    private static readonly string[] NameParts = ["张伟", "李娜", "王芳", "欧阳", "Émile", "Zoë", "O'Brien", "José", "😀", "Ørsted", "株式会社", "有限公司", "Nguyễn", " "];
    private static readonly char[] LocalChars = [.. "abcxyzABCXYZ0189._+-", '张', '伟', 'ü', 'ñ'];
    private static readonly string[] Domains = ["example.com", "Example.COM", "mail.qq.com", "163.com", "例子.中国", "bücher.de", "sub.example.co.uk", "ＥＸＡＭＰＬＥ.com"];
    private static readonly char[] Hostile = ['\0', '\n', '\r', '\t', '\u0007', '\u007f', '\u0085', '\u200b', '\ufeff', '\ud800', '\udc00', '＠', '@', '.', '+', ' ', '\u3000', 'a', '1', '张', "😀"[0], "😀"[1]];

    /// <summary>Gets a generator of valid customer ids (ASCII, Chinese, accents).</summary>
    public static Gen<CustomerId> CustomerIds { get; } =
        Gen.Elements(IdChars).ArrayOf().Where(a => a.Length is > 0 and <= 24 && !a.All(char.IsWhiteSpace))
            .Select(a => new CustomerId(new string(a)));

    /// <summary>Gets a generator of display names mixing Chinese, accented Latin and emoji, sometimes padded with spaces.</summary>
    public static Gen<string> DisplayNames { get; } =
        Gen.Elements(NameParts).ArrayOf().Where(a => a.Length is > 0 and <= 4).Select(a => string.Concat(a))
            .Where(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>Gets a generator of valid email addresses as users type them: mixed case domains, surrounding spaces, internationalised parts.</summary>
    public static Gen<string> ValidEmails { get; } =
        from local in Gen.Elements(LocalChars).ArrayOf().Where(a => a.Length is > 0 and <= 20)
        let l = new string(local).Trim('.').Replace("..", ".", StringComparison.Ordinal)
        where l.Length > 0 && !l.Contains("..", StringComparison.Ordinal)
        from domain in Gen.Elements(Domains)
        from pad in Gen.Elements("", " ", "  ", "\t")
        select pad + l + "@" + domain + pad;

    /// <summary>Gets a generator of valid Chinese phone numbers in the formats people write (mobiles, landlines, +86, 0086, separators, full-width digits).</summary>
    public static Gen<string> ChinesePhones { get; } =
        from kind in Gen.Choose(0, 5)
        from second in Gen.Choose(3, 9)
        from rest in Gen.Choose(0, 999_999_999)
        from area in Gen.Elements("10", "20", "21", "755", "571", "898")
        from sub in Gen.Choose(2_000_000, 89_999_999)
        let mobile = $"1{second}{rest:D9}"
        let subscriber = area.Length == 2 ? $"{sub + 10_000_000:D8}"[..8] : $"{sub:D8}"[..(sub % 2 == 0 ? 8 : 7)]
        select kind switch
        {
            0 => mobile,
            1 => $"+86 {mobile[..3]} {mobile[3..7]} {mobile[7..]}",
            2 => $"0086-{mobile}",
            3 => $"0{area}-{subscriber}",
            4 => $"(0{area}) {subscriber}",
            _ => string.Concat(mobile.Select(c => (char)(c - '0' + '０'))),
        };

    /// <summary>Gets a generator of hostile strings: control characters, unpaired surrogates, zero-width and full-width characters, and sometimes 10 000 characters.</summary>
    public static Gen<string> HostileStrings { get; } =
        Gen.Frequency(
            (8, Gen.Elements(Hostile).ArrayOf().Select(a => new string(a))),
            (1, Gen.Elements(Hostile).Select(c => new string(c, 10_000))),
            (1, ValidEmails.Select(e => e + new string('x', 10_000))));

    /// <summary>Gets a generator of customers with Unicode names, messy contact points, birthdays and custom attributes of every supported type.</summary>
    public static Gen<Customer> Customers { get; } =
        from id in CustomerIds
        from kind in Gen.Elements(CustomerKind.Person, CustomerKind.Organisation)
        from name in DisplayNames
        from emails in ValidEmails.ArrayOf().Select(a => a.Take(3).ToImmutableArray())
        from phones in ChinesePhones.ArrayOf().Select(a => a.Take(3).ToImmutableArray())
        from region in Gen.Elements<string?>(null, "广东省", "Zhejiang", " 上海 ", "")
        from seconds in Gen.Choose(1_600_000_000, 1_700_000_000)
        from month in Gen.Choose(1, 12)
        from day in Gen.Choose(1, 28)
        from year in Gen.Elements<int?>(null, 1960, 1985, 2000)
        from vip in Gen.Choose(0, 5)
        from consent in Gen.Elements(true, false)
        select new Customer(id, kind, name, Instant.FromUnixTimeSeconds(seconds))
        {
            Emails = emails,
            Phones = phones,
            Region = region,
            Birthday = kind == CustomerKind.Person ? new Birthday(new AnnualDate(month, day), year) : null,
            MarketingConsent = consent,
            CustomAttributes = ImmutableDictionary<string, object>.Empty
                .Add("vipLevel", (decimal)vip)
                .Add("wechat", $"wx_{vip}")
                .Add("firstOrder", new LocalDate(2020, month, day))
                .Add("blocked", !consent),
        };

    /// <summary>Gets an arbitrary of customers (see <see cref="Customers"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Customer> Customer() => Customers.ToArbitrary();

    /// <summary>Gets an arbitrary of customer ids (see <see cref="CustomerIds"/>).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CustomerId> CustomerId() => CustomerIds.ToArbitrary();

    /// <summary>Gets a generator of activity records for the given customers, at instants within one year.</summary>
    /// <param name="ids">The customers; at least two (a referral needs two).</param>
    /// <returns>The generator.</returns>
    public static Gen<ActivityRecord> ActivityFor(IReadOnlyList<CustomerId> ids) =>
        from who in Gen.Choose(0, ids.Count - 1)
        from other in Gen.Choose(1, ids.Count - 1)
        from kind in Gen.Choose(0, 2)
        from seconds in Gen.Choose(0, 365 * 86_400)
        from cents in Gen.Choose(-5_000, 100_000)
        from nps in Gen.Choose(0, 10)
        let at = Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromSeconds(seconds)
        select kind switch
        {
            0 => (ActivityRecord)new Purchase(ids[who], at, Money.Of(cents / 100m, "CNY"), cents < 0 ? "ORD-1" : null),
            1 => new Interaction(ids[who], InteractionKind.Survey, at, nps: nps, channel: "wechat"),
            _ => new Referral(ids[who], ids[(who + other) % ids.Count], at),
        };
}
