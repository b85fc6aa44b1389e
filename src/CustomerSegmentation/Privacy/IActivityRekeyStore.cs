using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// The capability erasure needs from an activity store: move every record of one customer (and every referral of that customer) to
/// another id, in place, keeping times, amounts and order. <see cref="Storage.InMemoryActivityStore"/> implements it; a database store
/// implements it with one <c>UPDATE … SET customer_id = @to WHERE customer_id = @from</c> (and the same for the referred column) in one transaction.
/// </summary>
/// <remarks>The store interfaces (<see cref="Storage.IActivityStore"/>) stay append-only; this is a separate, optional interface so that only
/// stores that can honour erasure claim to.</remarks>
public interface IActivityRekeyStore
{
    /// <summary>Moves every record of <paramref name="from"/> to <paramref name="to"/> atomically (referrals: both the referrer and the referred side).</summary>
    /// <param name="from">The id to remove.</param>
    /// <param name="to">The new id (a pseudonym).</param>
    /// <param name="cancellationToken">Cancels the call; nothing is changed when cancelled before it starts.</param>
    /// <returns>The number of records changed.</returns>
    ValueTask<int> RekeyAsync(CustomerId from, CustomerId to, CancellationToken cancellationToken = default);
}

/// <summary>Copies activity records under another customer id (for <see cref="IActivityRekeyStore"/> implementations).</summary>
public static class ActivityRekeying
{
    /// <summary>Returns the record with <paramref name="from"/> replaced by <paramref name="to"/> wherever it appears (the customer, and a referral's referred customer); the same instance when it does not appear.</summary>
    /// <param name="record">The record.</param>
    /// <param name="from">The id to replace.</param>
    /// <param name="to">The new id.</param>
    /// <returns>The record under the new id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The record is of a kind this version does not know.</exception>
    public static ActivityRecord Rekey(ActivityRecord record, CustomerId from, CustomerId to)
    {
        ArgumentNullException.ThrowIfNull(record);
        var owner = record.CustomerId == from ? to : record.CustomerId;
        return record switch
        {
            Referral r when r.CustomerId == from || r.Referred == from => new Referral(owner, r.Referred == from ? to : r.Referred, r.At),
            _ when record.CustomerId != from => record,
            Purchase p => new Purchase(to, p.At, p.Amount, p.OrderId, p.Quantity),
            Interaction i => new Interaction(to, i.Kind, i.At, i.Satisfaction, i.Nps, i.Channel),
            _ => throw new NotSupportedException($"Unknown activity record kind {record.GetType().Name}."),
        };
    }
}
