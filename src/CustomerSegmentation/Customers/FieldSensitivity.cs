namespace CustomerSegmentation.Customers;

/// <summary>How sensitive the data in a <see cref="ProfileField"/> is: who may see it and whether privacy law applies.</summary>
/// <remarks>Ordered from least to most sensitive, so <c>field.Sensitivity &gt;= FieldSensitivity.Personal</c> selects what to mask.</remarks>
public enum FieldSensitivity
{
    /// <summary>May be shown to anyone, e.g. a company's industry.</summary>
    Public = 0,

    /// <summary>For the host's staff only, e.g. the owner or acquisition channel.</summary>
    Internal = 1,

    /// <summary>Personal information (个人信息) of a natural person: names, contact points, birthday. Mask or minimise it.</summary>
    Personal = 2,
}
