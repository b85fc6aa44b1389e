using System.Globalization;

namespace CustomerSegmentation.Tags;

/// <summary>A tag colour (颜色标签) as 24-bit RGB, written <c>#RRGGBB</c>.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct TagColour(byte R, byte G, byte B)
{
    /// <summary>Gets red (#FF0000), conventionally VIP customers.</summary>
    public static TagColour Red => new(0xFF, 0x00, 0x00);

    /// <summary>Gets green (#008000), conventionally potential customers.</summary>
    public static TagColour Green => new(0x00, 0x80, 0x00);

    /// <summary>Gets blue (#0000FF), conventionally general customers.</summary>
    public static TagColour Blue => new(0x00, 0x00, 0xFF);

    /// <summary>Parses <c>#RRGGBB</c> (the <c>#</c> is optional, hex digits in either case).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The colour.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a colour.</exception>
    public static TagColour Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var colour) ? colour : throw new FormatException($"'{text}' is not a colour; expected #RRGGBB.");
    }

    /// <summary>Tries to parse <c>#RRGGBB</c> (the <c>#</c> is optional); never throws.</summary>
    /// <param name="text">The text.</param>
    /// <param name="colour">The colour when parsed.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a colour.</returns>
    public static bool TryParse(string? text, out TagColour colour)
    {
        colour = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith('#'))
        {
            span = span[1..];
        }

        if (span.Length != 6 || !uint.TryParse(span, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
        {
            return false;
        }

        colour = new TagColour((byte)(rgb >> 16), (byte)((rgb >> 8) & 0xFF), (byte)(rgb & 0xFF));
        return true;
    }

    /// <summary>Returns <c>#RRGGBB</c> in upper case.</summary>
    /// <returns>The colour as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}");
}
