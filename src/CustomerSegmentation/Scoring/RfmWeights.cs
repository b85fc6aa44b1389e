namespace CustomerSegmentation.Scoring;

/// <summary>Weights of R, F and M in the weighted RFM score: <c>(wR·R + wF·F + wM·M) / (wR + wF + wM)</c>, on the same 1..k scale as the scores.</summary>
/// <param name="Recency">Weight of R; not negative.</param>
/// <param name="Frequency">Weight of F; not negative.</param>
/// <param name="Monetary">Weight of M; not negative.</param>
/// <remarks>At least one weight must be positive; this is checked when the scorer is built.</remarks>
public sealed record RfmWeights(decimal Recency, decimal Frequency, decimal Monetary)
{
    /// <summary>Gets equal weights (1, 1, 1): the weighted score is the mean of R, F and M.</summary>
    public static RfmWeights Equal { get; } = new(1m, 1m, 1m);

    /// <summary>Computes the weighted score.</summary>
    /// <param name="r">Recency score.</param>
    /// <param name="f">Frequency score.</param>
    /// <param name="m">Monetary score.</param>
    /// <returns>The weighted mean.</returns>
    public decimal Combine(int r, int f, int m) =>
        ((Recency * r) + (Frequency * f) + (Monetary * m)) / (Recency + Frequency + Monetary);
}
