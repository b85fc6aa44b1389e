using System.Security.Cryptography;
using System.Text;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// Keyed pseudonyms for analytics exports and erasure: HMAC-SHA256 with a host key over a kind prefix and the normalised value, written as
/// 26 lower-case base32 characters (the first 128 bits). The same key gives the same pseudonym in every export; without the key a pseudonym
/// can be neither reversed nor recomputed from a guessed phone number or email.
/// </summary>
/// <remarks>
/// <para>Each kind of value has its own prefix (<c>customer-id</c>, <c>email</c>, <c>phone</c>), so an id and an email with the same text get
/// different pseudonyms. Emails are normalised with <see cref="EmailAddress.Parse"/> and lower-cased whole, phones put in E.164 with
/// <see cref="PhoneNumber.Parse"/>, so <c> Li@Example.COM</c> and <c>li@example.com</c>, or <c>138 1234 5678</c> and <c>+8613812345678</c>, match.
/// Values that do not parse are hashed as given (trimmed).</para>
/// <para>Keep the key in a secret store and rotate it only together with the exports that use it: a new key gives new pseudonyms.</para>
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class Pseudonymiser
{
    /// <summary>The shortest key accepted, in bytes (256 bits, the HMAC-SHA256 block strength).</summary>
    public const int MinKeyLength = 32;

    /// <summary>The prefix of pseudonymous customer ids: <c>anon-</c>.</summary>
    public const string IdPrefix = "anon-";

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly byte[] _key;

    /// <summary>Creates a pseudonymiser with the host's key.</summary>
    /// <param name="key">The key, at least <see cref="MinKeyLength"/> bytes (e.g. from <see cref="RandomNumberGenerator.GetBytes(int)"/>, kept in a secret store).</param>
    /// <param name="defaultPhoneRegion">The region that reads phone numbers written without a country code.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is shorter than <see cref="MinKeyLength"/> bytes.</exception>
    public Pseudonymiser(ReadOnlySpan<byte> key, PhoneRegion defaultPhoneRegion = PhoneRegion.China)
    {
        if (key.Length < MinKeyLength)
        {
            throw new ArgumentException($"The pseudonymisation key needs at least {MinKeyLength} bytes; got {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
        DefaultPhoneRegion = defaultPhoneRegion;
    }

    /// <summary>Gets the region that reads phone numbers written without a country code.</summary>
    public PhoneRegion DefaultPhoneRegion { get; }

    /// <summary>Computes the pseudonym of a value of a kind.</summary>
    /// <param name="kind">The kind prefix, e.g. <c>order-id</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>26 lower-case base32 characters.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public string Pseudonymise(string kind, string value)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(value);
        var message = Encoding.UTF8.GetBytes(kind + "\u001f" + value);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, message, mac);
        return ToBase32(mac[..16]);
    }

    /// <summary>Computes a customer's pseudonymous id: <c>anon-</c> and the pseudonym of the id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The pseudonymous id, stable for the key.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    public CustomerId PseudonymousId(CustomerId id)
    {
        if (id == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(id));
        }

        return new CustomerId(IdPrefix + Pseudonymise("customer-id", id.Value));
    }

    /// <summary>Computes the pseudonym of an email address (normalised and lower-cased first).</summary>
    /// <param name="email">The address as given.</param>
    /// <returns>The pseudonym.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="email"/> is <see langword="null"/>.</exception>
    public string PseudonymiseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var normal = EmailAddress.TryParse(email, out var e) ? e.Value : email.Trim();
        return Pseudonymise("email", normal.ToLowerInvariant());
    }

    /// <summary>Computes the pseudonym of a phone number (put in E.164 first).</summary>
    /// <param name="phone">The number as given.</param>
    /// <returns>The pseudonym.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="phone"/> is <see langword="null"/>.</exception>
    public string PseudonymisePhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return Pseudonymise("phone", PhoneNumber.TryParse(phone, DefaultPhoneRegion, out var p) ? p.E164 : phone.Trim());
    }

    /// <summary>Makes the analytics form of a customer: pseudonymous id and contact points, the non-personal fields of the schema, nothing personal.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="schema">The schema that says which fields are personal; <see cref="ProfileSchema.Default"/> when <see langword="null"/>.</param>
    /// <returns>The pseudonymised customer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    public PseudonymisedCustomer Pseudonymise(Customer customer, ProfileSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        schema ??= ProfileSchema.Default;
        string? Keep(string field, string? value) => schema.TryGetField(field, out var f) && f.Sensitivity < FieldSensitivity.Personal ? value : null;
        return new PseudonymisedCustomer(
            PseudonymousId(customer.Id),
            customer.Kind,
            [.. (customer.Emails.IsDefault ? [] : customer.Emails).Where(e => e is not null).Select(PseudonymiseEmail).Distinct()],
            [.. (customer.Phones.IsDefault ? [] : customer.Phones).Where(p => p is not null).Select(PseudonymisePhone).Distinct()],
            Keep(ProfileFields.Region, customer.Region),
            Keep(ProfileFields.Industry, customer.Industry),
            Keep(ProfileFields.AcquisitionChannel, customer.AcquisitionChannel),
            customer.CreatedAt);
    }

    private static string ToBase32(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(((bytes.Length * 8) + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Base32[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}

/// <summary>The analytics form of a customer made by <see cref="Pseudonymiser.Pseudonymise(Customer, ProfileSchema?)"/>.</summary>
/// <param name="Id">The pseudonymous id (<c>anon-…</c>), the same in every export with the same key.</param>
/// <param name="Kind">Person or organisation.</param>
/// <param name="EmailKeys">The pseudonyms of the emails (to count or join, not to contact).</param>
/// <param name="PhoneKeys">The pseudonyms of the phones.</param>
/// <param name="Region">The region, unless the schema marks it personal.</param>
/// <param name="Industry">The industry, unless the schema marks it personal.</param>
/// <param name="AcquisitionChannel">The acquisition channel, unless the schema marks it personal.</param>
/// <param name="CreatedAt">When the record was created.</param>
public sealed record PseudonymisedCustomer(
    CustomerId Id,
    CustomerKind Kind,
    System.Collections.Immutable.ImmutableArray<string> EmailKeys,
    System.Collections.Immutable.ImmutableArray<string> PhoneKeys,
    string? Region,
    string? Industry,
    string? AcquisitionChannel,
    NodaTime.Instant CreatedAt);
