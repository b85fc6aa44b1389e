namespace CustomerSegmentation.Customers;

/// <summary>Whether a customer is a person (个人客户) or an organisation (企业客户).</summary>
public enum CustomerKind
{
    /// <summary>A natural person.</summary>
    Person = 0,

    /// <summary>A company or other organisation.</summary>
    Organisation = 1,
}
