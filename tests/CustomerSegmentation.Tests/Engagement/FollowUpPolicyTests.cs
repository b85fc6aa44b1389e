using CustomerSegmentation.Activity;
using CustomerSegmentation.Engagement;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

public class FollowUpPolicyTests
{
    private static readonly FollowUpPolicy Default = FollowUpPolicy.CreateDefault();

    [Theory]
    [InlineData("A", 14)]
    [InlineData("B", 30)]
    [InlineData("C", 90)]
    [InlineData(null, 90)]
    public void Evaluate_TierInterval_DueAfterLastFollowUp(string? tier, int days)
    {
        var last = Utc(2026, 5, 1);
        var s = Subject("C1", tier, "repeat", "li", Call("C1", Utc(2026, 4, 1)), Call("C1", last));
        var status = Default.Evaluate(s, Utc(2026, 7, 1));
        Assert.Equal(new LocalDate(2026, 5, 1).PlusDays(days), status.DueDate);
        Assert.Equal(last, status.LastFollowUpAt);
        Assert.Equal(FollowUpTrigger.Interval, status.Trigger);
        var late = Period.DaysBetween(new LocalDate(2026, 5, 1).PlusDays(days), new LocalDate(2026, 7, 1));
        Assert.Equal(Math.Max(0, late), status.DaysOverdue);
        Assert.Equal(late > 0 ? FollowUpState.Overdue : FollowUpState.NotDue, status.State);
        Assert.Contains("last follow-up 2026-05-01 (Call)", status.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TierB_ExplanationHasRuleAndFigures()
    {
        var s = Subject("C1", "B", null, "li", Call("C1", Utc(2026, 5, 20)));
        var status = Default.Evaluate(s, Utc(2026, 7, 1));
        Assert.Equal("tier-b", status.RuleId);
        Assert.Equal(12, status.DaysOverdue);
        Assert.StartsWith("rule 'tier-b': every 30 days (tier B): last follow-up 2026-05-20 (Call), due 2026-06-19, today 2026-07-01 (UTC): 12 days overdue", status.Explanation, StringComparison.Ordinal);
        Assert.Contains("skipped 'low-satisfaction' not applicable", status.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NewCustomer_ThreeDaysAfterFirstPurchase()
    {
        var s = Subject("N1", null, "new") with { FirstPurchaseAt = Utc(2026, 6, 28, 9) };
        var status = Default.Evaluate(s, Utc(2026, 7, 1, 8));
        Assert.Equal("new-customer", status.RuleId);
        Assert.Equal(new LocalDate(2026, 7, 1), status.DueDate);
        Assert.Equal(FollowUpState.DueToday, status.State);

        // Once called after the purchase the new-customer rule is done and the regular cadence takes over.
        var called = s with { Interactions = [Call("N1", Utc(2026, 6, 29))] };
        var next = Default.Evaluate(called, Utc(2026, 7, 1, 8));
        Assert.Equal("default", next.RuleId);
        Assert.Equal(new LocalDate(2026, 9, 27), next.DueDate);
        Assert.Equal(FollowUpState.NotDue, next.State);
        Assert.Contains("due in 88 days", next.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ComplaintOnFriday_DueTuesday()
    {
        var s = Subject("C1", "C", null, "li", Call("C1", Utc(2026, 6, 1)), Complaint("C1", Utc(2026, 6, 5, 16)));
        var status = Default.Evaluate(s, Utc(2026, 6, 10));
        Assert.Equal("complaint", status.RuleId);
        Assert.Equal(new LocalDate(2026, 6, 9), status.DueDate);
        Assert.Equal(1, status.DaysOverdue);
        Assert.Contains("complaint 2026-06-05, no follow-up since", status.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ComplaintFollowedUp_BackToCadence()
    {
        var s = Subject("C1", "A", null, "li", Complaint("C1", Utc(2026, 6, 5)), Call("C1", Utc(2026, 6, 8)));
        var status = Default.Evaluate(s, Utc(2026, 6, 10));
        Assert.Equal("tier-a", status.RuleId);
        Assert.Equal(new LocalDate(2026, 6, 22), status.DueDate);
    }

    [Fact]
    public void Evaluate_LowSatisfaction_OneWorkingDay_AndWinsOverComplaint()
    {
        // Both a complaint and a CSAT 2: the low-satisfaction rule is first in the default order.
        var s = Subject("C1", "B", null, "li", Complaint("C1", Utc(2026, 6, 3)), Survey("C1", Utc(2026, 6, 4), csat: 2));
        var status = Default.Evaluate(s, Utc(2026, 6, 4, 18));
        Assert.Equal("low-satisfaction", status.RuleId);
        Assert.Equal(new LocalDate(2026, 6, 5), status.DueDate);
        Assert.Contains("CSAT 2 (below 3) on 2026-06-04", status.Explanation, StringComparison.Ordinal);

        var detractor = Subject("C2", "B", null, "li", Survey("C2", Utc(2026, 6, 5), nps: 6));   // Friday
        var d = Default.Evaluate(detractor, Utc(2026, 6, 6));
        Assert.Equal(new LocalDate(2026, 6, 8), d.DueDate);
        Assert.Contains("NPS 6 (detractor 0..6)", d.Explanation, StringComparison.Ordinal);

        var fine = Subject("C3", "B", null, "li", Survey("C3", Utc(2026, 6, 5), csat: 3, nps: 7));
        Assert.Equal("tier-b", Default.Evaluate(fine, Utc(2026, 6, 6)).RuleId);
    }

    [Fact]
    public void Evaluate_ComplaintBeforeNationalDay_SkipsTheHolidayWeek()
    {
        var policy = FollowUpPolicy.CreateDefault(new FollowUpOptions { Calendar = NationalDay2025, DefaultZone = Shanghai });
        // 30 September 2025, 15:00 Shanghai time.
        var s = Subject("C1", "A", null, "li", Complaint("C1", Instant.FromUtc(2025, 9, 30, 7, 0)));
        var status = policy.Evaluate(s, Instant.FromUtc(2025, 10, 9, 2, 0));
        Assert.Equal(new LocalDate(2025, 10, 10), status.DueDate);
        Assert.Equal(FollowUpState.NotDue, status.State);

        // A complaint on the Friday after the week: the next working day is the make-up Saturday.
        var low = Subject("C2", "A", null, "li", Survey("C2", Instant.FromUtc(2025, 10, 10, 3, 0), csat: 1));
        Assert.Equal(new LocalDate(2025, 10, 11), policy.Evaluate(low, Instant.FromUtc(2025, 10, 10, 4, 0)).DueDate);
    }

    [Fact]
    public void Evaluate_FirstMatchingRuleWins_HostOrder()
    {
        var s = Subject("C1", "A", null, "li", Call("C1", Utc(2026, 6, 1)), Complaint("C1", Utc(2026, 6, 2)));
        var complaintFirst = new FollowUpPolicy([CadenceRule.AfterComplaint("c", CadenceDelay.WorkingDays(2)), CadenceRule.Every("a", 14, ["A"])]);
        var intervalFirst = new FollowUpPolicy([CadenceRule.Every("a", 14, ["A"]), CadenceRule.AfterComplaint("c", CadenceDelay.WorkingDays(2))]);
        Assert.Equal("c", complaintFirst.Evaluate(s, Utc(2026, 6, 3)).RuleId);
        Assert.Equal("a", intervalFirst.Evaluate(s, Utc(2026, 6, 3)).RuleId);
    }

    [Fact]
    public void Evaluate_StageFilter_AndNoRule()
    {
        var policy = new FollowUpPolicy([CadenceRule.Every("at-risk", 7, stages: ["at-risk"]), CadenceRule.Every("vip", 10, tiers: ["VIP"], stages: ["repeat"])]);
        var atRisk = Subject("C1", "B", "at-risk", "li", Call("C1", Utc(2026, 6, 1)));
        Assert.Equal(new LocalDate(2026, 6, 8), policy.Evaluate(atRisk, Utc(2026, 6, 3)).DueDate);
        var other = Subject("C2", "VIP", "new", "li", Call("C2", Utc(2026, 6, 1)));
        var status = policy.Evaluate(other, Utc(2026, 6, 3));
        Assert.Equal(FollowUpState.NoRule, status.State);
        Assert.Null(status.DueDate);
        Assert.Equal("no rule applies (tier VIP, stage new)", status.Explanation);
    }

    [Fact]
    public void Evaluate_KindsAndChannels_AreConfigurable()
    {
        var s = Subject("C1", "A", null, "li",
            new Interaction(Id("C1"), InteractionKind.Message, Utc(2026, 6, 10), channel: "wechat"),
            new Interaction(Id("C1"), InteractionKind.Visit, Utc(2026, 6, 1), channel: "store"),
            Survey("C1", Utc(2026, 6, 12), csat: 5));
        Assert.Equal(Utc(2026, 6, 10), Default.Evaluate(s, Utc(2026, 6, 20)).LastFollowUpAt);       // surveys do not count
        var visitsOnly = FollowUpPolicy.CreateDefault(new FollowUpOptions { FollowUpKinds = [InteractionKind.Visit] });
        Assert.Equal(Utc(2026, 6, 1), visitsOnly.Evaluate(s, Utc(2026, 6, 20)).LastFollowUpAt);
        var wechatOnly = FollowUpPolicy.CreateDefault(new FollowUpOptions { FollowUpChannels = ["wechat"] });
        Assert.Equal(Utc(2026, 6, 10), wechatOnly.Evaluate(s, Utc(2026, 6, 20)).LastFollowUpAt);
        var surveysCount = FollowUpPolicy.CreateDefault(new FollowUpOptions { FollowUpKinds = [InteractionKind.Survey] });
        Assert.Equal(Utc(2026, 6, 12), surveysCount.Evaluate(s, Utc(2026, 6, 20)).LastFollowUpAt);
    }

    [Fact]
    public void Evaluate_LaterInteractions_AreIgnoredAndSaid()
    {
        var s = Subject("C1", "A", null, "li", Call("C1", Utc(2026, 6, 1)), Call("C1", Utc(2026, 7, 1)));
        var status = Default.Evaluate(s, Utc(2026, 6, 20));
        Assert.Equal(Utc(2026, 6, 1), status.LastFollowUpAt);
        Assert.EndsWith("1 interaction(s) after the as-of instant ignored", status.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NeverFollowedUp_CountsFromKnownSince()
    {
        var s = Subject("C1", "B") with { KnownSince = Utc(2026, 6, 1) };
        var status = Default.Evaluate(s, Utc(2026, 7, 5));
        Assert.Equal(new LocalDate(2026, 7, 1), status.DueDate);
        Assert.Contains("never followed up, known since 2026-06-01", status.Explanation, StringComparison.Ordinal);
        var nothing = Default.Evaluate(Subject("C2", "B"), Utc(2026, 7, 5));
        Assert.Equal(FollowUpState.NoRule, nothing.State);
    }

    [Fact]
    public void Evaluate_CustomerZone_SetsToday()
    {
        // 2026-07-01 20:00 UTC is already 2 July in Shanghai.
        var s = Subject("C1", "A", null, "li", Call("C1", Utc(2026, 6, 17, 20))) with { Zone = Shanghai };
        var status = Default.Evaluate(s, Utc(2026, 7, 1, 20));
        Assert.Equal(new LocalDate(2026, 7, 2), status.Today);
        Assert.Equal(new LocalDate(2026, 7, 2), status.DueDate);   // called 18 June local time
        Assert.Equal(FollowUpState.DueToday, status.State);
        Assert.Equal("Asia/Shanghai", status.ZoneId);
    }

    [Fact]
    public void DueList_OrdersByValueThenDaysOverdue_AndSplitsPerOwner()
    {
        var asOf = Utc(2026, 7, 1);
        EngagementSubject S(string id, string owner, decimal value, int lastCallDay) =>
            Subject(id, "A", null, owner, Call(id, Utc(2026, 6, lastCallDay))) with { Value = value };
        var list = Default.DueList(
            [S("C1", "li", 100, 1), S("C2", "wang", 500, 10), S("C3", "li", 100, 5), S("C4", "li", 900, 25), S("C5", "wang", 50, 17)],
            asOf);
        // Due: C1 (06-15, 16 overdue), C2 (06-24, 7), C3 (06-19, 12), C5 (07-01, today); C4 is due 07-09.
        Assert.Equal(["C2", "C1", "C3", "C5"], list.Entries.Select(e => e.CustomerId.Value));
        Assert.Equal(["C1", "C3"], list.ByOwner["li"].Select(e => e.CustomerId.Value));
        Assert.Equal(["C2", "C5"], list.ByOwner["wang"].Select(e => e.CustomerId.Value));
        Assert.Equal(["C2", "C1", "C3"], list.Overdue.Select(e => e.CustomerId.Value));
        Assert.Equal(5, list.Evaluated);
        Assert.Equal(3, Default.DueList([S("C1", "li", 100, 1), S("C3", "li", 100, 5), S("C5", "wang", 50, 17), S("C2", "wang", 500, 10)], asOf, includeDueToday: false).Entries.Length);
    }

    [Fact]
    public void DueList_DuplicateCustomer_Throws()
    {
        var s = Subject("C1", "A");
        Assert.Throws<ArgumentException>(() => Default.DueList([s, s], Utc(2026, 7, 1)));
    }

    [Fact]
    public void Workload_NextDays_PerDayAndOverdue()
    {
        var asOf = Utc(2026, 7, 1);
        var subjects = new[]
        {
            Subject("C1", "A", null, "li", Call("C1", Utc(2026, 6, 1))),    // overdue (06-15)
            Subject("C2", "A", null, "li", Call("C2", Utc(2026, 6, 17))),   // today
            Subject("C3", "A", null, "li", Call("C3", Utc(2026, 6, 20))),   // 07-04, a Saturday
            Subject("C4", "A", null, "li", Call("C4", Utc(2026, 6, 30))),   // 07-14, outside
            Subject("C5", "A", null, "wang", Call("C5", Utc(2026, 6, 17))), // other owner
        };
        var w = Default.Workload(subjects, "li", asOf, 7);
        Assert.Equal(["C1"], w.Overdue.Select(s => s.CustomerId.Value));
        Assert.Equal(7, w.Days.Length);
        Assert.Equal(["C2"], w.Days[0].Due.Select(s => s.CustomerId.Value));
        Assert.Equal(["C3"], w.Days[3].Due.Select(s => s.CustomerId.Value));
        Assert.False(w.Days[3].IsWorkingDay);
        Assert.Equal(3, w.Total);
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.Workload(subjects, "li", asOf, 0));
    }

    [Fact]
    public void Constructor_BadConfiguration_Throws()
    {
        Assert.Throws<EngagementConfigurationException>(() => new FollowUpPolicy([]));
        Assert.Throws<EngagementConfigurationException>(() => new FollowUpPolicy([CadenceRule.Every("a", 1), CadenceRule.Every("a", 2)]));
        Assert.Throws<EngagementConfigurationException>(() => CadenceRule.Every("a", 0));
        Assert.Throws<EngagementConfigurationException>(() => CadenceRule.AfterComplaint("a", CadenceDelay.WorkingDays(-1)));
        Assert.Throws<EngagementConfigurationException>(() => CadenceRule.Every(" ", 3));
        Assert.Throws<EngagementConfigurationException>(() => CadenceRule.Every("a", 3, tiers: [""]));
        Assert.Throws<EngagementConfigurationException>(() => FollowUpPolicy.CreateDefault(new FollowUpOptions { FollowUpKinds = [] }));
        Assert.Throws<EngagementConfigurationException>(() => FollowUpPolicy.CreateDefault(new FollowUpOptions { LowCsatBelow = 1 }));
        Assert.Throws<EngagementConfigurationException>(() => FollowUpPolicy.CreateDefault(new FollowUpOptions { DetractorMax = 10 }));
        Assert.Throws<EngagementConfigurationException>(() => FollowUpPolicy.CreateDefault(new FollowUpOptions { FollowUpChannels = [" "] }));
    }

    [Fact]
    public void CadenceRule_Describe()
    {
        Assert.Equal("'x': 2 working days after a complaint (tier A, stages new/repeat)", CadenceRule.AfterComplaint("x", CadenceDelay.WorkingDays(2), ["A"], ["new", "repeat"]).Describe());
        Assert.Equal("'y': 1 day after the first purchase", CadenceRule.AfterFirstPurchase("y", CadenceDelay.Days(1)).Describe());
    }

    [Fact]
    public void EvaluateColumns_MatchesEvaluate_OnExamples()
    {
        var asOf = Utc(2026, 6, 10);
        var subjects = new[]
        {
            Subject("C1", "C", null, "li", Call("C1", Utc(2026, 6, 1)), Complaint("C1", Utc(2026, 6, 5, 16))),
            Subject("C2", "A", "new", "li") with { FirstPurchaseAt = Utc(2026, 6, 8) },
            Subject("C3", "B", null, "li", Survey("C3", Utc(2026, 6, 9), nps: 2)),
            Subject("C4", null, null, null),
            Subject("C5", "A", null, "li", Call("C5", Utc(2026, 5, 1)), Call("C5", Utc(2026, 7, 1))),
            Subject("C6", "B", null, "li", Complaint("C6", Utc(2021, 3, 5))),   // outside the working-day table: the calendar is asked
        };
        var statuses = Default.EvaluateAll(subjects, asOf);
        var (due, rule, today) = ColumnarRun(Default, subjects, asOf);
        for (var i = 0; i < subjects.Length; i++)
        {
            Assert.Equal(statuses[i].DueDate is { } d ? Period.DaysBetween(new LocalDate(1970, 1, 1), d) : FollowUpColumns.NoDueDate, due[i]);
            Assert.Equal(statuses[i].RuleId, rule[i] < 0 ? null : Default.Rules[rule[i]].Id);
        }

        Assert.Equal(Period.DaysBetween(new LocalDate(1970, 1, 1), new LocalDate(2026, 6, 10)), today);
        var rows = FollowUpPolicy.DueRows(due, today, new decimal[subjects.Length]);
        Assert.Equal(Default.DueList(subjects, asOf).Entries.Select(e => e.CustomerId.Value), rows.Select(r => subjects[r].CustomerId.Value));
    }

    [Fact]
    public void FoldInteractions_KeepsLatestAndEarliest_PerCustomer()
    {
        var columns = new FollowUpColumns(2);
        long T(int day) => Utc(2026, 6, day).ToUnixTimeTicks();
        var later = Default.FoldInteractions(columns, Utc(2026, 6, 20),
            [1, 1, 1, 1, 1], [(byte)InteractionKind.Call, (byte)InteractionKind.Complaint, (byte)InteractionKind.Survey, (byte)InteractionKind.Call, (byte)InteractionKind.Visit],
            [T(5), T(7), T(8), T(3), T(25)], [0, 0, 2, 0, 0], [FollowUpPolicy.NoNps, FollowUpPolicy.NoNps, FollowUpPolicy.NoNps, FollowUpPolicy.NoNps, FollowUpPolicy.NoNps]);
        Assert.Equal(1, later);
        Assert.Equal(new FollowUpFacts(T(5), T(7), T(8), T(3)), columns.GetFacts(1));
        Assert.Equal(new FollowUpFacts(FollowUpColumns.None, FollowUpColumns.None, FollowUpColumns.None, FollowUpColumns.None), columns.GetFacts(0));
        columns.ClearInteractionFacts();
        Assert.Equal(FollowUpColumns.None, columns.GetFacts(1).LastFollowUp);
    }

    [Fact]
    public void FoldInteractions_ChannelFilter_IsRefused()
    {
        var policy = FollowUpPolicy.CreateDefault(new FollowUpOptions { FollowUpChannels = ["phone"] });
        Assert.Throws<InvalidOperationException>(() => policy.FoldInteractions(new FollowUpColumns(1), Utc(2026, 1, 1), [0], [0], [0L], [0], [FollowUpPolicy.NoNps]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.FoldInteractions(new FollowUpColumns(1), Utc(2026, 1, 1), [3], [0], [0L], [0], [FollowUpPolicy.NoNps]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.FoldInteractions(new FollowUpColumns(1), Utc(2026, 1, 1), [-1], [0], [0L], [0], [FollowUpPolicy.NoNps]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.FoldInteractions(new FollowUpColumns(1), Utc(2026, 1, 1), [0], [9], [0L], [0], [FollowUpPolicy.NoNps]));
        Assert.Throws<ArgumentException>(() => Default.FoldInteractions(new FollowUpColumns(1), Utc(2026, 1, 1), [0], [0, 1], [0L], [0], [FollowUpPolicy.NoNps]));
    }

    // Fills the columns the way a host would from subjects (tier and stage indexes, interaction columns), then evaluates.
    internal static (int[] Due, short[] Rule, int Today) ColumnarRun(FollowUpPolicy policy, IReadOnlyList<EngagementSubject> subjects, Instant asOf)
    {
        var tiers = subjects.Select(s => s.Tier).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var stages = subjects.Select(s => s.Stage).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var columns = new FollowUpColumns(subjects.Count);
        var rows = new List<int>();
        var kinds = new List<byte>();
        var at = new List<long>();
        var csat = new List<byte>();
        var nps = new List<byte>();
        for (var i = 0; i < subjects.Count; i++)
        {
            var s = subjects[i];
            columns.Tier[i] = (short)(s.Tier is null ? -1 : tiers.IndexOf(s.Tier));
            columns.Stage[i] = (short)(s.Stage is null ? -1 : stages.IndexOf(s.Stage));
            columns.KnownSince[i] = s.KnownSince?.ToUnixTimeTicks() ?? FollowUpColumns.None;
            columns.FirstPurchase[i] = s.FirstPurchaseAt?.ToUnixTimeTicks() ?? FollowUpColumns.None;
            columns.Value[i] = s.Value;
            foreach (var x in s.Interactions)
            {
                rows.Add(i);
                kinds.Add((byte)x.Kind);
                at.Add(x.At.ToUnixTimeTicks());
                csat.Add((byte)(x.Satisfaction ?? FollowUpPolicy.NoSatisfaction));
                nps.Add((byte)(x.Nps ?? FollowUpPolicy.NoNps));
            }
        }

        policy.FoldInteractions(columns, asOf, rows.ToArray(), kinds.ToArray(), at.ToArray(), csat.ToArray(), nps.ToArray());
        var due = new int[subjects.Count];
        var rule = new short[subjects.Count];
        var today = policy.EvaluateColumns(asOf, columns, tiers, stages, due, rule);
        return (due, rule, today);
    }
}
