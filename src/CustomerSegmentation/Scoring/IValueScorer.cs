using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>
/// A pluggable value scorer: turns a population of customers (activity summary, optional profile) into one
/// explained <see cref="ValueScore"/> each. Implemented by <see cref="RfmScorer"/> and <see cref="PointsScorer"/>;
/// a host may add its own (e.g. a CLV model).
/// </summary>
/// <remarks>Implementations must be safe for concurrent use and must not read activity after the as-of instant.</remarks>
public interface IValueScorer
{
    /// <summary>Gets the scorer's name, reported in <see cref="ValueScore.Scorer"/>, e.g. <c>rfm</c>.</summary>
    string Name { get; }

    /// <summary>Scores a population as of an instant.</summary>
    /// <param name="population">The customers; every summary must be as of <paramref name="asOf"/>.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>One score per input, in input order.</returns>
    IReadOnlyList<ValueScore> Score(IReadOnlyList<ValueScoringInput> population, Instant asOf);
}
