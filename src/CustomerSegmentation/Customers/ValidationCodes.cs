namespace CustomerSegmentation.Customers;

/// <summary>The machine-readable reasons used by <see cref="ValidationProblem.Code"/> and <see cref="ContactParseResult{T}.ErrorCode"/>.</summary>
public static class ValidationCodes
{
    /// <summary>A required field has no value.</summary>
    public const string Required = "required";

    /// <summary>The value is empty or white space only.</summary>
    public const string Empty = "empty";

    /// <summary>The value is longer than the field allows.</summary>
    public const string TooLong = "too-long";

    /// <summary>The value holds a control character (e.g. a line break or NUL).</summary>
    public const string ControlCharacter = "control-character";

    /// <summary>The value is not well-formed Unicode (an unpaired surrogate).</summary>
    public const string InvalidUnicode = "invalid-unicode";

    /// <summary>The value is not a valid email address.</summary>
    public const string InvalidEmail = "invalid-email";

    /// <summary>The value is not a valid phone number for its region.</summary>
    public const string InvalidPhone = "invalid-phone";

    /// <summary>The value is out of range or not one of the allowed values.</summary>
    public const string InvalidValue = "invalid-value";

    /// <summary>A custom attribute holds a value of a type the schema does not allow.</summary>
    public const string WrongType = "wrong-type";

    /// <summary>A custom attribute is not declared in the schema and the schema does not allow undeclared attributes.</summary>
    public const string Undeclared = "undeclared";

    /// <summary>A list holds more items than the schema allows.</summary>
    public const string TooMany = "too-many";

    /// <summary>An instant or date lies after the as-of instant of the validation, or audit instants are out of order.</summary>
    public const string InFuture = "in-future";
}
