using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>An <see cref="IActivitySummarySource"/> over a fixed list of activity records held in memory.</summary>
/// <threadsafety>Instances are immutable and safe for concurrent use.</threadsafety>
public sealed class InMemoryActivitySummarySource : IActivitySummarySource
{
    private readonly ImmutableDictionary<CustomerId, ImmutableArray<ActivityRecord>> _byCustomer;
    private readonly ImmutableArray<CustomerId> _ids;
    private readonly ActivitySummarizer _summarizer;

    /// <summary>Creates the source; the records are copied and grouped by customer.</summary>
    /// <param name="records">The records of any customers, in any order.</param>
    /// <param name="summarizer">The summariser; a default one when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or one of its elements is <see langword="null"/>.</exception>
    public InMemoryActivitySummarySource(IEnumerable<ActivityRecord> records, ActivitySummarizer? summarizer = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var groups = new Dictionary<CustomerId, ImmutableArray<ActivityRecord>.Builder>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (!groups.TryGetValue(record.CustomerId, out var list))
            {
                groups[record.CustomerId] = list = ImmutableArray.CreateBuilder<ActivityRecord>();
            }

            list.Add(record);
        }

        _byCustomer = groups.ToImmutableDictionary(g => g.Key, g => g.Value.ToImmutable());
        _ids = [.. groups.Keys.Order()];
        _summarizer = summarizer ?? new ActivitySummarizer();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value.</exception>
    /// <exception cref="MixedCurrencyException">The customer's purchases are in several currencies and no converter is configured.</exception>
    public ValueTask<ActivitySummary> GetSummaryAsync(CustomerId customerId, Instant asOf, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var records = _byCustomer.TryGetValue(customerId, out var list) ? list : [];
        return ValueTask.FromResult(_summarizer.Summarize(customerId, records, asOf));
    }

    /// <inheritdoc />
    /// <exception cref="MixedCurrencyException">A customer's purchases are in several currencies and no converter is configured.</exception>
    public async IAsyncEnumerable<ActivitySummary> GetSummariesAsync(Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var id in _ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = _byCustomer[id];
            if (records.Any(r => r.At <= asOf))
            {
                yield return _summarizer.Summarize(id, records, asOf);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
