using System.Collections.Immutable;

namespace CustomerSegmentation.Scoring;

/// <summary>The outcome of an RFM run over a population: one <see cref="RfmCustomerScore"/> per input summary and the cut points in force.</summary>
public sealed record RfmResult
{
    /// <summary>Gets the scores in input order.</summary>
    public required ImmutableArray<RfmCustomerScore> Customers { get; init; }

    /// <summary>Gets the cut points in force and the options.</summary>
    public required RfmScale Scale { get; init; }

    /// <summary>Gets the number of customers scored (those with purchases): the population the quantiles were taken over.</summary>
    public int ScoredCount => Customers.Count(c => c.IsScored);

    /// <summary>Gets the number of customers without a score (no purchases).</summary>
    public int UnscoredCount => Customers.Length - ScoredCount;
}
