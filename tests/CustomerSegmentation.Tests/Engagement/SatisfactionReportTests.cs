using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engagement;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

public class SatisfactionReportTests
{
    private static readonly Instant AsOf = Utc(2026, 7, 1);

    [Fact]
    public void Summarize_CsatNpsComplaintsAndLastFeedback()
    {
        var records = new[]
        {
            Survey("C1", Utc(2026, 6, 1), csat: 5, nps: 10),
            Survey("C1", Utc(2026, 6, 10), csat: 4, nps: 9),
            Survey("C1", Utc(2026, 6, 20), csat: 2, nps: 3, note: "送货太慢"),
            Survey("C1", Utc(2026, 6, 21), nps: 8),
            Complaint("C1", Utc(2026, 6, 15), resolvedAt: Utc(2026, 6, 18)),
            Complaint("C1", Utc(2026, 6, 25), note: "包装破损"),
            Complaint("C1", Utc(2026, 6, 28), resolvedAt: Utc(2026, 7, 3)),          // resolved only after the as-of instant
            Complaint("C1", Utc(2025, 1, 5)),                                        // old and still open
            Survey("C1", Utc(2025, 1, 1), csat: 1, nps: 0),                          // outside the window
            Survey("C1", Utc(2026, 7, 2), csat: 1, note: "later"),                    // after the as-of instant
        };
        var s = SatisfactionReport.Summarize("C1", records, AsOf, 90);
        Assert.Equal((3, 11.0 / 3), (s.CsatCount, s.CsatMean!.Value));
        Assert.Equal([0, 1, 0, 1, 1], s.CsatDistribution.ToArray());
        Assert.Equal((4, 2, 1, 1), (s.NpsCount, s.Promoters, s.Passives, s.Detractors));
        Assert.Equal(25.0, s.NpsScore);
        Assert.Equal((3, 1, 2), (s.Complaints, s.ComplaintsResolved, s.ComplaintsOpen));
        Assert.Equal(3, s.OpenComplaintsAllTime);
        Assert.Equal(new FeedbackText(Id("C1"), Utc(2026, 6, 25), InteractionKind.Complaint, "包装破损"), s.LastFeedback);
        Assert.Equal(1, s.IgnoredLater);
        Assert.Equal(1, s.Customers);
        Assert.Equal("C1: CSAT 3.67 from 3 answers; NPS 25 (2 promoters, 1 passives, 1 detractors of 4); complaints 3 (2 open, 1 resolved); 3 open in all, in the last 90 days to 2026-07-01T12:00:00Z (UTC)", s.Explanation);
    }

    [Fact]
    public void Summarize_Nothing_HasNoMeans()
    {
        var s = SatisfactionReport.Summarize("C1", [Call("C1", Utc(2026, 6, 1))], AsOf, 30);
        Assert.Null(s.CsatMean);
        Assert.Null(s.NpsScore);
        Assert.Null(s.LastFeedback);
        Assert.StartsWith("C1: no CSAT; no NPS; complaints 0", s.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_UsesWholeDaysLikeTheChurnRules()
    {
        // 29 whole days before is in a 30-day window, 30 is not.
        var s = SatisfactionReport.Summarize("C1", [Survey("C1", Utc(2026, 6, 2), csat: 5), Survey("C1", Utc(2026, 6, 1), csat: 1)], AsOf, 30);
        Assert.Equal(1, s.CsatCount);
        Assert.Equal(5.0, s.CsatMean);
    }

    [Fact]
    public void PerCustomer_AndPerGroup()
    {
        var records = new[]
        {
            Survey("C1", Utc(2026, 6, 1), nps: 10),
            Survey("C2", Utc(2026, 6, 1), nps: 0),
            Survey("C3", Utc(2026, 6, 1), nps: 9),
            Survey("C4", Utc(2026, 6, 1), nps: 7),
        };
        var per = SatisfactionReport.PerCustomer(records, AsOf, 90);
        Assert.Equal(["C1", "C2", "C3", "C4"], per.Select(p => p.Key));
        var tier = new Dictionary<CustomerId, string> { [Id("C1")] = "A", [Id("C2")] = "A", [Id("C3")] = "B" };
        var groups = SatisfactionReport.PerGroup(records, c => tier.GetValueOrDefault(c), AsOf, 90);
        Assert.Equal(["(ungrouped)", "A", "B"], groups.Select(g => g.Key));
        Assert.Equal((2, 0.0), (groups[1].Customers, groups[1].NpsScore!.Value));
        Assert.Equal(100.0, groups[2].NpsScore);
        Assert.Equal(0.0, groups[0].NpsScore);
        Assert.Throws<ArgumentOutOfRangeException>(() => SatisfactionReport.PerCustomer(records, AsOf, 0));
    }

    [Fact]
    public void Interaction_NoteAndResolvedAt_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new Interaction(Id("C1"), InteractionKind.Call, AsOf) { ResolvedAt = AsOf });
        Assert.Throws<ArgumentException>(() => Complaint("C1", AsOf, resolvedAt: AsOf - Duration.FromHours(1)));
        Assert.Throws<ArgumentException>(() => new Interaction(Id("C1"), InteractionKind.Survey, AsOf) { Note = "  " });
        Assert.Equal(AsOf, Complaint("C1", AsOf, resolvedAt: AsOf).ResolvedAt);
        Assert.NotEqual(Complaint("C1", AsOf), Complaint("C1", AsOf, note: "x"));
    }

    [Fact]
    public void Customer_TimeZone_TakesPartInEquality()
    {
        var c = new Customer(Id("C1"), CustomerKind.Person, "张伟", AsOf);
        Assert.NotEqual(c, c with { TimeZone = Shanghai });
        Assert.Equal(c with { TimeZone = Shanghai }, c with { TimeZone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"] });
        Assert.True(ProfileCompleteness.HasValue(c with { TimeZone = Shanghai }, ProfileSchema.Default[ProfileFields.TimeZone]));
        var required = ProfileSchema.Default.ToBuilder().Configure(ProfileFields.TimeZone, f => f with { Required = true }).Build();
        Assert.Contains(required.Validate(c, AsOf).Problems, p => p.Field == ProfileFields.TimeZone && p.Code == ValidationCodes.Required);
    }
}
