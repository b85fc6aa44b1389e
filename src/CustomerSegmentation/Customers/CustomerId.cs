namespace CustomerSegmentation.Customers;

/// <summary>
/// The strongly typed identity of a customer: a host-chosen, non-empty string such as <c>C00000042</c>,
/// a database key or a Chinese customer code. Ids compare ordinally (case-sensitive).
/// </summary>
/// <remarks>
/// The default value (<c>default(CustomerId)</c>) is not a valid id; its <see cref="Value"/> is the empty string.
/// </remarks>
public readonly record struct CustomerId : IComparable<CustomerId>
{
    /// <summary>The longest id accepted, in UTF-16 code units.</summary>
    public const int MaxLength = 256;

    private readonly string? _value;

    /// <summary>Creates an id from its text.</summary>
    /// <param name="value">The id; not empty, not white space only, at most <see cref="MaxLength"/> characters, no control characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, white space, too long or holds a control character.</exception>
    public CustomerId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"A customer id must be 1..{MaxLength} characters, not white space only, without control characters (got {value.Length} characters).",
                nameof(value));
        }

        _value = value;
    }

    /// <summary>Gets the text of the id (empty for the default value).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Tells whether <paramref name="value"/> would make a valid id; never throws.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><see langword="true"/> when <see cref="CustomerId(string)"/> would accept it.</returns>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public int CompareTo(CustomerId other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public bool Equals(CustomerId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the id's text.</summary>
    /// <returns>The id's text.</returns>
    public override string ToString() => Value;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts before <paramref name="right"/>.</returns>
    public static bool operator <(CustomerId left, CustomerId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts after <paramref name="right"/>.</returns>
    public static bool operator >(CustomerId left, CustomerId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts before or equals <paramref name="right"/>.</returns>
    public static bool operator <=(CustomerId left, CustomerId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts after or equals <paramref name="right"/>.</returns>
    public static bool operator >=(CustomerId left, CustomerId right) => left.CompareTo(right) >= 0;
}
