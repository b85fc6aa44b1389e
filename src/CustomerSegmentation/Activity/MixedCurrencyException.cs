using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Activity;

/// <summary>Thrown when one customer's purchases are in several currencies and no <see cref="ICurrencyConverter"/> is configured.</summary>
public sealed class MixedCurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="currencies">The currencies found, at least two.</param>
    public MixedCurrencyException(CustomerId customerId, IEnumerable<Currency> currencies)
        : this(customerId, [.. (currencies ?? throw new ArgumentNullException(nameof(currencies))).Distinct().OrderBy(c => c.Code, StringComparer.Ordinal)])
    {
    }

    private MixedCurrencyException(CustomerId customerId, ImmutableArray<Currency> currencies)
        : base($"Customer {customerId} has purchases in several currencies ({string.Join(", ", currencies)}) and no currency converter is configured; "
            + "set ActivitySummaryOptions.CurrencyConverter and ReportingCurrency, or convert the amounts before summarising.")
    {
        CustomerId = customerId;
        Currencies = currencies;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the currencies found, ordered by code.</summary>
    public ImmutableArray<Currency> Currencies { get; }
}
