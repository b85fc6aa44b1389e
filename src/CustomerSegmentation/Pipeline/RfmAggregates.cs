using NodaTime;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// Per-customer RFM aggregates in columnar blocks, built by <see cref="RfmAggregatesBuilder"/>: for each customer the
/// UTF-8 id, the purchase count, the last purchase day and the net spend. Customer <c>i</c> of the whole population is
/// customer <c>i − BlockStart(b)</c> of block <c>b</c>.
/// </summary>
/// <remarks><threadsafety>Immutable: safe to read from any number of threads.</threadsafety></remarks>
public sealed class RfmAggregates
{
    private readonly AggregateTable[] _blocks;
    private readonly int[] _starts;

    internal RfmAggregates(LocalDate asOf, int asOfDay, List<AggregateTable> blocks)
    {
        AsOf = asOf;
        AsOfDay = asOfDay;
        _blocks = [.. blocks];
        _starts = new int[_blocks.Length + 1];
        for (var b = 0; b < _blocks.Length; b++)
        {
            _starts[b + 1] = checked(_starts[b] + _blocks[b].Count);
        }
    }

    /// <summary>Gets the as-of date.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Gets the as-of date as an epoch day.</summary>
    public int AsOfDay { get; }

    /// <summary>Gets the number of customers (with a purchase or only refunds).</summary>
    public int Count => _starts[^1];

    /// <summary>Gets the number of blocks.</summary>
    public int BlockCount => _blocks.Length;

    /// <summary>Gets the index of a block's first customer in the whole population.</summary>
    /// <param name="block">The block, 0..<see cref="BlockCount"/> (the value for <see cref="BlockCount"/> is <see cref="Count"/>).</param>
    /// <returns>The index.</returns>
    public int BlockStart(int block) => _starts[block];

    /// <summary>Gets the number of customers in a block.</summary>
    /// <param name="block">The block.</param>
    /// <returns>The count.</returns>
    public int BlockLength(int block) => _blocks[block].Count;

    /// <summary>Gets a customer's id as UTF-8 bytes.</summary>
    /// <param name="block">The block.</param>
    /// <param name="index">The customer's index within the block.</param>
    /// <returns>The id's bytes (valid as long as these aggregates live).</returns>
    public ReadOnlySpan<byte> GetCustomerIdUtf8(int block, int index) => _blocks[block].IdBytes(Checked(block, index));

    /// <summary>Gets a customer's purchase count (refunds excluded).</summary>
    /// <param name="block">The block.</param>
    /// <param name="index">The customer's index within the block.</param>
    /// <returns>The frequency; 0 for a customer with only refunds.</returns>
    public int GetFrequency(int block, int index) => _blocks[block].Slots[Checked(block, index)].Count;

    /// <summary>Gets a customer's net spend (purchases minus refunds) in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>.</summary>
    /// <param name="block">The block.</param>
    /// <param name="index">The customer's index within the block.</param>
    /// <returns>The monetary value in units.</returns>
    public long GetMonetaryUnits(int block, int index) => _blocks[block].Slots[Checked(block, index)].Money;

    /// <summary>Gets a customer's recency: days from the last purchase to the as-of date (0 for a purchase on that date).</summary>
    /// <param name="block">The block.</param>
    /// <param name="index">The customer's index within the block.</param>
    /// <returns>The recency in days, or −1 for a customer with only refunds.</returns>
    public int GetRecencyDays(int block, int index)
    {
        var last = _blocks[block].Slots[Checked(block, index)].LastDay;
        return last == AggregateTable.NoPurchase ? -1 : AsOfDay - last;
    }

    internal AggregateTable GetTable(int block) => _blocks[block];

    private int Checked(int block, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _blocks[block].Count);
        return index;
    }
}
