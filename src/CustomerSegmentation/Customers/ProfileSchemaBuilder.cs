using System.Collections.Immutable;
using Ardalis.GuardClauses;
using NodaTime;

namespace CustomerSegmentation.Customers;

/// <summary>Builds a <see cref="ProfileSchema"/>; a new builder starts with the default fields and settings.</summary>
/// <remarks>Not thread-safe. <see cref="Build"/> checks the whole configuration and throws <see cref="ProfileSchemaException"/> when it is not valid.</remarks>
public sealed class ProfileSchemaBuilder
{
    private static readonly FieldKind[] CustomKinds = [FieldKind.Text, FieldKind.Number, FieldKind.Boolean, FieldKind.Date, FieldKind.Instant];

    private readonly List<ProfileField> _fields;
    private readonly HashSet<string> _builtInNames;
    private readonly Dictionary<string, FieldKind> _builtInKinds;

    /// <summary>Creates a builder with the default fields and settings of <see cref="ProfileSchema.Default"/>.</summary>
    public ProfileSchemaBuilder()
    {
        _fields = [.. DefaultFields()];
        _builtInNames = new HashSet<string>(_fields.Select(f => f.Name), StringComparer.Ordinal);
        _builtInKinds = _fields.ToDictionary(f => f.Name, f => f.Kind, StringComparer.Ordinal);
    }

    /// <summary>Creates a builder that starts from an existing schema.</summary>
    /// <param name="schema">The schema to copy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public ProfileSchemaBuilder(ProfileSchema schema)
        : this()
    {
        Guard.Against.Null(schema);
        _fields.Clear();
        _fields.AddRange(schema.Fields);
        DefaultPhoneRegion = schema.DefaultPhoneRegion;
        ReviewInterval = schema.ReviewInterval;
        MaxContactPoints = schema.MaxContactPoints;
        AllowUndeclaredAttributes = schema.AllowUndeclaredAttributes;
    }

    /// <summary>Gets or sets the region whose rules apply to phone numbers written without a country code.</summary>
    /// <value>Default <see cref="PhoneRegion.China"/>.</value>
    public PhoneRegion DefaultPhoneRegion { get; set; } = PhoneRegion.China;

    /// <summary>Gets or sets how long a verified profile stays fresh; must be positive.</summary>
    /// <value>Default 365 days.</value>
    public Duration ReviewInterval { get; set; } = ProfileSchema.DefaultReviewInterval;

    /// <summary>Gets or sets the most emails, and the most phones, a customer may have; 1..1000.</summary>
    /// <value>Default 10.</value>
    public int MaxContactPoints { get; set; } = ProfileSchema.DefaultMaxContactPoints;

    /// <summary>Gets or sets a value indicating whether custom attributes not declared in the schema are accepted.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool AllowUndeclaredAttributes { get; set; } = true;

    /// <summary>Changes a field, e.g. <c>b.Configure(ProfileFields.Phones, f =&gt; f with { Required = true, CompletenessWeight = 3 })</c>.</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="change">Returns the changed field; its name and (for built-in fields) kind must stay the same.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>, or <paramref name="change"/> returns <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There is no field named <paramref name="name"/>.</exception>
    public ProfileSchemaBuilder Configure(string name, Func<ProfileField, ProfileField> change)
    {
        Guard.Against.Null(name);
        Guard.Against.Null(change);
        var index = _fields.FindIndex(f => string.Equals(f.Name, name, StringComparison.Ordinal));
        if (index < 0)
        {
            throw new ArgumentException($"The profile schema has no field '{name}'.", nameof(name));
        }

        _fields[index] = Guard.Against.Null(change(_fields[index]), nameof(change));
        return this;
    }

