using System.Runtime.CompilerServices;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// An <see cref="ICustomerStore"/> decorator that shows and changes only the customers in a <see cref="DataScope"/>: customers outside it
/// read as missing, writes that concern them throw <see cref="DataScopeException"/> and write nothing.
/// </summary>
/// <remarks>
/// <para>Reads: <see cref="GetAsync"/> returns <see langword="null"/> and <see cref="GetManyAsync"/> leaves out customers outside the scope, so
/// the caller cannot tell them from missing ones; <see cref="StreamAllAsync"/> filters each page (pages can be shorter than the page size, empty ones are skipped).</para>
/// <para>Writes: <see cref="UpsertAsync"/> needs both the stored customer (if any) and the new value in the scope, so nobody can take over or give away a
/// customer; <see cref="DeleteAsync"/> of a customer outside the scope returns <see langword="false"/>, as for a missing one.</para>
/// </remarks>
/// <threadsafety>As safe as the inner store.</threadsafety>
public sealed class ScopedCustomerStore : ICustomerStore
{
    private readonly ICustomerStore _inner;

    /// <summary>Creates the decorator.</summary>
    /// <param name="inner">The store.</param>
    /// <param name="scope">The scope.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ScopedCustomerStore(ICustomerStore inner, DataScope scope)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
    }

    /// <summary>Gets the scope.</summary>
    public DataScope Scope { get; }

    /// <inheritdoc />
    public async ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default)
    {
        if (!Scope.AllowsRecords)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }

        var c = await _inner.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return c is not null && Scope.Includes(c) ? c : null;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!Scope.AllowsRecords)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return [];
        }

        var found = await _inner.GetManyAsync(ids, cancellationToken).ConfigureAwait(false);
        return [.. Scope.Filter(found)];
    }

    /// <inheritdoc />
    /// <exception cref="DataScopeException">The stored customer or the new value is outside the scope; nothing was written.</exception>
    public async ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (!Scope.Includes(customer))
        {
            throw new DataScopeException(customer.Id, Scope);
        }

        var stored = await _inner.GetAsync(customer.Id, cancellationToken).ConfigureAwait(false);
        if (stored is not null && !Scope.Includes(stored))
        {
            throw new DataScopeException(customer.Id, Scope);
        }

        // the version check makes the scope check and the write one step: a concurrent change of the owner bumps the version
        return await _inner.UpsertAsync(customer, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var stored = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is not null && await _inner.DeleteAsync(id, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        if (!Scope.AllowsRecords)
        {
            yield break;
        }

        await foreach (var page in _inner.StreamAllAsync(pageSize, cancellationToken).ConfigureAwait(false))
        {
            var kept = Scope.IsAll ? page : [.. Scope.Filter(page)];
            if (kept.Count > 0)
            {
                yield return kept;
            }
        }
    }
}
