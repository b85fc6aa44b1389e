using System.Globalization;

namespace CustomerSegmentation.Activity;

/// <summary>An amount of money: a <see cref="decimal"/> amount in a <see cref="Activity.Currency"/>. Negative amounts are refunds.</summary>
/// <param name="Amount">The amount in the currency's major unit (e.g. yuan, dollars).</param>
/// <param name="Currency">The currency.</param>
public readonly record struct Money(decimal Amount, Currency Currency)
{
    /// <summary>Creates an amount in the currency with the given ISO code.</summary>
    /// <param name="amount">The amount.</param>
    /// <param name="currencyCode">Three ASCII letters.</param>
    /// <returns>The money value.</returns>
    /// <exception cref="ArgumentException"><paramref name="currencyCode"/> is not a currency code.</exception>
    public static Money Of(decimal amount, string currencyCode) => new(amount, new Currency(currencyCode));

    /// <summary>Formats as <c>123.45 CNY</c> with the invariant culture.</summary>
    /// <returns>The amount and currency.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount} {Currency.Code}");
}
