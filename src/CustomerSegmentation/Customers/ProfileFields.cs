namespace CustomerSegmentation.Customers;

/// <summary>The names of the built-in <see cref="Customer"/> fields in a <see cref="ProfileSchema"/>; they equal the property names.</summary>
public static class ProfileFields
{
    /// <summary><see cref="Customer.Id"/>.</summary>
    public const string Id = nameof(Customer.Id);

    /// <summary><see cref="Customer.Kind"/>.</summary>
    public const string Kind = nameof(Customer.Kind);

    /// <summary><see cref="Customer.DisplayName"/>.</summary>
    public const string DisplayName = nameof(Customer.DisplayName);

    /// <summary><see cref="Customer.Emails"/>.</summary>
    public const string Emails = nameof(Customer.Emails);

    /// <summary><see cref="Customer.Phones"/>.</summary>
    public const string Phones = nameof(Customer.Phones);

    /// <summary><see cref="Customer.Region"/>.</summary>
    public const string Region = nameof(Customer.Region);

    /// <summary><see cref="Customer.Industry"/>.</summary>
    public const string Industry = nameof(Customer.Industry);

    /// <summary><see cref="Customer.CompanySize"/>.</summary>
    public const string CompanySize = nameof(Customer.CompanySize);

    /// <summary><see cref="Customer.AcquisitionChannel"/>.</summary>
    public const string AcquisitionChannel = nameof(Customer.AcquisitionChannel);

    /// <summary><see cref="Customer.Owner"/>.</summary>
    public const string Owner = nameof(Customer.Owner);

    /// <summary><see cref="Customer.Birthday"/>.</summary>
    public const string Birthday = nameof(Customer.Birthday);

    /// <summary><see cref="Customer.TimeZone"/>.</summary>
    public const string TimeZone = nameof(Customer.TimeZone);

    /// <summary><see cref="Customer.MarketingConsent"/>.</summary>
    public const string MarketingConsent = nameof(Customer.MarketingConsent);

    /// <summary><see cref="Customer.CreatedAt"/>.</summary>
    public const string CreatedAt = nameof(Customer.CreatedAt);

    /// <summary><see cref="Customer.UpdatedAt"/>.</summary>
    public const string UpdatedAt = nameof(Customer.UpdatedAt);

    /// <summary><see cref="Customer.LastVerifiedAt"/>.</summary>
    public const string LastVerifiedAt = nameof(Customer.LastVerifiedAt);

    /// <summary>The prefix of a custom attribute in a <see cref="ValidationProblem.Field"/>: <c>CustomAttributes[vipLevel]</c>.</summary>
    public const string CustomAttributes = nameof(Customer.CustomAttributes);
}
