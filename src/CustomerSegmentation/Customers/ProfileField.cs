namespace CustomerSegmentation.Customers;

/// <summary>One entry of a <see cref="ProfileSchema"/> (the data dictionary): a built-in customer field or a declared custom attribute.</summary>
/// <remarks>Change a field with a <c>with</c> expression through <see cref="ProfileSchemaBuilder.Configure"/>; the schema checks it when built.</remarks>
public sealed record ProfileField
{
    /// <summary>The default <see cref="MaxLength"/>.</summary>
    public const int DefaultMaxLength = 200;

    /// <summary>Gets the field's name: a <see cref="ProfileFields"/> constant, or the custom attribute's key.</summary>
    public required string Name { get; init; }

    /// <summary>Gets what kind of value the field holds.</summary>
    public required FieldKind Kind { get; init; }

    /// <summary>Gets how sensitive the field is.</summary>
    /// <value>Default <see cref="FieldSensitivity.Internal"/>.</value>
    public FieldSensitivity Sensitivity { get; init; } = FieldSensitivity.Internal;

    /// <summary>Gets a value indicating whether a customer (of a kind the field applies to) must have a value.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool Required { get; init; }

    /// <summary>Gets the field's weight in the completeness score; 0 leaves it out.</summary>
    /// <value>Default 0.</value>
    public double CompletenessWeight { get; init; }

    /// <summary>Gets the longest text allowed after normalisation, in UTF-16 code units (text fields and text custom attributes).</summary>
    /// <value>Default <see cref="DefaultMaxLength"/> (200).</value>
    public int MaxLength { get; init; } = DefaultMaxLength;

    /// <summary>Gets the kind of customer the field applies to, or <see langword="null"/> for both.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public CustomerKind? AppliesTo { get; init; }

    /// <summary>Gets a value indicating whether the field is a custom attribute (stored in <see cref="Customer.CustomAttributes"/>).</summary>
    public bool IsCustomAttribute { get; init; }

    /// <summary>Gets a short description for people reading the data dictionary.</summary>
    /// <value>Default empty.</value>
    public string Description { get; init; } = string.Empty;

    /// <summary>Tells whether the field applies to a customer of the given kind.</summary>
    /// <param name="kind">The customer's kind.</param>
    /// <returns><see langword="true"/> when <see cref="AppliesTo"/> is <see langword="null"/> or equals <paramref name="kind"/>.</returns>
    public bool AppliesToKind(CustomerKind kind) => AppliesTo is null || AppliesTo == kind;
}
