using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>
/// Follows one customer through a model event by event: feed purchases in time order (<see cref="Observe(Purchase)"/>),
/// declare time passing (<see cref="AdvanceTo(Instant)"/>) and move by hand (<see cref="TryMove(string, string, string, Instant)"/>).
/// Every automatic move is recorded at the instant its condition became true (e.g. the start of the first day
/// with no purchase for longer than the window), so the history does not depend on how often the host advances time.
/// </summary>
/// <remarks>
/// <para>After each purchase and each manual move the rules are evaluated at once at that instant; between events, the
/// builder finds the next instant at which a rule's condition can change (a window running out, days in stage passing)
/// and evaluates there. <see cref="LifecycleModel.Replay"/> runs the same steps over a whole activity list.</para>
/// <para>A purchase fully refunded later still counts as a purchase; refunds (negative amounts) are ignored.</para>
/// <para>Mutable and not thread-safe; <see cref="Lifecycle"/> is an immutable snapshot.</para>
/// </remarks>
public sealed class LifecycleTimelineBuilder
{
    private readonly LifecycleModel _model;
    private readonly List<long> _sortedGaps = [];
    private CustomerLifecycle _lifecycle;
    private Instant _now;
    private Instant? _horizon;
    private int _count;
    private long _last = LifecycleColumns.None;

    /// <summary>Starts a customer in the model's initial stage and evaluates the rules at <paramref name="startedAt"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="startedAt">When the customer became known.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id is the default value.</exception>
    public LifecycleTimelineBuilder(LifecycleModel model, CustomerId customerId, Instant startedAt)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _lifecycle = model.Start(customerId, startedAt);
        _now = startedAt;
        EvaluateNow();
    }

    /// <summary>Gets the lifecycle so far (stage, history).</summary>
    public CustomerLifecycle Lifecycle => _lifecycle;

    /// <summary>Gets the latest instant the builder has reached (an event, a manual move or <see cref="AdvanceTo(Instant)"/>).</summary>
    public Instant Now => _now;

    /// <summary>Records a purchase and evaluates the rules at its instant (a refund is ignored).</summary>
    /// <param name="purchase">The purchase, of this customer, not before <see cref="Now"/> and after any instant passed to <see cref="AdvanceTo(Instant)"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purchase"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The purchase is of another customer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The purchase is out of time order.</exception>
    public LifecycleTimelineBuilder Observe(Purchase purchase)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        if (purchase.CustomerId != _lifecycle.CustomerId)
        {
            throw new ArgumentException($"The purchase is of customer {purchase.CustomerId}, not {_lifecycle.CustomerId}.", nameof(purchase));
        }

        if (!purchase.IsRefund)
        {
            ObservePurchase(purchase.At);
        }

        return this;
    }

    /// <summary>Records a purchase at an instant and evaluates the rules there.</summary>
    /// <param name="at">When the purchase was paid; not before <see cref="Now"/> and after any instant passed to <see cref="AdvanceTo(Instant)"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is out of time order.</exception>
    public LifecycleTimelineBuilder ObservePurchase(Instant at)
    {
        if (at < _now || (_horizon is { } h && at <= h))
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"Activity must arrive in time order: after {_horizon?.ToString() ?? _now.ToString()}.");
        }

        RunUntil(at, inclusive: false);
        _now = at;
        var t = at.ToUnixTimeTicks();
        if (_last != LifecycleColumns.None)
        {
            var gap = t - _last;
            var i = _sortedGaps.BinarySearch(gap);
            _sortedGaps.Insert(i < 0 ? ~i : i, gap);
        }

        _count++;
        _last = t;
        EvaluateNow();
        return this;
    }

    /// <summary>Declares that all activity up to <paramref name="asOf"/> has been observed and applies every time-driven move up to it.</summary>
    /// <param name="asOf">The instant, not before <see cref="Now"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before <see cref="Now"/>.</exception>
    public LifecycleTimelineBuilder AdvanceTo(Instant asOf)
    {
        if (asOf < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"Time only moves forward (now {_now}).");
        }

        RunUntil(asOf, inclusive: true);
        _now = asOf;
        _horizon = asOf;
        return this;
    }

    /// <summary>Moves the customer by hand at an instant (applying time-driven moves before it), then evaluates the rules there.</summary>
    /// <param name="to">The stage to move to.</param>
    /// <param name="actor">Who moves the customer.</param>
    /// <param name="reason">Why.</param>
    /// <param name="at">When; not before <see cref="Now"/>.</param>
    /// <returns>The result of the manual move (unsuccessful when the model does not allow it; nothing is then recorded at <paramref name="at"/>).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is before <see cref="Now"/>.</exception>
    public LifecycleMoveResult TryMove(string to, string actor, string reason, Instant at)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (at < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"Time only moves forward (now {_now}).");
        }

        RunUntil(at, inclusive: false);
        _now = at;
        var result = _model.TryMove(_lifecycle, to, actor, reason, at);
        if (result.Lifecycle is { } moved)
        {
            _lifecycle = moved;
            EvaluateNow();
        }

        return result;
    }

    /// <summary>Gets the lifecycle so far; the same as <see cref="Lifecycle"/>.</summary>
    /// <returns>The lifecycle.</returns>
    public CustomerLifecycle Build() => _lifecycle;

    private long MedianGapTicks()
    {
        var n = _sortedGaps.Count;
        if (n == 0)
        {
            return LifecycleColumns.None;
        }

        // Even count: the mean of the two middle gaps, rounded down to a tick.
        return n % 2 == 1 ? _sortedGaps[n / 2] : _sortedGaps[(n / 2) - 1] + ((_sortedGaps[n / 2] - _sortedGaps[(n / 2) - 1]) / 2);
    }

    private void EvaluateNow() =>
        _lifecycle = _model.EvaluateAt(_lifecycle, _now, _count, _last, MedianGapTicks()).Lifecycle;

    private void RunUntil(Instant until, bool inclusive)
    {
        while (NextChange() is { } next && (inclusive ? next <= until : next < until))
        {
            _now = next;
            EvaluateNow();
        }
    }

    /// <summary>The next instant after <see cref="_now"/> at which a condition of a rule of the current stage can change.</summary>
    private Instant? NextChange()
    {
        var gap = MedianGapTicks();
        var enteredDay = _model.DayOf(_lifecycle.EnteredAt.ToUnixTimeTicks());
        var lastDay = _last == LifecycleColumns.None ? 0 : _model.DayOf(_last);
        Instant? best = null;
        foreach (var rule in _model.Rules)
        {
            if (!rule.From.Contains(_lifecycle.Stage))
            {
                continue;
            }

            if (_last != LifecycleColumns.None)
            {
                if (rule.NoPurchaseFor is { } none)
                {
                    Consider(lastDay + (long)Math.Floor(none.ResolveDays(gap)) + 1);
                }

                if (rule.PurchasedWithin is { } within)
                {
                    Consider(lastDay + (long)Math.Floor(within.ResolveDays(gap)) + 1);
                }
            }

            if (rule.MinDaysInStage is { } days)
            {
                Consider(enteredDay + (long)days + 1);
            }
        }

        return best;

        void Consider(long day)
        {
            var at = _model.StartOfDay(day);
            if (at > _now && (best is null || at < best))
            {
                best = at;
            }
        }
    }
}
