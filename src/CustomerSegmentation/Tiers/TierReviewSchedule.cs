using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>How often a review comes round.</summary>
public enum TierReviewPeriod
{
    /// <summary>Every month.</summary>
    Monthly = 0,

    /// <summary>Every quarter: January, April, July and October.</summary>
    Quarterly = 1,

    /// <summary>Every year, in January.</summary>
    Yearly = 2,
}

/// <summary>
/// Review dates for downgrades, e.g. the 1st of every quarter in Asia/Shanghai. A review takes place at the start of
/// the review day in the zone; a downgrade waits for the first evaluation at or after a review that the customer's
/// previous evaluation came before.
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record TierReviewSchedule
{
    /// <summary>Creates and validates a schedule.</summary>
    /// <param name="period">Monthly, quarterly or yearly.</param>
    /// <param name="dayOfMonth">The review day, 1..28 (so every month has it).</param>
    /// <param name="zone">The zone whose calendar days count; UTC when <see langword="null"/>.</param>
    /// <exception cref="InvalidTierPolicyException"><paramref name="dayOfMonth"/> is outside 1..28 or <paramref name="period"/> is unknown.</exception>
    public TierReviewSchedule(TierReviewPeriod period, int dayOfMonth = 1, DateTimeZone? zone = null)
    {
        if (!Enum.IsDefined(period))
        {
            throw new InvalidTierPolicyException(null, $"unknown review period {period}");
        }

        if (dayOfMonth is < 1 or > 28)
        {
            throw new InvalidTierPolicyException(null, $"the review day must be 1..28, not {dayOfMonth}");
        }

        Period = period;
        DayOfMonth = dayOfMonth;
        Zone = zone ?? DateTimeZone.Utc;
    }

    /// <summary>Gets a monthly schedule.</summary>
    /// <param name="dayOfMonth">The review day, 1..28.</param>
    /// <param name="zone">The zone; UTC when <see langword="null"/>.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="InvalidTierPolicyException"><paramref name="dayOfMonth"/> is outside 1..28.</exception>
    public static TierReviewSchedule Monthly(int dayOfMonth = 1, DateTimeZone? zone = null) => new(TierReviewPeriod.Monthly, dayOfMonth, zone);

    /// <summary>Gets a quarterly schedule (January, April, July, October).</summary>
    /// <param name="dayOfMonth">The review day, 1..28.</param>
    /// <param name="zone">The zone; UTC when <see langword="null"/>.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="InvalidTierPolicyException"><paramref name="dayOfMonth"/> is outside 1..28.</exception>
    public static TierReviewSchedule Quarterly(int dayOfMonth = 1, DateTimeZone? zone = null) => new(TierReviewPeriod.Quarterly, dayOfMonth, zone);

    /// <summary>Gets the period.</summary>
    public TierReviewPeriod Period { get; }

    /// <summary>Gets the review day of the month, 1..28.</summary>
    public int DayOfMonth { get; }

    /// <summary>Gets the zone whose calendar defines review days; UTC by default.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Gets the latest review at or before an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The start of the latest review day that is not after <paramref name="instant"/>.</returns>
    public Instant LatestAtOrBefore(Instant instant)
    {
        var today = instant.InZone(Zone).Date;
        var month = new LocalDate(today.Year, today.Month, DayOfMonth);
        if (month > today)
        {
            month = month.PlusMonths(-1);
        }

        var step = Period switch
        {
            TierReviewPeriod.Quarterly => 3,
            TierReviewPeriod.Yearly => 12,
            _ => 1,
        };
        month = month.PlusMonths(-((month.Month - 1) % step));
        return Zone.AtStartOfDay(month).ToInstant();
    }

    /// <summary>Tells whether a review falls in the half-open range (<paramref name="after"/>, <paramref name="atOrBefore"/>].</summary>
    /// <param name="after">The exclusive start, e.g. the previous evaluation.</param>
    /// <param name="atOrBefore">The inclusive end, e.g. this evaluation.</param>
    /// <returns><see langword="true"/> when a review took place in between.</returns>
    public bool HasReviewBetween(Instant after, Instant atOrBefore) => atOrBefore > after && LatestAtOrBefore(atOrBefore) > after;
}
