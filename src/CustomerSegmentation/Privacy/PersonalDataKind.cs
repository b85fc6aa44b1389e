namespace CustomerSegmentation.Privacy;

/// <summary>The kinds of personal data the library knows how to mask (see <see cref="PersonalDataMasker"/>).</summary>
public enum PersonalDataKind
{
    /// <summary>Free text: first character and <c>***</c> (<c>wx_zw</c> → <c>w***</c>); the default for personal custom attributes.</summary>
    FreeText = 0,

    /// <summary>A person's or organisation's name: <c>张*</c>, <c>Z*** S***</c>.</summary>
    Name = 1,

    /// <summary>A phone number: <c>138****5678</c>, <c>+44******0958</c>.</summary>
    Phone = 2,

    /// <summary>An email address: <c>z***@example.com</c>.</summary>
    Email = 3,

    /// <summary>A Chinese resident identity card number (居民身份证号码): <c>110***********1234</c>.</summary>
    ResidentId = 4,

    /// <summary>A postal address: the region prefix and <c>****</c> (<c>北京市朝阳区****</c>, <c>****, United Kingdom</c>).</summary>
    Address = 5,
}
