using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// The shared pool (公海) and who owns which customer, as an immutable value built only from recorded
/// <see cref="PoolEvent"/>s: every known customer has exactly one owner or is in the pool. Each change returns a new
/// pool with one more event; <see cref="Replay"/> rebuilds the same ownership from the events.
/// </summary>
/// <remarks>
/// Events are applied in time order (an event may not be earlier than the last one). Claims check the
/// <see cref="ClaimPolicy"/>; releases come from a <see cref="ReleaseReview"/> or from the owner; transfers are
/// management decisions and check no limit.
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class SharedPool
{
    private readonly ImmutableDictionary<CustomerId, Holding> _holding;
    private readonly ImmutableDictionary<string, ImmutableHashSet<CustomerId>> _held;
    private readonly ImmutableHashSet<CustomerId> _pool;
    private readonly ImmutableDictionary<string, ImmutableList<Instant>> _claims;
    private readonly ImmutableDictionary<(CustomerId, string), Instant> _releasedBy;

    private SharedPool(
        ImmutableDictionary<CustomerId, Holding> holding,
        ImmutableDictionary<string, ImmutableHashSet<CustomerId>> held,
        ImmutableHashSet<CustomerId> pool,
        ImmutableDictionary<string, ImmutableList<Instant>> claims,
        ImmutableDictionary<(CustomerId, string), Instant> releasedBy,
        ImmutableList<PoolEvent> events)
    {
        _holding = holding;
        _held = held;
        _pool = pool;
        _claims = claims;
        _releasedBy = releasedBy;
        Events = events;
    }

    /// <summary>Gets the empty pool: no customers, no events.</summary>
    public static SharedPool Empty { get; } = new(
        ImmutableDictionary<CustomerId, Holding>.Empty,
        ImmutableDictionary.Create<string, ImmutableHashSet<CustomerId>>(StringComparer.Ordinal),
        [],
        ImmutableDictionary.Create<string, ImmutableList<Instant>>(StringComparer.Ordinal),
        ImmutableDictionary<(CustomerId, string), Instant>.Empty,
        []);

    /// <summary>Gets every event so far, in order.</summary>
    public ImmutableList<PoolEvent> Events { get; }

    /// <summary>Gets the number of known customers.</summary>
    public int Count => _holding.Count;

    /// <summary>Gets the customers in the pool, by id.</summary>
    public ImmutableSortedSet<CustomerId> PoolMembers => [.. _pool];

    /// <summary>Gets the owners who hold at least one customer, ordinal order.</summary>
    public ImmutableSortedSet<string> Owners => _held.Where(kv => !kv.Value.IsEmpty).Select(kv => kv.Key).ToImmutableSortedSet(StringComparer.Ordinal);

    /// <summary>Gets the ownership of every known customer: the owner, or <see langword="null"/> for the pool.</summary>
    public ImmutableSortedDictionary<CustomerId, string?> Ownership => _holding.ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value.Owner);

    /// <summary>Tells whether the customer is known.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns><see langword="true"/> when it entered the book.</returns>
    public bool Contains(CustomerId customerId) => _holding.ContainsKey(customerId);

    /// <summary>Tells whether the customer is in the pool.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns><see langword="true"/> when it is in the pool.</returns>
    public bool IsInPool(CustomerId customerId) => _pool.Contains(customerId);

    /// <summary>Gets the customer's owner, or <see langword="null"/> when it is in the pool or unknown.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns>The owner.</returns>
    public string? OwnerOf(CustomerId customerId) => _holding.TryGetValue(customerId, out var h) ? h.Owner : null;

    /// <summary>Gets when the customer's current holder (owner or pool) got it, or <see langword="null"/> when unknown.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns>The instant.</returns>
    public Instant? HeldSince(CustomerId customerId) => _holding.TryGetValue(customerId, out var h) ? h.Since : null;

    /// <summary>Gets the customers an owner holds.</summary>
    /// <param name="owner">The owner.</param>
    /// <returns>The customers, by id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is <see langword="null"/>.</exception>
    public ImmutableSortedSet<CustomerId> HeldBy(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _held.TryGetValue(owner, out var set) ? [.. set] : [];
    }

    /// <summary>Gets the number of customers an owner holds.</summary>
    /// <param name="owner">The owner.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is <see langword="null"/>.</exception>
    public int HeldCount(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _held.TryGetValue(owner, out var set) ? set.Count : 0;
    }

    /// <summary>Counts an owner's claims on the local day of <paramref name="at"/> in <paramref name="zone"/>, up to <paramref name="at"/>.</summary>
    /// <param name="owner">The owner.</param>
    /// <param name="at">The instant.</param>
    /// <param name="zone">The zone whose day counts.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public int ClaimsOnDay(string owner, Instant at, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(zone);
        if (!_claims.TryGetValue(owner, out var list))
        {
            return 0;
        }

        var day = at.InZone(zone).Date;
        var n = 0;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var d = list[i].InZone(zone).Date;
            if (d < day)
            {
                break;
            }

            if (d == day && list[i] <= at)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Records a new customer: with an owner, or into the pool when <paramref name="owner"/> is <see langword="null"/>.</summary>
    /// <param name="customerId">The customer; not yet known.</param>
    /// <param name="owner">The first owner, or <see langword="null"/> for the pool.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who recorded it.</param>
    /// <param name="reason">Why (e.g. <c>new lead from the web form</c>).</param>
    /// <returns>The new pool.</returns>
    /// <exception cref="ArgumentException">The customer is known, an argument is blank, or <paramref name="at"/> is before the last event.</exception>
    public SharedPool Enter(CustomerId customerId, string? owner, Instant at, string actor, string reason) =>
        Apply(NewEvent(PoolEventKind.Enter, customerId, null, owner, at, actor, reason, []));

    /// <summary>Puts an owned customer back into the pool.</summary>
    /// <param name="customerId">The customer; must have an owner.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who (the owner, a manager, or <c>release-policy</c>).</param>
    /// <param name="reason">Why.</param>
    /// <param name="figures">The figures behind it.</param>
    /// <returns>The new pool.</returns>
    /// <exception cref="ArgumentException">The customer is unknown or in the pool, an argument is blank, or <paramref name="at"/> is before the last event.</exception>
    public SharedPool Release(CustomerId customerId, Instant at, string actor, string reason, IEnumerable<EngagementFigure>? figures = null) =>
        Apply(NewEvent(PoolEventKind.Release, customerId, OwnerOf(customerId), null, at, actor, reason, [.. figures ?? []]));

    /// <summary>Moves a customer (owned or in the pool) to another owner; a management decision, no claim limit is checked.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="to">The new owner; not the current one.</param>
    /// <param name="at">When.</param>
    /// <param name="actor">Who decided.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The new pool.</returns>
    /// <exception cref="ArgumentException">The customer is unknown or already with <paramref name="to"/>, an argument is blank, or <paramref name="at"/> is before the last event.</exception>
    public SharedPool Transfer(CustomerId customerId, string to, Instant at, string actor, string reason) =>
        Apply(NewEvent(PoolEventKind.Transfer, customerId, OwnerOf(customerId), to, at, actor, reason, []));

    /// <summary>
    /// Claims a customer from the pool for <paramref name="owner"/>, if the limits allow: the customer is in the pool,
    /// the owner holds fewer than <see cref="ClaimPolicy.MaxHeld"/>, made fewer than
    /// <see cref="ClaimPolicy.MaxClaimsPerDay"/> claims that day, and did not release this customer within the cool-down.
    /// A refusal is an expected outcome, not an exception.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="owner">Who claims.</param>
    /// <param name="at">When.</param>
    /// <param name="policy">The limits.</param>
    /// <returns>The result with the new pool or the refusal's reason and figures.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="owner"/> is blank or <paramref name="at"/> is before the last event.</exception>
    public PoolClaimResult TryClaim(CustomerId customerId, string owner, Instant at, ClaimPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        CheckTime(at);
        PoolClaimResult Refuse(string why, params EngagementFigure[] figures) => new() { IsSuccess = false, Pool = this, Reason = why, Figures = [.. figures] };
        if (!_holding.TryGetValue(customerId, out var h))
        {
            return Refuse(Inv($"customer '{customerId}' is not known to the pool"));
        }

        if (h.Owner is { } current)
        {
            return Refuse(Inv($"customer '{customerId}' is not in the pool: held by {current} since {h.Since}"));
        }

        var held = HeldCount(owner);
        var heldFigure = new EngagementFigure("customers held", held, policy.MaxHeld);
        if (held >= policy.MaxHeld)
        {
            return Refuse(Inv($"{owner} holds {held} customers, the limit is {policy.MaxHeld}"), heldFigure);
        }

        var today = ClaimsOnDay(owner, at, policy.Zone);
        var todayFigure = new EngagementFigure("claims today", today, policy.MaxClaimsPerDay);
        if (today >= policy.MaxClaimsPerDay)
        {
            return Refuse(Inv($"{owner} made {today} claims on {Date(at.InZone(policy.Zone).Date)} ({policy.Zone.Id}), the limit is {policy.MaxClaimsPerDay} per day"), heldFigure, todayFigure);
        }

        if (_releasedBy.TryGetValue((customerId, owner), out var released) && at < released + policy.CoolDown)
        {
            var hours = (decimal)Math.Round((at - released).TotalHours, 1);
            return Refuse(
                Inv($"{owner} released '{customerId}' at {released}; the cool-down of {policy.CoolDown.TotalDays:0.##} days ends at {released + policy.CoolDown}"),
                heldFigure,
                todayFigure,
                new EngagementFigure("hours since own release", hours, (decimal)policy.CoolDown.TotalHours));
        }

        var figures = ImmutableArray.Create(new EngagementFigure("customers held", held + 1, policy.MaxHeld), new EngagementFigure("claims today", today + 1, policy.MaxClaimsPerDay));
        var reason = Inv($"claimed from the pool: {owner} now holds {held + 1} of {policy.MaxHeld}, claim {today + 1} of {policy.MaxClaimsPerDay} today");
        var pool = Apply(NewEvent(PoolEventKind.Claim, customerId, null, owner, at, owner, reason, figures));
        return new PoolClaimResult { IsSuccess = true, Pool = pool, Reason = reason, Figures = figures };
    }

    /// <summary>
    /// Applies a recorded event, checking that it fits the current state (the number follows, the time is not earlier
    /// than the last event, the customer is where the event says it was). Limits are not re-checked: they were checked
    /// when the claim was made.
    /// </summary>
    /// <param name="e">The event.</param>
    /// <returns>The new pool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="e"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event does not fit the state; the message says why.</exception>
    public SharedPool Apply(PoolEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var where = Inv($"event {e.Sequence} ({e.Kind} of '{e.CustomerId}' at {e.At})");
        if (e.Sequence != Events.Count + 1)
        {
            throw new ArgumentException(Inv($"{where}: expected event number {Events.Count + 1}."), nameof(e));
        }

        if (!Enum.IsDefined(e.Kind) || e.CustomerId == default || string.IsNullOrWhiteSpace(e.Actor) || string.IsNullOrWhiteSpace(e.Reason)
            || (e.To is not null && string.IsNullOrWhiteSpace(e.To)) || (e.From is not null && string.IsNullOrWhiteSpace(e.From)))
        {
            throw new ArgumentException(Inv($"{where}: kind, customer, actor and reason are required and owners must not be blank."), nameof(e));
        }

        CheckTime(e.At);
        var known = _holding.TryGetValue(e.CustomerId, out var h);
        switch (e.Kind)
        {
            case PoolEventKind.Enter:
                Check(!known, where, "the customer is already known");
                Check(e.From is null, where, "an entering customer comes from nobody");
                break;
            case PoolEventKind.Release:
                Check(known && h.Owner is not null, where, "only an owned customer can be released");
                Check(string.Equals(e.From, h.Owner, StringComparison.Ordinal) && e.To is null, where, Inv($"a release goes from the owner ({h.Owner}) to the pool"));
                break;
            case PoolEventKind.Claim:
                Check(known && h.Owner is null, where, "only a customer in the pool can be claimed");
                Check(e.From is null && e.To is not null, where, "a claim goes from the pool to an owner");
                break;
            default:
                Check(known, where, "the customer is not known");
                Check(string.Equals(e.From, h.Owner, StringComparison.Ordinal), where, Inv($"the transfer must start from the current holder ({h.Owner ?? "the pool"})"));
                Check(e.To is not null && !string.Equals(e.To, h.Owner, StringComparison.Ordinal), where, "a transfer goes to a different owner");
                break;
        }

        var holding = _holding.SetItem(e.CustomerId, new Holding(e.To, e.At));
        var held = _held;
        var pool = _pool;
        if (known)
        {
            if (h.Owner is { } from)
            {
                held = held.SetItem(from, held[from].Remove(e.CustomerId));
            }
            else
            {
                pool = pool.Remove(e.CustomerId);
            }
        }

        if (e.To is { } to)
        {
            held = held.SetItem(to, (held.TryGetValue(to, out var set) ? set : []).Add(e.CustomerId));
        }
        else
        {
            pool = pool.Add(e.CustomerId);
        }

        var claims = e.Kind == PoolEventKind.Claim
            ? _claims.SetItem(e.To!, (_claims.TryGetValue(e.To!, out var l) ? l : []).Add(e.At))
            : _claims;
        var releasedBy = e.Kind == PoolEventKind.Release ? _releasedBy.SetItem((e.CustomerId, e.From!), e.At) : _releasedBy;
        return new SharedPool(holding, held, pool, claims, releasedBy, Events.Add(e));
    }

    /// <summary>Rebuilds a pool from its events, in order; the result equals the pool that recorded them.</summary>
    /// <param name="events">The events.</param>
    /// <returns>The pool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An event does not fit (see <see cref="Apply"/>).</exception>
    public static SharedPool Replay(IEnumerable<PoolEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var pool = Empty;
        foreach (var e in events)
        {
            pool = pool.Apply(e);
        }

        return pool;
    }

    /// <summary>
    /// Checks the pool's internal consistency: every known customer is in exactly one place (one owner's book or the
    /// pool) and the per-owner books agree with the per-customer ownership. Returns the problems found (none for any
    /// pool built through this type).
    /// </summary>
    /// <returns>The problems, empty when consistent.</returns>
    public ImmutableArray<string> CheckConsistency()
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var (id, h) in _holding)
        {
            var places = (_pool.Contains(id) ? 1 : 0) + _held.Count(kv => kv.Value.Contains(id));
            if (places != 1)
            {
                problems.Add(Inv($"customer '{id}' is in {places} places"));
            }
            else if (h.Owner is null ? !_pool.Contains(id) : !(_held.TryGetValue(h.Owner, out var s) && s.Contains(id)))
            {
                problems.Add(Inv($"customer '{id}' is recorded with {h.Owner ?? "the pool"} but kept elsewhere"));
            }
        }

        var listed = _pool.Count + _held.Sum(kv => kv.Value.Count);
        if (listed != _holding.Count)
        {
            problems.Add(Inv($"{listed} customers are listed in books and the pool, but {_holding.Count} are known"));
        }

        return problems.ToImmutable();
    }

    private PoolEvent NewEvent(PoolEventKind kind, CustomerId id, string? from, string? to, Instant at, string actor, string reason, ImmutableArray<EngagementFigure> figures)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (id == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(id));
        }

        return new PoolEvent { Sequence = Events.Count + 1, Kind = kind, CustomerId = id, From = from, To = to, At = at, Actor = actor, Reason = reason, Figures = figures };
    }

    private void CheckTime(Instant at)
    {
        if (!Events.IsEmpty && at < Events[^1].At)
        {
            throw new ArgumentException(Inv($"{at} is before the last recorded event at {Events[^1].At}: events are recorded in time order."), nameof(at));
        }
    }

    private static void Check(bool ok, string where, string why)
    {
        if (!ok)
        {
            throw new ArgumentException(Inv($"{where}: {why}."));
        }
    }

    private readonly record struct Holding(string? Owner, Instant Since);
}
