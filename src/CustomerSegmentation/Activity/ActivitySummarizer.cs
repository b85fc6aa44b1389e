using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>
/// Builds an <see cref="ActivitySummary"/> from one customer's <see cref="ActivityRecord"/>s as of an instant.
/// </summary>
/// <remarks>
/// <para>Rules, in the order they apply:</para>
/// <list type="bullet">
/// <item>Records after the as-of instant are ignored; records at the as-of instant are included.</item>
/// <item>A purchase is a <see cref="Purchase"/> with a non-negative amount. A refund (negative amount) is not a
/// purchase: it does not change the purchase count, distinct days, first/last purchase or gaps. Its amount is added
/// (as a positive number) to <see cref="ActivitySummary.RefundTotal"/>, which <see cref="ActivitySummary.NetSpend"/>
/// subtracts from gross spend. A refund naming an order the customer bought is netted against that order; a refund
/// whose order is unknown (no order id, or an order not among the customer's purchases up to the as-of instant) still
/// counts in <see cref="ActivitySummary.RefundTotal"/>, because the money did leave the business.</item>
/// <item>In a window, refunds are counted by the instant of the refund.</item>
/// <item>All amounts must be in one currency unless <see cref="ActivitySummaryOptions.CurrencyConverter"/> is set;
/// then every amount is converted to <see cref="ActivitySummaryOptions.ReportingCurrency"/> at its own instant.
/// Otherwise several currencies throw <see cref="MixedCurrencyException"/>. A customer with refunds but no purchases
/// keeps the refunds' currency.</item>
/// <item>Gaps are between consecutive purchases in time order; the median of an even number of gaps is the mean of
/// the two middle gaps.</item>
/// <item>Last NPS is the NPS of the latest interaction that carries one (the later record in input order on a tie).</item>
/// </list>
/// </remarks>
/// <threadsafety>Instances are immutable and safe for concurrent use.</threadsafety>
public sealed class ActivitySummarizer
{
    /// <summary>Creates a summariser with validated options.</summary>
    /// <param name="options">The options; <see cref="ActivitySummaryOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">Window names are repeated or empty, the zone is missing, or a converter is set without a reporting currency.</exception>
    public ActivitySummarizer(ActivitySummaryOptions? options = null)
    {
        options ??= ActivitySummaryOptions.Default;
        if (options.Zone is null)
        {
            throw new ScoringConfigurationException("ActivitySummaryOptions.Zone", "a time zone is required (use DateTimeZone.Utc for UTC days).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var window in options.Windows)
        {
            if (window is null)
            {
                throw new ScoringConfigurationException("ActivitySummaryOptions.Windows", "a window is null.");
            }

            if (!names.Add(window.Name))
            {
                throw new ScoringConfigurationException("ActivitySummaryOptions.Windows", $"the window name '{window.Name}' is used twice; names must be unique.");
            }
        }

        if (options.CurrencyConverter is not null && (options.ReportingCurrency is not { } rc || rc == default))
        {
            throw new ScoringConfigurationException("ActivitySummaryOptions.ReportingCurrency", "a reporting currency is required when a currency converter is set.");
        }

        Options = options;
    }

    /// <summary>Gets the options in force.</summary>
    public ActivitySummaryOptions Options { get; }

    /// <summary>Summarises one customer's activity as of an instant.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="records">The customer's records in any order; records of other customers are not allowed.</param>
    /// <param name="asOf">The as-of instant; later records are ignored.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value, or a record belongs to another customer.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of its elements is <see langword="null"/>.</exception>
    /// <exception cref="MixedCurrencyException">The purchases are in several currencies and no converter is configured.</exception>
    public ActivitySummary Summarize(CustomerId customerId, IEnumerable<ActivityRecord> records, Instant asOf)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        ArgumentNullException.ThrowIfNull(records);

        var purchases = new List<Purchase>();
        var refunds = new List<Purchase>();
        var byKind = new Dictionary<InteractionKind, int>();
        Instant? lastInteraction = null;
        Instant? lastNpsAt = null;
        int? lastNps = null;
        long satisfactionSum = 0;
        var satisfactionCount = 0;
        var referrals = 0;
        HashSet<Currency>? currencies = null;
        Currency? firstCurrency = null;

        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (record.CustomerId != customerId)
            {
                throw new ArgumentException($"A record of customer {record.CustomerId} was passed to the summary of customer {customerId}.", nameof(records));
            }

            if (record.At > asOf)
            {
                continue;
            }

            switch (record)
            {
                case Purchase p:
                    (p.Amount.Amount < 0 ? refunds : purchases).Add(p);
                    if (firstCurrency is null)
                    {
                        firstCurrency = p.Amount.Currency;
                    }
                    else if (p.Amount.Currency != firstCurrency)
                    {
                        (currencies ??= [firstCurrency.Value]).Add(p.Amount.Currency);
                    }

                    break;
                case Interaction i:
                    byKind[i.Kind] = byKind.TryGetValue(i.Kind, out var n) ? n + 1 : 1;
                    if (lastInteraction is null || i.At > lastInteraction)
                    {
                        lastInteraction = i.At;
                    }

                    if (i.Satisfaction is { } sat)
                    {
                        satisfactionSum += sat;
                        satisfactionCount++;
                    }

                    if (i.Nps is { } nps && (lastNpsAt is null || i.At >= lastNpsAt))
                    {
                        lastNpsAt = i.At;
                        lastNps = nps;
                    }

                    break;
                case Referral:
                    referrals++;
                    break;
                default:
                    break;
            }
        }

        var converter = Options.CurrencyConverter;
        if (currencies is not null && converter is null)
        {
            throw new MixedCurrencyException(customerId, currencies);
        }

        var currency = converter is not null && firstCurrency is not null ? Options.ReportingCurrency : firstCurrency;

        // Sorting is stable on ties so that equal instants keep input order.
        var sorted = purchases.OrderBy(p => p.At).ToArray();
        var windows = Options.Windows;
        var windowCounts = new int[windows.Length];
        var windowSpend = new decimal[windows.Length];
        var gross = 0m;
        var days = new HashSet<LocalDate>();
        foreach (var p in sorted)
        {
            var amount = AmountOf(p, currency, converter);
            gross += amount;
            days.Add(p.At.InZone(Options.Zone).Date);
            AddToWindows(p.At, amount, 1, asOf, windows, windowCounts, windowSpend);
        }

        var distinctDays = days.Count;
        var refundTotal = 0m;
        foreach (var r in refunds)
        {
            var amount = AmountOf(r, currency, converter);
            refundTotal -= amount;
            AddToWindows(r.At, amount, 0, asOf, windows, windowCounts, windowSpend);
        }

        var totals = ImmutableArray.CreateBuilder<WindowTotals>(windows.Length);
        for (var w = 0; w < windows.Length; w++)
        {
            totals.Add(new WindowTotals(windows[w].Name, windows[w].FromFor(asOf), windows[w].ToFor(asOf), windowCounts[w], windowSpend[w]));
        }

        Duration? meanGap = null;
        Duration? medianGap = null;
        if (sorted.Length > 1)
        {
            var gaps = new long[sorted.Length - 1];
            for (var i = 1; i < sorted.Length; i++)
            {
                gaps[i - 1] = (sorted[i].At - sorted[i - 1].At).ToInt64Nanoseconds();
            }

            meanGap = (sorted[^1].At - sorted[0].At) / gaps.Length;
            Array.Sort(gaps);
            var mid = gaps.Length / 2;
            medianGap = gaps.Length % 2 == 1
                ? Duration.FromNanoseconds(gaps[mid])
                : Duration.FromNanoseconds(gaps[mid - 1]) + ((Duration.FromNanoseconds(gaps[mid]) - Duration.FromNanoseconds(gaps[mid - 1])) / 2);
        }

        return new ActivitySummary
        {
            CustomerId = customerId,
            AsOf = asOf,
            Currency = currency,
            FirstPurchaseAt = sorted.Length > 0 ? sorted[0].At : null,
            LastPurchaseAt = sorted.Length > 0 ? sorted[^1].At : null,
            PurchaseCount = sorted.Length,
            DistinctPurchaseDays = distinctDays,
            GrossSpend = gross,
            RefundTotal = refundTotal,
            Windows = totals.MoveToImmutable(),
            MeanGap = meanGap,
            MedianGap = medianGap,
            InteractionsByKind = byKind.ToImmutableDictionary(),
            LastInteractionAt = lastInteraction,
            MeanSatisfaction = satisfactionCount == 0 ? null : (double)satisfactionSum / satisfactionCount,
            LastNps = lastNps,
            ReferralsMade = referrals,
        };
    }

