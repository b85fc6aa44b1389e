using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>Working-day arithmetic on any <see cref="IBusinessCalendar"/>.</summary>
public static class BusinessCalendarExtensions
{
    /// <summary>The longest run of non-working days searched before giving up (ten years).</summary>
    public const int MaxSearchDays = 3660;

    /// <summary>
    /// Gets the <paramref name="workingDays"/>-th working day strictly after <paramref name="date"/>; for 0, the date
    /// itself. A complaint on Friday with 2 working days is due on Tuesday (Monday to Friday).
    /// </summary>
    /// <param name="calendar">The calendar.</param>
    /// <param name="date">The start date.</param>
    /// <param name="workingDays">How many working days to add; not negative.</param>
    /// <returns>The date.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workingDays"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The calendar has no working day for <see cref="MaxSearchDays"/> days in a row.</exception>
    public static LocalDate AddWorkingDays(this IBusinessCalendar calendar, LocalDate date, int workingDays)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var d = date;
        for (var found = 0; found < workingDays; found++)
        {
            var gap = 0;
            do
            {
                d = d.PlusDays(1);
                if (++gap > MaxSearchDays)
                {
                    throw new InvalidOperationException(EngagementText.Inv($"The business calendar has no working day in the {MaxSearchDays} days after {EngagementText.Date(d.PlusDays(-MaxSearchDays))}."));
                }
            }
            while (!calendar.IsWorkingDay(d));
        }

        return d;
    }

    /// <summary>Counts the working days in (<paramref name="from"/>, <paramref name="to"/>]: 0 when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    /// <param name="calendar">The calendar.</param>
    /// <param name="from">The exclusive start.</param>
    /// <param name="to">The inclusive end.</param>
    /// <returns>The number of working days.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is <see langword="null"/>.</exception>
    public static int CountWorkingDays(this IBusinessCalendar calendar, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var n = 0;
        for (var d = from.PlusDays(1); d <= to; d = d.PlusDays(1))
        {
            if (calendar.IsWorkingDay(d))
            {
                n++;
            }
        }

        return n;
    }
}
