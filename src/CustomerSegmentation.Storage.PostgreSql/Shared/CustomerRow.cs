using System.Data.Common;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Storage.Internal;

/// <summary>The customer table's columns (the same in both SQL stores) and the mapping to and from <see cref="Customer"/>.</summary>
internal static class CustomerRow
{
    /// <summary>The value columns, without <c>customer_id</c> and <c>version</c>; each is bound as <c>@name</c>.</summary>
    public static readonly string[] ValueColumns =
    [
        "kind", "display_name", "emails", "phones", "region", "industry", "company_size", "acquisition_channel", "owner",
        "birthday_month", "birthday_day", "birthday_year", "marketing_consent", "custom_attributes", "created_at_ns",
        "updated_at_ns", "last_verified_at_ns",
    ];

    /// <summary>Gets the select list: id, version, then <see cref="ValueColumns"/>.</summary>
    public static string SelectList { get; } = "customer_id, version, " + string.Join(", ", ValueColumns);

    /// <summary>Binds <c>@customer_id</c> and every value column of the customer.</summary>
    /// <exception cref="ArgumentException">A custom attribute has a type the stores cannot keep, or an instant is out of range.</exception>
    public static void Bind(DbCommand command, Customer c)
    {
        Add(command, "customer_id", c.Id.Value);
        Add(command, "kind", (short)c.Kind);
        Add(command, "display_name", c.DisplayName);
        Add(command, "emails", StorageCodec.ToJson(c.Emails));
        Add(command, "phones", StorageCodec.ToJson(c.Phones));
        Add(command, "region", c.Region);
        Add(command, "industry", c.Industry);
        Add(command, "company_size", c.CompanySize);
        Add(command, "acquisition_channel", c.AcquisitionChannel);
        Add(command, "owner", c.Owner);
        Add(command, "birthday_month", c.Birthday is { } b1 ? (short)b1.Day.Month : null);
        Add(command, "birthday_day", c.Birthday is { } b2 ? (short)b2.Day.Day : null);
        Add(command, "birthday_year", c.Birthday?.Year);
        Add(command, "marketing_consent", c.MarketingConsent);
        Add(command, "custom_attributes", StorageCodec.AttributesToJson(c.CustomAttributes, c.Id));
        Add(command, "created_at_ns", StorageCodec.ToNanos(c.CreatedAt, "customer.CreatedAt"));
        Add(command, "updated_at_ns", StorageCodec.ToNanos(c.UpdatedAt, "customer.UpdatedAt"));
        Add(command, "last_verified_at_ns", c.LastVerifiedAt is { } v ? StorageCodec.ToNanos(v, "customer.LastVerifiedAt") : null);
    }

    /// <summary>Reads a customer from a row in <see cref="SelectList"/> order.</summary>
    public static Customer Read(DbDataReader r)
    {
        var id = new CustomerId(r.GetString(0));
        Birthday? birthday = r.IsDBNull(11) ? null : new Birthday(new AnnualDate(Int(r, 11), Int(r, 12)), r.IsDBNull(13) ? null : Int(r, 13));
        return new Customer(id, (CustomerKind)Int(r, 2), r.GetString(3), StorageCodec.FromNanos(r.GetInt64(16)))
        {
            Version = r.GetInt64(1),
            Emails = StorageCodec.ListFromJson(r.GetString(4)),
            Phones = StorageCodec.ListFromJson(r.GetString(5)),
            Region = NullableString(r, 6),
            Industry = NullableString(r, 7),
            CompanySize = NullableString(r, 8),
            AcquisitionChannel = NullableString(r, 9),
            Owner = NullableString(r, 10),
            Birthday = birthday,
            MarketingConsent = r.GetBoolean(14),
            CustomAttributes = StorageCodec.AttributesFromJson(r.GetString(15)),
            UpdatedAt = StorageCodec.FromNanos(r.GetInt64(17)),
            LastVerifiedAt = r.IsDBNull(18) ? null : StorageCodec.FromNanos(r.GetInt64(18)),
        };
    }

    /// <summary>Reads a small integer column whatever its stored width.</summary>
    public static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds a parameter; <see langword="null"/> becomes <see cref="DBNull"/>.</summary>
    public static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
