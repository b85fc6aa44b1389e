using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.DataQuality;

/// <summary>Two customer records that may be the same customer, with a score and the evidence behind it.</summary>
/// <param name="A">The id that sorts first (ordinal).</param>
/// <param name="B">The id that sorts second.</param>
/// <param name="Score">0..1; how the score is made is described on <see cref="DuplicateDetector"/>.</param>
/// <param name="Evidence">The reasons: shared exact keys first (as found), then the names' similarity, then the block that brought the pair together.</param>
public sealed record DuplicateCandidate(CustomerId A, CustomerId B, double Score, ImmutableArray<DuplicateEvidence> Evidence)
{
    /// <summary>Gets the evidence as text, e.g. <c>same phone +8613812345678; names 0.93 similar</c> (see <see cref="DuplicateEvidenceText"/>).</summary>
    public string EvidenceText => DuplicateEvidenceText.Format(Evidence);

    /// <summary>Gets a value indicating whether the pair shares at least one exact key.</summary>
    public bool HasExactKey => Evidence.Any(e => e.IsExactKey);

    /// <inheritdoc />
    public bool Equals(DuplicateCandidate? other) =>
        other is not null && A == other.A && B == other.B && Score.Equals(other.Score) && Evidence.AsSpan().SequenceEqual(other.Evidence.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(A, B, Score);
}

/// <summary>A key shared by so many records that it does not identify a customer (e.g. a company's switchboard number), so no pairs were made from it.</summary>
/// <param name="Kind">The kind of key.</param>
/// <param name="Value">The key's value.</param>
/// <param name="Records">How many records share it.</param>
/// <param name="Limit">The limit it exceeded (<see cref="DuplicateDetectionOptions.MaxExactGroupSize"/>).</param>
public sealed record SkippedKey(DuplicateEvidenceKind Kind, string Value, int Records, int Limit);

/// <summary>The outcome of a duplicate search: the candidates, best first, and what the search did.</summary>
public sealed record DuplicateReport
{
    /// <summary>Gets the candidate pairs, best first: score descending, then <see cref="DuplicateCandidate.A"/>, then <see cref="DuplicateCandidate.B"/> (ordinal). Each pair appears once.</summary>
    public required ImmutableArray<DuplicateCandidate> Candidates { get; init; }

    /// <summary>Gets the number of records searched.</summary>
    public required int Customers { get; init; }

    /// <summary>Gets the number of name comparisons made (the cost the blocking keeps far below n²/2).</summary>
    public required long Comparisons { get; init; }

    /// <summary>Gets the number of fuzzy blocks (organisation, region, phone prefix) that held more than <see cref="DuplicateDetectionOptions.MaxBlockSize"/> records and were searched with the sorted window instead of all pairs.</summary>
    public required int WindowedBlocks { get; init; }

    /// <summary>Gets the number of name comparisons left out because a name was common in its block (<see cref="DuplicateDetectionOptions.MaxNameRepeats"/>).</summary>
    public required long CommonNamePairsSkipped { get; init; }

    /// <summary>Gets the exact keys shared by more than <see cref="DuplicateDetectionOptions.MaxExactGroupSize"/> records; they made no pairs.</summary>
    public required ImmutableArray<SkippedKey> SkippedKeys { get; init; }

    /// <summary>Gets the contact points that could not be normalised (not valid emails or phones) and so were not used as keys, as <c>customer id: reason</c>.</summary>
    public required ImmutableArray<string> UnusableContacts { get; init; }
}
