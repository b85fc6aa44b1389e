using System.Runtime.CompilerServices;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>An <see cref="IActivitySummarySource"/> that reads an <see cref="IActivityStore"/> and summarises with an <see cref="ActivitySummarizer"/>.</summary>
/// <remarks>
/// <see cref="GetSummariesAsync"/> streams all activity up to the as-of instant once and holds it grouped by customer
/// before summarising, so its memory grows with the activity. For very large populations let the database aggregate
/// (implement <see cref="IActivitySummarySource"/> in the host) or use the columnar pipeline.
/// </remarks>
/// <threadsafety>Instances are safe for concurrent use when the store is.</threadsafety>
public sealed class ActivityStoreSummarySource : IActivitySummarySource
{
    private readonly IActivityStore _store;
    private readonly ActivitySummarizer _summarizer;

    /// <summary>Creates the source.</summary>
    /// <param name="store">The activity store.</param>
    /// <param name="summarizer">The summariser; a default one when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public ActivityStoreSummarySource(IActivityStore store, ActivitySummarizer? summarizer = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _summarizer = summarizer ?? new ActivitySummarizer();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value.</exception>
    /// <exception cref="MixedCurrencyException">The customer's purchases are in several currencies and no converter is configured.</exception>
    public async ValueTask<ActivitySummary> GetSummaryAsync(CustomerId customerId, Instant asOf, CancellationToken cancellationToken = default)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        var records = new List<ActivityRecord>();
        await foreach (var record in _store.StreamForCustomerAsync(customerId, cancellationToken).ConfigureAwait(false))
        {
            if (record.At <= asOf)
            {
                records.Add(record);
            }
        }

        return _summarizer.Summarize(customerId, records, asOf);
    }

    /// <inheritdoc />
    /// <exception cref="MixedCurrencyException">A customer's purchases are in several currencies and no converter is configured.</exception>
    public async IAsyncEnumerable<ActivitySummary> GetSummariesAsync(Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var records = new List<ActivityRecord>();
        await foreach (var record in _store.StreamRangeAsync(Instant.MinValue, asOf + Duration.Epsilon, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        foreach (var summary in _summarizer.SummarizeAll(records, asOf))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return summary;
        }
    }
}
