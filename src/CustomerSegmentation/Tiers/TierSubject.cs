using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// What a tier policy reads about one customer: the activity summary (when there is one) and host-supplied values
/// by name (points, an RFM score, a CLV estimate, spend in a window the host aggregated itself, …).
/// </summary>
public sealed record TierSubject
{
    /// <summary>Creates a subject.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="summary">The customer's activity summary, if any; its customer must be <paramref name="customerId"/>.</param>
    /// <param name="values">Host-supplied values by name, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default id, or <paramref name="summary"/> is about another customer.</exception>
    public TierSubject(CustomerId customerId, ActivitySummary? summary = null, IEnumerable<KeyValuePair<string, decimal>>? values = null)
    {
        if (customerId == default)
        {
            throw new ArgumentException("A tier subject needs a customer id.", nameof(customerId));
        }

        if (summary is not null && summary.CustomerId != customerId)
        {
            throw new ArgumentException($"The summary is about {summary.CustomerId}, not {customerId}.", nameof(summary));
        }

        CustomerId = customerId;
        Summary = summary;
        Values = values is null ? ImmutableDictionary<string, decimal>.Empty : values.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>Creates a subject from an activity summary.</summary>
    /// <param name="summary">The summary.</param>
    /// <returns>The subject.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is <see langword="null"/>.</exception>
    public static TierSubject From(ActivitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new TierSubject(summary.CustomerId, summary);
    }

    /// <summary>Creates a subject with one host value and no summary.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="name">The value's name, read by <see cref="TierMetric.Host(string, bool)"/>.</param>
    /// <param name="value">The value.</param>
    /// <returns>The subject.</returns>
    public static TierSubject WithValue(CustomerId customerId, string name, decimal value) =>
        new(customerId, null, [new KeyValuePair<string, decimal>(name, value)]);

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the activity summary, if any.</summary>
    public ActivitySummary? Summary { get; }

    /// <summary>Gets the host-supplied values by name (ordinal); empty by default.</summary>
    public ImmutableDictionary<string, decimal> Values { get; init; }
}
