using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engagement;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

public class CareCalendarTests
{
    private static readonly DateTimeZone Kiritimati = DateTimeZoneProviders.Tzdb["Pacific/Kiritimati"];  // UTC+14
    private static readonly DateTimeZone PagoPago = DateTimeZoneProviders.Tzdb["Pacific/Pago_Pago"];    // UTC-11

    private static EngagementSubject Born(string id, int month, int day, int? year = null, DateTimeZone? zone = null) =>
        new(new CustomerId(id)) { Birthday = new Birthday(new AnnualDate(month, day), year), Zone = zone, Owner = "li" };

    [Theory]
    [InlineData(LeapDayRule.February28, 2)]
    [InlineData(LeapDayRule.March1, 3)]
    public void LeapDayBirthday_CommonYear_FollowsTheRule(LeapDayRule rule, int month)
    {
        var care = new CareCalendar(new CareOptions { LeapDay = rule });
        var s = Born("C1", 2, 29, 1992);
        var list = care.Upcoming(s, Utc(2027, 2, 20), 14);
        var o = Assert.Single(list);
        Assert.Equal(month == 2 ? new LocalDate(2027, 2, 28) : new LocalDate(2027, 3, 1), o.Date);
        Assert.Equal(35, o.Years);
        Assert.Contains("29 February in a common year", o.Explanation, StringComparison.Ordinal);
        Assert.Contains("turns 35", o.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LeapDayRule.February28)]
    [InlineData(LeapDayRule.March1)]
    public void LeapDayBirthday_LeapYear_On29February(LeapDayRule rule)
    {
        var care = new CareCalendar(new CareOptions { LeapDay = rule });
        var o = Assert.Single(care.Upcoming(Born("C1", 2, 29), Utc(2028, 2, 20), 14));
        Assert.Equal(new LocalDate(2028, 2, 29), o.Date);
        Assert.Null(o.Years);
        Assert.DoesNotContain("common year", o.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void LeapDay_March1Rule_WithRealMarch1Date_BothListedOnce()
    {
        var care = new CareCalendar(new CareOptions { LeapDay = LeapDayRule.March1 });
        var s = Born("C1", 2, 29) with { CareDates = [new CustomCareDate("wedding", new AnnualDate(3, 1))] };
        var list = care.Upcoming(s, Utc(2027, 2, 25), 10);
        Assert.Equal([(CareKind.Birthday, new LocalDate(2027, 3, 1)), (CareKind.Custom, new LocalDate(2027, 3, 1))], list.Select(o => (o.Kind, o.Date)));
    }

    [Fact]
    public void DateLine_ZonesEitherSide_SeeDifferentTodays()
    {
        // 2026-03-09 11:30 UTC is 10 March 01:30 in Kiritimati and 9 March 00:30 in Pago Pago.
        var asOf = Instant.FromUtc(2026, 3, 9, 11, 30);
        var care = new CareCalendar();
        var east = Assert.Single(care.Upcoming(Born("K", 3, 10, zone: Kiritimati), asOf, 1));
        Assert.Equal(0, east.DaysUntil);
        Assert.Equal("Pacific/Kiritimati", east.ZoneId);
        Assert.Contains("today", east.Explanation, StringComparison.Ordinal);
        Assert.Empty(care.Upcoming(Born("P", 3, 10, zone: PagoPago), asOf, 1));
        var west = Assert.Single(care.Upcoming(Born("P", 3, 10, zone: PagoPago), asOf, 2));
        Assert.Equal(1, west.DaysUntil);
        Assert.Contains("tomorrow", west.Explanation, StringComparison.Ordinal);
        // A 9 March birthday is over in Kiritimati but today in Pago Pago.
        Assert.Empty(care.Upcoming(Born("K", 3, 9, zone: Kiritimati), asOf, 7).Where(o => o.Date.Month == 3 && o.Date.Year == 2026));
        Assert.Equal(0, Assert.Single(care.Upcoming(Born("P", 3, 9, zone: PagoPago), asOf, 1)).DaysUntil);
    }

    [Fact]
    public void DefaultZone_UsedForCustomersWithoutOne()
    {
        var asOf = Instant.FromUtc(2026, 3, 9, 20, 0);   // 10 March 04:00 in Shanghai
        Assert.Single(new CareCalendar(new CareOptions { DefaultZone = Shanghai }).Upcoming(Born("C", 3, 10), asOf, 1));
        Assert.Empty(new CareCalendar().Upcoming(Born("C", 3, 10), asOf, 1));
    }

    [Fact]
    public void Window_AcrossYearEnd_ListsBothYears()
    {
        var care = new CareCalendar(new CareOptions { Festivals = [new Festival("元旦", new LocalDate(2027, 1, 1)), new Festival("元旦", new LocalDate(2026, 1, 1))] });
        var s = Born("C1", 1, 3, 1990) with { CareDates = [new CustomCareDate("founding day", new AnnualDate(12, 30), 2020)] };
        var list = care.Upcoming(s, Utc(2026, 12, 28), 10);   // 28 Dec 2026 .. 6 Jan 2027
        Assert.Equal(
            [("founding day", new LocalDate(2026, 12, 30), (int?)6), ("元旦", new LocalDate(2027, 1, 1), null), ("birthday", new LocalDate(2027, 1, 3), 37)],
            list.Select(o => (o.Name, o.Date, o.Years)));
        Assert.Equal([2, 4, 6], list.Select(o => o.DaysUntil));
    }

    [Fact]
    public void LongWindow_OneOccurrencePerYear()
    {
        var list = new CareCalendar().Upcoming(Born("C1", 6, 1), Utc(2026, 1, 1), 366 * 3);
        Assert.Equal([new LocalDate(2026, 6, 1), new LocalDate(2027, 6, 1), new LocalDate(2028, 6, 1)], list.Select(o => o.Date));
    }

    [Fact]
    public void BirthYear_NoBirthdayInOrBeforeIt()
    {
        Assert.Empty(new CareCalendar().Upcoming(Born("C1", 6, 1, 2026), Utc(2026, 5, 30), 10));
        Assert.Equal(1, Assert.Single(new CareCalendar().Upcoming(Born("C1", 6, 1, 2026), Utc(2027, 5, 30), 10)).Years);
    }

    [Fact]
    public void Anniversaries_FirstPurchaseAndContract()
    {
        var s = new EngagementSubject(new CustomerId("O1"))
        {
            FirstPurchaseAt = Instant.FromUtc(2024, 7, 3, 23, 0),   // 4 July in Shanghai
            ContractDate = new LocalDate(2023, 7, 5),
            Zone = Shanghai,
        };
        var list = new CareCalendar().Upcoming(s, Utc(2026, 7, 1), 7);
        Assert.Equal(
            [(CareKind.FirstPurchaseAnniversary, new LocalDate(2026, 7, 4), (int?)2), (CareKind.ContractAnniversary, new LocalDate(2026, 7, 5), 3)],
            list.Select(o => (o.Kind, o.Date, o.Years)));
        Assert.Empty(new CareCalendar(new CareOptions { FirstPurchaseAnniversaries = false }).Upcoming(s, Utc(2026, 7, 1), 4));
        // The first purchase itself is not an anniversary, and a purchase after the as-of instant is not known yet.
        Assert.Empty(new CareCalendar().Upcoming(s, Instant.FromUtc(2024, 7, 1, 0, 0), 7).Where(o => o.Kind == CareKind.FirstPurchaseAnniversary));
    }

    [Fact]
    public void Festivals_AreHostData_ListedForEachCustomer()
    {
        var care = new CareCalendar(new CareOptions { Festivals = [new Festival("中秋节", new LocalDate(2026, 9, 25)), new Festival("国庆节", new LocalDate(2026, 10, 1))] });
        var list = care.Upcoming([Born("C2", 1, 1), Born("C1", 1, 1)], Utc(2026, 9, 20), 7);
        Assert.Equal([("C1", "中秋节"), ("C2", "中秋节")], list.Select(o => (o.CustomerId.Value, o.Name)));
        Assert.All(list, o => Assert.Equal(CareKind.Festival, o.Kind));
        Assert.Equal("festival 中秋节 on 2026-09-25, in 5 days (UTC, today 2026-09-20)", list[0].Explanation);
    }

    [Fact]
    public void BadArguments_AndOptions_Throw()
    {
        var care = new CareCalendar();
        Assert.Throws<ArgumentOutOfRangeException>(() => care.Upcoming(Born("C", 1, 1), Utc(2026, 1, 1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => care.Upcoming(Born("C", 1, 1), Utc(2026, 1, 1), CareCalendar.MaxWindowDays + 1));
        Assert.Throws<EngagementConfigurationException>(() => new CareCalendar(new CareOptions { Festivals = [new Festival(" ", new LocalDate(2026, 1, 1))] }));
        Assert.Throws<EngagementConfigurationException>(() => new CareCalendar(new CareOptions { Festivals = [new Festival("a", new LocalDate(2026, 1, 1)), new Festival("a", new LocalDate(2026, 1, 1))] }));
        Assert.Throws<EngagementConfigurationException>(() => new CareCalendar(new CareOptions { LeapDay = (LeapDayRule)7 }));
    }

    [Fact]
    public void FromCustomer_ReadsOwnerBirthdayZoneAndSummary()
    {
        var c = new Customer(new CustomerId("C1"), CustomerKind.Person, "张伟", Utc(2025, 1, 1))
        {
            Owner = "li",
            Birthday = new Birthday(new AnnualDate(7, 2), 1980),
            TimeZone = Shanghai,
        };
        var summary = new ActivitySummary { CustomerId = c.Id, AsOf = Utc(2026, 7, 1), FirstPurchaseAt = Utc(2025, 2, 1), LastPurchaseAt = Utc(2026, 6, 1) };
        var s = EngagementSubject.FromCustomer(c, summary, [Call("C1", Utc(2026, 6, 2))]);
        Assert.Equal(("li", Shanghai, c.CreatedAt, summary.FirstPurchaseAt, summary.LastPurchaseAt), (s.Owner, s.Zone, s.KnownSince, s.FirstPurchaseAt, s.LastPurchaseAt));
        Assert.Single(s.Interactions);
        Assert.Equal(46, Assert.Single(new CareCalendar().Upcoming(s, Utc(2026, 7, 1), 2)).Years);
        Assert.Throws<ArgumentException>(() => EngagementSubject.FromCustomer(c, null, [Call("C2", Utc(2026, 6, 2))]));
        Assert.Throws<ArgumentException>(() => EngagementSubject.FromCustomer(c, summary with { CustomerId = new CustomerId("X") }));
    }
}
