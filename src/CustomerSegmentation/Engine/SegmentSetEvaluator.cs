using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using SegmentFacts = CustomerSegmentation.Segments.CustomerFacts;

namespace CustomerSegmentation.Engine;

/// <summary>
/// The engine's segment hook implemented with the expression-language segments of <see cref="SegmentSet"/>: for each
/// batch it evaluates the set, as of the facts' as-of instant, straight over the batch's columns (activity facts, RFM
/// scores and segment, P(alive), CLV, tier, stage, churn level and score, auto-tags). A membership is exactly what
/// <see cref="SegmentSet.Evaluate"/> gives over a <see cref="SegmentPopulation"/> of the batch's <see cref="ToFacts"/>.
/// </summary>
/// <remarks>
/// <para>The engine keeps no profile cards, so each row is seen as a minimal card: the id as display name, kind person,
/// created at the first purchase (or the as-of instant without one), no region, channel, owner, consent or custom
/// attributes. Segments on profile fields therefore see those fields missing; the RFM score carries the r, f, m scores
/// and segment name of the batch, not the engine's cut points.</para>
/// <para>Cost: no object per row. Each worker keeps one buffer per field that a rule names and refills it from the
/// batch (most are copies or per-value lookups); explanations, when asked for, read the same columns (see
/// docs/pipeline.md).</para>
/// <threadsafety>Immutable; <see cref="Evaluate"/> is safe to call concurrently for different batches.</threadsafety>
/// </remarks>
public sealed partial class SegmentSetEvaluator : ISegmentEvaluator
{
    /// <summary>Creates the evaluator of a bound set.</summary>
    /// <param name="set">The segments, bound against the context of the engine they run in (see <see cref="BindingContext"/>); at most 64.</param>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The set has more than 64 segments.</exception>
    public SegmentSetEvaluator(SegmentSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Definitions.Length > 64)
        {
            throw new ArgumentException($"The segment set has {set.Definitions.Length} segments; the engine handles at most 64.", nameof(set));
        }

