using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>How <see cref="ActivitySummarizer"/> builds summaries: windows, the time zone of calendar days and currency handling.</summary>
/// <remarks>Options are validated when the summariser is built; invalid options throw there, not on first use.</remarks>
public sealed record ActivitySummaryOptions
{
    /// <summary>Gets the windows reported in <see cref="ActivitySummary.Windows"/>, in this order.</summary>
    /// <value>Default: none. Names must be unique.</value>
    public ImmutableArray<SummaryWindow> Windows { get; init; } = [];

    /// <summary>Gets the time zone that defines calendar days (distinct purchase days).</summary>
    /// <value>Default: <see cref="DateTimeZone.Utc"/>.</value>
    public DateTimeZone Zone { get; init; } = DateTimeZone.Utc;

    /// <summary>Gets the converter used when a customer's purchases are in several currencies, or <see langword="null"/>.</summary>
    /// <value>Default: <see langword="null"/>: several currencies for one customer throw <see cref="MixedCurrencyException"/>.</value>
    public ICurrencyConverter? CurrencyConverter { get; init; }

    /// <summary>Gets the currency every amount is converted to; required when <see cref="CurrencyConverter"/> is set.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public Currency? ReportingCurrency { get; init; }

    /// <summary>Gets the default options: no windows, UTC days, no converter.</summary>
    public static ActivitySummaryOptions Default { get; } = new();
}
