namespace CustomerSegmentation.Activity;

/// <summary>An ISO 4217 currency code such as <c>CNY</c>, <c>EUR</c> or <c>USD</c>: three ASCII letters, stored upper-case.</summary>
/// <remarks>The default value is not a valid currency; its <see cref="Code"/> is the empty string.</remarks>
public readonly record struct Currency
{
    private readonly string? _code;

    /// <summary>Creates a currency from its three-letter code (any case).</summary>
    /// <param name="code">Three ASCII letters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not three ASCII letters.</exception>
    public Currency(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != 3 || !char.IsAsciiLetter(code[0]) || !char.IsAsciiLetter(code[1]) || !char.IsAsciiLetter(code[2]))
        {
            throw new ArgumentException($"A currency code is three ASCII letters (ISO 4217), got '{code}'.", nameof(code));
        }

        _code = code.ToUpperInvariant();
    }

    /// <summary>Gets the upper-case code, e.g. <c>CNY</c>.</summary>
    public string Code => _code ?? string.Empty;

    /// <summary>Chinese yuan renminbi.</summary>
    public static Currency Cny { get; } = new("CNY");

    /// <summary>US dollar.</summary>
    public static Currency Usd { get; } = new("USD");

    /// <summary>Euro.</summary>
    public static Currency Eur { get; } = new("EUR");

    /// <summary>Returns the code.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => Code;
}
