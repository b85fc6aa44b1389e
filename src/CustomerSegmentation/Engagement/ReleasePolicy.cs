using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// When an owned customer of a tier goes back to the pool: after <see cref="NoFollowUpDays"/> whole days without a
/// follow-up by the owner, or <see cref="NoDealDays"/> days without a deal (purchase), whichever comes first, counted
/// from the later of the last follow-up (deal) and the day the owner got the customer. A warning is listed
/// <see cref="WarningDays"/> days before.
/// </summary>
/// <param name="Tier">The tier covered, or <see langword="null"/> for customers of any other tier (and without one).</param>
/// <param name="NoFollowUpDays">Days without follow-up that release (N), or <see langword="null"/>.</param>
/// <param name="NoDealDays">Days without a deal that release (M), or <see langword="null"/>.</param>
/// <param name="WarningDays">How many days before the release the warning starts (X); 0 for none.</param>
public sealed record ReleaseRule(string? Tier, int? NoFollowUpDays, int? NoDealDays, int WarningDays = 0);

/// <summary>What the release review decided for one owned customer.</summary>
public enum ReleaseOutcome
{
    /// <summary>Stays with the owner; not near release.</summary>
    Keep = 0,

    /// <summary>Stays with the owner, but the release is near: within the warning days.</summary>
    Warning = 1,

    /// <summary>Goes back to the pool.</summary>
    Release = 2,

    /// <summary>Protected: never released.</summary>
    Protected = 3,

    /// <summary>No rule covers the customer's tier: never released.</summary>
    NoRule = 4,
}

/// <summary>One customer's release decision, explained.</summary>
public sealed record ReleaseDecision
{
    /// <summary>Gets the customer.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the owner (from the pool).</summary>
    public required string Owner { get; init; }

    /// <summary>Gets the decision.</summary>
    public required ReleaseOutcome Outcome { get; init; }

    /// <summary>Gets the rule's tier (<c>*</c> for the default rule), or <see langword="null"/>.</summary>
    public string? RuleTier { get; init; }

    /// <summary>Gets the whole days until the release (0 when released today), or <see langword="null"/> when it never comes.</summary>
    public int? DaysUntilRelease { get; init; }

    /// <summary>Gets the figures: days without follow-up and without deal with their thresholds, days until release.</summary>
    public ImmutableArray<EngagementFigure> Figures { get; init; } = [];

    /// <summary>Gets the explanation, e.g. <c>tier B: 31 days without follow-up (release at 30), 12 days without deal (release at 90): released</c>.</summary>
    public required string Explanation { get; init; }
}

/// <summary>
/// A release review of the shared pool as of an instant: every owned customer's decision. Apply it with
/// <see cref="ApplyTo"/> to record the releases.
/// </summary>
public sealed class ReleaseReview
{
    internal ReleaseReview(Instant asOf, long poolVersion, ImmutableArray<ReleaseDecision> decisions, ImmutableArray<CustomerId> unknown, ImmutableArray<CustomerId> unreviewed)
    {
        AsOf = asOf;
        PoolVersion = poolVersion;
        Decisions = decisions;
        Unknown = unknown;
        Unreviewed = unreviewed;
    }

    /// <summary>Gets the as-of instant.</summary>
    public Instant AsOf { get; }

    /// <summary>Gets the number of events of the pool reviewed; <see cref="ApplyTo"/> needs the same pool.</summary>
    public long PoolVersion { get; }

    /// <summary>Gets every owned customer's decision, by customer id.</summary>
    public ImmutableArray<ReleaseDecision> Decisions { get; }

    /// <summary>Gets the customers to release.</summary>
    public IEnumerable<ReleaseDecision> Releases => Decisions.Where(d => d.Outcome == ReleaseOutcome.Release);

    /// <summary>Gets the warning list: customers to be released within the warning days, soonest first.</summary>
    public IEnumerable<ReleaseDecision> Warnings => Decisions.Where(d => d.Outcome == ReleaseOutcome.Warning).OrderBy(d => d.DaysUntilRelease).ThenBy(d => d.CustomerId);

    /// <summary>Gets the subjects whose customer the pool does not know (not reviewed).</summary>
    public ImmutableArray<CustomerId> Unknown { get; }

    /// <summary>Gets the owned customers the review had no subject for (not reviewed: their activity is unknown).</summary>
    public ImmutableArray<CustomerId> Unreviewed { get; }

