using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>A customer (the referrer, <see cref="ActivityRecord.CustomerId"/>) brought in another customer.</summary>
public sealed record Referral : ActivityRecord
{
    /// <summary>Creates a referral.</summary>
    /// <param name="referrer">Who referred.</param>
    /// <param name="referred">Who was referred; not the referrer.</param>
    /// <param name="at">When.</param>
    /// <exception cref="ArgumentException">An id is the default value, or a customer refers itself.</exception>
    public Referral(CustomerId referrer, CustomerId referred, Instant at)
        : base(referrer, at)
    {
        if (referred == default)
        {
            throw new ArgumentException("The referred customer id must not be the default value.", nameof(referred));
        }

        if (referred == referrer)
        {
            throw new ArgumentException("A customer cannot refer itself.", nameof(referred));
        }

        Referred = referred;
    }

    /// <summary>Gets the referred customer.</summary>
    public CustomerId Referred { get; }
}
