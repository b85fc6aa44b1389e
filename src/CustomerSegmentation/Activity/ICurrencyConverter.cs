using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>Converts money between currencies; plugged into <see cref="ActivitySummaryOptions.CurrencyConverter"/> by a host with several currencies.</summary>
/// <remarks>Implementations must be safe for concurrent use and should be fast (cache the rates): the summariser calls it once per purchase or refund whose currency differs from the target.</remarks>
public interface ICurrencyConverter
{
    /// <summary>Converts an amount into <paramref name="target"/> at the rate in force at <paramref name="at"/>.</summary>
    /// <param name="amount">The amount to convert; negative for a refund.</param>
    /// <param name="target">The currency wanted.</param>
    /// <param name="at">When the purchase or refund happened.</param>
    /// <returns>The amount in <paramref name="target"/>.</returns>
    decimal Convert(Money amount, Currency target, Instant at);
}
