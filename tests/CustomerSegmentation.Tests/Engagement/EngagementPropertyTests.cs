using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engagement;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

[Properties(MaxTest = 200)]
public class EngagementPropertyTests
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 6, 30);
    private static readonly string?[] Tiers = ["A", "B", "C", null];
    private static readonly string?[] Stages = ["new", "repeat", null];
    private static readonly DateTimeZone[] Zones =
        [DateTimeZone.Utc, Shanghai, DateTimeZoneProviders.Tzdb["Pacific/Kiritimati"], DateTimeZoneProviders.Tzdb["Pacific/Pago_Pago"], DateTimeZoneProviders.Tzdb["America/New_York"]];

    // A subject drawn from a list of numbers: each (kind, offset) pair is an interaction around the as-of instant.
    private static EngagementSubject Draw(int n, int[] events, bool ownZone)
    {
        var r = new Random(n);
        var id = new CustomerId($"S{n & 0xffff}");
        var list = new List<Interaction>();
        foreach (var e in events)
        {
            var kind = (InteractionKind)(Math.Abs(e % 7));
            var at = AsOf - Duration.FromMinutes((long)(e % 400_000) * 3);   // about ±2.3 years, some after the as-of instant
            int? csat = kind == InteractionKind.Survey ? 1 + Math.Abs(e % 5) : null;
            int? nps = kind == InteractionKind.Survey && e % 3 == 0 ? Math.Abs(e % 11) : null;
            list.Add(new Interaction(id, kind, at, csat, nps));
        }

        return new EngagementSubject(id)
        {
            Tier = Tiers[r.Next(Tiers.Length)],
            Stage = Stages[r.Next(Stages.Length)],
            Zone = ownZone ? Zones[r.Next(Zones.Length)] : null,
            KnownSince = r.Next(3) == 0 ? null : AsOf - Duration.FromHours(r.Next(-100, 20_000)),
            FirstPurchaseAt = r.Next(2) == 0 ? null : AsOf - Duration.FromHours(r.Next(-100, 20_000)),
            Interactions = list,
            Value = r.Next(0, 5),
        };
    }

    [Property]
    public Property DueDate_NeverPrecedesLastFollowUp_Holds(int seed, int[] events, bool holidayCalendar)
    {
        var policy = FollowUpPolicy.CreateDefault(new FollowUpOptions { Calendar = holidayCalendar ? NationalDay2025 : BusinessCalendar.MondayToFriday });
        var s = Draw(seed, events, ownZone: true);
        var asOf = holidayCalendar ? Instant.FromUtc(2025, 10, 3, 0, 0) : AsOf;
        var status = policy.Evaluate(s, asOf);
        var zone = s.Zone ?? DateTimeZone.Utc;
        var ok = status.DueDate is null || status.LastFollowUpAt is null || status.DueDate >= status.LastFollowUpAt.Value.InZone(zone).Date;
        var consistent = (status.DueDate is null) == (status.State == FollowUpState.NoRule)
            && status.DaysOverdue >= 0
            && (status.State != FollowUpState.Overdue || status.DueDate < status.Today);
        return (ok && consistent).Label(status.Explanation);
    }

    [Property(MaxTest = 100)]
    public Property EvaluateColumns_EqualsEvaluate_Holds(int seed, int[][] population)
    {
        var subjects = population.Where(p => p is not null).Select((p, i) => Draw((seed * 31) + i, p, ownZone: false) with { }).ToList();
        subjects = [.. subjects.Select((s, i) => new EngagementSubject(new CustomerId($"R{i:0000}")) { Tier = s.Tier, Stage = s.Stage, KnownSince = s.KnownSince, FirstPurchaseAt = s.FirstPurchaseAt, Value = s.Value, Interactions = [.. s.Interactions.Select(x => new Interaction(new CustomerId($"R{i:0000}"), x.Kind, x.At, x.Satisfaction, x.Nps))] })];
        var policy = FollowUpPolicy.CreateDefault(new FollowUpOptions { DefaultZone = Shanghai, Calendar = NationalDay2025 });
        var asOf = seed % 2 == 0 ? AsOf : Instant.FromUtc(2025, 10, 2, 3, 0);   // in the National Day week
        var statuses = policy.EvaluateAll(subjects, asOf);
        var (due, rule, today) = FollowUpPolicyTests.ColumnarRun(policy, subjects, asOf);
        var epoch = new LocalDate(1970, 1, 1);
        var same = statuses.Select((s, i) =>
            (s.DueDate is { } d ? Period.DaysBetween(epoch, d) : FollowUpColumns.NoDueDate) == due[i]
            && s.RuleId == (rule[i] < 0 ? null : policy.Rules[rule[i]].Id)).All(x => x);
        var rows = FollowUpPolicy.DueRows(due, today, [.. subjects.Select(s => s.Value)]);
        var sameList = policy.DueList(subjects, asOf).Entries.Select(e => e.CustomerId).SequenceEqual(rows.Select(r => subjects[r].CustomerId));
        return (same && sameList).ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property UpcomingCare_NeitherMissesNorDoubles_AgainstDayWalk_Holds(int seed, PositiveInt window, bool march1, int hourOffset)
    {
        var r = new Random(seed);
        var rule = march1 ? LeapDayRule.March1 : LeapDayRule.February28;
        AnnualDate RandomDay() => r.Next(4) == 0 ? new AnnualDate(2, 29) : r.Next(6) == 0 ? new AnnualDate(r.Next(2) == 0 ? 12 : 1, r.Next(2) == 0 ? 31 : 1) : new AnnualDate(r.Next(1, 13), r.Next(1, 29));
        var zone = Zones[r.Next(Zones.Length)];
        var birthYear = r.Next(3) == 0 ? (int?)null : r.Next(2018, 2032);
        var custom = new CustomCareDate("custom", RandomDay(), r.Next(2) == 0 ? null : r.Next(2018, 2032));
        var festivals = Enumerable.Range(0, 6).Select(i => new Festival("f" + i, new LocalDate(r.Next(2019, 2033), r.Next(1, 13), r.Next(1, 29)))).Distinct().ToList();
        var subject = new EngagementSubject(new CustomerId("C"))
        {
            Birthday = new Birthday(RandomDay(), birthYear),
            Zone = r.Next(4) == 0 ? null : zone,
            CareDates = [custom],
            FirstPurchaseAt = r.Next(2) == 0 ? null : Instant.FromUtc(r.Next(2018, 2030), r.Next(1, 13), r.Next(1, 29), r.Next(24), 0),
        };
        var asOf = Instant.FromUtc(r.Next(2020, 2031), r.Next(1, 13), r.Next(1, 29), 0, 0) + Duration.FromHours(hourOffset % 48);
        var days = 1 + (window.Get % 800);
        var care = new CareCalendar(new CareOptions { LeapDay = rule, Festivals = [.. festivals] });
        var got = care.Upcoming(subject, asOf, days).Select(o => (o.Kind, o.Name, o.Date)).ToList();

        // The walk: every day of the window, every source, matched independently of CareCalendar.Resolve.
        var z = subject.Zone ?? DateTimeZone.Utc;
        var today = asOf.InZone(z).Date;
        var sources = new List<(CareKind Kind, string Name, int Month, int Day, int? Since)>
        {
            (CareKind.Birthday, "birthday", subject.Birthday!.Value.Day.Month, subject.Birthday.Value.Day.Day, birthYear),
            (CareKind.Custom, "custom", custom.Day.Month, custom.Day.Day, custom.SinceYear),
        };
        if (subject.FirstPurchaseAt is { } fp && fp <= asOf)
        {
            var d = fp.InZone(z).Date;
            sources.Add((CareKind.FirstPurchaseAnniversary, "first purchase anniversary", d.Month, d.Day, d.Year));
        }

        var expected = new List<(CareKind, string, LocalDate)>();
        for (var d = today; d < today.PlusDays(days); d = d.PlusDays(1))
        {
            foreach (var s in sources)
            {
                var exact = d.Month == s.Month && d.Day == s.Day;
                var moved = s.Month == 2 && s.Day == 29 && !DateTime.IsLeapYear(d.Year)
                    && (march1 ? (d.Month == 3 && d.Day == 1) : (d.Month == 2 && d.Day == 28));
                if ((exact || moved) && (s.Since is null || d.Year > s.Since))
                {
                    expected.Add((s.Kind, s.Name, d));
                }
            }

            expected.AddRange(festivals.Where(f => f.Date == d).Select(f => (CareKind.Festival, f.Name, d)));
        }

        var noDoubles = got.Distinct().Count() == got.Count;
        var same = got.OrderBy(x => x.Date).ThenBy(x => x.Kind).ThenBy(x => x.Name, StringComparer.Ordinal)
            .SequenceEqual(expected.OrderBy(x => x.Item3).ThenBy(x => x.Item1).ThenBy(x => x.Item2, StringComparer.Ordinal));
        return (noDoubles && same).Label($"got {string.Join(", ", got)}; expected {string.Join(", ", expected)}");
    }

    [Property(MaxTest = 150)]
    public Property Pool_ReleaseAndClaim_KeepOneHolderEach_AndReplayGivesSameOwnership_Holds(int[] ops, PositiveInt k, PositiveInt j)
    {
        var limits = new ClaimPolicy(1 + (k.Get % 4), 1 + (j.Get % 3), Duration.FromDays(2), Shanghai);
        string[] owners = ["li", "wang", "zhao"];
        var pool = SharedPool.Empty;
        var at = Instant.FromUtc(2026, 1, 1, 0, 0);
        var ok = true;
        foreach (var op in ops)
        {
            at += Duration.FromHours(1 + Math.Abs(op % 13));
            var id = new CustomerId("C" + Math.Abs(op / 7 % 8));
            var owner = owners[Math.Abs(op / 3 % 3)];
            switch (Math.Abs(op % 5))
            {
                case 0 when !pool.Contains(id):
                    pool = pool.Enter(id, op % 2 == 0 ? null : owner, at, "import", "new");
                    break;
                case 1:
                    var before = pool.HeldCount(owner);
                    var r = pool.TryClaim(id, owner, at, limits);
                    ok &= !r.IsSuccess || (before < limits.MaxHeld && r.Pool.OwnerOf(id) == owner && r.Pool.HeldCount(owner) == before + 1);
                    pool = r.Pool;
                    break;
                case 2 when pool.OwnerOf(id) is not null:
                    pool = pool.Release(id, at, "release-policy", "neglected");
                    break;
                case 3 when pool.Contains(id) && pool.OwnerOf(id) != owner:
                    pool = pool.Transfer(id, owner, at, "manager", "rebalanced");
                    break;
                case 4:
                    var review = new ReleasePolicy([new ReleaseRule(null, 2, null)]).Review(pool, pool.Ownership.Keys.Select(c => new EngagementSubject(c)), at);
                    pool = review.ApplyTo(pool);
                    break;
                default:
                    break;
            }

            ok &= pool.CheckConsistency().IsEmpty
                && pool.Ownership.All(kv => (kv.Value is null) == pool.IsInPool(kv.Key))
                && pool.Owners.Sum(pool.HeldCount) + pool.PoolMembers.Count == pool.Count;
        }

        var replayed = SharedPool.Replay(pool.Events);
        return (ok && replayed.Ownership.SequenceEqual(pool.Ownership) && replayed.CheckConsistency().IsEmpty).ToProperty();
    }
}
