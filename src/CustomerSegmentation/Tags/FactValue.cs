using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Tags;

/// <summary>The type of a <see cref="FactValue"/>.</summary>
public enum FactKind
{
    /// <summary>The fact is unknown for this customer (e.g. no region, no purchases).</summary>
    Missing = 0,

    /// <summary>Text.</summary>
    Text,

    /// <summary>A number (<see cref="decimal"/>).</summary>
    Number,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A calendar date.</summary>
    Date,

    /// <summary>An instant.</summary>
    Instant,
}

/// <summary>
/// A value that a rule condition reads about a customer: text, number, boolean, date, instant, or missing.
/// </summary>
/// <remarks>
/// <para>Comparison: numbers, dates and instants by value; booleans false &lt; true; text by the tag-name rules
/// (trimmed, Unicode form C, ordinal ignoring case). Text is converted when compared with another kind: to a number
/// (invariant culture), a date (<c>yyyy-MM-dd</c>), an instant (ISO-8601 with <c>Z</c>) or a boolean
/// (<c>true</c>/<c>false</c>). Values that cannot be compared (including missing ones) are not comparable.</para>
/// </remarks>
public readonly record struct FactValue
{
    private readonly decimal _number;
    private readonly string? _text;
    private readonly LocalDate _date;
    private readonly Instant _instant;

    private FactValue(FactKind kind, decimal number = 0, string? text = null, LocalDate date = default, Instant instant = default)
    {
        Kind = kind;
        _number = number;
        _text = text;
        _date = date;
        _instant = instant;
    }

    /// <summary>Gets the missing value.</summary>
    public static FactValue Missing => default;

    /// <summary>Gets the type.</summary>
    public FactKind Kind { get; }

    /// <summary>Gets a value indicating whether the value is missing.</summary>
    public bool IsMissing => Kind == FactKind.Missing;

    /// <summary>Gets the text (for <see cref="FactKind.Text"/>), otherwise <see langword="null"/>.</summary>
    public string? Text => Kind == FactKind.Text ? _text : null;

    /// <summary>Gets the number (for <see cref="FactKind.Number"/>), otherwise <see langword="null"/>.</summary>
    public decimal? Number => Kind == FactKind.Number ? _number : null;

    /// <summary>Gets the boolean (for <see cref="FactKind.Boolean"/>), otherwise <see langword="null"/>.</summary>
    public bool? Boolean => Kind == FactKind.Boolean ? _number != 0 : null;

    /// <summary>Gets the date (for <see cref="FactKind.Date"/>), otherwise <see langword="null"/>.</summary>
    public LocalDate? Date => Kind == FactKind.Date ? _date : null;

    /// <summary>Gets the instant (for <see cref="FactKind.Instant"/>), otherwise <see langword="null"/>.</summary>
    public Instant? Instant => Kind == FactKind.Instant ? _instant : null;

    /// <summary>Creates a text value.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static FactValue FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new FactValue(FactKind.Text, text: text);
    }

    /// <summary>Creates a number value.</summary>
    /// <param name="number">The number.</param>
    /// <returns>The value.</returns>
    public static FactValue FromNumber(decimal number) => new(FactKind.Number, number);

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static FactValue FromBoolean(bool value) => new(FactKind.Boolean, value ? 1 : 0);

    /// <summary>Creates a date value.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The value.</returns>
    public static FactValue FromDate(LocalDate date) => new(FactKind.Date, date: date);

    /// <summary>Creates an instant value.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The value.</returns>
    public static FactValue FromInstant(Instant instant) => new(FactKind.Instant, instant: instant);

    /// <summary>Converts a custom attribute value: string, number types, bool, <see cref="LocalDate"/>, <see cref="NodaTime.Instant"/>; <see langword="null"/> is missing, anything else its invariant text.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The fact value.</returns>
    public static FactValue FromObject(object? value) => value switch
    {
        null => Missing,
        FactValue f => f,
        string s => FromText(s),
        bool b => FromBoolean(b),
        decimal d => FromNumber(d),
        int i => FromNumber(i),
        long l => FromNumber(l),
        double d when double.IsFinite(d) => FromNumber((decimal)d),
        float f when float.IsFinite(f) => FromNumber((decimal)f),
        LocalDate d => FromDate(d),
        Instant i => FromInstant(i),
        IFormattable f => FromText(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => FromText(value.ToString() ?? string.Empty),
    };

    /// <summary>Compares with another value, converting text to the other's type when needed.</summary>
    /// <param name="other">The other value.</param>
    /// <returns>Negative, zero or positive; <see langword="null"/> when the two cannot be compared (either is missing, or the types do not convert).</returns>
    public int? CompareTo(FactValue other)
    {
        if (IsMissing || other.IsMissing)
        {
            return null;
        }

        if (Kind == FactKind.Text && other.Kind != FactKind.Text)
        {
            return ConvertText(_text!, other.Kind) is { } converted ? converted.CompareTo(other) : null;
        }

        if (other.Kind == FactKind.Text && Kind != FactKind.Text)
        {
            return ConvertText(other._text!, Kind) is { } converted ? CompareTo(converted) : null;
        }

        if (Kind != other.Kind)
        {
            return null;
        }

        return Kind switch
        {
            FactKind.Text => TagText.KeyComparer.Compare(TagText.Key(_text!), TagText.Key(other._text!)),
            FactKind.Number or FactKind.Boolean => _number.CompareTo(other._number),
            FactKind.Date => _date.CompareTo(other._date),
            _ => _instant.CompareTo(other._instant),
        };
    }

    /// <summary>Returns the value as invariant text: numbers as written, dates <c>yyyy-MM-dd</c>, instants ISO-8601, booleans <c>true</c>/<c>false</c>, missing as <c>(missing)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        FactKind.Missing => "(missing)",
        FactKind.Text => _text!,
        FactKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        FactKind.Boolean => _number != 0 ? "true" : "false",
        FactKind.Date => LocalDatePattern.Iso.Format(_date),
        _ => InstantPattern.ExtendedIso.Format(_instant),
    };

    /// <summary>Returns the value quoted when it is text, e.g. <c>"华东"</c> or <c>12000</c>.</summary>
    /// <returns>The text.</returns>
    internal string ToDisplay() => Kind == FactKind.Text ? $"\"{_text}\"" : ToString();

    private static FactValue? ConvertText(string text, FactKind kind)
    {
        var t = text.Trim();
        switch (kind)
        {
            case FactKind.Number when decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var d):
                return FromNumber(d);
            case FactKind.Boolean when bool.TryParse(t, out var b):
                return FromBoolean(b);
            case FactKind.Date when LocalDatePattern.Iso.Parse(t) is { Success: true } date:
                return FromDate(date.Value);
            case FactKind.Instant when InstantPattern.ExtendedIso.Parse(t) is { Success: true } instant:
                return FromInstant(instant.Value);
            default:
                return null;
        }
    }
}

/// <summary>A fact a condition read while it was evaluated, with the value it saw.</summary>
/// <param name="Name">The fact's name, e.g. <c>activity.netSpend</c>.</param>
/// <param name="Value">The value seen.</param>
public readonly record struct FactReading(string Name, FactValue Value)
{
    /// <summary>Returns <c>name = value</c>.</summary>
    /// <returns>The reading as text.</returns>
    public override string ToString() => $"{Name} = {Value.ToDisplay()}";
}
