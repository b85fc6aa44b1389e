using System.Collections.Immutable;

namespace CustomerSegmentation.Engine;

/// <summary>
/// The extension point for segment definitions: decides, for a batch of scored customers, which segments each belongs
/// to. The engine calls it after every other part of a batch is filled, so a segment can read RFM, model values, tier,
/// stage, churn and tags. A Segments package implements it; the engine ships no implementation of its own.
/// </summary>
/// <remarks><threadsafety>Called concurrently for different batches: implementations must be thread safe.</threadsafety></remarks>
public interface ISegmentEvaluator
{
    /// <summary>Gets the segment names; bit <c>s</c> of a membership mask means <c>Segments[s]</c>. At most 64.</summary>
    ImmutableArray<string> Segments { get; }

    /// <summary>Sets, for each row of the batch, the bits of the segments the customer belongs to.</summary>
    /// <param name="batch">The scored batch.</param>
    /// <param name="memberships">One mask per row, zeroed on entry.</param>
    /// <param name="explain">Whether to return why each membership holds (for object results); otherwise null.</param>
    /// <returns>When <paramref name="explain"/> is set, one reason per row and member segment (<c>reasons[row][s]</c>); otherwise null.</returns>
    string?[][]? Evaluate(SegmentationBatch batch, Span<ulong> memberships, bool explain);
}
