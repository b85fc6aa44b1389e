using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engagement;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Tiers;
using NodaTime;
using NodaTime.Text;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>
/// Relationship care (Engagement/): today's overdue follow-ups (回访) per owner, an owner's week, upcoming birthdays
/// (客户关怀), the shared pool's release review and a claim at the limit (公海), satisfaction per tier.
/// </summary>
/// <remarks>
/// The generated population has no owners, birthdays or follow-up calls, so this section adds them with its own
/// seeded generator (seed 14): six owners, a birthday for 70 % of customers (some on 29 February), most customers in
/// Asia/Shanghai and a few abroad, and calls every 5..150 days. Tiers are A/B/C by net spend (top 20 %, next 30 %);
/// stages come from the lifecycle section.
/// </remarks>
public static class EngagementDemo
{
    private static readonly string[] Owners = ["王芳", "李伟", "张敏", "刘洋", "陈静", "赵磊"];
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly DateTimeZone[] Abroad = [DateTimeZoneProviders.Tzdb["America/Los_Angeles"], DateTimeZoneProviders.Tzdb["Europe/Berlin"], DateTimeZoneProviders.Tzdb["Pacific/Auckland"]];

    public static void Run(DemoPopulation population, IReadOnlyDictionary<CustomerId, CustomerLifecycle> lifecycles, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(lifecycles);
        ArgumentNullException.ThrowIfNull(output);
        var asOf = population.AsOf;
        var subjects = Subjects(population, lifecycles);
        var options = new FollowUpOptions { DefaultZone = Shanghai, Calendar = DragonBoatWeek2026 };
        var policy = FollowUpPolicy.CreateDefault(options);

        output.WriteLine();
        output.WriteLine(Inv($"== Relationship care (回访 / 客户关怀 / 公海) as of {asOf}, {subjects.Count} customers, {Owners.Length} owners =="));
        output.WriteLine("  cadence, first matching rule wins:");
        foreach (var rule in policy.Rules)
        {
            output.WriteLine("    " + rule.Describe());
        }

        var due = policy.DueList(subjects, asOf);
        var overdue = due.Overdue.ToList();
        output.WriteLine(Inv($"  today's follow-ups: {overdue.Count} overdue, {due.Entries.Length - overdue.Count} due today; top 8 by value at stake:"));
        Write(output, ["customer", "owner", "tier", "stage", "rule", "last follow-up", "due", "days late", "value"],
            overdue.Take(8).Select(s => (IReadOnlyList<string>)
            [
                s.CustomerId.Value,
                s.Owner ?? "-",
                Tier(subjects, s.CustomerId),
                Stage(subjects, s.CustomerId),
                s.RuleId ?? "-",
                s.LastFollowUpAt is { } l ? LocalDatePattern.Iso.Format(l.InZone(Shanghai).Date) : "never",
                s.DueDate is { } d ? LocalDatePattern.Iso.Format(d) : "-",
                Inv($"{s.DaysOverdue}"),
                Inv($"{s.Value:N0}"),
            ]));
        output.WriteLine($"  why: {overdue[0].Explanation}");
        output.WriteLine("  overdue per owner: " + string.Join(", ", due.ByOwner.Select(kv => Inv($"{kv.Key} {kv.Value.Count(s => s.State == FollowUpState.Overdue)}"))));

        var owner = Owners[0];
        var week = policy.Workload(subjects, owner, asOf, 7);
        output.WriteLine(Inv($"  {owner}'s next 7 days: {week.Overdue.Length} overdue to catch up, then ")
            + string.Join(", ", week.Days.Select(d => Inv($"{d.Date:MM-dd}{(d.IsWorkingDay ? string.Empty : " (off)")} {d.Due.Length}"))));

        var care = new CareCalendar(new CareOptions
        {
            DefaultZone = Shanghai,
            LeapDay = LeapDayRule.February28,
            Festivals = [new Festival("端午节", new LocalDate(2026, 6, 19)), new Festival("中秋节", new LocalDate(2026, 9, 25)), new Festival("国庆节", new LocalDate(2026, 10, 1))],
        });
        var birthdays = care.Upcoming(subjects, asOf, 7).Where(o => o.Kind == CareKind.Birthday).ToList();
        output.WriteLine(Inv($"  upcoming birthdays in the next 7 days (each customer's own zone): {birthdays.Count}; the first 8:"));
        Write(output, ["customer", "owner", "date", "in days", "turns", "zone"],
            birthdays.Take(8).Select(o => (IReadOnlyList<string>)
            [
                o.CustomerId.Value,
                o.Owner ?? "-",
                LocalDatePattern.Iso.Format(o.Date),
                Inv($"{o.DaysUntil}"),
                o.Years is { } y ? Inv($"{y}") : "-",
                o.ZoneId,
            ]));
        output.WriteLine($"  e.g. {birthdays[0].Explanation}");
        var leap = care.Upcoming(subjects.Where(s => s.Birthday?.Day == new AnnualDate(2, 29)).Take(1), Instant.FromUtc(2027, 2, 25, 0, 0), 7).FirstOrDefault();
        if (leap is not null)
        {
            output.WriteLine($"  a leap-day birthday in 2027: {leap.Explanation}");
        }

        // Shared pool: everybody starts with their owner at the go-live 120 days ago; the release review runs as of today.
        var pool = SharedPool.Empty;
        foreach (var s in subjects)
        {
            pool = pool.Enter(s.CustomerId, s.Owner, asOf - Duration.FromDays(120), "import", "book at go-live");
        }

        var release = new ReleasePolicy(
        [
            new ReleaseRule("A", NoFollowUpDays: 60, NoDealDays: 365, WarningDays: 7),
            new ReleaseRule("B", NoFollowUpDays: 45, NoDealDays: 270, WarningDays: 7),
            new ReleaseRule(null, NoFollowUpDays: 30, NoDealDays: 180, WarningDays: 5),
        ], options);
        var review = release.Review(pool, subjects, asOf);
        output.WriteLine(Inv($"  shared pool review: {review.Releases.Count()} released, {review.Warnings.Count()} on the warning list, ")
            + Inv($"{review.Decisions.Count(d => d.Outcome == ReleaseOutcome.Protected)} protected, {review.Decisions.Count(d => d.Outcome == ReleaseOutcome.Keep)} kept"));
        output.WriteLine($"    released: {review.Releases.First().Explanation}");
        output.WriteLine($"    warning:  {review.Warnings.First().Explanation}");
        pool = review.ApplyTo(pool);

        var limits = new ClaimPolicy(maxHeld: pool.HeldCount(Owners[1]) + 2, maxClaimsPerDay: 10, coolDown: Duration.FromDays(30), zone: Shanghai);
        var claimer = Owners[1];
        var claimAt = asOf + Duration.FromHours(2);
        var attempts = pool.PoolMembers.Take(5).Select(id =>
        {
            var r = pool.TryClaim(id, claimer, claimAt, limits);
            pool = r.Pool;
            return Inv($"{id}: {(r.IsSuccess ? "ok" : "refused")} ({r.Reason})");
        }).ToList();
        output.WriteLine(Inv($"  {claimer} claims five customers (limit {limits.MaxHeld} held):"));
        attempts.ForEach(a => output.WriteLine("    " + a));
        output.WriteLine(Inv($"  event log: {pool.Events.Count} events; replayed ownership equal: {SharedPool.Replay(pool.Events).Ownership.SequenceEqual(pool.Ownership)}"));

        var tierOf = subjects.ToDictionary(s => s.CustomerId, s => s.Tier);
        var interactions = population.Records.SelectMany(g => g).OfType<Interaction>();
        var byTier = SatisfactionReport.PerGroup(interactions, id => tierOf.GetValueOrDefault(id), asOf, 180, Shanghai);
        output.WriteLine("  satisfaction per tier, last 180 days:");
        Write(output, ["tier", "customers", "CSAT", "answers", "NPS", "promoters", "detractors", "complaints", "open"],
            byTier.Select(s => (IReadOnlyList<string>)
            [
                s.Key,
                Inv($"{s.Customers}"),
                s.CsatMean is { } c ? Inv($"{c:0.00}") : "-",
                Inv($"{s.CsatCount}"),
                s.NpsScore is { } n ? Inv($"{n:0.0}") : "-",
                Inv($"{s.Promoters}"),
                Inv($"{s.Detractors}"),
                Inv($"{s.Complaints}"),
                Inv($"{s.ComplaintsOpen}"),
            ]));
    }

