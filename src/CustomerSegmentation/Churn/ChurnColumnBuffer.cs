using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Churn;

/// <summary>
/// A mutable, columnar buffer of the per-customer facts that the built-in rules read, for scoring millions of customers
/// with <see cref="ChurnColumnarScorer"/> without one object per customer. Fill it from a database or with
/// <see cref="FromSummaries"/>. Missing values: <c>-1</c> for day counts and NPS, <see cref="float.NaN"/> for numbers.
/// </summary>
/// <remarks>
/// <para>Columns are public arrays on purpose: hosts fill them in bulk. The windows are the same for every customer
/// (<see cref="RecentWindowDays"/>, <see cref="BaselineWindowDays"/>). Complaints and satisfaction are whatever window
/// the host counted them in. Not thread safe while being filled.</para>
/// </remarks>
public sealed class ChurnColumnBuffer
{
    /// <summary>Creates a buffer with every value missing (complaints 0).</summary>
    /// <param name="count">The number of customers.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public ChurnColumnBuffer(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        DaysSinceLastPurchase = new int[count];
        PurchaseCount = new int[count];
        MedianGapDays = new float[count];
        RecentPurchases = new int[count];
        BaselinePurchases = new int[count];
        RecentSpend = new float[count];
        BaselineSpend = new float[count];
        DaysSinceLastInteraction = new int[count];
        Complaints = new int[count];
        MeanSatisfaction = new float[count];
        LastNps = new sbyte[count];
        PAlive = new float[count];
        TierDowngrade = new sbyte[count];
        Array.Fill(DaysSinceLastPurchase, -1);
        Array.Fill(MedianGapDays, float.NaN);
        Array.Fill(DaysSinceLastInteraction, -1);
        Array.Fill(MeanSatisfaction, float.NaN);
        Array.Fill(LastNps, (sbyte)-1);
        Array.Fill(PAlive, float.NaN);
        Array.Fill(TierDowngrade, (sbyte)-1);
    }

    /// <summary>Gets the number of customers.</summary>
    public int Count { get; }

    /// <summary>Gets or sets the length of the recent window in days (0 = no windows: the drop rules do not apply).</summary>
    public double RecentWindowDays { get; set; }

    /// <summary>Gets or sets the total length of the baseline windows in days.</summary>
    public double BaselineWindowDays { get; set; }

#pragma warning disable CA1819 // columns are arrays by design: hosts fill them in bulk
    /// <summary>Gets the days since the last purchase; -1 without purchases.</summary>
    public int[] DaysSinceLastPurchase { get; }

    /// <summary>Gets the number of purchases.</summary>
    public int[] PurchaseCount { get; }

    /// <summary>Gets the median gap between purchases in days; NaN with fewer than two purchases.</summary>
    public float[] MedianGapDays { get; }

    /// <summary>Gets the purchases in the recent window.</summary>
    public int[] RecentPurchases { get; }

    /// <summary>Gets the purchases in the baseline windows.</summary>
    public int[] BaselinePurchases { get; }

    /// <summary>Gets the net spend in the recent window.</summary>
    public float[] RecentSpend { get; }

    /// <summary>Gets the net spend in the baseline windows.</summary>
    public float[] BaselineSpend { get; }

    /// <summary>Gets the days since the last interaction that counts as engagement; -1 without one.</summary>
    public int[] DaysSinceLastInteraction { get; }

    /// <summary>Gets the complaints counted by the host (per window or lifetime).</summary>
    public int[] Complaints { get; }

    /// <summary>Gets the mean CSAT 1..5; NaN without scores.</summary>
    public float[] MeanSatisfaction { get; }

    /// <summary>Gets the last NPS answer 0..10; -1 without one.</summary>
    public sbyte[] LastNps { get; }

    /// <summary>Gets the model's P(alive); NaN without a model.</summary>
    public float[] PAlive { get; }

    /// <summary>Gets 1 for a tier downgrade, 0 for another tier change, -1 unknown.</summary>
    public sbyte[] TierDowngrade { get; }
#pragma warning restore CA1819

    /// <summary>
    /// Fills a buffer from summaries and signals, as the object path would read them: the first summary window is the
    /// recent one, the others the baseline; lifetime complaints and satisfaction (or per-window from interaction records,
    /// which this method does not read: pass the counts yourself if you need them).
    /// </summary>
    /// <param name="summaries">The summaries.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="signals">Optional signals per summary.</param>
    /// <param name="zone">The zone of calendar days; UTC when <see langword="null"/>.</param>
    /// <returns>The buffer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summaries"/> is <see langword="null"/>.</exception>
    public static ChurnColumnBuffer FromSummaries(IReadOnlyList<ActivitySummary> summaries, Instant asOf, Func<ActivitySummary, ChurnSignals?>? signals = null, DateTimeZone? zone = null)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var b = new ChurnColumnBuffer(summaries.Count);
        for (var i = 0; i < summaries.Count; i++)
        {
            var s = summaries[i];
            b.DaysSinceLastPurchase[i] = s.LastPurchaseAt is { } last ? ActivitySummary.DaysBetween(last, asOf, zone) : -1;
            b.PurchaseCount[i] = s.PurchaseCount;
            b.MedianGapDays[i] = s.MedianGap is { } g ? (float)g.TotalDays : float.NaN;
            if (s.Windows.Length >= 2)
            {
                b.RecentWindowDays = (s.Windows[0].To - s.Windows[0].From).TotalDays;
                b.BaselineWindowDays = s.Windows.Skip(1).Sum(w => (w.To - w.From).TotalDays);
                b.RecentPurchases[i] = s.Windows[0].PurchaseCount;
                b.RecentSpend[i] = (float)s.Windows[0].NetSpend;
                b.BaselinePurchases[i] = s.Windows.Skip(1).Sum(w => w.PurchaseCount);
                b.BaselineSpend[i] = (float)s.Windows.Skip(1).Sum(w => w.NetSpend);
            }

            b.DaysSinceLastInteraction[i] = s.LastInteractionAt is { } li && li <= asOf ? ActivitySummary.DaysBetween(li, asOf, zone) : -1;
            b.Complaints[i] = s.Complaints;
            b.MeanSatisfaction[i] = s.MeanSatisfaction is { } c ? (float)c : float.NaN;
            b.LastNps[i] = s.LastNps is { } n ? (sbyte)n : (sbyte)-1;
            var sig = signals?.Invoke(s);
            b.PAlive[i] = sig?.PAlive is { } p ? (float)p : float.NaN;
            b.TierDowngrade[i] = sig?.Tier is { } t ? (sbyte)(t.IsDowngrade ? 1 : 0) : (sbyte)-1;
        }

        return b;
    }
}
