using System.Globalization;
using System.Text;

namespace CustomerSegmentation.Customers;

/// <summary>
/// A validated, normalised email address, internationalised addresses included (RFC 6531: <c>张伟@例子.中国</c>).
/// </summary>
/// <remarks>
/// <para>Normalisation: surrounding white space is trimmed, the text is put in Unicode form C, a full-width
/// <c>＠</c> becomes <c>@</c>, the ideographic full stops <c>。</c>, <c>．</c> and <c>｡</c> in the domain become dots,
/// and the domain is lower-cased (an internationalised domain is put in its canonical IDNA Unicode form).
/// The local part keeps its case: RFC 5321 leaves it to the receiving server.</para>
/// <para>Accepted: a dot-atom local part (ASCII letters, digits, <c>!#$%&amp;'*+/=?^_`{|}~-</c>, dots not first, last
/// or doubled, and any non-ASCII character except invisible format, private-use and unassigned ones) of at most 64 UTF-8 bytes; a domain of at least two labels, each 1..63
/// letters, digits or hyphens (not first or last) in its ASCII form, at most 253 characters; the whole address
/// at most 254. Quoted local parts, comments and IP-literal domains are not accepted: they are legal but
/// practically never customer data.</para>
/// <para>The default value is not a valid address; its <see cref="Value"/> is the empty string.</para>
/// </remarks>
public readonly record struct EmailAddress
{
    /// <summary>The longest address accepted: 254 (RFC 5321 path limit, counting the local part in UTF-8 bytes and the domain in its ASCII form).</summary>
    public const int MaxLength = 254;

    /// <summary>The longest local part accepted, in UTF-8 bytes.</summary>
    public const int MaxLocalPartLength = 64;

    private const string AsciiSpecials = "!#$%&'*+/=?^_`{|}~-";
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    private readonly string? _value;

    private EmailAddress(string value) => _value = value;

    /// <summary>Gets the normalised address, e.g. <c>Li.Na@example.com</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets the part before the <c>@</c>.</summary>
    public string LocalPart => _value is null ? string.Empty : _value[.._value.LastIndexOf('@')];

    /// <summary>Gets the lower-cased domain after the <c>@</c>.</summary>
    public string Domain => _value is null ? string.Empty : _value[(_value.LastIndexOf('@') + 1)..];

    /// <summary>Validates and normalises an email address; never throws.</summary>
    /// <param name="text">The user's input; <see langword="null"/>, blank, control characters and over-long text give a failure.</param>
    /// <returns>The normalised address, or the reason it is not valid.</returns>
    public static ContactParseResult<EmailAddress> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail(ValidationCodes.Empty, "No email address was given (empty or white space).");
        }

        if (text.Length > MaxLength * 4)
        {
            return Fail(ValidationCodes.TooLong, $"An email address has at most {MaxLength} characters; got {text.Length}.");
        }

        var trimmed = text.Trim();
        if (TextRules.FindBadCharacter(trimmed) is { } bad)
        {
            return Fail(bad.Code, $"The email address {bad.Reason}.");
        }

        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c))
            {
                return Fail(ValidationCodes.InvalidEmail, "An email address must not contain white space.");
            }

            // Invisible and private characters (zero-width space, BOM, bidi overrides) make look-alike addresses;
            // IDNA would silently drop some of them from the domain.
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                return Fail(ValidationCodes.InvalidEmail, $"An email address must not contain the invisible or unassigned character U+{(int)c:X4}.");
            }
        }

        var normalized = trimmed.Replace('＠', '@').Normalize(NormalizationForm.FormC);
        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return Fail(ValidationCodes.InvalidEmail, "An email address needs an '@' between the local part and the domain.");
        }

        if (normalized.IndexOf('@', at + 1) >= 0)
        {
            return Fail(ValidationCodes.InvalidEmail, "An email address has exactly one '@' (quoted local parts are not supported).");
        }

        var local = normalized[..at];
        if (CheckLocalPart(local) is { } localError)
        {
            return Fail(ValidationCodes.InvalidEmail, localError);
        }

        var domainText = normalized[(at + 1)..].Replace('。', '.').Replace('．', '.').Replace('｡', '.');
        if (NormalizeDomain(domainText, out var domain, out var asciiLength) is { } domainError)
        {
            return Fail(ValidationCodes.InvalidEmail, domainError);
        }

        var total = Encoding.UTF8.GetByteCount(local) + 1 + asciiLength;
        if (total > MaxLength)
        {
            return Fail(ValidationCodes.TooLong, $"An email address has at most {MaxLength} characters; this one has {total}.");
        }

        return ContactParseResult<EmailAddress>.Success(new EmailAddress(local + "@" + domain));
    }

    /// <summary>Validates and normalises an email address; never throws.</summary>
    /// <param name="text">The user's input.</param>
    /// <param name="email">The normalised address, or the default value.</param>
    /// <returns><see langword="true"/> when the input is a valid address.</returns>
    public static bool TryParse(string? text, out EmailAddress email) => Parse(text).TryGetValue(out email);

    /// <summary>Returns the normalised address.</summary>
    /// <returns>The address.</returns>
    public override string ToString() => Value;

    private static ContactParseResult<EmailAddress> Fail(string code, string reason) => ContactParseResult<EmailAddress>.Failure(code, reason);

    private static string? CheckLocalPart(string local)
    {
        if (local.Length == 0)
        {
            return "The part before the '@' is empty.";
        }

        var bytes = Encoding.UTF8.GetByteCount(local);
        if (bytes > MaxLocalPartLength)
        {
            return $"The part before the '@' has at most {MaxLocalPartLength} bytes; got {bytes}.";
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return "The part before the '@' must not start or end with a dot or hold two dots in a row.";
        }

        foreach (var c in local)
        {
            if (c < 0x80 && !char.IsAsciiLetterOrDigit(c) && c != '.' && !AsciiSpecials.Contains(c, StringComparison.Ordinal))
            {
                return $"The part before the '@' must not contain '{c}'.";
            }
        }

        return null;
    }

    private static string? NormalizeDomain(string text, out string domain, out int asciiLength)
    {
        domain = text;
        asciiLength = 0;
        if (text.Length == 0)
        {
            return "The domain after the '@' is empty.";
        }

        string ascii;
        if (Ascii.IsValid(text))
        {
            ascii = text.ToLowerInvariant();
            domain = ascii;
        }
        else
        {
            try
            {
                ascii = Idn.GetAscii(text);
                domain = Idn.GetUnicode(ascii);
            }
            catch (ArgumentException)
            {
                return $"The domain '{text}' is not a valid internationalised domain name.";
            }
        }

        if (ascii.Length > 253)
        {
            return $"A domain has at most 253 characters; got {ascii.Length}.";
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            return $"The domain '{text}' needs at least two labels, like example.com.";
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                return $"Each part of the domain '{text}' between dots has 1..63 characters.";
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"A part of the domain '{text}' must not start or end with a hyphen.";
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return $"The domain '{text}' must not contain '{c}'.";
                }
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return $"The domain '{text}' must end with a name, not a number.";
        }

        asciiLength = ascii.Length;
        return null;
    }
}