    /// <summary>Declares a custom attribute (a key of <see cref="Customer.CustomAttributes"/>).</summary>
    /// <param name="key">The attribute's key: 1..64 characters, no control characters, not a built-in field name.</param>
    /// <param name="kind">One of <see cref="FieldKind.Text"/>, <see cref="FieldKind.Number"/>, <see cref="FieldKind.Boolean"/>, <see cref="FieldKind.Date"/>, <see cref="FieldKind.Instant"/>.</param>
    /// <param name="sensitivity">How sensitive the value is.</param>
    /// <param name="required">Whether every customer must have it.</param>
    /// <param name="completenessWeight">Its weight in the completeness score.</param>
    /// <param name="description">A short description.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public ProfileSchemaBuilder AddCustomAttribute(
        string key,
        FieldKind kind,
        FieldSensitivity sensitivity = FieldSensitivity.Internal,
        bool required = false,
        double completenessWeight = 0,
        string description = "")
    {
        Guard.Against.Null(key);
        _fields.Add(new ProfileField
        {
            Name = key,
            Kind = kind,
            Sensitivity = sensitivity,
            Required = required,
            CompletenessWeight = completenessWeight,
            Description = description ?? string.Empty,
            IsCustomAttribute = true,
        });
        return this;
    }

    /// <summary>Checks the configuration and builds the schema.</summary>
    /// <returns>The schema.</returns>
    /// <exception cref="ProfileSchemaException">
    /// A field was renamed or changed kind, a weight is negative or not finite, a maximum length is outside 1..100 000,
    /// a custom attribute has a bad key, a duplicate key or an unsupported kind, the review interval is not positive,
    /// <see cref="MaxContactPoints"/> is outside 1..1000, or <see cref="DefaultPhoneRegion"/> is not defined.
    /// </exception>
    public ProfileSchema Build()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in _fields)
        {
            if (f.Name is null || !names.Add(f.Name))
            {
                throw new ProfileSchemaException($"The field name '{f.Name}' is missing or used twice.");
            }

            if (f.IsCustomAttribute)
            {
                if (_builtInNames.Contains(f.Name))
                {
                    throw new ProfileSchemaException($"The custom attribute '{f.Name}' has the name of a built-in field.");
                }

                if (string.IsNullOrWhiteSpace(f.Name) || f.Name.Length > ProfileSchema.MaxAttributeKeyLength || TextRules.FindBadCharacter(f.Name) is not null)
                {
                    throw new ProfileSchemaException($"A custom attribute key has 1..{ProfileSchema.MaxAttributeKeyLength} characters without control characters; got '{f.Name}'.");
                }

                if (Array.IndexOf(CustomKinds, f.Kind) < 0)
                {
                    throw new ProfileSchemaException($"The custom attribute '{f.Name}' has kind {f.Kind}; custom attributes are Text, Number, Boolean, Date or Instant.");
                }
            }
            else if (!_builtInKinds.TryGetValue(f.Name, out var kind) || kind != f.Kind)
            {
                throw new ProfileSchemaException($"The built-in field '{f.Name}' must keep its name and kind.");
            }

            if (!double.IsFinite(f.CompletenessWeight) || f.CompletenessWeight < 0)
            {
                throw new ProfileSchemaException($"The completeness weight of '{f.Name}' must be a finite number >= 0; got {f.CompletenessWeight}.");
            }

            if (f.MaxLength is < 1 or > 100_000)
            {
                throw new ProfileSchemaException($"The maximum length of '{f.Name}' must be 1..100000; got {f.MaxLength}.");
            }

            if (!Enum.IsDefined(f.Sensitivity) || (f.AppliesTo is { } k && !Enum.IsDefined(k)))
            {
                throw new ProfileSchemaException($"The field '{f.Name}' has an undefined sensitivity or customer kind.");
            }
        }

        if (ReviewInterval <= Duration.Zero)
        {
            throw new ProfileSchemaException($"The review interval must be positive; got {ReviewInterval}.");
        }

        if (MaxContactPoints is < 1 or > 1000)
        {
            throw new ProfileSchemaException($"MaxContactPoints must be 1..1000; got {MaxContactPoints}.");
        }

        if (!Enum.IsDefined(DefaultPhoneRegion))
        {
            throw new ProfileSchemaException($"The default phone region {(int)DefaultPhoneRegion} is not defined.");
        }

        return new ProfileSchema([.. _fields], DefaultPhoneRegion, ReviewInterval, MaxContactPoints, AllowUndeclaredAttributes);
    }

    private static ImmutableArray<ProfileField> DefaultFields() =>
    [
        Field(ProfileFields.Id, FieldKind.Identifier, FieldSensitivity.Internal, true, 0, "The customer's id."),
        Field(ProfileFields.Kind, FieldKind.Choice, FieldSensitivity.Internal, true, 0, "Person or organisation."),
        Field(ProfileFields.DisplayName, FieldKind.Text, FieldSensitivity.Personal, true, 2, "The name shown to people (姓名 / 公司名称)."),
        Field(ProfileFields.Emails, FieldKind.EmailList, FieldSensitivity.Personal, false, 2, "Email addresses, first is primary."),
        Field(ProfileFields.Phones, FieldKind.PhoneList, FieldSensitivity.Personal, false, 2, "Phone numbers in E.164, first is primary."),
        Field(ProfileFields.Region, FieldKind.Text, FieldSensitivity.Internal, false, 1, "Province, city or sales region."),
        Field(ProfileFields.Industry, FieldKind.Text, FieldSensitivity.Public, false, 1, "The organisation's industry.") with { AppliesTo = CustomerKind.Organisation },
        Field(ProfileFields.CompanySize, FieldKind.Text, FieldSensitivity.Public, false, 1, "The organisation's size band.") with { AppliesTo = CustomerKind.Organisation },
        Field(ProfileFields.AcquisitionChannel, FieldKind.Text, FieldSensitivity.Internal, false, 1, "How the customer was acquired."),
        Field(ProfileFields.Owner, FieldKind.Text, FieldSensitivity.Internal, false, 1, "The responsible salesperson or account manager."),
        Field(ProfileFields.Birthday, FieldKind.Birthday, FieldSensitivity.Personal, false, 1, "Day of birth, year optional.") with { AppliesTo = CustomerKind.Person },
        Field(ProfileFields.TimeZone, FieldKind.Choice, FieldSensitivity.Internal, false, 0, "The customer's time zone (a TZDB zone), for local days and care dates."),
        Field(ProfileFields.MarketingConsent, FieldKind.Boolean, FieldSensitivity.Personal, false, 0, "Consent to marketing contact."),
        Field(ProfileFields.CreatedAt, FieldKind.Instant, FieldSensitivity.Internal, true, 0, "When the record was created."),
        Field(ProfileFields.UpdatedAt, FieldKind.Instant, FieldSensitivity.Internal, true, 0, "When the record was last changed."),
        Field(ProfileFields.LastVerifiedAt, FieldKind.Instant, FieldSensitivity.Internal, false, 1, "When the record was last verified with the customer."),
    ];

    private static ProfileField Field(string name, FieldKind kind, FieldSensitivity sensitivity, bool required, double weight, string description) =>
        new() { Name = name, Kind = kind, Sensitivity = sensitivity, Required = required, CompletenessWeight = weight, Description = description };
}
