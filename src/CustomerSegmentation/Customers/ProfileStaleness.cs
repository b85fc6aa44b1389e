using System.Globalization;
using Ardalis.GuardClauses;
using NodaTime;

namespace CustomerSegmentation.Customers;

/// <summary>Whether a customer profile is due for review, with the figures behind the decision.</summary>
/// <param name="IsStale">Whether <see cref="AsOf"/> is at or after <see cref="DueAt"/>.</param>
/// <param name="NeverVerified">Whether the profile was never verified, so <see cref="Reference"/> is the creation instant.</param>
/// <param name="Reference">The last verification, or the creation instant when never verified.</param>
/// <param name="AsOf">The instant evaluated.</param>
/// <param name="ReviewInterval">How long a verified profile stays fresh.</param>
public sealed record StalenessReport(bool IsStale, bool NeverVerified, Instant Reference, Instant AsOf, Duration ReviewInterval)
{
    /// <summary>Gets when the profile becomes stale: <see cref="Reference"/> + <see cref="ReviewInterval"/>.</summary>
    public Instant DueAt => Reference + ReviewInterval;

    /// <summary>Gets the time since <see cref="Reference"/> (negative when the reference lies after <see cref="AsOf"/>).</summary>
    public Duration Age => AsOf - Reference;

    /// <summary>Gets the time by which the review is overdue, zero when not stale.</summary>
    public Duration Overdue => IsStale ? AsOf - DueAt : Duration.Zero;

    /// <summary>Gets the explanation, e.g. <c>stale: last verified 400.0 days ago, review interval 365.0 days, due 2026-01-05T00:00:00Z</c>.</summary>
    public string Explanation => string.Create(
        CultureInfo.InvariantCulture,
        $"{(IsStale ? "stale" : "fresh")}: {(NeverVerified ? "never verified, created" : "last verified")} {Age.TotalDays:0.0} days ago, review interval {ReviewInterval.TotalDays:0.0} days, due {DueAt}");
}

/// <summary>Decides whether a customer profile is stale: not verified within a review interval, as of an instant.</summary>
/// <remarks>
/// The reference is <see cref="Customer.LastVerifiedAt"/>, or <see cref="Customer.CreatedAt"/> for a profile never verified
/// (a new record is fresh for one interval). The profile is stale from reference + interval on (inclusive).
/// </remarks>
public static class ProfileStaleness
{
    /// <summary>Decides whether a customer profile is stale.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="asOf">The instant evaluated.</param>
    /// <param name="reviewInterval">How long a verified profile stays fresh; positive.</param>
    /// <returns>The decision and its figures.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reviewInterval"/> is not positive.</exception>
    public static StalenessReport Evaluate(Customer customer, Instant asOf, Duration reviewInterval)
    {
        Guard.Against.Null(customer);
        if (reviewInterval <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(reviewInterval), reviewInterval, "The review interval must be positive.");
        }

        var reference = customer.LastVerifiedAt ?? customer.CreatedAt;
        return new StalenessReport(asOf >= reference + reviewInterval, customer.LastVerifiedAt is null, reference, asOf, reviewInterval);
    }

    /// <summary>Decides whether a customer profile is stale with the schema's <see cref="ProfileSchema.ReviewInterval"/>.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="asOf">The instant evaluated.</param>
    /// <param name="schema">The schema.</param>
    /// <returns>The decision and its figures.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static StalenessReport Evaluate(Customer customer, Instant asOf, ProfileSchema schema)
    {
        Guard.Against.Null(schema);
        return Evaluate(customer, asOf, schema.ReviewInterval);
    }
}
