namespace CustomerSegmentation.Customers;

/// <summary>
/// The outcome of parsing a contact point (an <see cref="EmailAddress"/> or a <see cref="PhoneNumber"/>) from user data:
/// either a normalised value, or an error code and a human-readable reason. Parsing never throws on bad input.
/// </summary>
/// <typeparam name="T">The parsed value type.</typeparam>
/// <remarks>The default value is a failure with neither code nor reason; use <see cref="Success"/> and <see cref="Failure"/>.</remarks>
public readonly record struct ContactParseResult<T>
    where T : struct
{
    private readonly T _value;

    private ContactParseResult(T value, bool isValid, string? errorCode, string? error)
    {
        _value = value;
        IsValid = isValid;
        ErrorCode = errorCode;
        Error = error;
    }

    /// <summary>Gets a value indicating whether the input was valid.</summary>
    public bool IsValid { get; }

    /// <summary>Gets the normalised value, or <see langword="null"/> when the input was invalid.</summary>
    public T? Value => IsValid ? _value : null;

    /// <summary>Gets the machine-readable reason of a failure (one of <see cref="ValidationCodes"/>), or <see langword="null"/> on success.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the human-readable reason of a failure, or <see langword="null"/> on success.</summary>
    public string? Error { get; }

    /// <summary>Creates a successful result.</summary>
    /// <param name="value">The normalised value.</param>
    /// <returns>The result.</returns>
    public static ContactParseResult<T> Success(T value) => new(value, true, null, null);

    /// <summary>Creates a failed result.</summary>
    /// <param name="errorCode">The machine-readable reason, one of <see cref="ValidationCodes"/>.</param>
    /// <param name="error">The human-readable reason.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">A reason is <see langword="null"/>, empty or white space.</exception>
    public static ContactParseResult<T> Failure(string errorCode, string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new(default, false, errorCode, error);
    }

    /// <summary>Gets the value when the input was valid.</summary>
    /// <param name="value">The normalised value, or the default value on failure.</param>
    /// <returns><see langword="true"/> when the input was valid.</returns>
    public bool TryGetValue(out T value)
    {
        value = _value;
        return IsValid;
    }

    /// <summary>Gets the value, throwing when the input was invalid (opt-in throwing for callers that have already validated).</summary>
    /// <returns>The normalised value.</returns>
    /// <exception cref="FormatException">The input was invalid; the message is <see cref="Error"/>.</exception>
    public T GetValueOrThrow() => IsValid ? _value : throw new FormatException(Error ?? "The value is not valid.");

    /// <summary>Returns the value's text on success, or the error on failure.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => IsValid ? _value.ToString() ?? string.Empty : $"invalid ({ErrorCode}): {Error}";
}
