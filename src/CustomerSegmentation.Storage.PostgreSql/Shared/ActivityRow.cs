using System.Data.Common;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Storage.Internal;

/// <summary>The activity table's row layout (the same in both SQL stores): one table for the three record kinds.</summary>
internal static class ActivityRow
{
    /// <summary>Kind code of a purchase or refund.</summary>
    public const short PurchaseKind = 0;

    /// <summary>Kind code of an interaction.</summary>
    public const short InteractionKindCode = 1;

    /// <summary>Kind code of a referral.</summary>
    public const short ReferralKind = 2;

    /// <summary>Gets the select list that <see cref="Read"/> expects (the amount column is given by the store).</summary>
    public static string SelectList(string amount) =>
        $"customer_id, kind, at_ns, {amount}, currency, order_id, quantity, interaction_kind, satisfaction, nps, channel, referred_id, seq";

    /// <summary>Checks a batch before anything is written and returns it as an array with each record's instant in nanoseconds.</summary>
    /// <exception cref="ArgumentNullException">The batch is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A record is <see langword="null"/> or of an unknown kind, or its instant is outside the stored range (the message names the record's index).</exception>
    public static (ActivityRecord[] Records, long[] Nanos) Check(IReadOnlyCollection<ActivityRecord> records, Action<Purchase, int>? checkPurchase = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var batch = records.ToArray();
        var nanos = new long[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var r = batch[i];
            if (r is null)
            {
                throw new ArgumentException($"Record {i} of the batch is null; nothing was stored.", nameof(records));
            }

            if (r is not (Purchase or Interaction or Referral))
            {
                throw new ArgumentException($"Record {i} of the batch is a {r.GetType().Name}; the store keeps purchases, interactions and referrals. Nothing was stored.", nameof(records));
            }

            try
            {
                nanos[i] = StorageCodec.ToNanos(r.At, "record.At");
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"Record {i} of the batch (customer {r.CustomerId}): {e.Message} Nothing was stored.", nameof(records), e);
            }

            if (r is Purchase p)
            {
                checkPurchase?.Invoke(p, i);
            }
        }

        return (batch, nanos);
    }

    /// <summary>Reads a record from a row in <see cref="SelectList"/> order.</summary>
    public static ActivityRecord Read(DbDataReader r, Func<DbDataReader, int, decimal> readAmount)
    {
        var id = new CustomerId(r.GetString(0));
        var at = StorageCodec.FromNanos(r.GetInt64(2));
        return CustomerRow.Int(r, 1) switch
        {
            PurchaseKind => new Purchase(id, at, new Money(readAmount(r, 3), new Currency(r.GetString(4))), r.IsDBNull(5) ? null : r.GetString(5), CustomerRow.Int(r, 6)),
            InteractionKindCode => new Interaction(
                id,
                (InteractionKind)CustomerRow.Int(r, 7),
                at,
                r.IsDBNull(8) ? null : CustomerRow.Int(r, 8),
                r.IsDBNull(9) ? null : CustomerRow.Int(r, 9),
                r.IsDBNull(10) ? null : r.GetString(10)),
            ReferralKind => new Referral(id, new CustomerId(r.GetString(11)), at),
            var k => throw new InvalidDataException($"Stored activity row {r.GetInt64(12)} has the unknown kind {k}."),
        };
    }
}
