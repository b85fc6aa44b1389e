using System.Collections.Immutable;
using NodaTime;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// Upcoming care dates (客户关怀): birthdays, anniversaries of the first purchase and the contract, host-defined dates and
/// festivals, "in the next N days" as of an instant, each customer in its own time zone.
/// </summary>
/// <remarks>
/// The window of a customer is today (in its zone) and the <c>days − 1</c> days after it. Every annual date falls on
/// exactly one day per year (29 February in a common year by <see cref="CareOptions.LeapDay"/>), so a window that
/// crosses the year end holds the dates of both years and no date is missed or listed twice. A birthday with a year
/// (or an anniversary) is listed only after its start year, with the age (the anniversary's number).
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class CareCalendar
{
    /// <summary>The longest window, in days.</summary>
    public const int MaxWindowDays = 3660;

    /// <summary>Creates a calendar.</summary>
    /// <param name="options">The options; default <see cref="CareOptions.Default"/>.</param>
    /// <exception cref="EngagementConfigurationException">Invalid options.</exception>
    public CareCalendar(CareOptions? options = null)
    {
        Options = options ?? CareOptions.Default;
        Options.Validate();
    }

    /// <summary>Gets the options.</summary>
    public CareOptions Options { get; }

    /// <summary>Gets the date an annual date falls on in a year, with the leap-day rule.</summary>
    /// <param name="day">The annual date.</param>
    /// <param name="year">The year.</param>
    /// <returns>The date.</returns>
    public LocalDate Resolve(AnnualDate day, int year) => Resolve(day, year, Options.LeapDay);

    /// <summary>Gets the date an annual date falls on in a year, with a leap-day rule.</summary>
    /// <param name="day">The annual date.</param>
    /// <param name="year">The year.</param>
    /// <param name="rule">Where 29 February falls in a common year.</param>
    /// <returns>The date.</returns>
    public static LocalDate Resolve(AnnualDate day, int year, LeapDayRule rule) =>
        day.Month == 2 && day.Day == 29 && !CalendarSystem.Iso.IsLeapYear(year)
            ? (rule == LeapDayRule.March1 ? new LocalDate(year, 3, 1) : new LocalDate(year, 2, 28))
            : new LocalDate(year, day.Month, day.Day);

    /// <summary>Lists one customer's care dates in the next <paramref name="days"/> days, by date then kind then name.</summary>
    /// <param name="subject">The customer.</param>
    /// <param name="asOf">The as-of instant: today is its date in the customer's zone.</param>
    /// <param name="days">The window length in days, today included; 1..<see cref="MaxWindowDays"/>.</param>
    /// <returns>The occasions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is outside 1..<see cref="MaxWindowDays"/>.</exception>
    public ImmutableArray<CareOccasion> Upcoming(EngagementSubject subject, Instant asOf, int days)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxWindowDays);
        var zone = subject.Zone ?? Options.DefaultZone;
        var today = asOf.InZone(zone).Date;
        var last = today.PlusDays(days - 1);
        var list = new List<CareOccasion>();
        if (subject.Birthday is { } b)
        {
            AddAnnual(list, subject, zone, today, last, CareKind.Birthday, "birthday", b.Day, b.Year);
        }

        if (Options.FirstPurchaseAnniversaries && subject.FirstPurchaseAt is { } fp && fp <= asOf)
        {
            var d = fp.InZone(zone).Date;
            AddAnnual(list, subject, zone, today, last, CareKind.FirstPurchaseAnniversary, "first purchase anniversary", new AnnualDate(d.Month, d.Day), d.Year);
        }

        if (subject.ContractDate is { } cd)
        {
            AddAnnual(list, subject, zone, today, last, CareKind.ContractAnniversary, "contract anniversary", new AnnualDate(cd.Month, cd.Day), cd.Year);
        }

        if (!subject.CareDates.IsDefault)
        {
            foreach (var c in subject.CareDates)
            {
                AddAnnual(list, subject, zone, today, last, CareKind.Custom, c.Name, c.Day, c.SinceYear);
            }
        }

        foreach (var f in Options.Festivals)
        {
            if (f.Date >= today && f.Date <= last)
            {
                var until = Period.DaysBetween(today, f.Date);
                list.Add(new CareOccasion
                {
                    CustomerId = subject.CustomerId,
                    Owner = subject.Owner,
                    Kind = CareKind.Festival,
                    Name = f.Name,
                    Date = f.Date,
                    DaysUntil = until,
                    ZoneId = zone.Id,
                    Explanation = Inv($"festival {f.Name} on {Date(f.Date)}, {When(until)} ({zone.Id}, today {Date(today)})"),
                });
            }
        }

        return [.. list.OrderBy(o => o.Date).ThenBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Ordinal)];
    }

    /// <summary>Lists the care dates of a population in the next <paramref name="days"/> days, by date, kind, name and customer.</summary>
    /// <param name="subjects">The customers.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="days">The window length in days, today included.</param>
    /// <returns>The occasions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subjects"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is outside 1..<see cref="MaxWindowDays"/>.</exception>
    public ImmutableArray<CareOccasion> Upcoming(IEnumerable<EngagementSubject> subjects, Instant asOf, int days)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        return [.. subjects.SelectMany(s => Upcoming(s, asOf, days))
            .OrderBy(o => o.Date).ThenBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.CustomerId)];
    }

    private void AddAnnual(List<CareOccasion> list, EngagementSubject s, DateTimeZone zone, LocalDate today, LocalDate last, CareKind kind, string name, AnnualDate day, int? sinceYear)
    {
        for (var year = today.Year; year <= last.Year; year++)
        {
            if (sinceYear is { } y && year <= y)
            {
                continue;
            }

            var date = Resolve(day, year);
            if (date < today || date > last)
            {
                continue;
            }

            var until = Period.DaysBetween(today, date);
            var moved = date.Month != day.Month || date.Day != day.Day
                ? Inv($" (29 February in a common year → {(Options.LeapDay == LeapDayRule.March1 ? "1 March" : "28 February")})")
                : string.Empty;
            int? years = sinceYear is { } since ? year - since : null;
            var count = years is { } n ? (kind == CareKind.Birthday ? Inv($", turns {n}") : Inv($", year {n}")) : string.Empty;
            list.Add(new CareOccasion
            {
                CustomerId = s.CustomerId,
                Owner = s.Owner,
                Kind = kind,
                Name = name,
                Date = date,
                DaysUntil = until,
                Years = years,
                ZoneId = zone.Id,
                Explanation = Inv($"{name} {day.Month:00}-{day.Day:00} falls on {Date(date)}{moved}{count}, {When(until)} ({zone.Id}, today {Date(today)})"),
            });
        }
    }

    private static string When(int until) => until == 0 ? "today" : until == 1 ? "tomorrow" : Inv($"in {until} days");
}
