using CustomerSegmentation.Churn;

namespace CustomerSegmentation.Engine;

/// <summary>
/// The results of one batch of customers as columns: row <c>j</c> is customer <see cref="Start"/> + <c>j</c> of the
/// <see cref="Facts"/>. The buffers are reused: read them inside the sink's call only.
/// </summary>
/// <remarks>
/// Missing values: RFM scores 0 and segment code 0 for customers without purchases; NaN model values without a model or
/// without purchases; <see cref="NoLevel"/> for tier and stage when the part is not configured.
/// <threadsafety>Owned by one worker while filled; read-only inside the sink's call.</threadsafety>
/// </remarks>
public sealed class SegmentationBatch
{
    /// <summary>The tier or stage value of a customer when that part is not configured.</summary>
    public const byte NoLevel = byte.MaxValue;

    internal SegmentationBatch(SegmentationEngine engine, CustomerFacts facts, int capacity)
    {
        Engine = engine;
        Facts = facts;
        RBuffer = new byte[capacity];
        FBuffer = new byte[capacity];
        MBuffer = new byte[capacity];
        SegmentBuffer = new byte[capacity];
        PAliveBuffer = new float[capacity];
        ExpectedBuffer = new float[capacity];
        ClvBuffer = new float[capacity];
        TierBuffer = new byte[capacity];
        StageBuffer = new byte[capacity];
        ChurnScoreBuffer = new float[capacity];
        ChurnLevelBuffer = new ChurnRiskLevel[capacity];
        TagBuffer = new ulong[capacity];
        MembershipBuffer = new ulong[capacity];
    }

    /// <summary>Gets the engine that filled the batch (for the names of codes).</summary>
    public SegmentationEngine Engine { get; }

    /// <summary>Gets the facts scored.</summary>
    public CustomerFacts Facts { get; }

    /// <summary>Gets the batch's number, 0-based, in customer order.</summary>
    public int Index { get; internal set; }

    /// <summary>Gets the first customer's index in <see cref="Facts"/>.</summary>
    public int Start { get; internal set; }

    /// <summary>Gets the number of rows.</summary>
    public int Length { get; internal set; }

    /// <summary>Gets the recency scores 1..k (0 without purchases).</summary>
    public ReadOnlySpan<byte> R => RBuffer.AsSpan(0, Length);

    /// <summary>Gets the frequency scores 1..k (0 without purchases).</summary>
    public ReadOnlySpan<byte> F => FBuffer.AsSpan(0, Length);

    /// <summary>Gets the monetary scores 1..k (0 without purchases).</summary>
    public ReadOnlySpan<byte> M => MBuffer.AsSpan(0, Length);

    /// <summary>Gets the RFM segment codes (<see cref="SegmentationEngine.RfmSegmentName"/>).</summary>
    public ReadOnlySpan<byte> RfmSegment => SegmentBuffer.AsSpan(0, Length);

    /// <summary>Gets P(alive) (NaN without a model or purchases).</summary>
    public ReadOnlySpan<float> PAlive => PAliveBuffer.AsSpan(0, Length);

    /// <summary>Gets the expected purchases over the CLV horizon (NaN without a model or purchases).</summary>
    public ReadOnlySpan<float> ExpectedPurchases => ExpectedBuffer.AsSpan(0, Length);

    /// <summary>Gets the CLV (NaN without a spend model or purchases).</summary>
    public ReadOnlySpan<float> Clv => ClvBuffer.AsSpan(0, Length);

    /// <summary>Gets the tier levels (<see cref="SegmentationEngine.TierName"/>), or <see cref="NoLevel"/>.</summary>
    public ReadOnlySpan<byte> Tier => TierBuffer.AsSpan(0, Length);

    /// <summary>Gets the lifecycle stage indexes (<see cref="SegmentationEngine.StageName"/>), or <see cref="NoLevel"/>.</summary>
    public ReadOnlySpan<byte> Stage => StageBuffer.AsSpan(0, Length);

    /// <summary>Gets the churn scores 0..1.</summary>
    public ReadOnlySpan<float> ChurnScore => ChurnScoreBuffer.AsSpan(0, Length);

    /// <summary>Gets the churn levels.</summary>
    public ReadOnlySpan<ChurnRiskLevel> ChurnLevel => ChurnLevelBuffer.AsSpan(0, Length);

    /// <summary>Gets the auto-tag masks (bit <c>t</c> = <see cref="SegmentationEngine.TagNames"/>[t]).</summary>
    public ReadOnlySpan<ulong> Tags => TagBuffer.AsSpan(0, Length);

    /// <summary>Gets the segment membership masks (bit <c>s</c> = <see cref="SegmentationEngine.SegmentNames"/>[s]).</summary>
    public ReadOnlySpan<ulong> Segments => MembershipBuffer.AsSpan(0, Length);

    internal byte[] RBuffer { get; }

    internal byte[] FBuffer { get; }

    internal byte[] MBuffer { get; }

    internal byte[] SegmentBuffer { get; }

    internal float[] PAliveBuffer { get; }

    internal float[] ExpectedBuffer { get; }

    internal float[] ClvBuffer { get; }

    internal byte[] TierBuffer { get; }

    internal byte[] StageBuffer { get; }

    internal float[] ChurnScoreBuffer { get; }

    internal ChurnRiskLevel[] ChurnLevelBuffer { get; }

    internal ulong[] TagBuffer { get; }

    internal ulong[] MembershipBuffer { get; }

    internal string?[][]? SegmentReasons { get; set; }

    /// <summary>The segment evaluator's per-worker state (column buffers reused from batch to batch).</summary>
    internal object? SegmentEvaluatorState { get; set; }
}

/// <summary>Receives result batches from the engine's <c>Run</c> methods.</summary>
/// <remarks><threadsafety>Called from worker threads, concurrently for different batches; <see cref="SegmentationBatch.Index"/> gives their order.</threadsafety></remarks>
public interface ISegmentationBatchSink
{
    /// <summary>Consumes one batch; its buffers are reused after the call returns.</summary>
    /// <param name="batch">The batch.</param>
    void Write(SegmentationBatch batch);
}

/// <summary>Progress of a run.</summary>
/// <param name="Phase">"statistics" (first pass) or "scoring" (second pass).</param>
/// <param name="Done">Customers done in this phase.</param>
/// <param name="Total">Customers in this phase (-1 when unknown while streaming from stores).</param>
public readonly record struct SegmentationProgress(string Phase, long Done, long Total);
