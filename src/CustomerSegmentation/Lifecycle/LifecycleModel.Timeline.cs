using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

public sealed partial class LifecycleModel
{
    /// <summary>
    /// Replays a customer's whole activity in time order up to <paramref name="asOf"/> and returns the lifecycle with
    /// every automatic move recorded at the instant its condition became true (see <see cref="LifecycleTimelineBuilder"/>,
    /// which gives the same result when fed the same activity event by event).
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="activity">The customer's activity in any order; only purchases count (refunds are ignored), activity after <paramref name="asOf"/> is ignored.</param>
    /// <param name="asOf">The instant to replay up to.</param>
    /// <param name="startedAt">When the customer became known; defaults to the first purchase, or <paramref name="asOf"/> without one.</param>
    /// <returns>The lifecycle as of <paramref name="asOf"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="activity"/> is <see langword="null"/> or holds <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The activity holds another customer's record, or <paramref name="startedAt"/> is after a purchase or after <paramref name="asOf"/>.</exception>
    public CustomerLifecycle Replay(CustomerId customerId, IEnumerable<ActivityRecord> activity, Instant asOf, Instant? startedAt = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var purchases = new List<Instant>();
        foreach (var record in activity)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(activity));
            if (record.CustomerId != customerId)
            {
                throw new ArgumentException($"The activity holds a record of customer {record.CustomerId}, not {customerId}.", nameof(activity));
            }

            if (record is Purchase { IsRefund: false } p && p.At <= asOf)
            {
                purchases.Add(p.At);
            }
        }

        purchases.Sort();
        var start = startedAt ?? (purchases.Count > 0 ? purchases[0] : asOf);
        if (start > asOf || (purchases.Count > 0 && start > purchases[0]))
        {
            throw new ArgumentException($"The start {start} is after the first purchase or after {asOf}.", nameof(startedAt));
        }

        var timeline = new LifecycleTimelineBuilder(this, customerId, start);
        foreach (var at in purchases)
        {
            timeline.ObservePurchase(at);
        }

        return timeline.AdvanceTo(asOf).Lifecycle;
    }
}
