namespace CustomerSegmentation.Segments;

/// <summary>A named segment: an id, a display name, an optional description and its rule.</summary>
/// <param name="Id">A stable id, e.g. <c>it-lapsing-b-plus</c>: letters, digits, '-', '_' and '.', at most 128 characters.</param>
/// <param name="Name">The display name, e.g. 沉睡的IT行业B级以上客户.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Description">What the segment is for; optional.</param>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SegmentDefinition(string Id, string Name, SegmentRule Rule, string? Description = null)
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Creates a definition from an expression.</summary>
    /// <param name="id">The id.</param>
    /// <param name="name">The display name.</param>
    /// <param name="expression">The rule in the expression language.</param>
    /// <param name="description">What the segment is for.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The expression does not parse; the message lists every error with its position.</exception>
    public static SegmentDefinition FromExpression(string id, string name, string expression, string? description = null) =>
        new(id, name, SegmentParser.Parse(expression).GetValueOrThrow(), description);

    /// <summary>Gets the rule in the expression language.</summary>
    public string Expression => Rule.ToString();

    /// <summary>Tells whether an id is acceptable.</summary>
    /// <param name="id">The id.</param>
    /// <returns><see langword="true"/> when it is 1..128 ASCII letters, digits, '-', '_' or '.'.</returns>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
