using System.Collections.Immutable;

namespace CustomerSegmentation.Partitioning;

/// <summary>
/// The cut points of a whole population (from a merged <see cref="RfmPartial"/>), used to score every shard the same way.
/// A score is 1 + the number of cut points the value beats (the rule of <see cref="Pipeline.RfmColumnarScorer"/>).
/// </summary>
/// <param name="Bins">The number of scores k.</param>
/// <param name="AsOfDay">The as-of day (days since 1970-01-01).</param>
/// <param name="LastDayCutPoints">Cut points of the last purchase day (a later day is better).</param>
/// <param name="FrequencyCutPoints">Cut points of the purchase count.</param>
/// <param name="MonetaryCutPoints">Cut points of the net spend in units of 1/10 000.</param>
public sealed record RfmPopulationCutPoints(int Bins, long AsOfDay, ImmutableArray<long> LastDayCutPoints, ImmutableArray<long> FrequencyCutPoints, ImmutableArray<long> MonetaryCutPoints)
{
    /// <summary>Gets the recency cut points in days (as-of day − last-day cut point), as <see cref="Pipeline.RfmScoreColumns.RecencyCutPoints"/> reports them.</summary>
    public ImmutableArray<long> RecencyCutPoints => [.. LastDayCutPoints.Select(d => AsOfDay - d)];

    /// <summary>Scores one customer.</summary>
    /// <param name="lastDay">The last purchase day.</param>
    /// <param name="frequency">The number of purchases.</param>
    /// <param name="monetaryUnits">The net spend in units of 1/10 000.</param>
    /// <returns>The R, F and M scores, each 1..<see cref="Bins"/>.</returns>
    public (int R, int F, int M) Score(long lastDay, long frequency, long monetaryUnits) =>
        (ScoreOf(lastDay, LastDayCutPoints), ScoreOf(frequency, FrequencyCutPoints), ScoreOf(monetaryUnits, MonetaryCutPoints));

    private static int ScoreOf(long value, ImmutableArray<long> cuts)
    {
        var score = 1;
        foreach (var c in cuts)
        {
            score += value > c ? 1 : 0;
        }

        return score;
    }
}
