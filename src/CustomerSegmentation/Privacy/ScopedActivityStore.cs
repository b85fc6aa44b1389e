using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// An <see cref="IActivityStore"/> decorator that shows and appends only the activity of customers in a <see cref="DataScope"/>, looking each
/// customer up in an <see cref="ICustomerStore"/> (once per call).
/// </summary>
/// <remarks>Activity whose customer is not in the customer store (e.g. the pseudonymous activity left by an erasure) is in no scope but
/// <see cref="DataScope.All"/>. Appending a batch with any record outside the scope throws <see cref="DataScopeException"/> and stores nothing.</remarks>
/// <threadsafety>As safe as the inner stores.</threadsafety>
public sealed class ScopedActivityStore : IActivityStore
{
    private readonly IActivityStore _inner;
    private readonly ICustomerStore _customers;

    /// <summary>Creates the decorator.</summary>
    /// <param name="inner">The activity store.</param>
    /// <param name="customers">The customer store that tells whose activity is in the scope.</param>
    /// <param name="scope">The scope.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ScopedActivityStore(IActivityStore inner, ICustomerStore customers, DataScope scope)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _customers = customers ?? throw new ArgumentNullException(nameof(customers));
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
    }

    /// <summary>Gets the scope.</summary>
    public DataScope Scope { get; }

    /// <inheritdoc />
    /// <exception cref="DataScopeException">A record's customer is outside the scope; nothing was stored.</exception>
    public async ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!Scope.IsAll)
        {
            var cache = new Dictionary<CustomerId, bool>();
            foreach (var r in records)
            {
                if (r is not null && !await InScopeAsync(r.CustomerId, cache, cancellationToken).ConfigureAwait(false))
                {
                    throw new DataScopeException(r.CustomerId, Scope);
                }
            }
        }

        await _inner.AppendAsync(records, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        if (!await InScopeAsync(customerId, [], cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        await foreach (var r in _inner.StreamForCustomerAsync(customerId, cancellationToken).ConfigureAwait(false))
        {
            yield return r;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The range end must not be before its start {from}.");
        }

        if (!Scope.AllowsRecords)
        {
            yield break;
        }

        var cache = new Dictionary<CustomerId, bool>();
        await foreach (var r in _inner.StreamRangeAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            if (await InScopeAsync(r.CustomerId, cache, cancellationToken).ConfigureAwait(false))
            {
                yield return r;
            }
        }
    }

    private async ValueTask<bool> InScopeAsync(CustomerId id, Dictionary<CustomerId, bool> cache, CancellationToken cancellationToken)
    {
        if (Scope.IsAll)
        {
            return true;
        }

        if (!Scope.AllowsRecords)
        {
            return false;
        }

        if (!cache.TryGetValue(id, out var inScope))
        {
            var c = await _customers.GetAsync(id, cancellationToken).ConfigureAwait(false);
            cache[id] = inScope = c is not null && Scope.Includes(c);
        }

        return inScope;
    }
}
