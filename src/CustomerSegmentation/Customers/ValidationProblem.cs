namespace CustomerSegmentation.Customers;

/// <summary>One problem found when validating a customer: which field, a machine-readable code and a human-readable reason.</summary>
/// <param name="Field">The field: a <see cref="ProfileFields"/> name, an item such as <c>Emails[1]</c>, or <c>CustomAttributes[key]</c>.</param>
/// <param name="Code">The reason's code, one of <see cref="ValidationCodes"/>.</param>
/// <param name="Reason">The reason in words, quoting the figures involved.</param>
public readonly record struct ValidationProblem(string Field, string Code, string Reason)
{
    /// <summary>Returns <c>Field: Reason</c>.</summary>
    /// <returns>The problem as one line.</returns>
    public override string ToString() => $"{Field}: {Reason}";
}
