using System.Collections.Immutable;
using System.Globalization;
using Ardalis.GuardClauses;
using NodaTime;

namespace CustomerSegmentation.Customers;

/// <summary>
/// Validates customers against a <see cref="ProfileSchema"/>: lists every problem with its field and reason and returns
/// the normalised customer. It never throws on bad user data.
/// </summary>
/// <remarks>
/// <para>What is checked, per field of the schema that applies to the customer's kind:</para>
/// <list type="bullet">
/// <item>required fields have a value (a list: at least one valid item);</item>
/// <item>text: not white space only, no control characters, well-formed Unicode, at most <see cref="ProfileField.MaxLength"/> after trimming;</item>
/// <item>emails with <see cref="EmailAddress.Parse"/>, phones with <see cref="PhoneNumber.Parse"/> in <see cref="ProfileSchema.DefaultPhoneRegion"/>, at most <see cref="ProfileSchema.MaxContactPoints"/> of each;</item>
/// <item>the birthday's year is 1850 or later, not after the as-of date, and 29 February only in a leap year;</item>
/// <item><see cref="Customer.CreatedAt"/> and <see cref="Customer.LastVerifiedAt"/> not after the as-of instant, <see cref="Customer.UpdatedAt"/> not before <see cref="Customer.CreatedAt"/>;</item>
/// <item>custom attributes: keys of 1..64 characters without control characters, values of the declared kind (undeclared ones: any supported type, unless the schema forbids them).</item>
/// </list>
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class CustomerValidator
{
    /// <summary>The earliest birth year accepted.</summary>
    public const int MinBirthYear = 1850;

    /// <summary>Creates a validator for a schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public CustomerValidator(ProfileSchema schema) => Schema = Guard.Against.Null(schema);

    /// <summary>Gets the schema validated against.</summary>
    public ProfileSchema Schema { get; }

    /// <summary>Validates and normalises a customer.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="asOf">The instant of the validation: dates and instants after it are reported.</param>
    /// <returns>Every problem found (in schema order, custom attributes by key) and the normalised customer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    public CustomerValidationResult Validate(Customer customer, Instant asOf)
    {
        Guard.Against.Null(customer);
        var problems = new List<ValidationProblem>();
        var n = customer;
        foreach (var field in Schema.Fields)
        {
            if (field.IsCustomAttribute)
            {
                continue;
            }

            var applies = field.AppliesToKind(customer.Kind);
            var required = field.Required && applies;
            switch (field.Name)
            {
                case ProfileFields.Id:
                    if (customer.Id == default)
                    {
                        problems.Add(new(field.Name, ValidationCodes.Required, "The customer has no id."));
                    }

                    break;
                case ProfileFields.Kind:
                    if (!Enum.IsDefined(customer.Kind))
                    {
                        problems.Add(new(field.Name, ValidationCodes.InvalidValue, $"{(int)customer.Kind} is not a customer kind (Person or Organisation)."));
                    }

                    break;
                case ProfileFields.DisplayName:
                    n = n with { DisplayName = CheckText(field, customer.DisplayName, required, problems) ?? customer.DisplayName };
                    break;
                case ProfileFields.Region:
                    n = n with { Region = CheckOptionalText(field, customer.Region, required, problems) };
                    break;
                case ProfileFields.Industry:
                    n = n with { Industry = CheckOptionalText(field, customer.Industry, required, problems) };
                    break;
                case ProfileFields.CompanySize:
                    n = n with { CompanySize = CheckOptionalText(field, customer.CompanySize, required, problems) };
                    break;
                case ProfileFields.AcquisitionChannel:
                    n = n with { AcquisitionChannel = CheckOptionalText(field, customer.AcquisitionChannel, required, problems) };
                    break;
                case ProfileFields.Owner:
                    n = n with { Owner = CheckOptionalText(field, customer.Owner, required, problems) };
                    break;
                case ProfileFields.Emails:
                    n = n with { Emails = CheckList(field, customer.Emails, required, problems, static t => ToText(EmailAddress.Parse(t))) };
                    break;
                case ProfileFields.Phones:
                    var region = Schema.DefaultPhoneRegion;
                    n = n with { Phones = CheckList(field, customer.Phones, required, problems, t => ToText(PhoneNumber.Parse(t, region))) };
                    break;
                case ProfileFields.Birthday:
                    CheckBirthday(field, customer.Birthday, required, asOf, problems);
                    break;
                case ProfileFields.TimeZone:
                    if (required && customer.TimeZone is null)
                    {
                        problems.Add(new(field.Name, ValidationCodes.Required, "The customer has no time zone."));
                    }

                    break;
                case ProfileFields.CreatedAt:
                    if (customer.CreatedAt > asOf)
                    {
                        problems.Add(new(field.Name, ValidationCodes.InFuture, $"Created at {customer.CreatedAt}, after the as-of instant {asOf}."));
                    }

                    break;
                case ProfileFields.UpdatedAt:
                    if (customer.UpdatedAt < customer.CreatedAt)
                    {
                        problems.Add(new(field.Name, ValidationCodes.InvalidValue, $"Updated at {customer.UpdatedAt}, before it was created at {customer.CreatedAt}."));
                    }

                    break;
                case ProfileFields.LastVerifiedAt:
                    if (customer.LastVerifiedAt is { } verified && verified > asOf)
                    {
                        problems.Add(new(field.Name, ValidationCodes.InFuture, $"Verified at {verified}, after the as-of instant {asOf}."));
                    }
                    else if (required && customer.LastVerifiedAt is null)
                    {
                        problems.Add(new(field.Name, ValidationCodes.Required, "The profile was never verified."));
                    }

                    break;
                default:
                    // MarketingConsent: a bool always has a valid value.
                    break;
            }
        }

        n = n with { CustomAttributes = CheckAttributes(customer, problems) };
        return new CustomerValidationResult(n, [.. problems]);
    }

    private static (bool Ok, string Value, string? Code, string? Reason) ToText<T>(ContactParseResult<T> r)
        where T : struct => r.TryGetValue(out var v) ? (true, v.ToString() ?? string.Empty, null, null) : (false, string.Empty, r.ErrorCode, r.Error);

    private static string? CheckText(ProfileField field, string? text, bool required, List<ValidationProblem> problems, string? key = null)
    {
        var name = key ?? field.Name;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                problems.Add(new(name, ValidationCodes.Required, $"{name} is required but {(text is null ? "missing" : "empty")}."));
            }

            return null;
        }

        if (TextRules.Check(text, field.MaxLength, out var normalized) is { } bad)
        {
            problems.Add(new(name, bad.Code, $"{name} {bad.Reason}."));
            return null;
        }

        return normalized;
    }

    private static string? CheckOptionalText(ProfileField field, string? text, bool required, List<ValidationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            CheckText(field, text, required, problems);
            return null;
        }

        return CheckText(field, text, required, problems) ?? text;
    }

    private ImmutableArray<string> CheckList(
        ProfileField field,
        ImmutableArray<string> items,
        bool required,
        List<ValidationProblem> problems,
        Func<string?, (bool Ok, string Value, string? Code, string? Reason)> parse)
    {
        if (items.IsDefault)
        {
            items = [];
        }

        if (items.Length > Schema.MaxContactPoints)
        {
            problems.Add(new(field.Name, ValidationCodes.TooMany, $"{field.Name} has {items.Length} entries; at most {Schema.MaxContactPoints} are allowed."));
        }

        var result = ImmutableArray.CreateBuilder<string>(items.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var (ok, value, code, reason) = parse(items[i]);
            if (ok)
            {
                valid++;
                if (seen.Add(value))
                {
                    result.Add(value);
                }
            }
            else
            {
                problems.Add(new($"{field.Name}[{i}]", code ?? ValidationCodes.InvalidValue, reason ?? "The value is not valid."));
                result.Add(items[i] ?? string.Empty);
            }
        }

        if (required && valid == 0)
        {
            problems.Add(new(field.Name, ValidationCodes.Required, $"{field.Name} is required: at least one valid entry."));
        }

        return result.ToImmutable();
    }

    private static void CheckBirthday(ProfileField field, Birthday? birthday, bool required, Instant asOf, List<ValidationProblem> problems)
    {
        if (birthday is not { } b)
        {
            if (required)
            {
                problems.Add(new(field.Name, ValidationCodes.Required, "The birthday is required."));
            }

            return;
        }

        if (b.Year is not { } year)
        {
            return;
        }

        var today = asOf.InUtc().Date;
        if (year < MinBirthYear || year > today.Year)
        {
            problems.Add(new(field.Name, ValidationCodes.InvalidValue, $"The birth year is outside {MinBirthYear}..{today.Year} (the year itself is personal data and not quoted)."));
        }
        else if (b.Day.Month == 2 && b.Day.Day == 29 && !CalendarSystem.Iso.IsLeapYear(year))
        {
            problems.Add(new(field.Name, ValidationCodes.InvalidValue, "The birthday is 29 February, which does not exist in the (not quoted) birth year: it is not a leap year."));
        }
        else if (b.Day.InYear(year) > today)
        {
            problems.Add(new(field.Name, ValidationCodes.InFuture, $"The date of birth (not quoted) is after the as-of date {today:yyyy-MM-dd}."));
        }
    }

    private ImmutableDictionary<string, object> CheckAttributes(Customer customer, List<ValidationProblem> problems)
    {
        var attributes = customer.CustomAttributes ?? ImmutableDictionary<string, object>.Empty;
        foreach (var field in Schema.Fields)
        {
            if (field.IsCustomAttribute && field.Required && field.AppliesToKind(customer.Kind) && !HasValue(attributes, field.Name))
            {
                problems.Add(new(Key(field.Name), ValidationCodes.Required, $"The custom attribute '{field.Name}' is required."));
            }
        }

        var result = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var name = Key(key);
            if (string.IsNullOrWhiteSpace(key) || key.Length > ProfileSchema.MaxAttributeKeyLength || TextRules.FindBadCharacter(key) is not null)
            {
                problems.Add(new(name, ValidationCodes.InvalidValue, $"A custom attribute key has 1..{ProfileSchema.MaxAttributeKeyLength} characters without control characters (got {key.Length} characters)."));
                result[key] = value;
                continue;
            }

            var declared = Schema.TryGetField(key, out var field) && field.IsCustomAttribute ? field : null;
            if (declared is null && !Schema.AllowUndeclaredAttributes)
            {
                problems.Add(new(name, ValidationCodes.Undeclared, $"The custom attribute '{key}' is not declared in the profile schema."));
                result[key] = value;
                continue;
            }

            if (value is null)
            {
                continue;
            }

            var kind = declared?.Kind ?? KindOf(value);
            var maxLength = declared?.MaxLength ?? ProfileField.DefaultMaxLength;
            object? converted = null;
            string? typeReason = null;
            if (kind is null || !ConvertTo(kind.Value, value, out converted, out typeReason))
            {
                problems.Add(new(name, ValidationCodes.WrongType, typeReason ?? $"The custom attribute '{key}' holds a {value.GetType().Name}; supported are string, decimal (and other numbers), bool, LocalDate and Instant."));
                result[key] = value;
                continue;
            }

            if (converted is string text)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    // Blank text is no value: dropped (and reported above when required).
                    continue;
                }

                if (TextRules.Check(text, maxLength, out var normalized) is { } bad)
                {
                    problems.Add(new(name, bad.Code, $"The custom attribute '{key}' {bad.Reason}."));
                    result[key] = value;
                    continue;
                }

                converted = normalized;
            }

            result[key] = converted!;
        }

        return result.ToImmutable();
    }

    private static string Key(string key) => $"{ProfileFields.CustomAttributes}[{key}]";

    internal static bool HasValue(ImmutableDictionary<string, object>? attributes, string key) =>
        attributes is not null && attributes.TryGetValue(key, out var v) && v is not null && (v is not string s || !string.IsNullOrWhiteSpace(s));

    private static FieldKind? KindOf(object value) => value switch
    {
        string => FieldKind.Text,
        bool => FieldKind.Boolean,
        LocalDate => FieldKind.Date,
        Instant => FieldKind.Instant,
        decimal or byte or sbyte or short or ushort or int or uint or long or ulong or double or float => FieldKind.Number,
        _ => null,
    };

    private static bool ConvertTo(FieldKind kind, object value, out object? converted, out string? reason)
    {
        reason = null;
        converted = null;
        switch (kind)
        {
            case FieldKind.Text when value is string:
            case FieldKind.Boolean when value is bool:
            case FieldKind.Date when value is LocalDate:
            case FieldKind.Instant when value is Instant:
            case FieldKind.Number when value is decimal:
                converted = value;
                return true;
            case FieldKind.Number when value is byte or sbyte or short or ushort or int or uint or long or ulong:
                converted = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                return true;
            case FieldKind.Number when value is double or float:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d) || Math.Abs(d) > 7.9e28)
                {
                    reason = "The number (not quoted: attribute values may be personal) is not finite or beyond ±7.9e28, so it cannot be stored as a decimal.";
                    return false;
                }

                converted = (decimal)d;
                return true;
            default:
                reason = $"The value is a {value.GetType().Name}, but the attribute is declared as {kind}.";
                return false;
        }
    }
}
