namespace CustomerSegmentation.Tags;

/// <summary>
/// The stable identity of a <see cref="TagGroup"/>: a host-chosen, non-empty string such as <c>value</c> or
/// <c>region</c>. It never changes when the group is renamed. Ids compare ordinally.
/// </summary>
/// <remarks>The default value is not a valid id; its <see cref="Value"/> is the empty string.</remarks>
public readonly record struct TagGroupId : IComparable<TagGroupId>
{
    /// <summary>The longest id accepted, in UTF-16 code units.</summary>
    public const int MaxLength = 128;

    private readonly string? _value;

    /// <summary>Creates an id from its text.</summary>
    /// <param name="value">The id; 1..<see cref="MaxLength"/> characters, not white space only, no control characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, white space, too long or holds a control character.</exception>
    public TagGroupId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"A tag group id must be 1..{MaxLength} characters, not white space only, without control characters (got {value.Length} characters).",
                nameof(value));
        }

        _value = value;
    }

    /// <summary>Gets the text of the id (empty for the default value).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts text to an id.</summary>
    /// <param name="value">The id's text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a valid id.</exception>
    public static implicit operator TagGroupId(string value) => new(value);

    /// <summary>Converts text to an id (the named alternative to the implicit conversion).</summary>
    /// <param name="value">The id's text.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a valid id.</exception>
    public static TagGroupId FromString(string value) => new(value);

    /// <summary>Tells whether <paramref name="value"/> would make a valid id; never throws.</summary>
    /// <param name="value">The candidate text.</param>
    /// <returns><see langword="true"/> when <see cref="TagGroupId(string)"/> would accept it.</returns>
    public static bool IsValid(string? value) => TagText.IsValidId(value, MaxLength);

    /// <inheritdoc />
    public int CompareTo(TagGroupId other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public bool Equals(TagGroupId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the id's text.</summary>
    /// <returns>The id's text.</returns>
    public override string ToString() => Value;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts before <paramref name="right"/>.</returns>
    public static bool operator <(TagGroupId left, TagGroupId right) => left.CompareTo(right) < 0;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts after <paramref name="right"/>.</returns>
    public static bool operator >(TagGroupId left, TagGroupId right) => left.CompareTo(right) > 0;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts before or equals <paramref name="right"/>.</returns>
    public static bool operator <=(TagGroupId left, TagGroupId right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two ids ordinally.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts after or equals <paramref name="right"/>.</returns>
    public static bool operator >=(TagGroupId left, TagGroupId right) => left.CompareTo(right) >= 0;
}
