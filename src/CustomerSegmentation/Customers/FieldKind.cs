namespace CustomerSegmentation.Customers;

/// <summary>What kind of value a <see cref="ProfileField"/> holds.</summary>
public enum FieldKind
{
    /// <summary>Free text (display name, region, owner, ...); custom attributes: a <see cref="string"/>.</summary>
    Text = 0,

    /// <summary>An identifier (the customer id).</summary>
    Identifier = 1,

    /// <summary>One of a fixed set of values (the customer kind).</summary>
    Choice = 2,

    /// <summary>A list of email addresses (see <see cref="EmailAddress"/>).</summary>
    EmailList = 3,

    /// <summary>A list of phone numbers (see <see cref="PhoneNumber"/>).</summary>
    PhoneList = 4,

    /// <summary>A birthday: day of the year with an optional year (see <see cref="Customers.Birthday"/>).</summary>
    Birthday = 5,

    /// <summary>Yes or no; custom attributes: a <see cref="bool"/>.</summary>
    Boolean = 6,

    /// <summary>A number; custom attributes: a <see cref="decimal"/> (integers and finite doubles are converted).</summary>
    Number = 7,

    /// <summary>A calendar date; custom attributes: a NodaTime <c>LocalDate</c>.</summary>
    Date = 8,

    /// <summary>A point in time; custom attributes: a NodaTime <c>Instant</c>.</summary>
    Instant = 9,
}
