namespace CustomerSegmentation.Engagement;

/// <summary>
/// Per-customer columns for the follow-up fast path (millions of customers): row <c>i</c> of every column is
/// customer <c>i</c>. The host fills tier, stage, known-since and first purchase;
/// <see cref="FollowUpPolicy.FoldInteractions"/> fills the interaction facts from interaction columns, and
/// <see cref="FollowUpPolicy.EvaluateColumns"/> writes due dates without allocating per customer.
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
    private readonly long[] _lastFollowUp;
    private readonly long[] _lastComplaint;
    private readonly long[] _lastLowScore;
    private readonly long[] _firstInteraction;
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
        _lastFollowUp = New(count, None);
        _lastComplaint = New(count, None);
        _lastLowScore = New(count, None);
        _firstInteraction = New(count, None);
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

    /// <summary>Gets each customer's last follow-up, or <see cref="None"/> (filled by the fold).</summary>
    public Span<long> LastFollowUp => _lastFollowUp;

    /// <summary>Gets each customer's last complaint, or <see cref="None"/> (filled by the fold).</summary>
    public Span<long> LastComplaint => _lastComplaint;

    /// <summary>Gets each customer's last low satisfaction answer, or <see cref="None"/> (filled by the fold).</summary>
    public Span<long> LastLowScore => _lastLowScore;

    /// <summary>Gets each customer's first interaction of any kind, or <see cref="None"/> (filled by the fold).</summary>
    public Span<long> FirstInteraction => _firstInteraction;

    /// <summary>Gets each customer's value at stake (for ordering the due list).</summary>
    public Span<decimal> Value => _value;

    /// <summary>Clears the interaction facts (last follow-up, complaint, low score, first interaction) before a new fold.</summary>
    public void ClearInteractionFacts()
    {
        Array.Fill(_lastFollowUp, None);
        Array.Fill(_lastComplaint, None);
        Array.Fill(_lastLowScore, None);
        Array.Fill(_firstInteraction, None);
    }

    private static T[] New<T>(int count, T value)
    {
        var a = new T[count];
        Array.Fill(a, value);
        return a;
    }
}
