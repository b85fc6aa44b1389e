namespace CustomerSegmentation.Scoring;

/// <summary>One row of an RFM segment table: a name and inclusive score ranges for R, F and M.</summary>
/// <param name="Name">The segment's key, e.g. <c>Champions</c>. Display names (e.g. 重要价值客户) are mapped by the host.</param>
/// <param name="RMin">Lowest recency score, inclusive.</param>
/// <param name="RMax">Highest recency score, inclusive.</param>
/// <param name="FMin">Lowest frequency score, inclusive.</param>
/// <param name="FMax">Highest frequency score, inclusive.</param>
/// <param name="MMin">Lowest monetary score, inclusive.</param>
/// <param name="MMax">Highest monetary score, inclusive.</param>
public sealed record RfmSegmentRule(string Name, int RMin, int RMax, int FMin, int FMax, int MMin, int MMax)
{
    /// <summary>Tells whether the scores fall inside all three ranges.</summary>
    /// <param name="r">Recency score.</param>
    /// <param name="f">Frequency score.</param>
    /// <param name="m">Monetary score.</param>
    /// <returns><see langword="true"/> when the row matches.</returns>
    public bool Matches(int r, int f, int m) =>
        r >= RMin && r <= RMax && f >= FMin && f <= FMax && m >= MMin && m <= MMax;
}
