using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>What a care date is.</summary>
public enum CareKind
{
    /// <summary>The customer's birthday.</summary>
    Birthday = 0,

    /// <summary>An anniversary of the first purchase.</summary>
    FirstPurchaseAnniversary = 1,

    /// <summary>An anniversary of the contract.</summary>
    ContractAnniversary = 2,

    /// <summary>A host-defined date of the customer (<see cref="CustomCareDate"/>).</summary>
    Custom = 3,

    /// <summary>A festival from the host's list.</summary>
    Festival = 4,
}

/// <summary>One upcoming care date of one customer (客户关怀).</summary>
public sealed record CareOccasion
{
    /// <summary>Gets the customer.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the owner, if any.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets the kind.</summary>
    public required CareKind Kind { get; init; }

    /// <summary>Gets the name: <c>birthday</c>, <c>first purchase anniversary</c>, <c>contract anniversary</c>, or the custom date's or festival's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the date in the customer's zone.</summary>
    public required LocalDate Date { get; init; }

    /// <summary>Gets the days from today (in the customer's zone) to the date; 0 for today.</summary>
    public required int DaysUntil { get; init; }

    /// <summary>Gets the age or the anniversary's number when the start year is known (turning 30, the 2nd anniversary).</summary>
    public int? Years { get; init; }

    /// <summary>Gets the id of the customer's zone used.</summary>
    public required string ZoneId { get; init; }

    /// <summary>Gets the explanation, e.g. <c>birthday 02-29 falls on 2027-02-28 (29 February in a common year → 28 February), in 3 days (Asia/Shanghai, today 2027-02-25)</c>.</summary>
    public required string Explanation { get; init; }
}
