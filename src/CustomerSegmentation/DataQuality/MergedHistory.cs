using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Tiers;

namespace CustomerSegmentation.DataQuality;

/// <summary>A lifecycle move with the record it was recorded for (the survivor or one of its aliases).</summary>
/// <param name="RecordedFor">The id the move was recorded under.</param>
/// <param name="Move">The move.</param>
public sealed record MergedLifecycleMove(CustomerId RecordedFor, LifecycleMove Move);

/// <summary>
/// The tier and stage history of a customer including every record merged into it: histories stay recorded under the
/// merged-away ids and are combined through the aliases, so an undo gives each record its own history back unchanged.
/// </summary>
/// <remarks>Entries are in time order; on equal instants the survivor's come first, then the aliases' in ordinal id order.
/// Each entry keeps the id it was recorded under, so "came from B" stays visible.</remarks>
public static class MergedHistory
{
    /// <summary>Combines the tier histories of a customer and its aliases.</summary>
    /// <param name="ledger">The tier ledger.</param>
    /// <param name="customerId">The customer (an alias resolves to its survivor).</param>
    /// <param name="aliases">The aliases.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tier changes, oldest first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async ValueTask<ImmutableArray<TierChange>> TiersAsync(TierLedger ledger, CustomerId customerId, ICustomerAliasStore aliases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var ids = await IdsAsync(customerId, aliases, cancellationToken).ConfigureAwait(false);
        return [.. ids.SelectMany((id, order) => ledger.History(id).Select(c => (c, order))).OrderBy(x => x.c.At).ThenBy(x => x.order).Select(x => x.c)];
    }

    /// <summary>Combines the lifecycle moves of a customer and its aliases.</summary>
    /// <param name="lifecycles">The host's lifecycles by id.</param>
    /// <param name="customerId">The customer (an alias resolves to its survivor).</param>
    /// <param name="aliases">The aliases.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The moves, oldest first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async ValueTask<ImmutableArray<MergedLifecycleMove>> LifecycleAsync(IReadOnlyDictionary<CustomerId, CustomerLifecycle> lifecycles, CustomerId customerId, ICustomerAliasStore aliases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycles);
        var ids = await IdsAsync(customerId, aliases, cancellationToken).ConfigureAwait(false);
        return [.. ids
            .SelectMany((id, order) => lifecycles.TryGetValue(id, out var l) ? l.History.Select(m => (Move: new MergedLifecycleMove(id, m), order)) : [])
            .OrderBy(x => x.Move.Move.At).ThenBy(x => x.order).Select(x => x.Move)];
    }

    private static async ValueTask<List<CustomerId>> IdsAsync(CustomerId customerId, ICustomerAliasStore aliases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var target = await aliases.ResolveAsync(customerId, cancellationToken).ConfigureAwait(false);
        var ids = new List<CustomerId> { target };
        ids.AddRange(await aliases.AllAliasesOfAsync(target, cancellationToken).ConfigureAwait(false));
        return ids;
    }
}
