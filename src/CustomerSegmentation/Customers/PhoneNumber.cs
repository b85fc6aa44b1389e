using System.Globalization;

namespace CustomerSegmentation.Customers;

/// <summary>A validated phone number in E.164 form, e.g. <c>+8613812345678</c>.</summary>
/// <remarks>
/// <para>Surrounding white space is trimmed; control characters inside are rejected. Parsing accepts the usual ways people write numbers: spaces, hyphens, dots, slashes and brackets as separators
/// (<c>(010) 1234-5678</c>), full-width digits (<c>１３８…</c>), a <c>+</c> or <c>00</c> international prefix, and the
/// <c>(0)</c> that British, German and Chinese numbers often carry after the country code. Numbers without a country code
/// follow the rules of the default <see cref="PhoneRegion"/>. Letters, extensions and short codes are rejected.</para>
/// <para>The rules are deliberately simple (no external phone library): for China, the US, the UK and Germany they check
/// the number plan's shape and length; for other country codes only that the number has 7..15 digits and a known
/// country-code shape. A number that passes is well-formed, not necessarily in service.</para>
/// <para>The default value is not a valid number; its <see cref="E164"/> is the empty string.</para>
/// </remarks>
public readonly record struct PhoneNumber
{
    /// <summary>The longest input accepted, in characters (separators included).</summary>
    public const int MaxInputLength = 64;

    private static readonly int[] TwoDigitCountryCodes =
    [
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
        60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ];

    private readonly string? _e164;

    private PhoneNumber(string e164, int countryCallingCode)
    {
        _e164 = e164;
        CountryCallingCode = countryCallingCode;
    }

    /// <summary>Gets the number in E.164 form: <c>+</c>, the country calling code and the national significant number.</summary>
    public string E164 => _e164 ?? string.Empty;

    /// <summary>Gets the country calling code, e.g. 86 for China (0 for the default value).</summary>
    public int CountryCallingCode { get; }

    /// <summary>Gets the national significant number: the digits after the country calling code, without a trunk 0.</summary>
    public string NationalNumber => _e164 is null ? string.Empty : _e164[(1 + Digits(CountryCallingCode))..];

    /// <summary>Validates a phone number and converts it to E.164; never throws.</summary>
    /// <param name="text">The user's input.</param>
    /// <param name="defaultRegion">The region whose rules apply to a number written without a country code.</param>
    /// <returns>The number, or the reason it is not valid.</returns>
    public static ContactParseResult<PhoneNumber> Parse(string? text, PhoneRegion defaultRegion = PhoneRegion.None)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail(ValidationCodes.Empty, "No phone number was given (empty or white space).");
        }

        if (text.Length > MaxInputLength)
        {
            return Fail(ValidationCodes.TooLong, $"A phone number has at most {MaxInputLength} characters with separators; got {text.Length}.");
        }

        text = text.Trim();

        Span<char> digits = stackalloc char[MaxInputLength];
        var count = 0;
        var plus = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '０' and <= '９')
            {
                c = (char)(c - '０' + '0');
            }

            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
            else if (c is '+' or '＋')
            {
                if (count > 0 || plus)
                {
                    return Fail(ValidationCodes.InvalidPhone, "A '+' may only start a phone number.");
                }

                plus = true;
            }
            else if (char.IsControl(c))
            {
                return Fail(ValidationCodes.ControlCharacter, $"The phone number holds the control character U+{(int)c:X4} at position {i}.");
            }
            else if (!IsSeparator(c))
            {
                return Fail(ValidationCodes.InvalidPhone, $"A phone number holds digits and separators only, not '{(char.IsSurrogate(c) ? '?' : c)}' (position {i}).");
            }
        }

        if (count == 0)
        {
            return Fail(ValidationCodes.InvalidPhone, "The phone number has no digits.");
        }

        var d = new string(digits[..count]);
        if (plus)
        {
            return International(d);
        }

        if (d.StartsWith("00", StringComparison.Ordinal))
        {
            return International(d[2..]);
        }

        if (defaultRegion == PhoneRegion.UnitedStates && d.StartsWith("011", StringComparison.Ordinal))
        {
            return International(d[3..]);
        }

        return defaultRegion switch
        {
            PhoneRegion.China => NationalChina(d),
            PhoneRegion.UnitedStates => NationalNanp(d),
            PhoneRegion.UnitedKingdom => NationalWithTrunk(d, 44, "British"),
            PhoneRegion.Germany => NationalWithTrunk(d, 49, "German"),
            PhoneRegion.None => Fail(ValidationCodes.InvalidPhone, $"'{Masked(d)}' has no country code: write it as +<country code> <number> or set a default region."),
            _ => Fail(ValidationCodes.InvalidPhone, $"Unknown default region {(int)defaultRegion}."),
        };
    }

    /// <summary>Validates a phone number and converts it to E.164; never throws.</summary>
    /// <param name="text">The user's input.</param>
    /// <param name="defaultRegion">The region whose rules apply to a number written without a country code.</param>
    /// <param name="number">The number, or the default value.</param>
    /// <returns><see langword="true"/> when the input is a valid number.</returns>
    public static bool TryParse(string? text, PhoneRegion defaultRegion, out PhoneNumber number) => Parse(text, defaultRegion).TryGetValue(out number);

    /// <summary>Returns the E.164 form.</summary>
    /// <returns>The number.</returns>
    public override string ToString() => E164;

    // error messages quote the number masked (last 4 digits of 8 or more), never in clear: it is personal data
    private static string Masked(string digits) => CustomerSegmentation.Privacy.PersonalDataMasker.MaskPhoneDigits(digits);

    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '-' or '.' or '(' or ')' or '/' or '（' or '）' or '－' or '‐' or '‑' or '‒' or '–' or '—';

    private static int Digits(int code) => code < 10 ? 1 : code < 100 ? 2 : 3;

    private static ContactParseResult<PhoneNumber> Fail(string code, string reason) => ContactParseResult<PhoneNumber>.Failure(code, reason);

    private static ContactParseResult<PhoneNumber> International(string d)
    {
        if (d.Length == 0 || d[0] == '0')
        {
            return Fail(ValidationCodes.InvalidPhone, $"'{Masked(d)}' does not start with a country calling code (country codes do not start with 0).");
        }

        int ccLength;
        if (d[0] is '1' or '7')
        {
            ccLength = 1;
        }
        else if (d.Length >= 2 && Array.IndexOf(TwoDigitCountryCodes, ((d[0] - '0') * 10) + (d[1] - '0')) >= 0)
        {
            ccLength = 2;
        }
        else
        {
            ccLength = 3;
        }

        if (d.Length <= ccLength)
        {
            return Fail(ValidationCodes.InvalidPhone, $"'{Masked("+" + d)}' has a country code but no number.");
        }

        var cc = int.Parse(d.AsSpan(0, ccLength), NumberStyles.None, CultureInfo.InvariantCulture);
        var nsn = d[ccLength..];

        // "+44 (0)20 …", "+86 (0)10 …": the trunk 0 is not part of the international number.
        if (cc is 86 or 44 or 49 && nsn.Length > 1 && nsn[0] == '0')
        {
            nsn = nsn[1..];
        }

        return cc switch
        {
            86 => ChinaNsn(nsn, $"+86 {nsn}"),
            1 => NanpNsn(nsn, $"+1 {nsn}"),
            44 => Ok(44, nsn, GbNsnError(nsn)),
            49 => Ok(49, nsn, DeNsnError(nsn)),
            _ => ccLength + nsn.Length is < 7 or > 15
                ? Fail(ValidationCodes.InvalidPhone, $"An international number has 7..15 digits with its country code; '{Masked("+" + d)}' has {d.Length}.")
                : Ok(cc, nsn, null),
        };
    }

    private static ContactParseResult<PhoneNumber> Ok(int cc, string nsn, string? error) =>
        error is null
            ? ContactParseResult<PhoneNumber>.Success(new PhoneNumber(string.Create(CultureInfo.InvariantCulture, $"+{cc}{nsn}"), cc))
            : Fail(ValidationCodes.InvalidPhone, error);

    private static ContactParseResult<PhoneNumber> NationalChina(string d)
    {
        if (d[0] == '0')
        {
            return ChinaNsn(d[1..], d);
        }

        // Exports often drop the '+' of "+86 138…": 13 digits starting with 861[3-9] are a mobile number with its country code.
        if (d.Length == 13 && d.StartsWith("861", StringComparison.Ordinal) && d[3] is >= '3' and <= '9')
        {
            return ChinaNsn(d[2..], d);
        }

        if (d.Length == 11 && d[0] == '1')
        {
            return ChinaNsn(d, d);
        }

        if (d.Length == 10 && (d.StartsWith("400", StringComparison.Ordinal) || d.StartsWith("800", StringComparison.Ordinal)))
        {
            return Ok(86, d, null);
        }

        return Fail(
            ValidationCodes.InvalidPhone,
            $"'{Masked(d)}' ({d.Length} digits) is not a Chinese number: a mobile has 11 digits starting 13..19, a landline needs its area code with the leading 0 (e.g. 010-12345678, 0755-12345678).");
    }

    private static ContactParseResult<PhoneNumber> ChinaNsn(string nsn, string shown)
    {
        if (nsn.Length > 0 && nsn[0] == '1' && (nsn.Length < 2 || nsn[1] != '0'))
        {
            return nsn.Length == 11 && nsn[1] is >= '3' and <= '9'
                ? Ok(86, nsn, null)
                : Fail(ValidationCodes.InvalidPhone, $"'{Masked(shown)}' is not a Chinese mobile number: 11 digits starting 13..19.");
        }

        // Area codes: 10 and 20..29 have two digits and 8-digit subscribers; all others have three digits and 7 or 8.
        var valid = nsn.Length > 0 && nsn[0] switch
        {
            '1' or '2' => nsn.Length == 10,
            >= '3' and <= '9' => nsn.Length is 10 or 11,
            _ => false,
        };

        return valid
            ? Ok(86, nsn, null)
            : Fail(
                ValidationCodes.InvalidPhone,
                $"'{Masked(shown)}' is not a Chinese landline: area code 10 or 2x with 8 digits, or a 3-digit area code with 7 or 8 digits (e.g. 010-12345678, 0755-12345678).");
    }

    private static ContactParseResult<PhoneNumber> NationalNanp(string d)
    {
        if (d.Length == 11 && d[0] == '1')
        {
            d = d[1..];
        }

        return NanpNsn(d, d);
    }

    private static ContactParseResult<PhoneNumber> NanpNsn(string nsn, string shown) =>
        nsn.Length == 10 && nsn[0] is >= '2' and <= '9' && nsn[3] is >= '2' and <= '9'
            ? Ok(1, nsn, null)
            : Fail(ValidationCodes.InvalidPhone, $"'{Masked(shown)}' is not a North American number: 10 digits NXX-NXX-XXXX, area code and exchange starting 2..9.");

    private static ContactParseResult<PhoneNumber> NationalWithTrunk(string d, int cc, string adjective)
    {
        if (d[0] != '0')
        {
            return Fail(ValidationCodes.InvalidPhone, $"'{Masked(d)}' lacks the leading 0 of a {adjective} national number; write it with the 0 or as +{cc}.");
        }

        var nsn = d[1..];
        return Ok(cc, nsn, cc == 44 ? GbNsnError(nsn) : DeNsnError(nsn));
    }

    private static string? GbNsnError(string nsn) =>
        nsn.Length is 9 or 10 && nsn[0] is '1' or '2' or '3' or '5' or '7' or '8' or '9'
            ? null
            : $"'{Masked(nsn)}' is not a British number: after the 0 come 9 or 10 digits starting 1, 2, 3, 5, 7, 8 or 9 (e.g. 020 7946 0958, 07700 900123).";

    private static string? DeNsnError(string nsn) =>
        nsn.Length is >= 6 and <= 13 && nsn[0] != '0'
            ? null
            : $"'{Masked(nsn)}' is not a German number: after the 0 come 6 to 13 digits (e.g. 030 12345678, 0151 23456789).";
}
