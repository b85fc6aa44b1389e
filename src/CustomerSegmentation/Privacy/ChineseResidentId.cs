using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// A Chinese resident identity card number (居民身份证号码, GB 11643-1999): 6 digits of the address code, 8 of the date of
/// birth, 3 of the sequence code (odd for men, even for women) and a check character (0-9 or X) computed with ISO 7064 MOD 11-2.
/// </summary>
/// <remarks>The value is personal data: show it through <see cref="PersonalDataMasker.MaskResidentId"/>. Its <see cref="ToString"/> is masked.
/// The default value is not a valid number; its <see cref="Value"/> is the empty string.</remarks>
public readonly record struct ChineseResidentId
{
    /// <summary>The length of a second-generation ID number.</summary>
    public const int Length = 18;

    /// <summary>The earliest birth year accepted.</summary>
    public const int MinBirthYear = 1850;

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private readonly string? _value;

    private ChineseResidentId(string value, LocalDate birthDate)
    {
        _value = value;
        BirthDate = birthDate;
    }

    /// <summary>Gets the 18 characters, a final lower-case x upper-cased.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets the 6-digit administrative division code (province, city, county).</summary>
    public string RegionCode => _value is null ? string.Empty : _value[..6];

    /// <summary>Gets the date of birth in positions 7 to 14.</summary>
    public LocalDate BirthDate { get; }

    /// <summary>Validates an ID number: 18 characters, 17 digits and a check character, a real date of birth from 1850 on, and the ISO 7064 MOD 11-2 checksum; never throws.</summary>
    /// <param name="text">The input; surrounding white space is trimmed and a final <c>x</c> accepted.</param>
    /// <returns>The number, or the reason it is not valid. The reason never quotes the number.</returns>
    public static ContactParseResult<ChineseResidentId> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail(ValidationCodes.Empty, "No resident ID number was given (empty or white space).");
        }

        var t = text.Trim();
        if (t.Length != Length)
        {
            return Fail(ValidationCodes.InvalidValue, $"A resident ID number has {Length} characters; this one has {t.Length}.");
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(t[i]))
            {
                return Fail(ValidationCodes.InvalidValue, $"The first 17 characters of a resident ID number are digits; position {i + 1} is not.");
            }

            sum += (t[i] - '0') * Weights[i];
        }

        var check = char.ToUpperInvariant(t[17]);
        if (!char.IsAsciiDigit(check) && check != 'X')
        {
            return Fail(ValidationCodes.InvalidValue, "The last character of a resident ID number is a digit or X.");
        }

        int year = Number(t, 6, 4), month = Number(t, 10, 2), day = Number(t, 12, 2);
        if (year < MinBirthYear || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return Fail(ValidationCodes.InvalidValue, $"Positions 7 to 14 of a resident ID number are a date of birth (yyyyMMdd, from {MinBirthYear}); these are not.");
        }

        if (CheckCharacters[sum % 11] != check)
        {
            return Fail(ValidationCodes.InvalidValue, "The check character does not match the first 17 digits (ISO 7064 MOD 11-2): a digit is mistyped.");
        }

        return ContactParseResult<ChineseResidentId>.Success(new ChineseResidentId(string.Concat(t.AsSpan(0, 17), check.ToString()), new LocalDate(year, month, day)));
    }

    /// <summary>Computes the check character of 17 digits (ISO 7064 MOD 11-2).</summary>
    /// <param name="first17">The first 17 digits.</param>
    /// <returns>The check character, <c>0</c>-<c>9</c> or <c>X</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="first17"/> is not 17 ASCII digits.</exception>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17 || first17.ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException("The check character is computed from exactly 17 ASCII digits.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Returns the masked number (<c>110***********1234</c>), never the number itself.</summary>
    /// <returns>The masked number.</returns>
    public override string ToString() => PersonalDataMasker.Default.MaskResidentId(Value);

    // 15 (first generation) or 18 digits, the last one may be X: what the masker treats as an ID number
    internal static bool HasIdShape(string t)
    {
        if (t.Length is not (15 or 18))
        {
            return false;
        }

        for (var i = 0; i < t.Length - 1; i++)
        {
            if (!char.IsAsciiDigit(t[i]))
            {
                return false;
            }
        }

        return char.IsAsciiDigit(t[^1]) || t[^1] is 'X' or 'x';
    }

    private static int Number(string t, int start, int length)
    {
        var n = 0;
        for (var i = start; i < start + length; i++)
        {
            n = (n * 10) + (t[i] - '0');
        }

        return n;
    }

    private static ContactParseResult<ChineseResidentId> Fail(string code, string reason) => ContactParseResult<ChineseResidentId>.Failure(code, reason);
}
