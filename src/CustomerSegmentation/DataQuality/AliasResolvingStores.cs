using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.DataQuality;

/// <summary>
/// An <see cref="ICustomerStore"/> in front of another that resolves merged-away ids: a get, upsert or delete that
/// names B after B was merged into A works on A. Use it wherever ids come from outside (imports, APIs).
/// </summary>
/// <remarks>
/// <para>An upsert of a record whose id is an alias is stored under the survivor's id with the same fields, so a
/// CSV import of "B, new phone" lands on A (with A's expected version, which is what a get of B returned).
/// <see cref="GetManyAsync"/> answers per requested id, so asking for A and B gives A twice.
/// <see cref="StreamAllAsync"/> passes through: merged-away records are no longer stored.</para>
/// </remarks>
/// <threadsafety>As safe as the two stores it wraps.</threadsafety>
public sealed class AliasResolvingCustomerStore : ICustomerStore
{
    private readonly ICustomerStore _inner;
    private readonly ICustomerAliasStore _aliases;

    /// <summary>Wraps a store.</summary>
    /// <param name="inner">The store.</param>
    /// <param name="aliases">The aliases.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public AliasResolvingCustomerStore(ICustomerStore inner, ICustomerAliasStore aliases)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _aliases = aliases ?? throw new ArgumentNullException(nameof(aliases));
    }

    /// <inheritdoc />
    public async ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default) =>
        await _inner.GetAsync(await _aliases.ResolveAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var resolved = new List<CustomerId>(ids.Count);
        foreach (var id in ids)
        {
            resolved.Add(await _aliases.ResolveAsync(id, cancellationToken).ConfigureAwait(false));
        }

        var found = await _inner.GetManyAsync(resolved.Distinct().ToArray(), cancellationToken).ConfigureAwait(false);
        var byId = found.ToDictionary(c => c.Id);
        return [.. resolved.Where(byId.ContainsKey).Select(id => byId[id])];
    }

    /// <inheritdoc />
    public async ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var target = await _aliases.ResolveAsync(customer.Id, cancellationToken).ConfigureAwait(false);
        return await _inner.UpsertAsync(target == customer.Id ? customer : CustomerCopy.WithId(customer, target), expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default) =>
        await _inner.DeleteAsync(await _aliases.ResolveAsync(id, cancellationToken).ConfigureAwait(false), expectedVersion, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, CancellationToken cancellationToken = default) =>
        _inner.StreamAllAsync(pageSize, cancellationToken);
}

/// <summary>
/// An <see cref="IActivityStore"/> in front of another that moves merged-away customers' activity to the survivor:
/// appends naming B are stored under A; A's stream holds A's records and those of every id that resolves to A;
/// range streams report each record under the id it resolves to.
/// </summary>
/// <remarks>
/// <para>Activity is append-only, so a merge moves nothing physically: B's records stay stored under B and this view
/// attributes them to A. That is what makes undo exact: remove the alias and B's activity is B's again. Records
/// appended through this store after the merge are stored under A and stay with A after an undo.</para>
/// <para>Records come back as new records of the same kind and fields with the resolved id (a referral's referred
/// customer is resolved too). A's stream merges the streams of A and its aliases in time order; ties keep A's records
/// first, then the aliases' in ordinal id order.</para>
/// </remarks>
/// <threadsafety>As safe as the two stores it wraps.</threadsafety>
public sealed class AliasResolvingActivityStore : IActivityStore
{
    private readonly IActivityStore _inner;
    private readonly ICustomerAliasStore _aliases;

    /// <summary>Wraps a store.</summary>
    /// <param name="inner">The store.</param>
    /// <param name="aliases">The aliases.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public AliasResolvingActivityStore(IActivityStore inner, ICustomerAliasStore aliases)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _aliases = aliases ?? throw new ArgumentNullException(nameof(aliases));
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var resolved = new List<ActivityRecord>(records.Count);
        foreach (var r in records)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(records));
            resolved.Add(await ResolveAsync(r, cancellationToken).ConfigureAwait(false));
        }

        await _inner.AppendAsync(resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var target = await _aliases.ResolveAsync(customerId, cancellationToken).ConfigureAwait(false);
        var ids = new List<CustomerId> { target };
        ids.AddRange(await _aliases.AllAliasesOfAsync(target, cancellationToken).ConfigureAwait(false));
        var lists = new List<List<ActivityRecord>>(ids.Count);
        foreach (var id in ids)
        {
            var list = new List<ActivityRecord>();
            await foreach (var r in _inner.StreamForCustomerAsync(id, cancellationToken).ConfigureAwait(false))
            {
                list.Add(r);
            }

            lists.Add(list);
        }

        var positions = new int[lists.Count];
        while (true)
        {
            var best = -1;
            for (var i = 0; i < lists.Count; i++)
            {
                if (positions[i] < lists[i].Count && (best < 0 || lists[i][positions[i]].At < lists[best][positions[best]].At))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                yield break;
            }

            yield return await ResolveAsync(lists[best][positions[best]++], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var r in _inner.StreamRangeAsync(from, to, cancellationToken).ConfigureAwait(false))
        {
            yield return await ResolveAsync(r, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<ActivityRecord> ResolveAsync(ActivityRecord record, CancellationToken cancellationToken)
    {
        var id = await _aliases.ResolveAsync(record.CustomerId, cancellationToken).ConfigureAwait(false);
        if (record is Referral referral)
        {
            var referred = await _aliases.ResolveAsync(referral.Referred, cancellationToken).ConfigureAwait(false);
            return id == referral.CustomerId && referred == referral.Referred ? record : new Referral(id, referred, referral.At);
        }

        return id == record.CustomerId ? record : record switch
        {
            Purchase p => new Purchase(id, p.At, p.Amount, p.OrderId, p.Quantity),
            Interaction x => new Interaction(id, x.Kind, x.At, x.Satisfaction, x.Nps, x.Channel),
            _ => throw new NotSupportedException($"Unknown activity record kind {record.GetType().Name}."),
        };
    }
}

/// <summary>Copies a customer under another id (the id has no <c>init</c> accessor).</summary>
internal static class CustomerCopy
{
    public static Customer WithId(Customer c, CustomerId id) => new Customer(id, c.Kind, c.DisplayName, c.CreatedAt)
    {
        Emails = c.Emails,
        Phones = c.Phones,
        Region = c.Region,
        Industry = c.Industry,
        CompanySize = c.CompanySize,
        AcquisitionChannel = c.AcquisitionChannel,
        Owner = c.Owner,
        Birthday = c.Birthday,
        MarketingConsent = c.MarketingConsent,
        CustomAttributes = c.CustomAttributes,
        UpdatedAt = c.UpdatedAt,
        LastVerifiedAt = c.LastVerifiedAt,
        Version = c.Version,
    };
}
