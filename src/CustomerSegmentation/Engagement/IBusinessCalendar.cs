using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// Tells which days are working days, for "within 2 working days" follow-ups. Hosts plug in their own (a national
/// holiday table, a company calendar); <see cref="BusinessCalendar.MondayToFriday"/> is the default and
/// <see cref="BusinessCalendar"/> expresses weekends, holidays and Chinese make-up working days (调休).
/// </summary>
public interface IBusinessCalendar
{
    /// <summary>Tells whether <paramref name="date"/> is a working day.</summary>
    /// <param name="date">The local date.</param>
    /// <returns><see langword="true"/> for a working day.</returns>
    bool IsWorkingDay(LocalDate date);
}
