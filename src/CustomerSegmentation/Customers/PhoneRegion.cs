namespace CustomerSegmentation.Customers;

/// <summary>
/// The region whose national dialling rules apply to a phone number written without a country code.
/// Numbers written with <c>+</c> or <c>00</c> (and <c>011</c> in the United States) parse in every region.
/// </summary>
public enum PhoneRegion
{
    /// <summary>No default region: only international numbers (<c>+86 138 1234 5678</c>, <c>0086…</c>) are accepted.</summary>
    None = 0,

    /// <summary>China (CN, +86): mobiles <c>1[3-9]x xxxx xxxx</c>, landlines with the trunk 0 and area code (<c>010-12345678</c>, <c>0755-12345678</c>), 400/800 service numbers.</summary>
    China = 1,

    /// <summary>United States and the other NANP countries (US, +1): ten digits <c>NXX-NXX-XXXX</c>, optionally after a leading 1.</summary>
    UnitedStates = 2,

    /// <summary>United Kingdom (GB, +44): the trunk 0 and 9 or 10 more digits (<c>020 7946 0958</c>, <c>07700 900123</c>).</summary>
    UnitedKingdom = 3,

    /// <summary>Germany (DE, +49): the trunk 0 and 6 to 13 more digits (<c>030 12345678</c>, <c>0151 23456789</c>).</summary>
    Germany = 4,
}
