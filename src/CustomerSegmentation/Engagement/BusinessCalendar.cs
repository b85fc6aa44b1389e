using System.Collections.Immutable;
using NodaTime;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// A business calendar from weekend days, holidays and make-up working days (调休: a weekend day worked in exchange
/// for a longer holiday, e.g. Sunday 2026-02-15 before the Spring Festival week). A date is a working day when it is
/// a make-up working day, or when it is neither a weekend day nor a holiday.
/// </summary>
/// <remarks>
/// Example, the Chinese National Day week of 2025: holidays 1..8 October, make-up working days Sunday 28 September
/// and Saturday 11 October:
/// <code>new BusinessCalendar(holidays: [..], makeUpWorkingDays: [new(2025, 9, 28), new(2025, 10, 11)])</code>
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class BusinessCalendar : IBusinessCalendar
{
    private static readonly IsoDayOfWeek[] SaturdaySunday = [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];
    private readonly bool[] _weekend = new bool[8];

    /// <summary>Creates a calendar.</summary>
    /// <param name="holidays">Days off that would otherwise be working days; may be empty.</param>
    /// <param name="makeUpWorkingDays">Days worked that would otherwise be weekend days or holidays (调休); may be empty.</param>
    /// <param name="weekend">The weekend days; default Saturday and Sunday. At most six days.</param>
    /// <exception cref="EngagementConfigurationException">A date is both a holiday and a make-up working day, the weekend holds every day, or a day of week is not defined.</exception>
    public BusinessCalendar(IEnumerable<LocalDate>? holidays = null, IEnumerable<LocalDate>? makeUpWorkingDays = null, IEnumerable<IsoDayOfWeek>? weekend = null)
    {
        foreach (var day in weekend ?? SaturdaySunday)
        {
            Require(day is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday, Inv($"business calendar: {(int)day} is not a day of the week."));
            _weekend[(int)day] = true;
        }

        Weekend = [.. Enumerable.Range(1, 7).Where(d => _weekend[d]).Select(d => (IsoDayOfWeek)d)];
        Require(Weekend.Length < 7, "business calendar: the weekend cannot hold all seven days (there would be no working day).");
        Holidays = (holidays ?? []).ToImmutableSortedSet();
        MakeUpWorkingDays = (makeUpWorkingDays ?? []).ToImmutableSortedSet();
        var both = Holidays.Intersect(MakeUpWorkingDays);
        Require(both.IsEmpty, Inv($"business calendar: {string.Join(", ", both.Select(Date))} is both a holiday and a make-up working day."));
    }

    /// <summary>Gets the default calendar: Monday to Friday are working days, no holidays.</summary>
    public static BusinessCalendar MondayToFriday { get; } = new();

    /// <summary>Gets the weekend days, Monday first.</summary>
    /// <value>Default Saturday and Sunday.</value>
    public ImmutableArray<IsoDayOfWeek> Weekend { get; }

    /// <summary>Gets the holidays.</summary>
    public ImmutableSortedSet<LocalDate> Holidays { get; }

    /// <summary>Gets the make-up working days (调休).</summary>
    public ImmutableSortedSet<LocalDate> MakeUpWorkingDays { get; }

    /// <inheritdoc />
    public bool IsWorkingDay(LocalDate date) =>
        MakeUpWorkingDays.Contains(date) || (!_weekend[(int)date.DayOfWeek] && !Holidays.Contains(date));
}