    /// <summary>Records every release of the review in the pool, at the review's as-of instant.</summary>
    /// <param name="pool">The pool reviewed (same events).</param>
    /// <param name="actor">Who applies it; default <c>release-policy</c>.</param>
    /// <returns>The new pool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The pool changed since the review.</exception>
    public SharedPool ApplyTo(SharedPool pool, string actor = "release-policy")
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Events.Count != PoolVersion)
        {
            throw new InvalidOperationException(Inv($"The pool has {pool.Events.Count} events but the review was made on {PoolVersion}: review again."));
        }

        foreach (var d in Releases)
        {
            pool = pool.Release(d.CustomerId, AsOf, actor, d.Explanation, d.Figures);
        }

        return pool;
    }
}

/// <summary>
/// The release policy of the shared pool: one <see cref="ReleaseRule"/> per tier (and optionally a default), protected
/// customers never released. A review never changes the pool and reads no clock.
/// </summary>
/// <remarks>
/// Days are whole calendar days in the customer's zone (<see cref="EngagementSubject.Zone"/>, else the options'
/// default), as <see cref="ActivitySummary.DaysBetween"/> counts them. A customer is released when the days reach the
/// threshold (≥). The owner comes from the pool, not from the subject. Follow-ups are recognised by the
/// <see cref="FollowUpOptions"/>.
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class ReleasePolicy
{
    private readonly ImmutableDictionary<string, ReleaseRule> _byTier;
    private readonly ReleaseRule? _default;

    /// <summary>Creates a policy.</summary>
    /// <param name="rules">One rule per tier, at most one default rule (tier <see langword="null"/>).</param>
    /// <param name="options">Which interactions are follow-ups, and the default zone.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="EngagementConfigurationException">No rule, two rules for a tier, a rule without any threshold, a threshold below 1, negative warning days, or warning days not below the thresholds.</exception>
    public ReleasePolicy(IEnumerable<ReleaseRule> rules, FollowUpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
        Require(!Rules.IsEmpty && Rules.All(r => r is not null), "release policy: at least one rule is needed and none may be null.");
        foreach (var r in Rules)
        {
            var name = r.Tier is null ? "the default rule" : Inv($"the rule for tier '{r.Tier}'");
            Require(r.Tier is null || !string.IsNullOrWhiteSpace(r.Tier), "release policy: a rule's tier is blank (use null for the default rule).");
            Require(r.NoFollowUpDays is not null || r.NoDealDays is not null, Inv($"release policy: {name} has neither NoFollowUpDays nor NoDealDays."));
            Require(r.NoFollowUpDays is null or >= 1 && r.NoDealDays is null or >= 1, Inv($"release policy: {name} has a threshold below 1 day."));
            Require(r.WarningDays >= 0, Inv($"release policy: {name} has negative warning days."));
            Require(r.WarningDays < Math.Min(r.NoFollowUpDays ?? int.MaxValue, r.NoDealDays ?? int.MaxValue), Inv($"release policy: {name} warns {r.WarningDays} days before a release that comes sooner."));
        }

        var dup = Rules.GroupBy(r => r.Tier ?? "\0").FirstOrDefault(g => g.Count() > 1);
        Require(dup is null, Inv($"release policy: {(dup?.Key == "\0" ? "the default rule" : "tier '" + dup?.Key + "'")} has two rules."));
        _byTier = Rules.Where(r => r.Tier is not null).ToImmutableDictionary(r => r.Tier!, StringComparer.Ordinal);
        _default = Rules.FirstOrDefault(r => r.Tier is null);
        Options = options ?? FollowUpOptions.Default;
        Options.Validate();
    }

    /// <summary>Gets the rules.</summary>
    public ImmutableArray<ReleaseRule> Rules { get; }

    /// <summary>Gets the follow-up options.</summary>
    public FollowUpOptions Options { get; }

    /// <summary>Reviews every owned customer of the pool that has a subject, as of an instant.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="subjects">The customers' activity (tier, interactions, last purchase, protection).</param>
    /// <param name="asOf">The as-of instant; not before the pool's last event.</param>
    /// <returns>The review.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice, or <paramref name="asOf"/> is before the pool's last event.</exception>
    public ReleaseReview Review(SharedPool pool, IEnumerable<EngagementSubject> subjects, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(subjects);
        if (!pool.Events.IsEmpty && asOf < pool.Events[^1].At)
        {
            throw new ArgumentException(Inv($"The review's as-of instant {asOf} is before the pool's last event at {pool.Events[^1].At}."), nameof(asOf));
        }

        var decisions = new List<ReleaseDecision>();
        var unknown = new List<CustomerId>();
        var seen = new HashSet<CustomerId>();
        foreach (var s in subjects)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(subjects));
            if (!seen.Add(s.CustomerId))
            {
                throw new ArgumentException($"Customer '{s.CustomerId}' appears twice.", nameof(subjects));
            }

            if (!pool.Contains(s.CustomerId))
            {
                unknown.Add(s.CustomerId);
                continue;
            }

            if (pool.OwnerOf(s.CustomerId) is { } owner)
            {
                decisions.Add(Decide(s, owner, pool.HeldSince(s.CustomerId)!.Value, asOf));
            }
        }

        var unreviewed = pool.Ownership.Where(kv => kv.Value is not null && !seen.Contains(kv.Key)).Select(kv => kv.Key).ToImmutableArray();
        return new ReleaseReview(asOf, pool.Events.Count, [.. decisions.OrderBy(d => d.CustomerId)], [.. unknown.Order()], unreviewed);
    }

    /// <summary>Decides for one owned customer.</summary>
    /// <param name="subject">The customer.</param>
    /// <param name="owner">Its owner.</param>
    /// <param name="ownedSince">When the owner got it.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> or <paramref name="owner"/> is <see langword="null"/>.</exception>
    public ReleaseDecision Decide(EngagementSubject subject, string owner, Instant ownedSince, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(owner);
        if (subject.IsProtected)
        {
            return new ReleaseDecision { CustomerId = subject.CustomerId, Owner = owner, Outcome = ReleaseOutcome.Protected, Explanation = "protected: never released to the pool" };
        }

        var rule = subject.Tier is { } t && _byTier.TryGetValue(t, out var r) ? r : _default;
        if (rule is null)
        {
            return new ReleaseDecision { CustomerId = subject.CustomerId, Owner = owner, Outcome = ReleaseOutcome.NoRule, Explanation = Inv($"no release rule for tier {subject.Tier ?? "(none)"}: kept") };
        }

        var zone = subject.Zone ?? Options.DefaultZone;
        Instant? lastFollowUp = null;
        foreach (var i in subject.Interactions)
        {
            if (i.At <= asOf && Options.CountsAsFollowUp(i) && (lastFollowUp is null || i.At > lastFollowUp))
            {
                lastFollowUp = i.At;
            }
        }

        var lastDeal = subject.LastPurchaseAt is { } p && p <= asOf ? p : (Instant?)null;
        var followAnchor = lastFollowUp is { } lf && lf > ownedSince ? lf : ownedSince;
        var dealAnchor = lastDeal is { } ld && ld > ownedSince ? ld : ownedSince;
        var noFollow = ActivitySummary.DaysBetween(followAnchor, asOf, zone);
        var noDeal = ActivitySummary.DaysBetween(dealAnchor, asOf, zone);
        var figures = ImmutableArray.CreateBuilder<EngagementFigure>();
        var parts = new List<string>();
        int? left = null;
        if (rule.NoFollowUpDays is { } n)
        {
            figures.Add(new EngagementFigure("days without follow-up", noFollow, n));
            parts.Add(Inv($"{Days(noFollow)} without follow-up since {Date(followAnchor.InZone(zone).Date)}{(lastFollowUp is null || lastFollowUp <= ownedSince ? " (owned since)" : string.Empty)} (release at {n})"));
            left = n - noFollow;
        }

        if (rule.NoDealDays is { } m)
        {
            figures.Add(new EngagementFigure("days without deal", noDeal, m));
            parts.Add(Inv($"{Days(noDeal)} without deal since {Date(dealAnchor.InZone(zone).Date)}{(lastDeal is null || lastDeal <= ownedSince ? " (owned since)" : string.Empty)} (release at {m})"));
            left = Math.Min(left ?? int.MaxValue, m - noDeal);
        }

        var daysLeft = Math.Max(0, left!.Value);
        figures.Add(new EngagementFigure("days until release", daysLeft, rule.WarningDays));
        var outcome = daysLeft == 0 ? ReleaseOutcome.Release : daysLeft <= rule.WarningDays ? ReleaseOutcome.Warning : ReleaseOutcome.Keep;
        var verdict = outcome switch
        {
            ReleaseOutcome.Release => "released to the pool",
            ReleaseOutcome.Warning => Inv($"warning: released in {Days(daysLeft)} (warnings from {rule.WarningDays} days before)"),
            _ => Inv($"kept: release in {Days(daysLeft)}"),
        };
        return new ReleaseDecision
        {
            CustomerId = subject.CustomerId,
            Owner = owner,
            Outcome = outcome,
            RuleTier = rule.Tier ?? "*",
            DaysUntilRelease = daysLeft,
            Figures = figures.ToImmutable(),
            Explanation = Inv($"{(rule.Tier is null ? "default rule" : "tier " + rule.Tier)}: {string.Join(", ", parts)}: {verdict}"),
        };
    }
}