    /// <summary>Summarises many customers' records, grouped by customer, in ordinal order of customer id.</summary>
    /// <param name="records">Records of any customers, in any order.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>One summary per customer that has at least one record (at any time).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of its elements is <see langword="null"/>.</exception>
    /// <exception cref="MixedCurrencyException">A customer's purchases are in several currencies and no converter is configured.</exception>
    public IEnumerable<ActivitySummary> SummarizeAll(IEnumerable<ActivityRecord> records, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(records);
        var groups = new Dictionary<CustomerId, List<ActivityRecord>>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (!groups.TryGetValue(record.CustomerId, out var list))
            {
                groups[record.CustomerId] = list = [];
            }

            list.Add(record);
        }

        return Iterate(groups, asOf);
    }

    private IEnumerable<ActivitySummary> Iterate(Dictionary<CustomerId, List<ActivityRecord>> groups, Instant asOf)
    {
        foreach (var id in groups.Keys.Order())
        {
            yield return Summarize(id, groups[id], asOf);
        }
    }

    private static decimal AmountOf(Purchase p, Currency? target, ICurrencyConverter? converter) =>
        converter is null || target is not { } t || p.Amount.Currency == t ? p.Amount.Amount : converter.Convert(p.Amount, t, p.At);

    private static void AddToWindows(Instant at, decimal amount, int count, Instant asOf, ImmutableArray<SummaryWindow> windows, int[] counts, decimal[] spend)
    {
        for (var w = 0; w < windows.Length; w++)
        {
            if (at >= windows[w].FromFor(asOf) && at < windows[w].ToFor(asOf))
            {
                counts[w] += count;
                spend[w] += amount;
            }
        }
    }
}
