using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Storage;

/// <summary>Stores customer profiles with optimistic concurrency.</summary>
/// <remarks>Implementations must be safe for concurrent use. The in-memory default is <c>InMemoryCustomerStore</c>.</remarks>
public interface ICustomerStore
{
    /// <summary>Gets a customer by id.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored customer, or <see langword="null"/> when there is none.</returns>
    ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default);

    /// <summary>Gets the customers with the given ids that exist, in the order of <paramref name="ids"/>; missing ids are left out.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The customers found.</returns>
    ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or updates a customer if the stored version equals <paramref name="expectedVersion"/> (0 = must not exist yet).
    /// Returns the stored customer with its new version. On a mismatch nothing is written and
    /// <see cref="ConcurrencyConflictException"/> is thrown.
    /// </summary>
    /// <param name="customer">The customer to store.</param>
    /// <param name="expectedVersion">The version the caller read, or 0 for a new customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The customer as stored, with its new <see cref="Customer.Version"/>.</returns>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes a customer if the stored version equals <paramref name="expectedVersion"/>.</summary>
    /// <param name="id">The id.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when a customer was deleted, <see langword="false"/> when none existed.</returns>
    /// <exception cref="ConcurrencyConflictException">The customer exists with another version.</exception>
    ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Streams every customer in pages of at most <paramref name="pageSize"/>, ordered by id (ordinal).</summary>
    /// <param name="pageSize">The page size, at least 1.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The pages.</returns>
    IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, CancellationToken cancellationToken = default);
}
