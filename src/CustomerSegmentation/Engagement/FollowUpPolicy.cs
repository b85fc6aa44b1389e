using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using NodaTime;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// A follow-up cadence (回访): ordered <see cref="CadenceRule"/>s evaluated as of an explicit instant from each
/// customer's interaction history. The first rule that covers the customer (tier, stage) and whose trigger has
/// happened sets the next due date; the host orders the rules.
/// </summary>
/// <remarks>
/// Dates are local dates in the customer's zone (<see cref="EngagementSubject.Zone"/>, else
/// <see cref="FollowUpOptions.DefaultZone"/>). A due date is never before the last follow-up's date: an interval
/// counts from the last follow-up, and an event rule applies only to an event after it.
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use when the calendar is.</threadsafety>
public sealed partial class FollowUpPolicy
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    /// <summary>Creates a policy.</summary>
    /// <param name="rules">The rules, first match wins; at least one, ids unique.</param>
    /// <param name="options">The options; default <see cref="FollowUpOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="EngagementConfigurationException">No rule, a duplicate rule id, or invalid options.</exception>
    public FollowUpPolicy(IEnumerable<CadenceRule> rules, FollowUpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
        Require(!Rules.IsEmpty, "follow-up policy: at least one cadence rule is needed.");
        Require(Rules.All(r => r is not null), "follow-up policy: a rule is null.");
        var dup = Rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        Require(dup is null, Inv($"follow-up policy: the rule id '{dup?.Key}' appears twice."));
        Options = options ?? FollowUpOptions.Default;
        Options.Validate();
        _kindMask = new bool[Enum.GetValues<InteractionKind>().Max(k => (int)k) + 1];
        foreach (var k in Options.FollowUpKinds)
        {
            _kindMask[(int)k] = true;
        }
    }

    private readonly bool[] _kindMask;

    /// <summary>Gets the rules in the order they are tried.</summary>
    public ImmutableArray<CadenceRule> Rules { get; }

    /// <summary>Gets the options.</summary>
    public FollowUpOptions Options { get; }

    /// <summary>
    /// The example cadence of the seeds: after a low satisfaction score within 1 working day, after a complaint within
    /// 2 working days, new customers 3 days after their first purchase, then tier A every 14 days, B every 30, C every 90,
    /// everybody else every 90.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="EngagementConfigurationException">Invalid options.</exception>
    public static FollowUpPolicy CreateDefault(FollowUpOptions? options = null) => new(
        [
            CadenceRule.AfterLowSatisfaction("low-satisfaction", CadenceDelay.WorkingDays(1)),
            CadenceRule.AfterComplaint("complaint", CadenceDelay.WorkingDays(2)),
            CadenceRule.AfterFirstPurchase("new-customer", CadenceDelay.Days(3), stages: ["new"]),
            CadenceRule.Every("tier-a", 14, tiers: ["A"]),
            CadenceRule.Every("tier-b", 30, tiers: ["B"]),
            CadenceRule.Every("tier-c", 90, tiers: ["C"]),
            CadenceRule.Every("default", 90),
        ],
        options);

    /// <summary>Evaluates one customer as of an instant.</summary>
    /// <param name="subject">The customer.</param>
    /// <param name="asOf">The as-of instant; later interactions and purchases are ignored.</param>
    /// <returns>The status with its explanation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is <see langword="null"/>.</exception>
    public FollowUpStatus Evaluate(EngagementSubject subject, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var zone = subject.Zone ?? Options.DefaultZone;
        var f = Facts.Of(subject, asOf, Options);
        var today = asOf.InZone(zone).Date;
        var skipped = new List<string>();
        for (var r = 0; r < Rules.Length; r++)
        {
            var rule = Rules[r];
            if (!rule.Covers(subject.Tier, subject.Stage))
            {
                continue;
            }

            var start = StartOf(rule.Trigger, f.LastFollowUp, f.KnownSince, f.FirstPurchase, f.LastComplaint, f.LastLowScore, f.FirstInteraction);
            if (start == None)
            {
                skipped.Add(Inv($"'{rule.Id}' {WhyNot(rule.Trigger)}"));
                continue;
            }

            var startDate = Instant.FromUnixTimeTicks(start).InZone(zone).Date;
            var due = Due(rule.Delay, startDate);
            var overdue = Period.DaysBetween(due, today);
            var state = overdue > 0 ? FollowUpState.Overdue : overdue == 0 ? FollowUpState.DueToday : FollowUpState.NotDue;
            var position = state switch
            {
                FollowUpState.Overdue => Inv($"{Days(overdue)} overdue"),
                FollowUpState.DueToday => "due today",
                _ => Inv($"due in {Days(-overdue)}"),
            };
            var text = Inv($"rule {rule.Describe()}: {StartText(rule.Trigger, f, zone)}, due {Date(due)}, today {Date(today)} ({zone.Id}): {position}");
            return new FollowUpStatus
            {
                CustomerId = subject.CustomerId,
                Owner = subject.Owner,
                AsOf = asOf,
                Today = today,
                ZoneId = zone.Id,
                LastFollowUpAt = Opt(f.LastFollowUp),
                RuleId = rule.Id,
                Trigger = rule.Trigger,
                DueDate = due,
                State = state,
                DaysOverdue = Math.Max(0, overdue),
                Value = subject.Value,
                Explanation = text + Tail(skipped, f.IgnoredLater),
            };
        }

        return new FollowUpStatus
        {
            CustomerId = subject.CustomerId,
            Owner = subject.Owner,
            AsOf = asOf,
            Today = today,
            ZoneId = zone.Id,
            LastFollowUpAt = Opt(f.LastFollowUp),
            State = FollowUpState.NoRule,
            Value = subject.Value,
            Explanation = Inv($"no rule applies (tier {subject.Tier ?? "none"}, stage {subject.Stage ?? "none"})") + Tail(skipped, f.IgnoredLater),
        };
    }

    /// <summary>Evaluates every customer.</summary>
    /// <param name="subjects">The customers; each id at most once.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>The statuses in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subjects"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice.</exception>
    public ImmutableArray<FollowUpStatus> EvaluateAll(IEnumerable<EngagementSubject> subjects, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var seen = new HashSet<Customers.CustomerId>();
        var result = ImmutableArray.CreateBuilder<FollowUpStatus>();
        foreach (var s in subjects)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(subjects));
            if (!seen.Add(s.CustomerId))
            {
                throw new ArgumentException($"Customer '{s.CustomerId}' appears twice.", nameof(subjects));
            }

            result.Add(Evaluate(s, asOf));
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The due list as of an instant: customers overdue (and, by default, due today), ordered by value at stake
    /// (highest first), then days overdue (most first), then id; <see cref="FollowUpDueList.ByOwner"/> splits it per owner.
    /// </summary>
    /// <param name="subjects">The population.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="includeDueToday">Whether customers due today are listed (default) or only overdue ones.</param>
    /// <returns>The list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subjects"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice.</exception>
    public FollowUpDueList DueList(IEnumerable<EngagementSubject> subjects, Instant asOf, bool includeDueToday = true)
    {
        var all = EvaluateAll(subjects, asOf);
        var due = all.Where(s => s.State == FollowUpState.Overdue || (includeDueToday && s.State == FollowUpState.DueToday))
            .OrderByDescending(s => s.Value).ThenByDescending(s => s.DaysOverdue).ThenBy(s => s.CustomerId)
            .ToImmutableArray();
        return new FollowUpDueList(asOf, due, all.Length);
    }

    /// <summary>
    /// An owner's workload: their customers overdue now, and those falling due on each of the next
    /// <paramref name="days"/> days (today first, dates in <see cref="FollowUpOptions.DefaultZone"/>; each customer's
    /// due date is in its own zone).
    /// </summary>
    /// <param name="subjects">The population; only the owner's customers are read.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="days">How many days, today included; 1..366.</param>
    /// <returns>The workload.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subjects"/> or <paramref name="owner"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is outside 1..366.</exception>
    public FollowUpWorkload Workload(IEnumerable<EngagementSubject> subjects, string owner, Instant asOf, int days)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 366);
        var mine = EvaluateAll(subjects.Where(s => string.Equals(s.Owner, owner, StringComparison.Ordinal)), asOf);
        var today = asOf.InZone(Options.DefaultZone).Date;
        var overdue = mine.Where(s => s.State == FollowUpState.Overdue).OrderByDescending(s => s.Value).ThenByDescending(s => s.DaysOverdue).ThenBy(s => s.CustomerId).ToImmutableArray();
        var byDay = ImmutableArray.CreateBuilder<FollowUpWorkloadDay>(days);
        for (var i = 0; i < days; i++)
        {
            var date = today.PlusDays(i);
            var list = mine.Where(s => s.State != FollowUpState.Overdue && s.DueDate == date).OrderByDescending(s => s.Value).ThenBy(s => s.CustomerId).ToImmutableArray();
            byDay.Add(new FollowUpWorkloadDay(date, Options.Calendar.IsWorkingDay(date), list));
        }

        return new FollowUpWorkload(owner, asOf, overdue, byDay.MoveToImmutable());
    }

    private const long None = long.MinValue;

    private static Instant? Opt(long ticks) => ticks == None ? null : Instant.FromUnixTimeTicks(ticks);

    // The instant that starts a rule's clock, or None when the rule's trigger has not happened (after the last follow-up).
    internal static long StartOf(FollowUpTrigger trigger, long lastFollowUp, long knownSince, long firstPurchase, long lastComplaint, long lastLowScore, long firstInteraction)
    {
        switch (trigger)
        {
            case FollowUpTrigger.Interval:
                return lastFollowUp != None ? lastFollowUp : knownSince != None ? knownSince : firstPurchase != None ? firstPurchase : firstInteraction;
            case FollowUpTrigger.AfterFirstPurchase:
                return firstPurchase != None && lastFollowUp < firstPurchase ? firstPurchase : None;
            case FollowUpTrigger.AfterComplaint:
                return lastComplaint != None && lastFollowUp < lastComplaint ? lastComplaint : None;
            default:
                return lastLowScore != None && lastFollowUp < lastLowScore ? lastLowScore : None;
        }
    }

    private LocalDate Due(CadenceDelay delay, LocalDate start) =>
        delay.InWorkingDays ? Options.Calendar.AddWorkingDays(start, delay.Amount) : start.PlusDays(delay.Amount);

    private static string WhyNot(FollowUpTrigger trigger) => trigger switch
    {
        FollowUpTrigger.Interval => "not applicable: no follow-up, no known-since instant, no purchase and no interaction",
        FollowUpTrigger.AfterFirstPurchase => "not applicable: no first purchase, or already followed up after it",
        FollowUpTrigger.AfterComplaint => "not applicable: no complaint since the last follow-up",
        _ => "not applicable: no low satisfaction score since the last follow-up",
    };

    private static string StartText(FollowUpTrigger trigger, in Facts f, DateTimeZone zone)
    {
        string D(long t) => Date(Instant.FromUnixTimeTicks(t).InZone(zone).Date);
        return trigger switch
        {
            FollowUpTrigger.Interval when f.LastFollowUp != None => Inv($"last follow-up {D(f.LastFollowUp)} ({f.LastFollowUpKind})"),
            FollowUpTrigger.Interval when f.KnownSince != None => Inv($"never followed up, known since {D(f.KnownSince)}"),
            FollowUpTrigger.Interval when f.FirstPurchase != None => Inv($"never followed up, first purchase {D(f.FirstPurchase)}"),
            FollowUpTrigger.Interval => Inv($"never followed up, first interaction {D(f.FirstInteraction)}"),
            FollowUpTrigger.AfterFirstPurchase => Inv($"first purchase {D(f.FirstPurchase)}, no follow-up since"),
            FollowUpTrigger.AfterComplaint => Inv($"complaint {D(f.LastComplaint)}, no follow-up since"),
            _ => Inv($"{f.LowScoreText} on {D(f.LastLowScore)}, no follow-up since"),
        };
    }

    private static string Tail(List<string> skipped, int ignored)
    {
        var s = skipped.Count == 0 ? string.Empty : "; skipped " + string.Join("; ", skipped);
        return ignored == 0 ? s : s + Inv($"; {ignored} interaction(s) after the as-of instant ignored");
    }

    private readonly struct Facts
    {
        public long LastFollowUp { get; init; }

        public InteractionKind LastFollowUpKind { get; init; }

        public long KnownSince { get; init; }

        public long FirstPurchase { get; init; }

        public long LastComplaint { get; init; }

        public long LastLowScore { get; init; }

        public string LowScoreText { get; init; }

        public long FirstInteraction { get; init; }

        public int IgnoredLater { get; init; }

        public static Facts Of(EngagementSubject s, Instant asOf, FollowUpOptions o)
        {
            long last = None, complaint = None, low = None, first = None;
            var lastKind = InteractionKind.Call;
            var lowText = string.Empty;
            var ignored = 0;
            var asOfTicks = asOf.ToUnixTimeTicks();
            foreach (var i in s.Interactions)
            {
                var t = i.At.ToUnixTimeTicks();
                if (t > asOfTicks)
                {
                    ignored++;
                    continue;
                }

                if (first == None || t < first)
                {
                    first = t;
                }

                if (o.CountsAsFollowUp(i) && t >= last)
                {
                    last = t;
                    lastKind = i.Kind;
                }

                if (i.Kind == InteractionKind.Complaint && t > complaint)
                {
                    complaint = t;
                }

                if (o.IsLowSatisfaction(i) && t >= low)
                {
                    low = t;
                    lowText = i.Satisfaction < o.LowCsatBelow ? Inv($"CSAT {i.Satisfaction} (below {o.LowCsatBelow})") : Inv($"NPS {i.Nps} (detractor 0..{o.DetractorMax})");
                }
            }

            return new Facts
            {
                LastFollowUp = last,
                LastFollowUpKind = lastKind,
                KnownSince = s.KnownSince is { } k && k <= asOf ? k.ToUnixTimeTicks() : None,
                FirstPurchase = s.FirstPurchaseAt is { } p && p <= asOf ? p.ToUnixTimeTicks() : None,
                LastComplaint = complaint,
                LastLowScore = low,
                LowScoreText = lowText,
                FirstInteraction = first,
                IgnoredLater = ignored,
            };
        }
    }
}
