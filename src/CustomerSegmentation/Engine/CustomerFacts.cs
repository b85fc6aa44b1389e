using System.Text;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Engine;

/// <summary>
/// The per-customer facts the <see cref="SegmentationEngine"/> scores, as columns: customer <c>i</c> is element <c>i</c>
/// of every column. Built from purchase rows with <see cref="PurchaseFactsBuilder"/>, from activity summaries with
/// <see cref="FromSummaries"/>, or filled by a host (e.g. from a database query) through <see cref="CustomerFactsBuilder"/>.
/// </summary>
/// <remarks>
/// <para>Days are UTC calendar days counted from 1970-01-01 (<see cref="Utf8PurchaseFields.ToEpochDay"/>); money is in
/// units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>, as in the Pipeline. About 28 bytes per customer plus the ids.</para>
/// <para>The usual gap between purchases (<see cref="GapDays"/>) is the exact median when the facts come from summaries;
/// from purchase rows it is the mean gap (last − first) / (count − 1), which equals the median for customers with at most
/// three purchases (one or two gaps) and only approximates it beyond: the rows are folded in bounded memory per customer.</para>
/// <threadsafety>Immutable once built: safe to read from any number of threads.</threadsafety>
/// </remarks>
public sealed class CustomerFacts
{
    /// <summary>The day value that marks "no purchase" in <see cref="FirstPurchaseDay"/> and <see cref="LastPurchaseDay"/>.</summary>
    public const int NoDay = int.MinValue;

    private readonly byte[] _idBytes;
    private readonly long[] _idStarts;
    private readonly int[] _count;
    private readonly int[] _first;
    private readonly int[] _last;
    private readonly long[] _net;
    private readonly float[] _gap;

    internal CustomerFacts(Instant asOf, byte[] idBytes, long[] idStarts, int[] count, int[] first, int[] last, long[] net, float[] gap, bool gapIsMedian)
    {
        AsOfInstant = asOf;
        AsOf = asOf.InUtc().Date;
        AsOfDay = Utf8PurchaseFields.ToEpochDay(AsOf);
        _idBytes = idBytes;
        _idStarts = idStarts;
        _count = count;
        _first = first;
        _last = last;
        _net = net;
        _gap = gap;
        GapIsMedian = gapIsMedian;
    }

    /// <summary>Gets the as-of date (the UTC date of <see cref="AsOfInstant"/>; inclusive: a purchase on it has recency 0).</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the as-of date as an epoch day.</summary>
    public int AsOfDay { get; }

    /// <summary>Gets the as-of instant the facts were taken at (the start of the as-of date in UTC for purchase rows).</summary>
    public Instant AsOfInstant { get; }

    /// <summary>Gets the number of customers.</summary>
    public int Count => _count.Length;

    /// <summary>Gets whether <see cref="GapDays"/> holds exact medians (from summaries) rather than mean gaps (from rows).</summary>
    public bool GapIsMedian { get; }

    /// <summary>Gets the purchase counts (refunds excluded).</summary>
    public ReadOnlySpan<int> PurchaseCount => _count;

    /// <summary>Gets the first purchase days, or <see cref="NoDay"/>.</summary>
    public ReadOnlySpan<int> FirstPurchaseDay => _first;

    /// <summary>Gets the last purchase days, or <see cref="NoDay"/>.</summary>
    public ReadOnlySpan<int> LastPurchaseDay => _last;

    /// <summary>Gets the net spend (purchases minus refunds) in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>.</summary>
    public ReadOnlySpan<long> NetSpendUnits => _net;

    /// <summary>Gets the usual gap between purchases in days (see the remarks), NaN with fewer than two purchases.</summary>
    public ReadOnlySpan<float> GapDays => _gap;

    /// <summary>Gets a customer's id as UTF-8 bytes.</summary>
    /// <param name="index">The customer, 0..<see cref="Count"/>−1.</param>
    /// <returns>The bytes, valid as long as these facts live.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ReadOnlySpan<byte> GetIdUtf8(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var start = _idStarts[index];
        return _idBytes.AsSpan(checked((int)start), checked((int)(_idStarts[index + 1] - start)));
    }

    /// <summary>Gets a customer's id.</summary>
    /// <param name="index">The customer.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public CustomerId GetId(int index) => new(Encoding.UTF8.GetString(GetIdUtf8(index)));

    /// <summary>Gets a customer's recency in days, or -1 without purchases.</summary>
    /// <param name="index">The customer.</param>
    /// <returns>The days from the last purchase to the as-of date.</returns>
    public int RecencyDays(int index) => _last[index] == NoDay ? -1 : AsOfDay - _last[index];

    /// <summary>
    /// Builds a customer's <see cref="ActivitySummary"/> from the facts (for the object APIs: tags, explanations).
    /// Purchases are placed at the start of their UTC day; gross spend is the net spend (refunds are already netted).
    /// </summary>
    /// <param name="index">The customer.</param>
    /// <returns>The summary as of <see cref="AsOfInstant"/>.</returns>
    public ActivitySummary ToSummary(int index)
    {
        var count = _count[index];
        Instant? first = _first[index] == NoDay ? null : DayStart(_first[index]);
        Instant? last = _last[index] == NoDay ? null : DayStart(_last[index]);
        Duration? gap = float.IsNaN(_gap[index]) ? null : Duration.FromTicks((long)Math.Round(_gap[index] * (double)NodaConstants.TicksPerDay));
        return new ActivitySummary
        {
            CustomerId = GetId(index),
            AsOf = AsOfInstant,
            FirstPurchaseAt = first,
            LastPurchaseAt = last,
            PurchaseCount = count,
            GrossSpend = _net[index] / (decimal)Utf8PurchaseFields.AmountScale,
            MedianGap = gap,
            MeanGap = count >= 2 && first is { } f && last is { } l ? (l - f) / (count - 1) : null,
        };
    }

    /// <summary>
    /// Builds facts from activity summaries (exact median gaps). Days are the UTC dates of the first and last purchase.
    /// </summary>
    /// <param name="summaries">One summary per customer, in the order the results should have.</param>
    /// <param name="asOf">The as-of instant of the summaries.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summaries"/> or an element is null.</exception>
    /// <exception cref="OverflowException">A net spend does not fit 64-bit units.</exception>
    public static CustomerFacts FromSummaries(IEnumerable<ActivitySummary> summaries, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var b = new CustomerFactsBuilder(asOf);
        foreach (var s in summaries)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(summaries));
            b.Add(s);
        }

        return b.Build();
    }

    internal static Instant DayStart(int epochDay) => Instant.FromUnixTimeTicks(epochDay * NodaConstants.TicksPerDay);

    internal static int DayOf(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        var day = ticks / NodaConstants.TicksPerDay;
        return (int)(ticks % NodaConstants.TicksPerDay < 0 ? day - 1 : day);
    }
}
