using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>Where 29 February falls in a common year.</summary>
public enum LeapDayRule
{
    /// <summary>On 28 February (NodaTime's <c>AnnualDate.InYear</c> and <see cref="Customers.Birthday.Date"/> do the same).</summary>
    February28 = 0,

    /// <summary>On 1 March (the day after 28 February, as some legal systems count it).</summary>
    March1 = 1,
}

/// <summary>A festival: host data, one date per year (the calendar of lunar festivals is not computed here).</summary>
/// <param name="Name">The festival's name, e.g. 春节 or 中秋节.</param>
/// <param name="Date">Its date in that year.</param>
public readonly record struct Festival(string Name, LocalDate Date);

/// <summary>Settings of a <see cref="CareCalendar"/>, checked when it is built.</summary>
public sealed record CareOptions
{
    /// <summary>Gets the default options.</summary>
    public static CareOptions Default { get; } = new();

    /// <summary>Gets the zone of customers without their own.</summary>
    /// <value>Default UTC.</value>
    public DateTimeZone DefaultZone { get; init; } = DateTimeZone.Utc;

    /// <summary>Gets where a 29 February date falls in common years.</summary>
    /// <value>Default <see cref="LeapDayRule.February28"/>.</value>
    public LeapDayRule LeapDay { get; init; } = LeapDayRule.February28;

    /// <summary>Gets the festivals (host data: a list of dates per year); each is listed for every customer whose window holds it.</summary>
    /// <value>Default none.</value>
    public ImmutableArray<Festival> Festivals { get; init; } = [];

    /// <summary>Gets a value indicating whether anniversaries of the first purchase are listed.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool FirstPurchaseAnniversaries { get; init; } = true;

    internal void Validate()
    {
        EngagementText.Require(DefaultZone is not null, "care options: DefaultZone is null.");
        EngagementText.Require(Enum.IsDefined(LeapDay), EngagementText.Inv($"care options: {(int)LeapDay} is not a leap-day rule."));
        EngagementText.Require(!Festivals.IsDefault, "care options: Festivals is a default array.");
        var blank = Festivals.FirstOrDefault(f => string.IsNullOrWhiteSpace(f.Name));
        EngagementText.Require(Festivals.All(f => !string.IsNullOrWhiteSpace(f.Name)), EngagementText.Inv($"care options: the festival on {EngagementText.Date(blank.Date)} has no name."));
        var dup = Festivals.GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
        EngagementText.Require(dup is null, EngagementText.Inv($"care options: the festival '{dup?.Key.Name}' on {(dup is null ? string.Empty : EngagementText.Date(dup.Key.Date))} is listed twice."));
    }
}
