using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// What the engagement policies read about one customer: owner, tier and stage (from the tier and lifecycle
/// policies), own time zone, purchase instants, value, interaction history and care dates. Build one with
/// <see cref="FromCustomer"/> or set the properties directly.
/// </summary>
/// <remarks>Interactions after an evaluation's as-of instant are ignored by every policy (and counted in its explanation).</remarks>
public sealed record EngagementSubject
{
    /// <summary>Creates a subject.</summary>
    /// <param name="customerId">The customer.</param>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value.</exception>
    public EngagementSubject(CustomerId customerId)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        CustomerId = customerId;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the owner (salesperson, account manager), or <see langword="null"/> when the customer has none.</summary>
    public string? Owner { get; init; }

    /// <summary>Gets the customer's tier name (e.g. from a <c>TierAssignment</c>), if known.</summary>
    public string? Tier { get; init; }

    /// <summary>Gets the customer's lifecycle stage id (e.g. <c>CustomerLifecycle.Stage</c>), if known.</summary>
    public string? Stage { get; init; }

    /// <summary>Gets the customer's own time zone; <see langword="null"/> uses the policy's default zone.</summary>
    public DateTimeZone? Zone { get; init; }

    /// <summary>Gets when the customer became known (e.g. <see cref="Customer.CreatedAt"/>): the start of the cadence of a customer never followed up.</summary>
    public Instant? KnownSince { get; init; }

    /// <summary>Gets the first purchase, if any.</summary>
    public Instant? FirstPurchaseAt { get; init; }

    /// <summary>Gets the last purchase (a deal), if any.</summary>
    public Instant? LastPurchaseAt { get; init; }

    /// <summary>Gets the value at stake used to order due lists (e.g. a CLV or the churn value at risk); default 0.</summary>
    public decimal Value { get; init; }

    /// <summary>Gets the customer's interactions, in any order.</summary>
    public IReadOnlyList<Interaction> Interactions { get; init; } = [];

    /// <summary>Gets the birthday, if known.</summary>
    public Birthday? Birthday { get; init; }

    /// <summary>Gets the contract signing date (an organisation's anniversary), if any.</summary>
    public LocalDate? ContractDate { get; init; }

    /// <summary>Gets host-defined care dates (e.g. a wedding anniversary, the company's founding day).</summary>
    public ImmutableArray<CustomCareDate> CareDates { get; init; } = [];

    /// <summary>Gets a value indicating whether the customer is protected from release to the shared pool (e.g. a key account).</summary>
    public bool IsProtected { get; init; }

    /// <summary>Builds a subject from a customer card, the activity summary and the interaction records.</summary>
    /// <param name="customer">The customer: id, owner, birthday, time zone and creation instant are read.</param>
    /// <param name="summary">The activity summary, for the first and last purchase; optional.</param>
    /// <param name="interactions">The customer's interactions; records of other customers are an error.</param>
    /// <returns>The subject; set <see cref="Tier"/>, <see cref="Stage"/>, <see cref="Value"/> and the rest with <c>with</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The summary or an interaction belongs to another customer.</exception>
    public static EngagementSubject FromCustomer(Customer customer, ActivitySummary? summary = null, IEnumerable<Interaction>? interactions = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (summary is not null && summary.CustomerId != customer.Id)
        {
            throw new ArgumentException($"The summary is for customer '{summary.CustomerId}', not '{customer.Id}'.", nameof(summary));
        }

        var list = (interactions ?? []).ToList();
        var foreign = list.FirstOrDefault(i => i.CustomerId != customer.Id);
        if (foreign is not null)
        {
            throw new ArgumentException($"An interaction at {foreign.At} belongs to customer '{foreign.CustomerId}', not '{customer.Id}'.", nameof(interactions));
        }

        return new EngagementSubject(customer.Id)
        {
            Owner = string.IsNullOrWhiteSpace(customer.Owner) ? null : customer.Owner,
            Zone = customer.TimeZone,
            KnownSince = customer.CreatedAt,
            FirstPurchaseAt = summary?.FirstPurchaseAt,
            LastPurchaseAt = summary?.LastPurchaseAt,
            Birthday = customer.Birthday,
            Interactions = list,
        };
    }
}

/// <summary>A host-defined care date of one customer, e.g. a wedding anniversary.</summary>
/// <param name="Name">The occasion's name, shown in the care list.</param>
/// <param name="Day">Month and day.</param>
/// <param name="SinceYear">The year it started, if known: occurrences are counted from it (years) and none is listed in or before it.</param>
public readonly record struct CustomCareDate(string Name, AnnualDate Day, int? SinceYear = null);
