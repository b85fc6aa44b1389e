using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Churn;

/// <summary>One customer on a <see cref="ChurnWatchList"/>.</summary>
/// <param name="Rank">1 for the largest value at risk.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Level">The churn level.</param>
/// <param name="Score">The churn score.</param>
/// <param name="ExpectedValue">The expected value.</param>
/// <param name="ValueAtRisk">Expected value × score.</param>
/// <param name="Reasons">The reasons, largest share first.</param>
/// <param name="Assessment">The full assessment.</param>
public sealed record ChurnWatchListEntry(int Rank, CustomerId CustomerId, ChurnRiskLevel Level, double Score, decimal ExpectedValue, decimal ValueAtRisk, ImmutableArray<string> Reasons, ChurnAssessment Assessment);

/// <summary>
/// The customers at or above a level, ranked by value at risk (expected value × risk), ties by higher score, then by
/// customer id, so the list is the same whatever the input order.
/// </summary>
/// <param name="MinimumLevel">The lowest level listed.</param>
/// <param name="Entries">The ranked entries.</param>
public sealed record ChurnWatchList(ChurnRiskLevel MinimumLevel, ImmutableArray<ChurnWatchListEntry> Entries)
{
    /// <summary>Builds a watch list.</summary>
    /// <param name="assessments">Assessments of a population at one instant.</param>
    /// <param name="minimumLevel">The lowest level to list; default <see cref="ChurnRiskLevel.High"/>.</param>
    /// <param name="limit">The most entries to keep, or <see langword="null"/> for all.</param>
    /// <returns>The watch list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assessments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative or the level is not defined.</exception>
    public static ChurnWatchList Build(IEnumerable<ChurnAssessment> assessments, ChurnRiskLevel minimumLevel = ChurnRiskLevel.High, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        if (!Enum.IsDefined(minimumLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumLevel), minimumLevel, "Unknown churn level.");
        }

        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must not be negative.");
        }

        var ranked = assessments
            .Where(a => a.Level >= minimumLevel)
            .OrderByDescending(a => a.ValueAtRisk)
            .ThenByDescending(a => a.Score)
            .ThenBy(a => a.CustomerId)
            .Take(limit ?? int.MaxValue)
            .Select((a, i) => new ChurnWatchListEntry(i + 1, a.CustomerId, a.Level, a.Score, a.ExpectedValue, a.ValueAtRisk, [.. a.Reasons], a));
        return new ChurnWatchList(minimumLevel, [.. ranked]);
    }
}
