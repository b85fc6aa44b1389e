namespace CustomerSegmentation.Lifecycle;

/// <summary>
/// Column spans for evaluating many customers at once with
/// <see cref="LifecycleModel.EvaluateColumns(NodaTime.Instant, LifecycleColumnSpans)"/>: customer <c>i</c> is row
/// <c>i</c> of every column. All columns must have the same length (<see cref="LastRule"/> may be empty).
/// </summary>
/// <remarks>
/// Instants are Unix ticks (<see cref="NodaTime.Instant.ToUnixTimeTicks"/>); durations are
/// <see cref="NodaTime.Duration.BclCompatibleTicks"/>; <see cref="LifecycleColumns.None"/> marks a missing value.
/// </remarks>
public readonly ref struct LifecycleColumnSpans
{
    /// <summary>Creates the spans.</summary>
    /// <param name="stage">In: each customer's stage index (<see cref="LifecycleModel.IndexOf(string)"/>); out: the stage after evaluation.</param>
    /// <param name="enteredAt">In: when each customer entered that stage; out: the evaluation instant for customers who moved.</param>
    /// <param name="purchaseCount">Each customer's purchases (<see cref="Activity.ActivitySummary.PurchaseCount"/>).</param>
    /// <param name="lastPurchaseAt">Each customer's last purchase, or <see cref="LifecycleColumns.None"/>.</param>
    /// <param name="medianGap">Each customer's median gap between purchases, or <see cref="LifecycleColumns.None"/>.</param>
    /// <param name="lastRule">Optional out: the index in <see cref="LifecycleModel.Rules"/> of the last rule that moved each customer, or -1; empty to skip.</param>
    /// <exception cref="ArgumentException">The columns differ in length.</exception>
    public LifecycleColumnSpans(Span<byte> stage, Span<long> enteredAt, ReadOnlySpan<int> purchaseCount, ReadOnlySpan<long> lastPurchaseAt, ReadOnlySpan<long> medianGap, Span<short> lastRule = default)
    {
        var n = stage.Length;
        if (enteredAt.Length != n || purchaseCount.Length != n || lastPurchaseAt.Length != n || medianGap.Length != n || (!lastRule.IsEmpty && lastRule.Length != n))
        {
            throw new ArgumentException("Every column must have the same length (the last-rule column may be empty).", nameof(stage));
        }

        Stage = stage;
        EnteredAt = enteredAt;
        PurchaseCount = purchaseCount;
        LastPurchaseAt = lastPurchaseAt;
        MedianGap = medianGap;
        LastRule = lastRule;
    }

    /// <summary>Gets the number of customers (rows).</summary>
    public int Length => Stage.Length;

    /// <summary>Gets the stage indexes (in and out).</summary>
    public Span<byte> Stage { get; }

    /// <summary>Gets the instants each customer entered its stage, Unix ticks (in and out).</summary>
    public Span<long> EnteredAt { get; }

    /// <summary>Gets the purchase counts.</summary>
    public ReadOnlySpan<int> PurchaseCount { get; }

    /// <summary>Gets the last purchases, Unix ticks or <see cref="LifecycleColumns.None"/>.</summary>
    public ReadOnlySpan<long> LastPurchaseAt { get; }

    /// <summary>Gets the median gaps, ticks or <see cref="LifecycleColumns.None"/>.</summary>
    public ReadOnlySpan<long> MedianGap { get; }

    /// <summary>Gets the optional out column of the last rule index that fired (-1 for none), or an empty span.</summary>
    public Span<short> LastRule { get; }
}

/// <summary>
/// The same columns as <see cref="LifecycleColumnSpans"/> held as memory, so
/// <see cref="LifecycleModel.EvaluateColumns(NodaTime.Instant, LifecycleColumns, int)"/> can split them between threads.
/// </summary>
public readonly struct LifecycleColumns
{
    /// <summary>The value that marks a missing instant or duration in a column (<see cref="long.MinValue"/>).</summary>
    public const long None = long.MinValue;

    /// <summary>Creates the columns; see <see cref="LifecycleColumnSpans"/> for their meaning.</summary>
    /// <param name="stage">Stage indexes (in and out).</param>
    /// <param name="enteredAt">Instants each customer entered its stage, Unix ticks (in and out).</param>
    /// <param name="purchaseCount">Purchase counts.</param>
    /// <param name="lastPurchaseAt">Last purchases, Unix ticks or <see cref="None"/>.</param>
    /// <param name="medianGap">Median gaps, ticks or <see cref="None"/>.</param>
    /// <param name="lastRule">Optional out column of the last rule index that fired; empty to skip.</param>
    /// <exception cref="ArgumentException">The columns differ in length.</exception>
    public LifecycleColumns(Memory<byte> stage, Memory<long> enteredAt, ReadOnlyMemory<int> purchaseCount, ReadOnlyMemory<long> lastPurchaseAt, ReadOnlyMemory<long> medianGap, Memory<short> lastRule = default)
    {
        _ = new LifecycleColumnSpans(stage.Span, enteredAt.Span, purchaseCount.Span, lastPurchaseAt.Span, medianGap.Span, lastRule.Span);
        Stage = stage;
        EnteredAt = enteredAt;
        PurchaseCount = purchaseCount;
        LastPurchaseAt = lastPurchaseAt;
        MedianGap = medianGap;
        LastRule = lastRule;
    }

    /// <summary>Gets the number of customers (rows).</summary>
    public int Length => Stage.Length;

    /// <summary>Gets the stage indexes (in and out).</summary>
    public Memory<byte> Stage { get; }

    /// <summary>Gets the instants each customer entered its stage, Unix ticks (in and out).</summary>
    public Memory<long> EnteredAt { get; }

    /// <summary>Gets the purchase counts.</summary>
    public ReadOnlyMemory<int> PurchaseCount { get; }

    /// <summary>Gets the last purchases, Unix ticks or <see cref="None"/>.</summary>
    public ReadOnlyMemory<long> LastPurchaseAt { get; }

    /// <summary>Gets the median gaps, ticks or <see cref="None"/>.</summary>
    public ReadOnlyMemory<long> MedianGap { get; }

    /// <summary>Gets the optional out column of the last rule index that fired, or empty memory.</summary>
    public Memory<short> LastRule { get; }

    /// <summary>Gets the spans of rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/>.</summary>
    /// <param name="start">The first row.</param>
    /// <param name="length">The number of rows.</param>
    /// <returns>The spans.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the columns.</exception>
    public LifecycleColumnSpans Slice(int start, int length) => new(
        Stage.Span.Slice(start, length),
        EnteredAt.Span.Slice(start, length),
        PurchaseCount.Span.Slice(start, length),
        LastPurchaseAt.Span.Slice(start, length),
        MedianGap.Span.Slice(start, length),
        LastRule.IsEmpty ? default : LastRule.Span.Slice(start, length));
}
