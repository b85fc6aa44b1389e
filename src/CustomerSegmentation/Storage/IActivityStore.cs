using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Storage;

/// <summary>Stores customer activity (purchases, interactions, referrals), append-only.</summary>
/// <remarks>Implementations must be safe for concurrent use. The in-memory default is <c>InMemoryActivityStore</c>.</remarks>
public interface IActivityStore
{
    /// <summary>Appends a batch of activity records atomically: all are stored or none.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the batch is stored.</returns>
    ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Streams one customer's activity in time order (ties in the order they were appended).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, CancellationToken cancellationToken = default);

    /// <summary>Streams all activity in the half-open range [<paramref name="from"/>, <paramref name="to"/>) in time order.</summary>
    /// <param name="from">The first instant included.</param>
    /// <param name="to">The first instant excluded.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The records.</returns>
    IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, CancellationToken cancellationToken = default);
}
