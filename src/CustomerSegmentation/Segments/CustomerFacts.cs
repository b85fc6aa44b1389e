using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using NodaTime;

namespace CustomerSegmentation.Segments;

/// <summary>A tag a customer holds, with the instant it expires (if any), as segment rules see it.</summary>
/// <param name="TagId">The tag.</param>
/// <param name="ExpiresAt">The first instant at which the tag no longer holds; <see langword="null"/> when it never expires.</param>
public readonly record struct HeldTag(TagId TagId, Instant? ExpiresAt = null)
{
    /// <summary>Tells whether the tag holds at an instant.</summary>
    /// <param name="asOf">The instant.</param>
    /// <returns><see langword="true"/> unless the tag has expired by then.</returns>
    public bool HoldsAt(Instant asOf) => ExpiresAt is not { } e || e > asOf;

    /// <summary>Takes the tag and expiry of an assignment.</summary>
    /// <param name="assignment">The assignment.</param>
    /// <returns>The held tag.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assignment"/> is <see langword="null"/>.</exception>
    public static HeldTag FromAssignment(TagAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return new HeldTag(assignment.TagId, assignment.ExpiresAt);
    }
}

/// <summary>
/// Everything the library knows about one customer, in one record: the profile card, the activity summary, the RFM
/// score, CLV and P(alive), the tier, the lifecycle stage, the churn assessment and the tags. Segment rules read these
/// fields (see <see cref="SegmentFields"/>); a <see cref="SegmentPopulation"/> stores many of them in columns.
/// </summary>
/// <param name="Customer">The profile card.</param>
/// <remarks>Every part but the customer is optional; a missing part makes the fields it supplies missing.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record CustomerFacts(Customer Customer)
{
    /// <summary>Gets the customer's id.</summary>
    public CustomerId Id => Customer.Id;

    /// <summary>Gets the activity summary (purchases, spend, interactions, surveys).</summary>
    public ActivitySummary? Activity { get; init; }

    /// <summary>Gets the RFM score and named segment.</summary>
    public RfmCustomerScore? Rfm { get; init; }

    /// <summary>Gets the customer lifetime value, in the population's currency.</summary>
    public decimal? Clv { get; init; }

    /// <summary>Gets the BG/NBD probability that the customer is still alive (0..1).</summary>
    public double? PAlive { get; init; }

    /// <summary>Gets the tier.</summary>
    public Tier? Tier { get; init; }

    /// <summary>Gets the lifecycle stage id.</summary>
    public string? Stage { get; init; }

    /// <summary>Gets the churn-risk level.</summary>
    public ChurnRiskLevel? ChurnLevel { get; init; }

    /// <summary>Gets the churn-risk score (0..1).</summary>
    public double? ChurnScore { get; init; }

    /// <summary>Gets the tags the customer holds (each held while its expiry has not passed).</summary>
    public ImmutableArray<HeldTag> Tags { get; init; } = [];

    /// <summary>Returns a copy with the level and score of a churn assessment.</summary>
    /// <param name="assessment">The assessment.</param>
    /// <returns>The facts with <see cref="ChurnLevel"/> and <see cref="ChurnScore"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assessment"/> is <see langword="null"/>.</exception>
    public CustomerFacts WithChurn(ChurnAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return this with { ChurnLevel = assessment.Level, ChurnScore = assessment.Score };
    }

    /// <summary>Returns a copy with the tags the index holds for this customer (all of them; expiry is kept and applied at evaluation).</summary>
    /// <param name="index">The tag index.</param>
    /// <returns>The facts with <see cref="Tags"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="index"/> is <see langword="null"/>.</exception>
    public CustomerFacts WithTags(TagIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return this with { Tags = [.. index.TagsOf(Id).Select(HeldTag.FromAssignment)] };
    }
}
