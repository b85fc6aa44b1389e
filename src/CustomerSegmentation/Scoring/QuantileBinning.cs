namespace CustomerSegmentation.Scoring;

/// <summary>
/// Tie-consistent quantile binning into scores 1..k: a value that is better than <c>w</c> of the <c>N</c>
/// values of the population scores <c>1 + floor(k * w / N)</c>. Equal values always score the same.
/// </summary>
/// <remarks>
/// <para>
/// The score is fully described by <c>k − 1</c> cut points: with the population sorted from worst to best,
/// cut point <c>s</c> (1-based) is the value at 0-based position <c>ceil(s * N / k) − 1</c>, and a value scores
/// <c>1 + (the number of cut points it is strictly better than)</c>. Cut points therefore come from order
/// statistics only, so they can be found by selection or from mergeable histograms without a full sort.
/// </para>
/// <para>Recency is a "lower is better" metric: pass <c>higherIsBetter: false</c>.</para>
/// </remarks>
public static class QuantileBinning
{
    /// <summary>The fewest bins allowed.</summary>
    public const int MinBins = 2;

    /// <summary>The most bins allowed.</summary>
    public const int MaxBins = 10;

    /// <summary>Computes the <c>bins − 1</c> cut points of a population, worst to best.</summary>
    /// <typeparam name="T">The metric's type.</typeparam>
    /// <param name="values">The population's values, in any order; not empty.</param>
    /// <param name="bins">The number of scores k, 2..10.</param>
    /// <param name="higherIsBetter"><see langword="true"/> when a larger value is better (frequency, spend); <see langword="false"/> for recency.</param>
    /// <returns>The cut points: element <c>s − 1</c> is cut point <c>s</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static T[] CutPoints<T>(ReadOnlySpan<T> values, int bins, bool higherIsBetter)
        where T : IComparable<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, MinBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, MaxBins);
        if (values.IsEmpty)
        {
            throw new ArgumentException("Quantile cut points need at least one value.", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        if (!higherIsBetter)
        {
            Array.Reverse(sorted);
        }

        var n = (long)sorted.Length;
        var cuts = new T[bins - 1];
        for (var s = 1; s < bins; s++)
        {
            cuts[s - 1] = sorted[CutPosition(s, bins, n)];
        }

        return cuts;
    }

    /// <summary>Gets the 0-based position, in the population sorted worst to best, of cut point <paramref name="s"/>: <c>ceil(s * n / bins) − 1</c>.</summary>
    /// <param name="s">The cut point, 1..bins−1.</param>
    /// <param name="bins">The number of scores.</param>
    /// <param name="n">The population size, at least 1.</param>
    /// <returns>The position.</returns>
    public static long CutPosition(int s, int bins, long n) => ((s * n) + bins - 1) / bins - 1;

    /// <summary>Scores a value against cut points: 1 + the number of cut points the value is strictly better than.</summary>
    /// <typeparam name="T">The metric's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="cutPoints">Cut points from <see cref="CutPoints{T}(ReadOnlySpan{T}, int, bool)"/> (or fixed ones, worst to best).</param>
    /// <param name="higherIsBetter">Whether a larger value is better.</param>
    /// <returns>The score, 1..cutPoints.Length + 1.</returns>
    public static int Score<T>(T value, ReadOnlySpan<T> cutPoints, bool higherIsBetter)
        where T : IComparable<T>
    {
        var score = 1;
        foreach (var cut in cutPoints)
        {
            var c = value.CompareTo(cut);
            if (higherIsBetter ? c > 0 : c < 0)
            {
                score++;
            }
        }

        return score;
    }
}