        Set = set;
        Segments = [.. set.Definitions.Select(d => d.Id)];
    }

    /// <summary>Gets the segment set evaluated.</summary>
    public SegmentSet Set { get; }

    /// <inheritdoc/>
    public ImmutableArray<string> Segments { get; }

    /// <summary>
    /// Binds definitions against what an engine with these options produces and returns the evaluator; set it as the
    /// options' <see cref="SegmentationEngineOptions.Segments"/> (<c>options with { Segments = evaluator }</c>).
    /// </summary>
    /// <param name="definitions">The segment definitions (at most 64).</param>
    /// <param name="options">The engine options whose tier ladder, lifecycle stages, RFM segment names and tag taxonomy the rules are checked against.</param>
    /// <returns>The evaluator.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="SegmentDefinitionException">A definition does not bind; the exception lists every error, each naming its segment.</exception>
    /// <exception cref="ArgumentException">There are more than 64 definitions.</exception>
    public static SegmentSetEvaluator Create(IEnumerable<SegmentDefinition> definitions, SegmentationEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(options);
        return new SegmentSetEvaluator(SegmentSet.Create(definitions, BindingContext(options)).GetValueOrThrow());
    }

    /// <summary>
    /// Builds the binding context of an engine's options: the tier policy's ladder, the lifecycle model's stages, the
    /// RFM segment table's names and the auto-tag rules' taxonomy (each only when configured).
    /// </summary>
    /// <param name="options">The engine options.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static SegmentBindingContext BindingContext(SegmentationEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = new SegmentBindingContext
        {
            Tiers = options.TierPolicy?.Ladder,
            Taxonomy = options.Tags?.RuleSet.Taxonomy,
        };
        if (options.Lifecycle is { } lifecycle)
        {
            context = context.WithLifecycle(lifecycle);
        }

        return options.RfmSegments is { } table ? context.WithRfmSegments(table) : context;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="OverflowException">A CLV is infinite or beyond <see cref="decimal"/> (only when a rule reads <c>clv</c>).</exception>
    public string?[][]? Evaluate(SegmentationBatch batch, Span<ulong> memberships, bool explain)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.SegmentEvaluatorState is not BatchColumns columns || columns.Owner != this)
        {
            batch.SegmentEvaluatorState = columns = new BatchColumns(this, batch.Engine);
        }

        columns.Reset(batch);
        var asOf = batch.Facts.AsOfInstant;
        var nodes = Set.EvaluateInto(columns, asOf, memberships, columns.Scratch);
        if (!explain)
        {
            return null;
        }

        var reasons = new string?[batch.Length][];
        for (var j = 0; j < batch.Length; j++)
        {
            reasons[j] = new string?[Segments.Length];
            for (var s = 0; s < Segments.Length; s++)
            {
                if ((memberships[j] & (1UL << s)) != 0)
                {
                    reasons[j][s] = Set.ExplainCompiled(s, nodes[s], batch.Facts.GetId(batch.Start + j), j, asOf).Text;
                }
            }
        }

        return reasons;
    }

    /// <summary>Builds the segment facts of every row of a batch: the object view of what <see cref="Evaluate"/> reads from the batch's columns.</summary>
    /// <param name="batch">The scored batch.</param>
    /// <returns>One facts record per row, in row order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    public static ImmutableArray<SegmentFacts> ToFacts(SegmentationBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var engine = batch.Engine;
        var source = batch.Facts;
        var options = engine.Options;
        var ladder = options.TierPolicy?.Ladder;
        var scale = new RfmScale(
            new RfmCutPoints(RfmMetric.Recency, RfmBinning.Quantile, [], HigherIsBetter: false),
            new RfmCutPoints(RfmMetric.Frequency, RfmBinning.Quantile, [], HigherIsBetter: true),
            new RfmCutPoints(RfmMetric.Monetary, RfmBinning.Quantile, [], HigherIsBetter: true),
            new RfmOptions { Bins = options.RfmBins });
        var tagIds = engine.TagNames.Select(TagId.FromString).ToArray();
        var result = ImmutableArray.CreateBuilder<SegmentFacts>(batch.Length);
        for (var j = 0; j < batch.Length; j++)
        {
            var i = batch.Start + j;
            var summary = source.ToSummary(i);
            var id = summary.CustomerId;
            var customer = new Customer(id, CustomerKind.Person, id.Value, summary.FirstPurchaseAt ?? source.AsOfInstant);
            var rfm = batch.R[j] == 0
                ? RfmCustomerScore.NotScored(id, scale)
                : RfmCustomerScore.Scored(
                    id, scale, source.RecencyDays(i), source.PurchaseCount[i], source.NetSpendUnits[i] / (decimal)Utf8PurchaseFields.AmountScale,
                    batch.R[j], batch.F[j], batch.M[j], engine.RfmSegmentName(batch.RfmSegment[j]));
            var tags = ImmutableArray<HeldTag>.Empty;
            if (batch.Tags[j] is var mask and not 0)
            {
                var held = ImmutableArray.CreateBuilder<HeldTag>();
                for (var t = 0; t < tagIds.Length; t++)
                {
                    if ((mask & (1UL << t)) != 0)
                    {
                        held.Add(new HeldTag(tagIds[t]));
                    }
                }

                tags = held.ToImmutable();
            }

            var tier = batch.Tier[j];
            var stage = batch.Stage[j];
            result.Add(new SegmentFacts(customer)
            {
                Activity = summary,
                Rfm = rfm,
                Clv = float.IsNaN(batch.Clv[j]) ? null : (decimal)batch.Clv[j],
                PAlive = float.IsNaN(batch.PAlive[j]) ? null : batch.PAlive[j],
                Tier = tier == SegmentationBatch.NoLevel || ladder is null ? null : ladder[tier],
                Stage = stage == SegmentationBatch.NoLevel ? null : engine.StageName(stage),
                ChurnLevel = batch.ChurnLevel[j],
                ChurnScore = float.IsNaN(batch.ChurnScore[j]) ? null : batch.ChurnScore[j],
                Tags = tags,
            });
        }

        return result.MoveToImmutable();
    }
}
