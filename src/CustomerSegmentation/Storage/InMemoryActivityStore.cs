using System.Runtime.CompilerServices;
using Ardalis.GuardClauses;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Storage;

/// <summary>The default <see cref="IActivityStore"/>: append-only activity in memory.</summary>
/// <remarks>
/// <para>A batch is checked completely before anything is stored, then stored under one lock: readers see all of a batch
/// or none of it. Records are kept in time order (ties in append order) per customer and overall; appending in time
/// order is O(1) per record, an out-of-order record is inserted in place.</para>
/// <para>Streams enumerate a snapshot taken when the enumeration starts.</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class InMemoryActivityStore : IActivityStore, Privacy.IActivityRekeyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CustomerId, List<ActivityRecord>> _byCustomer = [];
    private readonly List<ActivityRecord> _all = [];

    /// <summary>Gets the number of stored records.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A record is <see langword="null"/>; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was stored.</exception>
    public ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(records);
        var batch = records.ToArray();
        if (Array.IndexOf(batch, null) >= 0)
        {
            throw new ArgumentException("The batch holds a null record; nothing was stored.", nameof(records));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            foreach (var r in batch)
            {
                if (!_byCustomer.TryGetValue(r.CustomerId, out var list))
                {
                    list = [];
                    _byCustomer.Add(r.CustomerId, list);
                }

                InsertInOrder(list, r);
                InsertInOrder(_all, r);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value.</exception>
    public IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        return Stream(() => _byCustomer.TryGetValue(customerId, out var list) ? [.. list] : [], cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The range end must not be before its start {from}.");
        }

        return Stream(
            () =>
            {
                var start = FirstAtOrAfter(_all, from);
                var end = FirstAtOrAfter(_all, to);
                return _all.GetRange(start, end - start).ToArray();
            },
            cancellationToken);
    }

    /// <summary>Moves every record of <paramref name="from"/> (and every referral of it) to <paramref name="to"/> under one lock, keeping order (erasure).</summary>
    /// <param name="from">The id to remove.</param>
    /// <param name="to">The new id.</param>
    /// <param name="cancellationToken">Cancels the call before it starts.</param>
    /// <returns>The number of records changed.</returns>
    /// <exception cref="ArgumentException">An id is the default value, or both are the same.</exception>
    public ValueTask<int> RekeyAsync(CustomerId from, CustomerId to, CancellationToken cancellationToken = default)
    {
        if (from == default || to == default)
        {
            throw new ArgumentException("The customer ids must not be the default value.", from == default ? nameof(from) : nameof(to));
        }

        if (from == to)
        {
            throw new ArgumentException("The new id must differ from the old one.", nameof(to));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var changed = 0;
        lock (_gate)
        {
            for (var i = 0; i < _all.Count; i++)
            {
                var r = Privacy.ActivityRekeying.Rekey(_all[i], from, to);
                if (!ReferenceEquals(r, _all[i]))
                {
                    _all[i] = r;
                    changed++;
                }
            }

            if (changed > 0)
            {
                // _all is in time order with ties in append order, so rebuilding the per-customer lists from it keeps their order too
                _byCustomer.Clear();
                foreach (var r in _all)
                {
                    if (!_byCustomer.TryGetValue(r.CustomerId, out var list))
                    {
                        _byCustomer.Add(r.CustomerId, list = []);
                    }

                    list.Add(r);
                }
            }
        }

        return ValueTask.FromResult(changed);
    }

    // Index of the first record with At >= instant.
    private static int FirstAtOrAfter(List<ActivityRecord> list, Instant instant)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (list[mid].At < instant)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // After every record with At <= r.At, so ties keep append order.
    private static void InsertInOrder(List<ActivityRecord> list, ActivityRecord r)
    {
        if (list.Count == 0 || list[^1].At <= r.At)
        {
            list.Add(r);
            return;
        }

        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (list[mid].At <= r.At)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        list.Insert(lo, r);
    }

    private async IAsyncEnumerable<ActivityRecord> Stream(Func<ActivityRecord[]> snapshot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ActivityRecord[] items;
        lock (_gate)
        {
            items = snapshot();
        }

        foreach (var r in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return r;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
