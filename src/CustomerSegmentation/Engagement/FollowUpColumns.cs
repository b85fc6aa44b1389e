namespace CustomerSegmentation.Engagement;

/// <summary>
/// Per-customer columns for the follow-up fast path (millions of customers): row <c>i</c> of every column is
/// customer <c>i</c>. The host fills tier, stage, known-since and first purchase;
/// <see cref="FollowUpPolicy.FoldInteractions"/> fills the interaction facts from interaction columns, and
/// <see cref="FollowUpPolicy.EvaluateColumns"/> writes due dates without allocating per customer. The facts of one
/// customer lie side by side (<see cref="GetFacts"/>), so the fold touches one cache line per interaction.
/// </summary>
/// <remarks>
/// Instants are Unix ticks (<see cref="NodaTime.Instant.ToUnixTimeTicks"/>); <see cref="None"/> marks a missing one.
/// Tier and stage are indexes into the name lists given to <see cref="FollowUpPolicy.EvaluateColumns"/>, -1 for none.
/// A new instance has every instant missing and no tier or stage.
/// </remarks>
/// <threadsafety>Not thread-safe: the columns are mutable buffers.</threadsafety>
public sealed class FollowUpColumns
{
    /// <summary>The value that marks a missing instant (<see cref="long.MinValue"/>).</summary>
    public const long None = long.MinValue;

    /// <summary>The value that marks a missing due date in a due-day column (<see cref="int.MinValue"/>).</summary>
    public const int NoDueDate = int.MinValue;

    private readonly short[] _tier;
    private readonly short[] _stage;
    private readonly long[] _knownSince;
    private readonly long[] _firstPurchase;
    private readonly FactSlot[] _facts;
    private readonly decimal[] _value;

    /// <summary>Creates empty columns.</summary>
    /// <param name="count">The number of customers.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public FollowUpColumns(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _tier = New<short>(count, -1);
        _stage = New<short>(count, -1);
        _knownSince = New(count, None);
        _firstPurchase = New(count, None);
        _facts = New(count, FactSlot.Empty);
        _value = new decimal[count];
    }

    /// <summary>Gets the number of customers.</summary>
    public int Count { get; }

    /// <summary>Gets the tier indexes (-1 for none).</summary>
    public Span<short> Tier => _tier;

    /// <summary>Gets the stage indexes (-1 for none).</summary>
    public Span<short> Stage => _stage;

    /// <summary>Gets when each customer became known, or <see cref="None"/>.</summary>
    public Span<long> KnownSince => _knownSince;

    /// <summary>Gets each customer's first purchase, or <see cref="None"/>.</summary>
    public Span<long> FirstPurchase => _firstPurchase;

    /// <summary>Gets the interaction facts the fold found for a row.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The facts; <see cref="None"/> for each instant not seen.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="row"/> is outside the columns.</exception>
    public FollowUpFacts GetFacts(int row)
    {
        ref readonly var f = ref _facts[row];
        return new FollowUpFacts(f.LastFollowUp, f.LastComplaint, f.LastLowScore, f.FirstInteraction);
    }

    /// <summary>Gets each customer's value at stake (for ordering the due list).</summary>
    public Span<decimal> Value => _value;

    /// <summary>Clears the interaction facts (last follow-up, complaint, low score, first interaction) before a new fold.</summary>
    public void ClearInteractionFacts()
    {
        Array.Fill(_facts, FactSlot.Empty);
    }

    // The facts of one customer side by side (32 bytes): the fold's random access per interaction touches one cache line.
    internal Span<FactSlot> Facts => _facts;

    private static T[] New<T>(int count, T value)
    {
        var a = new T[count];
        Array.Fill(a, value);
        return a;
    }
}

/// <summary>The interaction facts of one customer after a fold (Unix ticks, <see cref="FollowUpColumns.None"/> when not seen).</summary>
/// <param name="LastFollowUp">The last follow-up.</param>
/// <param name="LastComplaint">The last complaint.</param>
/// <param name="LastLowScore">The last low satisfaction answer.</param>
/// <param name="FirstInteraction">The first interaction of any kind.</param>
public readonly record struct FollowUpFacts(long LastFollowUp, long LastComplaint, long LastLowScore, long FirstInteraction);

internal struct FactSlot
{
    public static readonly FactSlot Empty = new() { LastFollowUp = FollowUpColumns.None, LastComplaint = FollowUpColumns.None, LastLowScore = FollowUpColumns.None, FirstInteraction = FollowUpColumns.None };

    public long LastFollowUp;
    public long LastComplaint;
    public long LastLowScore;
    public long FirstInteraction;
}
