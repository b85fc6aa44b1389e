using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Ardalis.GuardClauses;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Storage;

/// <summary>The default <see cref="ICustomerStore"/>: customers in memory, with optimistic concurrency.</summary>
/// <remarks>
/// <para>Reads are lock-free; writes take one lock, so a version check and its write are one atomic step and a
/// conflicting write changes nothing. The stored customer is the given one with <see cref="Customer.Version"/> set to the
/// expected version + 1 (a new customer gets 1); no other field is changed. Deleting and inserting again starts at version 1.</para>
/// <para><see cref="StreamAllAsync"/> pages through a snapshot taken when the enumeration starts.</para>
/// <para>Data lives as long as the store instance; nothing is persisted.</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class InMemoryCustomerStore : ICustomerStore
{
    private readonly ConcurrentDictionary<CustomerId, Customer> _customers = new();
    private readonly Lock _writeGate = new();

    /// <summary>Gets the number of stored customers.</summary>
    public int Count => _customers.Count;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_customers.TryGetValue(id, out var c) ? c : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new List<Customer>(ids.Count);
        foreach (var id in ids)
        {
            if (_customers.TryGetValue(id, out var c))
            {
                found.Add(c);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Customer>>(found);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was written.</exception>
    public ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(customer);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeGate)
        {
            var actual = _customers.TryGetValue(customer.Id, out var current) ? current.Version : 0;
            if (actual != expectedVersion)
            {
                throw new ConcurrencyConflictException(customer.Id, expectedVersion, actual);
            }

            var stored = customer with { Version = checked(expectedVersion + 1) };
            _customers[customer.Id] = stored;
            return ValueTask.FromResult(stored);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was deleted.</exception>
    public ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeGate)
        {
            if (!_customers.TryGetValue(id, out var current))
            {
                return ValueTask.FromResult(false);
            }

            if (current.Version != expectedVersion)
            {
                throw new ConcurrencyConflictException(id, expectedVersion, current.Version);
            }

            _customers.TryRemove(id, out _);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    public IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        return Stream(pageSize, cancellationToken);
    }

    private static void CheckId(CustomerId id)
    {
        if (id == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(id));
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<Customer>> Stream(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = _customers.Values.ToArray();
        Array.Sort(snapshot, static (a, b) => a.Id.CompareTo(b.Id));
        for (var start = 0; start < snapshot.Length; start += pageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return snapshot.AsSpan(start, Math.Min(pageSize, snapshot.Length - start)).ToArray();
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
