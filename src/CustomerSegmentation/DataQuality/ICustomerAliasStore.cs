using System.Collections.Concurrent;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.DataQuality;

/// <summary>
/// Keeps the ids of merged-away customers (aliases) and the customer each now points to. After B is merged into A,
/// B → A; after C was merged into B earlier, C → B → A, and C resolves to A.
/// </summary>
/// <remarks>
/// A new interface beside <c>ICustomerStore</c> rather than new store members, so existing stores keep their contract.
/// Implementations must be safe for concurrent use; <see cref="InMemoryCustomerAliasStore"/> is the default.
/// Resolution follows the chain (see <see cref="CustomerAliases.ResolveAsync"/>).
/// </remarks>
public interface ICustomerAliasStore
{
    /// <summary>Gets the id an alias points to directly, or <see langword="null"/> when the id is no alias.</summary>
    /// <param name="alias">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The target, or <see langword="null"/>.</returns>
    ValueTask<CustomerId?> GetTargetAsync(CustomerId alias, CancellationToken cancellationToken = default);

    /// <summary>Gets the aliases that point directly to an id (ordinal order).</summary>
    /// <param name="target">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The aliases.</returns>
    ValueTask<IReadOnlyList<CustomerId>> GetAliasesAsync(CustomerId target, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="alias"/> → <paramref name="target"/> if the alias is not yet an alias.</summary>
    /// <param name="alias">The merged-away id.</param>
    /// <param name="target">The survivor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the alias already points somewhere (nothing changed).</returns>
    ValueTask<bool> TryAddAsync(CustomerId alias, CustomerId target, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="alias"/> → <paramref name="target"/> if it is there.</summary>
    /// <param name="alias">The alias.</param>
    /// <param name="target">The target it must point to.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when removed.</returns>
    ValueTask<bool> TryRemoveAsync(CustomerId alias, CustomerId target, CancellationToken cancellationToken = default);
}

/// <summary>The in-memory <see cref="ICustomerAliasStore"/>: two concurrent dictionaries; writes take one lock.</summary>
/// <threadsafety>Safe for concurrent use.</threadsafety>
public sealed class InMemoryCustomerAliasStore : ICustomerAliasStore
{
    private readonly ConcurrentDictionary<CustomerId, CustomerId> _targets = new();
    private readonly ConcurrentDictionary<CustomerId, SortedSet<CustomerId>> _aliases = new();
    private readonly Lock _lock = new();

    /// <summary>Gets the number of aliases.</summary>
    public int Count => _targets.Count;

    /// <inheritdoc />
    public ValueTask<CustomerId?> GetTargetAsync(CustomerId alias, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<CustomerId?>(_targets.TryGetValue(alias, out var t) ? t : null);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CustomerId>> GetAliasesAsync(CustomerId target, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<CustomerId>>(_aliases.TryGetValue(target, out var set) ? [.. set] : []);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(CustomerId alias, CustomerId target, CancellationToken cancellationToken = default)
    {
        RequireIds(alias, target);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_targets.TryAdd(alias, target))
            {
                return ValueTask.FromResult(false);
            }

            _aliases.GetOrAdd(target, _ => []).Add(alias);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRemoveAsync(CustomerId alias, CustomerId target, CancellationToken cancellationToken = default)
    {
        RequireIds(alias, target);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_targets.TryGetValue(alias, out var t) || t != target)
            {
                return ValueTask.FromResult(false);
            }

            _targets.TryRemove(alias, out _);
            if (_aliases.TryGetValue(target, out var set))
            {
                set.Remove(alias);
                if (set.Count == 0)
                {
                    _aliases.TryRemove(target, out _);
                }
            }

            return ValueTask.FromResult(true);
        }
    }

    private static void RequireIds(CustomerId alias, CustomerId target)
    {
        if (alias == default || target == default)
        {
            throw new ArgumentException("Alias and target must not be the default id.");
        }

        if (alias == target)
        {
            throw new ArgumentException($"The id '{alias}' cannot be an alias of itself.", nameof(alias));
        }
    }
}

/// <summary>Resolution helpers over an <see cref="ICustomerAliasStore"/>.</summary>
public static class CustomerAliases
{
    /// <summary>The longest alias chain followed; a longer one means a cycle or corrupt data.</summary>
    public const int MaxChainLength = 64;

    /// <summary>Follows the alias chain from an id to the id that is no alias (the id itself when it is none).</summary>
    /// <param name="aliases">The alias store.</param>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resolved id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aliases"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The chain is longer than <see cref="MaxChainLength"/> (a cycle).</exception>
    public static async ValueTask<CustomerId> ResolveAsync(this ICustomerAliasStore aliases, CustomerId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var current = id;
        for (var i = 0; i < MaxChainLength; i++)
        {
            if (await aliases.GetTargetAsync(current, cancellationToken).ConfigureAwait(false) is not { } next)
            {
                return current;
            }

            current = next;
        }

        throw new InvalidOperationException($"The alias chain from '{id}' is longer than {MaxChainLength} links: the alias store holds a cycle.");
    }

    /// <summary>Gets every id that resolves to <paramref name="target"/> through one or more links (C and B for A after C → B → A), ordinal order.</summary>
    /// <param name="aliases">The alias store.</param>
    /// <param name="target">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The aliases, not including <paramref name="target"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aliases"/> is <see langword="null"/>.</exception>
    public static async ValueTask<IReadOnlyList<CustomerId>> AllAliasesOfAsync(this ICustomerAliasStore aliases, CustomerId target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var result = new SortedSet<CustomerId>();
        var queue = new Queue<CustomerId>([target]);
        while (queue.Count > 0)
        {
            foreach (var a in await aliases.GetAliasesAsync(queue.Dequeue(), cancellationToken).ConfigureAwait(false))
            {
                if (a != target && result.Add(a))
                {
                    queue.Enqueue(a);
                }
            }
        }

        return [.. result];
    }
}
