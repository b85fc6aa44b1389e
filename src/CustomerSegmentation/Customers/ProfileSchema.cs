using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Customers;

/// <summary>
/// The data dictionary of the customer profile: which fields exist, which are required, their kind, their sensitivity
/// and their weight in the completeness score, plus the rules for contact points and custom attributes.
/// </summary>
/// <remarks>
/// <para>A schema is immutable and safe to share between threads. Start from <see cref="Default"/> and change it with
/// <see cref="ToBuilder"/>; the builder checks the configuration in <see cref="ProfileSchemaBuilder.Build"/>.</para>
/// <para>The default fields (weights person / organisation total 11 / 12):</para>
/// <list type="table">
/// <listheader><term>field</term><description>kind, sensitivity, required, weight, applies to</description></listheader>
/// <item><term>Id</term><description>Identifier, Internal, required, 0</description></item>
/// <item><term>Kind</term><description>Choice, Internal, required, 0</description></item>
/// <item><term>DisplayName</term><description>Text, Personal, required, 2</description></item>
/// <item><term>Emails</term><description>EmailList, Personal, optional, 2</description></item>
/// <item><term>Phones</term><description>PhoneList, Personal, optional, 2</description></item>
/// <item><term>Region</term><description>Text, Internal, optional, 1</description></item>
/// <item><term>Industry</term><description>Text, Public, optional, 1, organisations</description></item>
/// <item><term>CompanySize</term><description>Text, Public, optional, 1, organisations</description></item>
/// <item><term>AcquisitionChannel</term><description>Text, Internal, optional, 1</description></item>
/// <item><term>Owner</term><description>Text, Internal, optional, 1</description></item>
/// <item><term>Birthday</term><description>Birthday, Personal, optional, 1, persons</description></item>
/// <item><term>TimeZone</term><description>Choice, Internal, optional, 0</description></item>
/// <item><term>MarketingConsent</term><description>Boolean, Personal, optional, 0</description></item>
/// <item><term>CreatedAt</term><description>Instant, Internal, required, 0</description></item>
/// <item><term>UpdatedAt</term><description>Instant, Internal, required, 0</description></item>
/// <item><term>LastVerifiedAt</term><description>Instant, Internal, optional, 1</description></item>
/// </list>
/// </remarks>
/// <threadsafety>Immutable; all members are safe for concurrent use.</threadsafety>
public sealed class ProfileSchema
{
    /// <summary>The default <see cref="ReviewInterval"/>: 365 days.</summary>
    public static readonly Duration DefaultReviewInterval = Duration.FromDays(365);

    /// <summary>The default <see cref="MaxContactPoints"/>: 10 emails and 10 phones.</summary>
    public const int DefaultMaxContactPoints = 10;

    /// <summary>The longest custom attribute key accepted.</summary>
    public const int MaxAttributeKeyLength = 64;

    private readonly Dictionary<string, ProfileField> _byName;

    internal ProfileSchema(
        ImmutableArray<ProfileField> fields,
        PhoneRegion defaultPhoneRegion,
        Duration reviewInterval,
        int maxContactPoints,
        bool allowUndeclaredAttributes)
    {
        Fields = fields;
        DefaultPhoneRegion = defaultPhoneRegion;
        ReviewInterval = reviewInterval;
        MaxContactPoints = maxContactPoints;
        AllowUndeclaredAttributes = allowUndeclaredAttributes;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets the default schema: the built-in fields in the table above, phones in <see cref="PhoneRegion.China"/> by default, a 365-day review interval, at most 10 emails and 10 phones, undeclared custom attributes allowed.</summary>
    public static ProfileSchema Default { get; } = new ProfileSchemaBuilder().Build();

    /// <summary>Gets every field, built-in ones first in <see cref="Customer"/> order, then the declared custom attributes.</summary>
    public ImmutableArray<ProfileField> Fields { get; }

    /// <summary>Gets the region whose rules apply to phone numbers written without a country code.</summary>
    /// <value>Default <see cref="PhoneRegion.China"/>.</value>
    public PhoneRegion DefaultPhoneRegion { get; }

    /// <summary>Gets how long a verified profile stays fresh (see <see cref="ProfileStaleness"/>).</summary>
    /// <value>Default 365 days.</value>
    public Duration ReviewInterval { get; }

    /// <summary>Gets the most emails, and the most phones, a customer may have.</summary>
    /// <value>Default 10.</value>
    public int MaxContactPoints { get; }

    /// <summary>Gets a value indicating whether custom attributes not declared in the schema are accepted (their values must still be of a supported type).</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool AllowUndeclaredAttributes { get; }

    /// <summary>Gets a field by name.</summary>
    /// <param name="name">A <see cref="ProfileFields"/> name or a declared custom attribute key.</param>
    /// <returns>The field.</returns>
    /// <exception cref="KeyNotFoundException">The schema has no such field.</exception>
    public ProfileField this[string name] =>
        TryGetField(name, out var field) ? field : throw new KeyNotFoundException($"The profile schema has no field '{name}'.");

    /// <summary>Looks a field up by name.</summary>
    /// <param name="name">A <see cref="ProfileFields"/> name or a declared custom attribute key.</param>
    /// <param name="field">The field, when found.</param>
    /// <returns><see langword="true"/> when the schema has the field.</returns>
    public bool TryGetField(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ProfileField field)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out field);
    }

    /// <summary>Creates a builder that starts from this schema.</summary>
    /// <returns>The builder.</returns>
    public ProfileSchemaBuilder ToBuilder() => new(this);

    /// <summary>Validates a customer against this schema; never throws on bad user data. Same as <see cref="CustomerValidator.Validate"/>.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="asOf">The instant of the validation: dates and instants after it are reported.</param>
    /// <returns>Every problem found and the normalised customer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    public CustomerValidationResult Validate(Customer customer, Instant asOf) => new CustomerValidator(this).Validate(customer, asOf);
}
