using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Scoring;

/// <summary>The outcome of an <see cref="IValueScorer"/> for one customer, with its explanation.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Scorer">The scorer's <see cref="IValueScorer.Name"/>.</param>
/// <param name="IsScored"><see langword="false"/> when the scorer gives no score (e.g. RFM for a customer without purchases); <see cref="Explanation"/> says why.</param>
/// <param name="Value">The score: the RFM weighted score, the points total; <see langword="null"/> when not scored.</param>
/// <param name="Label">A label such as the RFM segment's display name, or <see langword="null"/>.</param>
/// <param name="Explanation">How the score came about: rules, figures and thresholds.</param>
public sealed record ValueScore(CustomerId CustomerId, string Scorer, bool IsScored, decimal? Value, string? Label, string Explanation);
