using CustomerSegmentation.Engagement;
using NodaTime;
using static CustomerSegmentation.Tests.Engagement.EngagementTestData;

namespace CustomerSegmentation.Tests.Engagement;

public class BusinessCalendarTests
{
    [Fact]
    public void MondayToFriday_WeekendIsNotWorking()
    {
        var c = BusinessCalendar.MondayToFriday;
        Assert.True(c.IsWorkingDay(new LocalDate(2026, 6, 5)));    // Friday
        Assert.False(c.IsWorkingDay(new LocalDate(2026, 6, 6)));   // Saturday
        Assert.False(c.IsWorkingDay(new LocalDate(2026, 6, 7)));   // Sunday
        Assert.Equal([IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], c.Weekend.ToArray());
    }

    [Fact]
    public void AddWorkingDays_FridayPlusTwo_IsTuesday()
    {
        Assert.Equal(new LocalDate(2026, 6, 9), BusinessCalendar.MondayToFriday.AddWorkingDays(new LocalDate(2026, 6, 5), 2));
        Assert.Equal(new LocalDate(2026, 6, 5), BusinessCalendar.MondayToFriday.AddWorkingDays(new LocalDate(2026, 6, 5), 0));
        Assert.Equal(new LocalDate(2026, 6, 8), BusinessCalendar.MondayToFriday.AddWorkingDays(new LocalDate(2026, 6, 6), 1));
    }

    [Fact]
    public void HolidayWeek_WithMakeUpWorkingDays_CountsThem()
    {
        var c = NationalDay2025;
        Assert.True(c.IsWorkingDay(new LocalDate(2025, 9, 28)));   // Sunday, worked
        Assert.False(c.IsWorkingDay(new LocalDate(2025, 10, 1)));  // Wednesday, holiday
        Assert.True(c.IsWorkingDay(new LocalDate(2025, 10, 11)));  // Saturday, worked
        Assert.False(c.IsWorkingDay(new LocalDate(2025, 10, 12))); // Sunday

        // Saturday 27 Sep + 1 working day = the make-up Sunday 28 Sep; Tuesday 30 Sep + 2 = Thu 9, Fri 10 Oct.
        Assert.Equal(new LocalDate(2025, 9, 28), c.AddWorkingDays(new LocalDate(2025, 9, 27), 1));
        Assert.Equal(new LocalDate(2025, 10, 10), c.AddWorkingDays(new LocalDate(2025, 9, 30), 2));
        // Friday 10 Oct + 1 = the make-up Saturday 11 Oct.
        Assert.Equal(new LocalDate(2025, 10, 11), c.AddWorkingDays(new LocalDate(2025, 10, 10), 1));
        Assert.Equal(3, c.CountWorkingDays(new LocalDate(2025, 9, 26), new LocalDate(2025, 10, 8)));  // 28, 29, 30 Sep
    }

    [Fact]
    public void Constructor_DateBothHolidayAndMakeUp_Throws()
    {
        var ex = Assert.Throws<EngagementConfigurationException>(() => new BusinessCalendar([new LocalDate(2026, 1, 1)], [new LocalDate(2026, 1, 1)]));
        Assert.Contains("2026-01-01 is both a holiday and a make-up working day", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AllDaysWeekend_Throws()
    {
        Assert.Throws<EngagementConfigurationException>(() => new BusinessCalendar(weekend: Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None)));
        Assert.Throws<EngagementConfigurationException>(() => new BusinessCalendar(weekend: [IsoDayOfWeek.None]));
    }

    [Fact]
    public void CustomWeekend_FridaySaturday()
    {
        var c = new BusinessCalendar(weekend: [IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday]);
        Assert.True(c.IsWorkingDay(new LocalDate(2026, 6, 7)));    // Sunday
        Assert.False(c.IsWorkingDay(new LocalDate(2026, 6, 5)));   // Friday
        Assert.Equal(new LocalDate(2026, 6, 7), c.AddWorkingDays(new LocalDate(2026, 6, 4), 1));
    }

    [Fact]
    public void AddWorkingDays_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BusinessCalendar.MondayToFriday.AddWorkingDays(new LocalDate(2026, 1, 1), -1));
        Assert.Throws<ArgumentNullException>(() => ((IBusinessCalendar)null!).AddWorkingDays(new LocalDate(2026, 1, 1), 1));
        Assert.Throws<InvalidOperationException>(() => new NeverWorking().AddWorkingDays(new LocalDate(2026, 1, 1), 1));
    }

    private sealed class NeverWorking : IBusinessCalendar
    {
        public bool IsWorkingDay(LocalDate date) => false;
    }
}
