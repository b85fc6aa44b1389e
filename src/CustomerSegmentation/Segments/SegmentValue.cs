using System.Globalization;

namespace CustomerSegmentation.Segments;

/// <summary>The kind of a literal in a segment rule.</summary>
public enum SegmentValueKind
{
    /// <summary>A decimal number such as <c>60</c> or <c>0.25</c>.</summary>
    Number = 0,

    /// <summary>A double-quoted string such as <c>"B"</c> or <c>"Industry/IT"</c>.</summary>
    Text = 1,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean = 2,
}

/// <summary>A literal in a segment rule: a number, a string or a boolean.</summary>
/// <remarks>The default value is the number 0. Numbers are <see cref="decimal"/>, so <c>0.1</c> is exact.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public readonly record struct SegmentValue
{
    private readonly string? _text;

    private SegmentValue(SegmentValueKind kind, decimal number, string? text, bool boolean)
    {
        Kind = kind;
        Number = number;
        _text = text;
        Boolean = boolean;
    }

    /// <summary>Gets the kind of the literal.</summary>
    public SegmentValueKind Kind { get; }

    /// <summary>Gets the number (0 unless <see cref="Kind"/> is <see cref="SegmentValueKind.Number"/>).</summary>
    public decimal Number { get; }

    /// <summary>Gets the text (empty unless <see cref="Kind"/> is <see cref="SegmentValueKind.Text"/>).</summary>
    public string Text => _text ?? string.Empty;

    /// <summary>Gets the boolean (<see langword="false"/> unless <see cref="Kind"/> is <see cref="SegmentValueKind.Boolean"/>).</summary>
    public bool Boolean { get; }

    /// <summary>Creates a number literal.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The literal.</returns>
    public static SegmentValue Of(decimal value) => new(SegmentValueKind.Number, value, null, false);

    /// <summary>Creates a string literal.</summary>
    /// <param name="value">The text; any characters, quotes and backslashes are escaped when printed.</param>
    /// <returns>The literal.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static SegmentValue Of(string value) => new(SegmentValueKind.Text, 0m, value ?? throw new ArgumentNullException(nameof(value)), false);

    /// <summary>Creates a boolean literal.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The literal.</returns>
    public static SegmentValue Of(bool value) => new(SegmentValueKind.Boolean, 0m, null, value);

    /// <summary>Tells whether two literals are equal: same kind and same value (numbers compare by value, so 1.50 = 1.5).</summary>
    /// <param name="other">The other literal.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(SegmentValue other) => Kind == other.Kind && Kind switch
    {
        SegmentValueKind.Number => Number == other.Number,
        SegmentValueKind.Text => string.Equals(Text, other.Text, StringComparison.Ordinal),
        _ => Boolean == other.Boolean,
    };

    /// <inheritdoc/>
    public override int GetHashCode() => Kind switch
    {
        SegmentValueKind.Number => HashCode.Combine(Kind, Number),
        SegmentValueKind.Text => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Text)),
        _ => HashCode.Combine(Kind, Boolean),
    };

    /// <summary>Formats the literal as the expression language writes it: <c>60</c>, <c>"B"</c>, <c>true</c>.</summary>
    /// <returns>The literal's text.</returns>
    public override string ToString() => Kind switch
    {
        SegmentValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        SegmentValueKind.Text => Quote(Text),
        _ => Boolean ? "true" : "false",
    };

    internal static string Quote(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
