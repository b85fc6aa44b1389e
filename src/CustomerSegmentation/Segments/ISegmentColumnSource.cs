using CustomerSegmentation.Tags;

namespace CustomerSegmentation.Segments;

/// <summary>
/// What a compiled rule reads: one column per field, the custom attributes and the holders of tags, for customers
/// (ordinals) 0..<see cref="Count"/>−1. A <see cref="SegmentPopulation"/> is one; a pipeline can supply its own
/// columns (the engine's batch buffers) without building a <see cref="CustomerFacts"/> per customer.
/// </summary>
/// <remarks>
/// A column may be longer than <see cref="Count"/> (reused buffers): nodes read past the end only inside the last
/// 64-customer word, and the evaluator masks those bits out.
/// </remarks>
internal interface ISegmentColumnSource
{
    /// <summary>Gets the number of customers.</summary>
    int Count { get; }

    /// <summary>Gets the column of a field of <see cref="SegmentFields"/>; text fields are <see cref="TextColumn"/>s.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The column, or <see langword="null"/> when the field is unknown.</returns>
    SegmentColumn? Column(string field);

    /// <summary>Gets the columns of a custom attribute.</summary>
    /// <param name="key">The attribute key.</param>
    /// <returns>The columns, or <see langword="null"/> when no customer has the attribute.</returns>
    AttributeColumns? Attribute(string key);

    /// <summary>Sets the bit of every customer that holds <paramref name="tag"/> at <paramref name="asOfTicks"/>.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="bits">One bit per ordinal; bits are only ever set.</param>
    /// <param name="asOfTicks">The as-of instant in Unix ticks (tags that expired by then do not count).</param>
    void OrHolders(TagId tag, ulong[] bits, long asOfTicks);
}
