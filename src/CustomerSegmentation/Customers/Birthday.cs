using NodaTime;

namespace CustomerSegmentation.Customers;

/// <summary>A birthday: the day of the year (<see cref="AnnualDate"/>) and, when known, the year of birth.</summary>
/// <param name="Day">Month and day, e.g. 02-29.</param>
/// <param name="Year">The year of birth, if known.</param>
public readonly record struct Birthday(AnnualDate Day, int? Year = null)
{
    /// <summary>Gets the full date of birth when the year is known and the day exists in that year (29 February is moved to 28 February in common years).</summary>
    public LocalDate? Date => Year is { } y ? Day.InYear(y) : null;
}
