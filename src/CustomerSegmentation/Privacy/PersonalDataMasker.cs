using System.Globalization;
using System.Text;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// Masks personal data for display, logs and exports: phones, emails, names, Chinese resident ID numbers, addresses and
/// free text. Every masker accepts any string (<see langword="null"/>, empty, malformed, hostile), never throws, and is
/// idempotent: masking a masked value returns it unchanged.
/// </summary>
/// <remarks>
/// <para>The rules, with the default mask character <c>*</c>:</para>
/// <list type="table">
/// <listheader><term>kind</term><description>rule and examples</description></listheader>
/// <item><term>phone</term><description>a Chinese mobile keeps its first 3 and last 4 digits (<c>138****5678</c>); any other valid number keeps
/// <c>+</c>, its country code and, with at least 8 national digits, the last 4 (<c>+44******0958</c>, <c>+86******5678</c>); a malformed number
/// with at least 8 digits keeps its last 4 (<c>******4567</c>), anything else becomes <c>****</c>.</description></item>
/// <item><term>email</term><description>the local part keeps its first character, then <c>***</c>; the domain stays (<c>z***@example.com</c>,
/// <c>张***@例子.中国</c>); a malformed address keeps its domain only when it is made of letters, digits, dots and hyphens; no <c>@</c> gives <c>***</c>.</description></item>
/// <item><term>name</term><description>a name starting with a Chinese, Japanese or Korean character keeps that character and masks each other one
/// (<c>张伟</c> → <c>张*</c>, <c>欧阳娜娜</c> → <c>欧***</c>); other names keep the first letter of each word and <c>***</c> (<c>Zhang San</c> → <c>Z*** S***</c>);
/// a one-character name becomes <c>*</c>.</description></item>
/// <item><term>resident ID</term><description>an ID-shaped value (15 or 18 digits, the last may be X) keeps its first 3 and last 4 characters
/// (<c>110***********1234</c>), anything else becomes <c>****</c>. Use <see cref="ChineseResidentId.Parse"/> to validate the checksum.</description></item>
/// <item><term>address</term><description>a Chinese address keeps its administrative prefix up to the last 省/市/区/县/州/盟/旗 within its first 12
/// characters (<c>北京市朝阳区****</c>); otherwise up to two trailing comma-separated parts without digits stay (<c>****, United Kingdom</c>), never all of them.</description></item>
/// <item><term>free text</term><description>first character and <c>***</c> (<c>wx_zw</c> → <c>w***</c>); text of one character, or starting with a symbol, becomes <c>***</c>.</description></item>
/// </list>
/// <para>Fixed-length masks (<c>***</c>, <c>****</c>) hide the length of what they replace. A value made only of mask characters and white space
/// is returned unchanged, which (with the rules above) makes every masker idempotent; FsCheck properties and a 100 000-string fuzz test check it.</para>
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class PersonalDataMasker
{
    private const int AddressPrefixLimit = 12;
    private const string ChineseAddressMarkers = "省市区县州盟旗";

    private readonly char _m;
    private readonly string _m3;
    private readonly string _m4;

    /// <summary>Creates a masker.</summary>
    /// <param name="options">The options; <see cref="MaskingOptions.Default"/> when <see langword="null"/>.</param>
    public PersonalDataMasker(MaskingOptions? options = null)
    {
        Options = options ?? MaskingOptions.Default;
        _m = Options.MaskCharacter;
        _m3 = new string(_m, 3);
        _m4 = new string(_m, 4);
    }

    /// <summary>Gets the masker with the default options.</summary>
    public static PersonalDataMasker Default { get; } = new();

    /// <summary>Gets the options.</summary>
    public MaskingOptions Options { get; }

    /// <summary>Masks a value of the given kind.</summary>
    /// <param name="kind">The kind of data; an undefined value masks as <see cref="PersonalDataKind.FreeText"/>.</param>
    /// <param name="text">The value; any string.</param>
    /// <returns>The masked value; empty for <see langword="null"/> or empty input.</returns>
    public string Mask(PersonalDataKind kind, string? text) => kind switch
    {
        PersonalDataKind.Name => MaskName(text),
        PersonalDataKind.Phone => MaskPhone(text),
        PersonalDataKind.Email => MaskEmail(text),
        PersonalDataKind.ResidentId => MaskResidentId(text),
        PersonalDataKind.Address => MaskAddress(text),
        _ => MaskText(text),
    };

    /// <summary>Masks a custom attribute's value by the kind configured for its key (<see cref="MaskingOptions.AttributeKinds"/>).</summary>
    /// <param name="key">The attribute key.</param>
    /// <param name="value">The value: text is masked by its kind, any other value (number, date, boolean) becomes <c>***</c>.</param>
    /// <returns>The masked value; empty for <see langword="null"/>.</returns>
    public string MaskAttribute(string? key, object? value) => value switch
    {
        null => string.Empty,
        string s => Mask(key is not null && Options.AttributeKinds.TryGetValue(key, out var kind) ? kind : PersonalDataKind.FreeText, s),
        _ => _m3,
    };

    /// <summary>Masks a birthday: <c>****-**-**</c> (nothing of it is shown).</summary>
    /// <returns>The masked birthday.</returns>
    public string MaskBirthday() => $"{_m4}-{_m}{_m}-{_m}{_m}";

    /// <summary>Masks a phone number: <c>138****5678</c>, <c>+44******0958</c>, <c>******4567</c> or <c>****</c>; never throws.</summary>
    /// <param name="text">The number as given or in E.164.</param>
    /// <returns>The masked number; empty for <see langword="null"/> or empty input.</returns>
    public string MaskPhone(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (IsAllMask(text) || IsMaskedPhone(text))
        {
            return text;
        }

        if (PhoneNumber.TryParse(text, Options.DefaultPhoneRegion, out var number))
        {
            var nsn = number.NationalNumber;
            if (number.CountryCallingCode == 86 && nsn.Length == 11 && nsn[0] == '1')
            {
                return string.Concat(nsn.AsSpan(0, 3), _m4, nsn.AsSpan(7));
            }

            var keep = nsn.Length >= 8 ? 4 : 0;
            return string.Create(CultureInfo.InvariantCulture, $"+{number.CountryCallingCode}{new string(_m, nsn.Length - keep)}{nsn.AsSpan(nsn.Length - keep)}");
        }

        return MaskPhoneDigits(text, _m);
    }

    /// <summary>Masks an email address: <c>z***@example.com</c>; never throws.</summary>
    /// <param name="text">The address as given.</param>
    /// <returns>The masked address; empty for <see langword="null"/>, empty or white-space input.</returns>
    public string MaskEmail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var t = text.Trim();
        if (IsAllMask(t))
        {
            return t;
        }

        if (EmailAddress.TryParse(t, out var email))
        {
            return KeepFirst(email.LocalPart) + "@" + email.Domain;
        }

        var at = t.LastIndexOfAny(['@', '＠']);
        if (at < 0)
        {
            return _m3;
        }

        var domain = t[(at + 1)..].ToLowerInvariant();
        var masked = KeepFirst(t[..at]) + "@" + (IsPlainDomain(domain) ? domain : _m3);

        // the masked form of a malformed address can itself be a valid address: then it takes the valid form, so masking twice changes nothing
        return EmailAddress.TryParse(masked, out var again) ? KeepFirst(again.LocalPart) + "@" + again.Domain : masked;
    }

    /// <summary>Masks a name: <c>张*</c>, <c>欧***</c>, <c>Z*** S***</c>, <c>*</c>; never throws.</summary>
    /// <param name="text">The name.</param>
    /// <returns>The masked name; empty for <see langword="null"/>, empty or white-space input.</returns>
    public string MaskName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var t = text.Trim();
        if (IsAllMask(t))
        {
            return t;
        }

        var first = FirstElementLength(t);
        if (first == t.Length)
        {
            return _m.ToString();
        }

        if (IsCjk(t, 0))
        {
            var rest = CountElements(t.AsSpan(first));
            return string.Concat(t.AsSpan(0, first), new string(_m, rest));
        }

        var words = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(KeepFirst));
    }

    /// <summary>Masks a Chinese resident ID number: <c>110***********1234</c> for an ID-shaped value, <c>****</c> otherwise; never throws.</summary>
    /// <param name="text">The ID number; the checksum is not needed (see <see cref="ChineseResidentId.Parse"/>).</param>
    /// <returns>The masked number; empty for <see langword="null"/>, empty or white-space input.</returns>
    public string MaskResidentId(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var t = text.Trim();
        if (IsAllMask(t) || IsMaskedResidentId(t))
        {
            return t;
        }

        if (ChineseResidentId.HasIdShape(t))
        {
            int f = Options.ResidentIdKeepFirst, l = Options.ResidentIdKeepLast;
            return string.Concat(t.AsSpan(0, f), new string(_m, t.Length - f - l), t.AsSpan(t.Length - l));
        }

        return _m4;
    }

    /// <summary>Masks a postal address: <c>北京市朝阳区****</c>, <c>****, United Kingdom</c>, <c>****</c>; never throws.</summary>
    /// <param name="text">The address.</param>
    /// <returns>The masked address; empty for <see langword="null"/>, empty or white-space input.</returns>
    public string MaskAddress(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var t = text.Trim();
        if (IsAllMask(t))
        {
            return t;
        }

        if (IsCjk(t, 0))
        {
            var limit = Math.Min(t.Length, AddressPrefixLimit);
            var end = t.AsSpan(0, limit).LastIndexOfAny(ChineseAddressMarkers);
            if (end >= 0)
            {
                return string.Concat(t.AsSpan(0, end + 1), _m4);
            }
        }

        var parts = t.Split([',', '，']);
        var kept = new List<string>(2);
        for (var i = parts.Length - 1; i >= 1 && kept.Count < 2; i--)
        {
            var part = parts[i].Trim();
            if (part.Length == 0 || IsAllMask(part) || part.Any(char.IsDigit) || part.Any(c => c == _m))
            {
                break;
            }

            kept.Insert(0, part);
        }

        return kept.Count == 0 ? _m4 : _m4 + ", " + string.Join(", ", kept);
    }

    /// <summary>Masks free text: first character and <c>***</c>, or <c>***</c>; never throws.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The masked text; empty for <see langword="null"/>, empty or white-space input.</returns>
    public string MaskText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var t = text.Trim();
        if (IsAllMask(t))
        {
            return t;
        }

        return FirstElementLength(t) == t.Length ? _m3 : KeepFirst(t);
    }

    /// <summary>
    /// The masking used inside the library's own error messages (no parsing, so it cannot recurse into the phone parser):
    /// at least 8 digits keep the last 4 (<c>******4567</c>), anything else becomes <c>****</c>.
    /// </summary>
    internal static string MaskPhoneDigits(string text, char m = '*')
    {
        var t = text.AsSpan().Trim();
        Span<char> last = stackalloc char[4];
        var digits = 0;
        var plus = false;
        foreach (var ch in t)
        {
            var c = ch is >= '０' and <= '９' ? (char)(ch - '０' + '0') : ch;
            if (char.IsAsciiDigit(c))
            {
                last[digits % 4] = c;
                digits++;
            }
            else if (c is '+' or '＋' && digits == 0)
            {
                plus = true;
            }
            else if (!(c == ' ' || c is '-' or '.' or '(' or ')' or '/'))
            {
                return new string(m, 4);
            }
        }

        if (digits < 8)
        {
            return new string(m, 4);
        }

        var sb = new StringBuilder(digits + 1);
        if (plus)
        {
            sb.Append('+');
        }

        sb.Append(m, digits - 4);
        for (var k = 0; k < 4; k++)
        {
            sb.Append(last[(digits + k) % 4]);
        }

        return sb.ToString();
    }

    private static int FirstElementLength(string s) => s.Length == 0 ? 0 : Math.Max(1, StringInfo.GetNextTextElementLength(s));

    private static int CountElements(ReadOnlySpan<char> s)
    {
        var n = 0;
        while (!s.IsEmpty)
        {
            s = s[Math.Max(1, StringInfo.GetNextTextElementLength(s))..];
            n++;
        }

        return n;
    }

    private static bool IsLetterOrDigitAt(string s, int index) =>
        Rune.DecodeFromUtf16(s.AsSpan(index), out var rune, out _) == System.Buffers.OperationStatus.Done && Rune.IsLetterOrDigit(rune);

    private static bool IsCjk(string s, int index)
    {
        if (Rune.DecodeFromUtf16(s.AsSpan(index), out var rune, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        var v = rune.Value;
        return v is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2FFFF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x3040 and <= 0x30FF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0x1100 and <= 0x11FF);
    }

    private static bool IsPlainDomain(string domain)
    {
        if (domain.Length is 0 or > 253)
        {
            return false;
        }

        for (var i = 0; i < domain.Length; i++)
        {
            var c = domain[i];
            if (c is '.' or '-')
            {
                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || !IsLetterOrDigitAt(domain, i))
                {
                    return false;
                }

                i++;
                continue;
            }

            if (!char.IsLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // first character (when it is a letter or digit) and three mask characters; a word of mask characters stays
    private string KeepFirst(string word)
    {
        if (word.Length == 0)
        {
            return _m3;
        }

        if (IsAllMask(word))
        {
            return word;
        }

        return IsLetterOrDigitAt(word, 0) ? string.Concat(word.AsSpan(0, FirstElementLength(word)), _m3) : _m3;
    }

    private bool IsAllMask(string s)
    {
        var any = false;
        foreach (var c in s)
        {
            if (c == _m)
            {
                any = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return any;
    }

    // the shapes MaskPhone produces: 1XX****XXXX, or an optional '+', up to 3 digits, mask characters and up to 4 digits
    private bool IsMaskedPhone(string s)
    {
        var i = 0;
        var plus = s.Length > 0 && s[0] == '+';
        if (plus)
        {
            i++;
        }

        var d1 = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            d1++;
        }

        var masks = 0;
        while (i < s.Length && s[i] == _m)
        {
            i++;
            masks++;
        }

        var d2 = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            d2++;
        }

        if (i != s.Length || masks == 0 || d1 > 3 || d2 > 4)
        {
            return false;
        }

        return plus || d1 == 0 || (d1 == 3 && masks == 4 && d2 == 4);
    }

    private bool IsMaskedResidentId(string s)
    {
        int f = Options.ResidentIdKeepFirst, l = Options.ResidentIdKeepLast;
        if (s.Length is not (15 or 18))
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var ok = i < f ? char.IsAsciiDigit(c) : i >= s.Length - l ? char.IsAsciiDigit(c) || c is 'X' or 'x' : c == _m;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Masking of the personal values the library itself writes into messages and <see cref="object.ToString"/>.</summary>
internal static class PersonalText
{
    public static string Describe(Customer c)
    {
        var m = PersonalDataMasker.Default;
        var sb = new StringBuilder();
        sb.Append("Customer { Id = ").Append(c.Id.Value)
            .Append(", Kind = ").Append(c.Kind)
            .Append(", DisplayName = ").Append(m.MaskName(c.DisplayName))
            .Append(", Emails = [").AppendJoin(", ", (c.Emails.IsDefault ? [] : c.Emails).Select(m.MaskEmail))
            .Append("], Phones = [").AppendJoin(", ", (c.Phones.IsDefault ? [] : c.Phones).Select(m.MaskPhone))
            .Append("], Birthday = ").Append(c.Birthday is null ? "(none)" : m.MaskBirthday())
            .Append(", CustomAttributes = ").Append(c.CustomAttributes?.Count ?? 0)
            .Append(", CreatedAt = ").Append(c.CreatedAt.ToString())
            .Append(", UpdatedAt = ").Append(c.UpdatedAt.ToString())
            .Append(", Version = ").Append(c.Version.ToString(CultureInfo.InvariantCulture))
            .Append(" }");
        return sb.ToString();
    }
}
