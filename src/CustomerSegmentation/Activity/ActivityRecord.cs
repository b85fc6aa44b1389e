using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>Something a customer did at an instant: a <see cref="Purchase"/>, an <see cref="Interaction"/> or a <see cref="Referral"/>.</summary>
/// <remarks>Activity records are immutable. The set of kinds is closed: hosts do not derive their own.</remarks>
public abstract record ActivityRecord
{
    private protected ActivityRecord(CustomerId customerId, Instant at)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        CustomerId = customerId;
        At = at;
    }

    /// <summary>Gets the customer the activity belongs to (for a referral, the referrer).</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets when it happened.</summary>
    public Instant At { get; }
}
