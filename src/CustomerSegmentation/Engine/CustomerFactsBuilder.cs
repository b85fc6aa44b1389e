using System.Text;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Engine;

/// <summary>
/// Collects <see cref="CustomerFacts"/> one customer at a time (from summaries, or from a host's own query), in the
/// order the results should have. Memory: about 28 bytes per customer plus the id bytes, whatever the source.
/// </summary>
/// <remarks><threadsafety>Not thread safe.</threadsafety></remarks>
public sealed class CustomerFactsBuilder
{
    private readonly List<int> _count = [];
    private readonly List<int> _first = [];
    private readonly List<int> _last = [];
    private readonly List<long> _net = [];
    private readonly List<float> _gap = [];
    private readonly List<long> _idStarts = [0];
    private byte[] _ids = new byte[1024];
    private long _idLength;
    private bool _gapIsMedian = true;

    /// <summary>Creates a builder.</summary>
    /// <param name="asOf">The as-of instant.</param>
    public CustomerFactsBuilder(Instant asOf)
    {
        AsOf = asOf;
    }

    /// <summary>Gets the as-of instant.</summary>
    public Instant AsOf { get; }

    /// <summary>Gets the number of customers added.</summary>
    public int Count => _count.Count;

    /// <summary>Adds a customer from its summary (exact median gap).</summary>
    /// <param name="summary">The summary.</param>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is null.</exception>
    /// <exception cref="OverflowException">The net spend does not fit 64-bit units.</exception>
    public void Add(ActivitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Add(
            summary.CustomerId,
            summary.PurchaseCount,
            summary.FirstPurchaseAt is { } f ? CustomerFacts.DayOf(f) : CustomerFacts.NoDay,
            summary.LastPurchaseAt is { } l ? CustomerFacts.DayOf(l) : CustomerFacts.NoDay,
            decimal.ToInt64(decimal.Round(summary.NetSpend * Utf8PurchaseFields.AmountScale)),
            summary.MedianGap is { } g ? (float)g.TotalDays : float.NaN);
    }

    /// <summary>Adds a customer from raw facts.</summary>
    /// <param name="id">The customer's id.</param>
    /// <param name="purchaseCount">The purchase count, at least 0.</param>
    /// <param name="firstPurchaseDay">The first purchase's epoch day, or <see cref="CustomerFacts.NoDay"/>.</param>
    /// <param name="lastPurchaseDay">The last purchase's epoch day, or <see cref="CustomerFacts.NoDay"/>.</param>
    /// <param name="netSpendUnits">The net spend in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>.</param>
    /// <param name="gapDays">The usual gap in days, NaN when unknown; set <paramref name="gapIsMedian"/> false for a mean gap.</param>
    /// <param name="gapIsMedian">Whether <paramref name="gapDays"/> is an exact median; default true.</param>
    /// <exception cref="ArgumentException">The id is default, the count is negative, or the days are inconsistent with the count.</exception>
    public void Add(CustomerId id, int purchaseCount, int firstPurchaseDay, int lastPurchaseDay, long netSpendUnits, float gapDays, bool gapIsMedian = true)
    {
        if (id == default)
        {
            throw new ArgumentException("The customer id is the default value.", nameof(id));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(purchaseCount);
        if ((purchaseCount == 0) != (lastPurchaseDay == CustomerFacts.NoDay) || (purchaseCount == 0) != (firstPurchaseDay == CustomerFacts.NoDay)
            || (purchaseCount > 0 && firstPurchaseDay > lastPurchaseDay))
        {
            throw new ArgumentException($"Customer {id}: {purchaseCount} purchases, first day {firstPurchaseDay}, last day {lastPurchaseDay} are inconsistent.", nameof(purchaseCount));
        }

        var bytes = Encoding.UTF8.GetByteCount(id.Value);
        EnsureIds(bytes);
        _idLength += Encoding.UTF8.GetBytes(id.Value, _ids.AsSpan(checked((int)_idLength)));
        AddColumns(purchaseCount, firstPurchaseDay, lastPurchaseDay, netSpendUnits, gapDays);
        _gapIsMedian &= gapIsMedian || float.IsNaN(gapDays);
    }

    /// <summary>Builds the facts.</summary>
    /// <returns>The facts, in the order added.</returns>
    public CustomerFacts Build() => new(
        AsOf, _ids.AsSpan(0, checked((int)_idLength)).ToArray(), [.. _idStarts], [.. _count], [.. _first], [.. _last], [.. _net], [.. _gap], _gapIsMedian);

    private void AddColumns(int purchaseCount, int firstPurchaseDay, int lastPurchaseDay, long netSpendUnits, float gapDays)
    {
        _idStarts.Add(_idLength);
        _count.Add(purchaseCount);
        _first.Add(firstPurchaseDay);
        _last.Add(lastPurchaseDay);
        _net.Add(netSpendUnits);
        _gap.Add(purchaseCount >= 2 ? gapDays : float.NaN);
    }

    private void EnsureIds(int more)
    {
        if (_idLength + more > _ids.Length)
        {
            Array.Resize(ref _ids, checked((int)Math.Min(Array.MaxLength, Math.Max(_ids.Length * 2L, _idLength + more))));
        }
    }
}
