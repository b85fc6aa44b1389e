using System.Collections.Immutable;

namespace CustomerSegmentation.Customers;

/// <summary>The outcome of validating a customer against a <see cref="ProfileSchema"/>: every problem found and the normalised customer.</summary>
public sealed record CustomerValidationResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="normalized">The normalised customer.</param>
    /// <param name="problems">The problems found; empty when valid.</param>
    /// <exception cref="ArgumentNullException"><paramref name="normalized"/> is <see langword="null"/>.</exception>
    public CustomerValidationResult(Customer normalized, ImmutableArray<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        Normalized = normalized;
        Problems = problems.IsDefault ? [] : problems;
    }

    /// <summary>
    /// Gets the customer with every valid value normalised: text trimmed and in Unicode form C, blank optional text
    /// removed, emails and phones normalised (E.164) and de-duplicated, numeric custom attributes as <see cref="decimal"/>.
    /// Invalid values are kept as given, so the record can be shown back to the person who entered it.
    /// </summary>
    public Customer Normalized { get; }

    /// <summary>Gets every problem found, in field order; empty when the customer is valid.</summary>
    public ImmutableArray<ValidationProblem> Problems { get; }

    /// <summary>Gets a value indicating whether no problem was found.</summary>
    public bool IsValid => Problems.IsEmpty;

    /// <summary>Gets the normalised customer, throwing when there are problems (opt-in throwing).</summary>
    /// <returns><see cref="Normalized"/>.</returns>
    /// <exception cref="ProfileValidationException">The customer has problems.</exception>
    public Customer GetValueOrThrow() => IsValid ? Normalized : throw new ProfileValidationException(Normalized.Id, Problems);

    /// <inheritdoc />
    public bool Equals(CustomerValidationResult? other) =>
        other is not null && Normalized.Equals(other.Normalized) && Problems.SequenceEqual(other.Problems);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Normalized, Problems.Length);
}
