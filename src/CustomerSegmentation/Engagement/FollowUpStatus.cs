using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>Where a customer stands against the cadence as of an instant.</summary>
public enum FollowUpState
{
    /// <summary>No rule covers the customer (or no covering rule's trigger has happened): no due date.</summary>
    NoRule = 0,

    /// <summary>The due date is after today.</summary>
    NotDue = 1,

    /// <summary>The follow-up is due today.</summary>
    DueToday = 2,

    /// <summary>The due date has passed.</summary>
    Overdue = 3,
}

/// <summary>
/// One customer's follow-up position as of an instant: the last follow-up, the next due date, the days overdue and
/// the rule that set it, with the explanation (rule, figures, and why earlier rules did not apply).
/// </summary>
public sealed record FollowUpStatus
{
    /// <summary>Gets the customer.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the owner, if any.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets the as-of instant.</summary>
    public required Instant AsOf { get; init; }

    /// <summary>Gets today in the customer's zone.</summary>
    public required LocalDate Today { get; init; }

    /// <summary>Gets the id of the zone the dates are in.</summary>
    public required string ZoneId { get; init; }

    /// <summary>Gets the last follow-up at or before the as-of instant, if any.</summary>
    public Instant? LastFollowUpAt { get; init; }

    /// <summary>Gets the id of the rule that set the due date, or <see langword="null"/> (<see cref="FollowUpState.NoRule"/>).</summary>
    public string? RuleId { get; init; }

    /// <summary>Gets the trigger of that rule, if any.</summary>
    public FollowUpTrigger? Trigger { get; init; }

    /// <summary>Gets the next due date in the customer's zone, if a rule set one.</summary>
    public LocalDate? DueDate { get; init; }

    /// <summary>Gets the state.</summary>
    public required FollowUpState State { get; init; }

    /// <summary>Gets the whole days since the due date (0 unless <see cref="FollowUpState.Overdue"/>).</summary>
    public int DaysOverdue { get; init; }

    /// <summary>Gets the value at stake (<see cref="EngagementSubject.Value"/>).</summary>
    public decimal Value { get; init; }

    /// <summary>Gets the explanation, e.g. <c>rule 'tier-b': every 30 days (tier B): last follow-up 2026-05-20 (Call), due 2026-06-19, today 2026-07-01 (UTC): 12 days overdue</c>.</summary>
    public required string Explanation { get; init; }

    /// <summary>Gets a value indicating whether the follow-up is due today or overdue.</summary>
    public bool IsDue => State is FollowUpState.DueToday or FollowUpState.Overdue;
}
