using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>
/// Supplies <see cref="ActivitySummary"/> values as of an instant. The library ships one over an
/// <see cref="Storage.IActivityStore"/> (<see cref="ActivityStoreSummarySource"/>) and one over records in memory
/// (<see cref="InMemoryActivitySummarySource"/>); a host with its own database implements it to aggregate there
/// (e.g. one <c>GROUP BY customer_id</c> query) and fills the summary fields itself.
/// </summary>
/// <remarks>Implementations must honour the as-of instant (no later activity) and be safe for concurrent use.</remarks>
public interface IActivitySummarySource
{
    /// <summary>Gets one customer's summary as of an instant.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary; a customer without activity gets an empty summary (no purchases, no interactions).</returns>
    ValueTask<ActivitySummary> GetSummaryAsync(CustomerId customerId, Instant asOf, CancellationToken cancellationToken = default);

    /// <summary>Streams the summaries of every customer with activity at or before the as-of instant.</summary>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The summaries, one per customer, in ordinal order of customer id.</returns>
    IAsyncEnumerable<ActivitySummary> GetSummariesAsync(Instant asOf, CancellationToken cancellationToken = default);
}
