using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Tests.Privacy;

/// <summary>Customers with random personal values (Chinese and international), and the list of those values to look for in outputs.</summary>
internal static class PrivacyGenerators
{
    public static readonly Instant AsOf = Instant.FromUtc(2026, 12, 1, 12, 0);

    /// <summary>A schema that declares a personal resident ID and address, and the masker that knows their kinds.</summary>
    public static readonly ProfileSchema Schema = ProfileSchema.Default.ToBuilder()
        .AddCustomAttribute("idNumber", FieldKind.Text, FieldSensitivity.Personal, description: "居民身份证号码")
        .AddCustomAttribute("homeAddress", FieldKind.Text, FieldSensitivity.Personal, description: "家庭住址")
        .AddCustomAttribute("vipLevel", FieldKind.Number, FieldSensitivity.Internal)
        .Build();

    public static readonly PersonalDataMasker Masker = new(MaskingOptions.Default
        .WithAttributeKind("idNumber", PersonalDataKind.ResidentId)
        .WithAttributeKind("homeAddress", PersonalDataKind.Address));

    private static readonly string[] Streets = ["建国路88号", "科苑路15号", "世纪大道100号", "中山东一路1号"];
    private static readonly string[] Cities = ["北京市朝阳区", "广东省深圳市南山区", "上海市浦东新区", "浙江省杭州市西湖区"];

    public static Gen<string> InternationalPhones { get; } =
        from cc in Gen.Elements("+44 20", "+1 415", "+49 30", "+81 3", "+33 1")
        from n in Gen.Choose(2_000_000, 9_999_999)
        select $"{cc} {n}";

    public static Gen<string> ResidentIds { get; } =
        from region in Gen.Elements("110105", "440305", "310115", "330106")
        from year in Gen.Choose(1950, 2005)
        from month in Gen.Choose(1, 12)
        from day in Gen.Choose(1, 28)
        from seq in Gen.Choose(0, 999)
        let first17 = $"{region}{year:D4}{month:D2}{day:D2}{seq:D3}"
        select first17 + ChineseResidentId.CheckCharacter(first17);

    public static Gen<Customer> Customers(int index) =>
        from name in CustomerArbitraries.DisplayNames
        from emails in CustomerArbitraries.ValidEmails.ArrayOf().Select(a => a.Take(2).ToImmutableArray())
        from phones in Gen.OneOf(CustomerArbitraries.ChinesePhones, InternationalPhones).ArrayOf().Select(a => a.Take(2).ToImmutableArray())
        from year in Gen.Choose(1950, 2005)
        from month in Gen.Choose(1, 12)
        from day in Gen.Choose(1, 28)
        from id in ResidentIds
        from street in Gen.Elements(Streets)
        from city in Gen.Elements(Cities)
        from wechat in Gen.Elements("wx_zhangwei88", "lina_1990", "wang.fang.sz")
        from owner in Gen.Elements("wang.fang", "li.lei", "zhao.min")
        select new Customer(new CustomerId($"C{index:D4}"), CustomerKind.Person, name, AsOf - Duration.FromDays(100))
        {
            Emails = emails,
            Phones = phones,
            Region = "华东",
            Owner = owner,
            Birthday = new Birthday(new AnnualDate(month, day), year),
            MarketingConsent = true,
            CustomAttributes = ImmutableDictionary<string, object>.Empty
                .Add("idNumber", id)
                .Add("homeAddress", city + street)
                .Add("wechat", wechat)
                .Add("vipLevel", 3m),
        };

    /// <summary>The personal values of a customer that must never show unmasked: long enough that finding them is no coincidence.</summary>
    public static IEnumerable<string> PersonalValues(Customer c)
    {
        var name = c.DisplayName.Trim();
        if (new System.Globalization.StringInfo(name).LengthInTextElements >= 2)
        {
            yield return name;
        }

        foreach (var e in c.Emails)
        {
            yield return e.Trim();
            if (EmailAddress.TryParse(e, out var parsed))
            {
                yield return parsed.Value;
                yield return parsed.LocalPart + "@";
            }
        }

        foreach (var p in c.Phones)
        {
            yield return p.Trim();
            if (PhoneNumber.TryParse(p, PhoneRegion.China, out var parsed))
            {
                yield return parsed.E164;
                yield return parsed.NationalNumber;
            }
        }

        if (c.Birthday?.Date is { } birth)
        {
            yield return LocalDatePattern.Iso.Format(birth);
        }

        foreach (var (key, value) in c.CustomAttributes)
        {
            if (value is not string s)
            {
                continue;
            }

            yield return s;
            if (key == "homeAddress")
            {
                yield return s[^5..]; // the street: only the district prefix may show
            }
            else if (key == "idNumber")
            {
                yield return s[3..14]; // the date of birth and sequence code
            }
        }
    }

    public static string? FindLeak(Customer c, string output) =>
        PersonalValues(c).Where(v => v.Length >= 2).FirstOrDefault(v => output.Contains(v, StringComparison.Ordinal));
}
