using System.Collections.Immutable;

namespace CustomerSegmentation.Customers;

/// <summary>Thrown by <see cref="CustomerValidationResult.GetValueOrThrow"/> (opt-in) when a customer has validation problems.</summary>
public sealed class ProfileValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="customerId">The customer validated.</param>
    /// <param name="problems">Every problem found.</param>
    public ProfileValidationException(CustomerId customerId, ImmutableArray<ValidationProblem> problems)
        : base($"Customer {customerId} has {problems.Length} validation problem(s): {string.Join("; ", problems)}")
    {
        CustomerId = customerId;
        Problems = problems;
    }

    /// <summary>Gets the customer validated.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets every problem found.</summary>
    public ImmutableArray<ValidationProblem> Problems { get; }
}