    // 端午节 2026 (Friday 19 June) with the weekend: no make-up day that year; shown so the calendar is not just Mon-Fri.
    private static BusinessCalendar DragonBoatWeek2026 { get; } = new(holidays: [new LocalDate(2026, 6, 19)]);

    private static List<EngagementSubject> Subjects(DemoPopulation population, IReadOnlyDictionary<CustomerId, CustomerLifecycle> lifecycles)
    {
        var asOf = population.AsOf;
        var random = new Random(14);
        var summaries = population.Summaries.ToDictionary(s => s.CustomerId);
        var abc = new QuantileTierPolicy("abc", TierLadder.Of("C", "B", "A"), TierMetric.NetSpend, [new("A", 0.2m), new("B", 0.3m)]);
        var tiers = abc.Assign(population.Summaries.Select(TierSubject.From).ToList(), asOf).ToDictionary(a => a.CustomerId, a => a.Tier.Name);
        var list = new List<EngagementSubject>(population.Customers.Count);
        foreach (var customer in population.Customers)
        {
            var id = customer.Id;
            var card = customer with
            {
                Owner = Owners[random.Next(Owners.Length)],
                Birthday = random.NextDouble() < 0.7 ? new Birthday(random.Next(40) == 0 ? new AnnualDate(2, 29) : RandomDay(random), random.NextDouble() < 0.8 ? random.Next(1960, 2004) : null) : null,
                TimeZone = random.Next(25) == 0 ? Abroad[random.Next(Abroad.Length)] : Shanghai,
            };
            if (card.Birthday is { Day: { Month: 2, Day: 29 }, Year: { } y } b && !DateTime.IsLeapYear(y))
            {
                card = card with { Birthday = b with { Year = 1992 } };
            }

            var calls = new List<Interaction>(population.Records[id].OfType<Interaction>());
            var gap = random.Next(5, 150);
            for (var at = card.CreatedAt + Duration.FromDays(random.Next(1, 30)); at < asOf; at += Duration.FromDays(gap * (0.5 + random.NextDouble())))
            {
                calls.Add(new Interaction(id, random.Next(3) == 0 ? InteractionKind.Message : InteractionKind.Call, at, channel: "phone"));
            }

            var summary = summaries.GetValueOrDefault(id);
            list.Add(EngagementSubject.FromCustomer(card, summary, calls) with
            {
                Tier = tiers.GetValueOrDefault(id),
                Stage = lifecycles.TryGetValue(id, out var l) ? l.Stage : null,
                Value = Math.Max(0, summary?.NetSpend ?? 0),
                IsProtected = random.Next(50) == 0,
            });
        }

        return list;
    }

    private static AnnualDate RandomDay(Random random)
    {
        var month = random.Next(1, 13);
        return new AnnualDate(month, random.Next(1, CalendarSystem.Iso.GetDaysInMonth(2025, month) + 1));
    }

    private static string Tier(List<EngagementSubject> subjects, CustomerId id) => subjects.First(s => s.CustomerId == id).Tier ?? "-";

    private static string Stage(List<EngagementSubject> subjects, CustomerId id) => subjects.First(s => s.CustomerId == id).Stage ?? "-";
}
