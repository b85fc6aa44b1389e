using CustomerSegmentation.Scoring;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// The RFM scores of a columnar population (see <see cref="RfmColumnarScorer"/>), with the cut points in force.
/// Column element <c>i</c> belongs to customer <c>i</c> of the <see cref="RfmAggregates"/> scored.
/// </summary>
/// <remarks><threadsafety>Immutable once returned: safe to read from any number of threads.</threadsafety></remarks>
public sealed class RfmScoreColumns
{
    /// <summary>The name given to customers without purchases: they have no scores.</summary>
    public const string NoScoreSegment = "None";

    private readonly byte[] _r;
    private readonly byte[] _f;
    private readonly byte[] _m;
    private readonly byte[] _segment;
    private readonly long[] _recencyCuts;
    private readonly long[] _frequencyCuts;
    private readonly long[] _monetaryCuts;

    internal RfmScoreColumns(
        int bins, int scoredCount, long[] recencyCuts, long[] frequencyCuts, long[] monetaryCuts,
        byte[] r, byte[] f, byte[] m, byte[] segment, RfmSegmentTable segments)
    {
        Bins = bins;
        ScoredCount = scoredCount;
        _recencyCuts = recencyCuts;
        _frequencyCuts = frequencyCuts;
        _monetaryCuts = monetaryCuts;
        _r = r;
        _f = f;
        _m = m;
        _segment = segment;
        Segments = segments;
    }

    /// <summary>Gets the number of scores k.</summary>
    public int Bins { get; }

    /// <summary>Gets the number of customers scored (those with at least one purchase).</summary>
    public int ScoredCount { get; }

    /// <summary>Gets the segment table used.</summary>
    public RfmSegmentTable Segments { get; }

    /// <summary>Gets the recency cut points in days, worst (most days) to best; a customer scores 1 + the number of cut points it has fewer days than.</summary>
    public ReadOnlySpan<long> RecencyCutPoints => _recencyCuts;

    /// <summary>Gets the frequency cut points, worst to best; a customer scores 1 + the number it exceeds.</summary>
    public ReadOnlySpan<long> FrequencyCutPoints => _frequencyCuts;

    /// <summary>Gets the monetary cut points in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>, worst to best.</summary>
    public ReadOnlySpan<long> MonetaryCutPoints => _monetaryCuts;

    /// <summary>Gets the recency scores, 1..k, or 0 for a customer without purchases.</summary>
    public ReadOnlySpan<byte> R => _r;

    /// <summary>Gets the frequency scores, 1..k, or 0 for a customer without purchases.</summary>
    public ReadOnlySpan<byte> F => _f;

    /// <summary>Gets the monetary scores, 1..k, or 0 for a customer without purchases.</summary>
    public ReadOnlySpan<byte> M => _m;

    /// <summary>Gets the segment codes: 0 for no purchases, 1..n for row n−1 of <see cref="Segments"/>, n+1 for its fallback.</summary>
    public ReadOnlySpan<byte> SegmentCodes => _segment;

    /// <summary>Gets the name of a segment code.</summary>
    /// <param name="code">A value of <see cref="SegmentCodes"/>.</param>
    /// <returns><see cref="NoScoreSegment"/>, a row's name, or the fallback name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not a segment code.</exception>
    public string SegmentName(int code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, Segments.Rules.Length + 1);
        return code == 0 ? NoScoreSegment : code <= Segments.Rules.Length ? Segments.Rules[code - 1].Name : Segments.FallbackName;
    }

    /// <summary>Explains the rule and the cut points in force.</summary>
    /// <returns>A one-line explanation.</returns>
    public string Explain() =>
        $"{ScoredCount} customers with purchases scored 1..{Bins} by tie-consistent quantiles (score = 1 + floor(k*w/N)); " +
        $"recency cut points (days) [{string.Join(", ", _recencyCuts)}], frequency [{string.Join(", ", _frequencyCuts)}], " +
        $"monetary [{string.Join(", ", _monetaryCuts.Select(c => (c / (decimal)Utf8PurchaseFields.AmountScale).ToString(System.Globalization.CultureInfo.InvariantCulture)))}].";
}
