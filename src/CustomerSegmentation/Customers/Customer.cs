using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Customers;

/// <summary>
/// The customer profile card (客户资料卡): identity, kind, contact points, classification fields, owner, birthday,
/// consent, typed custom attributes, audit instants and a version for optimistic concurrency.
/// </summary>
/// <remarks>
/// A customer is an immutable value: change it with a <c>with</c> expression and store it with the version it
/// was read at. Stores set <see cref="Version"/>; a new customer has version 0.
/// Contact points are stored as given; profile validation (see the validation types in this namespace) checks and normalises them.
/// </remarks>
public sealed record Customer
{
    /// <summary>Creates a customer with an id, kind and display name; all other fields start empty.</summary>
    /// <param name="id">The customer's id.</param>
    /// <param name="kind">Person or organisation.</param>
    /// <param name="displayName">The name shown to people; any Unicode text.</param>
    /// <param name="createdAt">When the record was created.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="displayName"/> is <see langword="null"/>.</exception>
    public Customer(CustomerId id, CustomerKind kind, string displayName, Instant createdAt)
    {
        if (id == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(id));
        }

        ArgumentNullException.ThrowIfNull(displayName);
        Id = id;
        Kind = kind;
        DisplayName = displayName;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    /// <summary>Gets the customer's id.</summary>
    public CustomerId Id { get; }

    /// <summary>Gets the kind: person or organisation.</summary>
    public CustomerKind Kind { get; init; }

    /// <summary>Gets the display name.</summary>
    public string DisplayName { get; init; }

    /// <summary>Gets the email addresses, first is primary.</summary>
    public ImmutableArray<string> Emails { get; init; } = [];

    /// <summary>Gets the phone numbers, first is primary.</summary>
    public ImmutableArray<string> Phones { get; init; } = [];

    /// <summary>Gets the region (e.g. province or sales region), if known.</summary>
    public string? Region { get; init; }

    /// <summary>Gets the industry, if known.</summary>
    public string? Industry { get; init; }

    /// <summary>Gets the company size band (organisations), if known.</summary>
    public string? CompanySize { get; init; }

    /// <summary>Gets the acquisition channel, if known.</summary>
    public string? AcquisitionChannel { get; init; }

    /// <summary>Gets the owner (the responsible salesperson or account manager), if any.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets the birthday, if known.</summary>
    public Birthday? Birthday { get; init; }

    /// <summary>
    /// Gets the customer's own time zone, if known: the zone in which "today", birthdays and other care dates are
    /// reckoned (engagement policies use their default zone for customers without one).
    /// </summary>
    public DateTimeZone? TimeZone { get; init; }

    /// <summary>Gets a value indicating whether the customer consented to marketing contact.</summary>
    public bool MarketingConsent { get; init; }

    /// <summary>Gets the host's custom attributes by name. Values are strings, numbers (<see cref="decimal"/>), booleans, <see cref="LocalDate"/> or <see cref="Instant"/>.</summary>
    public ImmutableDictionary<string, object> CustomAttributes { get; init; } = ImmutableDictionary<string, object>.Empty;

    /// <summary>Gets when the record was created.</summary>
    public Instant CreatedAt { get; init; }

    /// <summary>Gets when the record was last changed.</summary>
    public Instant UpdatedAt { get; init; }

    /// <summary>Gets when the record was last verified with the customer, if ever.</summary>
    public Instant? LastVerifiedAt { get; init; }

    /// <summary>Gets the version for optimistic concurrency; 0 for a customer never stored. Stores set it.</summary>
    public long Version { get; init; }

    /// <summary>
    /// Compares two customers field by field: <see cref="Emails"/> and <see cref="Phones"/> as ordered sequences,
    /// <see cref="CustomAttributes"/> as sets of key/value pairs, <see cref="TimeZone"/> by its id, everything else by value.
    /// </summary>
    /// <param name="other">The other customer.</param>
    /// <returns><see langword="true"/> when every field is equal.</returns>
    public bool Equals(Customer? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id
                && Kind == other.Kind
                && string.Equals(DisplayName, other.DisplayName, StringComparison.Ordinal)
                && SameItems(Emails, other.Emails)
                && SameItems(Phones, other.Phones)
                && string.Equals(Region, other.Region, StringComparison.Ordinal)
                && string.Equals(Industry, other.Industry, StringComparison.Ordinal)
                && string.Equals(CompanySize, other.CompanySize, StringComparison.Ordinal)
                && string.Equals(AcquisitionChannel, other.AcquisitionChannel, StringComparison.Ordinal)
                && string.Equals(Owner, other.Owner, StringComparison.Ordinal)
                && Birthday == other.Birthday
                && string.Equals(TimeZone?.Id, other.TimeZone?.Id, StringComparison.Ordinal)
                && MarketingConsent == other.MarketingConsent
                && SameAttributes(CustomAttributes, other.CustomAttributes)
                && CreatedAt == other.CreatedAt
                && UpdatedAt == other.UpdatedAt
                && LastVerifiedAt == other.LastVerifiedAt
                && Version == other.Version));

    /// <summary>
    /// Describes the customer for logs and debuggers with every personal value masked (<c>DisplayName = 张*</c>,
    /// <c>Emails = [z***@example.com]</c>, <c>Phones = [138****5678]</c>, <c>Birthday = ****-**-**</c>); the region, industry, owner,
    /// channel, consent and custom attribute values are left out (only their count is shown), so no personal value appears whatever the schema says.
    /// </summary>
    /// <returns>The masked description.</returns>
    public override string ToString() => CustomerSegmentation.Privacy.PersonalText.Describe(this);

    /// <summary>Gets a hash code consistent with <see cref="Equals(Customer?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Id, Kind, StringComparer.Ordinal.GetHashCode(DisplayName), Version, UpdatedAt);

    private static bool SameItems(ImmutableArray<string> a, ImmutableArray<string> b) =>
        (a.IsDefaultOrEmpty && b.IsDefaultOrEmpty) || (!a.IsDefault && !b.IsDefault && a.AsSpan().SequenceEqual(b.AsSpan()));

    private static bool SameAttributes(ImmutableDictionary<string, object>? a, ImmutableDictionary<string, object>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        var countA = a?.Count ?? 0;
        if (countA != (b?.Count ?? 0))
        {
            return false;
        }

        if (countA == 0)
        {
            return true;
        }

        foreach (var (key, value) in a!)
        {
            if (!b!.TryGetValue(key, out var other) || !Equals(value, other))
            {
                return false;
            }
        }

        return true;
    }
}
