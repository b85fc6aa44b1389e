using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;

namespace CustomerSegmentation.Segments;

/// <summary>
/// What segment rules are checked against when a <see cref="SegmentSet"/> is built: the tag taxonomy (tags and their
/// hierarchy), the tier ladder, the lifecycle stages, the RFM segment names and the profile schema (custom attributes).
/// </summary>
/// <remarks>
/// Every part is optional; a rule that needs a missing part (a tag without a taxonomy, a tier without a ladder, a
/// stage without stages) is an error, so mistakes surface when the segment is built, never at evaluation.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SegmentBindingContext
{
    /// <summary>Gets an empty context: rules may use profile, activity, score and churn fields only.</summary>
    public static SegmentBindingContext Empty { get; } = new();

    /// <summary>Gets the tag taxonomy that <c>has_tag</c> resolves against.</summary>
    /// <value>Default <see langword="null"/>: no tags.</value>
    public TagTaxonomy? Taxonomy { get; init; }

    /// <summary>Gets the tier ladder that <c>tier</c> comparisons rank against.</summary>
    /// <value>Default <see langword="null"/>: no tiers.</value>
    public TierLadder? Tiers { get; init; }

    /// <summary>Gets the lifecycle stage ids that <c>stage</c> comparisons may name (see <see cref="WithLifecycle"/>).</summary>
    /// <value>Default empty: no stages.</value>
    public ImmutableArray<string> Stages { get; init; } = [];

    /// <summary>Gets the RFM segment names that <c>rfm_segment</c> may name.</summary>
    /// <value>Default empty: any name is accepted (there is no table to check against).</value>
    public ImmutableArray<string> RfmSegments { get; init; } = [];

    /// <summary>Gets the profile schema that declares custom attributes and their kinds.</summary>
    /// <value>Default <see langword="null"/>: any attribute, its kind taken from the literal it is compared with.</value>
    public ProfileSchema? Schema { get; init; }

    /// <summary>Returns a copy with the stages of a lifecycle model.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public SegmentBindingContext WithLifecycle(LifecycleModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return this with { Stages = [.. model.Stages.Select(s => s.Id)] };
    }

    /// <summary>Returns a copy with the segment names of an RFM segment table (its rules and its fallback).</summary>
    /// <param name="table">The table.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is <see langword="null"/>.</exception>
    public SegmentBindingContext WithRfmSegments(RfmSegmentTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return this with { RfmSegments = [.. table.Rules.Select(r => r.Name).Append(table.FallbackName).Distinct(StringComparer.Ordinal)] };
    }
}
