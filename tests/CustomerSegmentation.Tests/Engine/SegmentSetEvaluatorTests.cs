using System.Collections.Immutable;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Segments;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Engine.EngineFixtures;
using SegmentFacts = CustomerSegmentation.Segments.CustomerFacts;

namespace CustomerSegmentation.Tests.Engine;

public class SegmentSetEvaluatorTests
{
    /// <summary>Segments on RFM, tier, stage, recency and frequency: discrete fields, so the object and column paths agree exactly.</summary>
    private static readonly ImmutableArray<SegmentDefinition> Definitions = SegmentJson.Read("""
        { "segments": [
          { "id": "champions", "name": "Champions", "rule": "rfm_segment = \"Champions\" or (r >= 4 and f >= 4)" },
          { "id": "top-members", "name": "Top tier members", "rule": "tier >= \"B\" and stage = \"member\"" },
          { "id": "lapsing", "name": "Lapsing", "rule": "days_since_last_purchase > 90 and purchase_count >= 2" },
          { "id": "lapsed-a", "name": "Lapsed A", "rule": "tier = \"A\" and stage = \"lapsed\"" },
          { "id": "never", "name": "No purchase", "rule": "not (purchase_count >= 1)" }
        ] }
        """).GetValueOrThrow();

    private static readonly Gen<(string Id, LocalDate Date, decimal Amount)> Row =
        from id in Gen.Choose(0, 60).Select(i => $"C{i}")
        from day in Gen.Choose(-700, 10)
        from cents in Gen.Frequency((6, Gen.Choose(1, 50_000)), (1, Gen.Choose(-5_000, -1)))
        select (id, AsOf.PlusDays(day), cents / 100m);

    private static SegmentationEngineOptions WithSegments(SegmentationEngineOptions options) =>
        options with { Segments = SegmentSetEvaluator.Create(Definitions, options) };

    private static List<(string Id, LocalDate Date, decimal Amount)> RandomRows(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => ($"C{random.Next(count / 3 + 1)}", AsOf.PlusDays(random.Next(-700, 20)), (random.Next(8) == 0 ? -random.Next(1, 3000) : random.Next(1, 90000)) / 100m))];
    }

    [Fact]
    public void Run_Memberships_EqualSegmentSetEvaluateOverFactsFromTheObjectResults()
    {
        var facts = Facts(RandomRows(5, 6000));
        var options = WithSegments(FullOptions(threads: 2, batchSize: 97));
        var engine = new SegmentationEngine(options);
        var statistics = engine.ComputeStatistics(facts);

        // The oracle: every customer's object results (RfmAssessment, TierAssignment, LifecycleEvaluation, ChurnAssessment) as Segments facts, one population.
        var direct = Enumerable.Range(0, facts.Count).Select(i => FromObjectResult(engine.Explain(facts, statistics, i))).ToList();
        var set = SegmentSet.Create(Definitions, SegmentSetEvaluator.BindingContext(options)).GetValueOrThrow();
        var evaluation = set.Evaluate(SegmentPopulation.Create(direct), facts.AsOfInstant);

        var actual = new ulong[facts.Count];
        engine.Run(facts, statistics, new MaskSink(actual));
        var expected = new ulong[facts.Count];
        for (var s = 0; s < evaluation.Memberships.Length; s++)
        {
            foreach (var o in evaluation.Memberships[s].Ordinals())
            {
                expected[o] |= 1UL << s;
            }

            Assert.True(evaluation.Memberships[s].Count > 0, $"segment {Definitions[s].Id} has no member: the test would not exercise it");
        }

        Assert.Equal(expected, actual);
        Assert.Equal(Definitions.Select(d => d.Id), engine.SegmentNames);
    }

    [Fact]
    public void Explain_MemberSegments_CarryTheSegmentSetReason()
    {
        var facts = Facts(RandomRows(8, 900));
        var options = WithSegments(FullOptions());
        var engine = new SegmentationEngine(options);
        var statistics = engine.ComputeStatistics(facts);
        var set = ((SegmentSetEvaluator)options.Segments!).Set;
        var checkedMembers = 0;
        for (var i = 0; i < facts.Count; i++)
        {
            var result = engine.Explain(facts, statistics, i);
            var population = SegmentPopulation.Create([FromObjectResult(result)]);
            foreach (var m in result.Segments)
            {
                var why = set.Explain(m.Segment, population, result.CustomerId, facts.AsOfInstant);
                Assert.True(why.IsMember);
                Assert.Equal(why.Text, m.Reason);
                Assert.StartsWith($"in {m.Segment}: ", m.Reason, StringComparison.Ordinal);
                checkedMembers++;
            }
        }

        Assert.True(checkedMembers > 0);
    }

    [Property(MaxTest = 40)]
    public Property Run_Memberships_IndependentOfBatchSizeAndThreads() =>
        Prop.ForAll(Gen.ArrayOf(Row).ToArbitrary(), Gen.Choose(1, 40).ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (rows, batchSize, threads) =>
        {
            var facts = Facts(rows);
            var reference = Collect(new SegmentationEngine(WithSegments(FullOptions())), facts);
            var other = Collect(new SegmentationEngine(WithSegments(FullOptions(threads, batchSize))), facts);
            return reference.Lines.SequenceEqual(other.Lines)
                && reference.Summary.Segments.SequenceEqual(other.Summary.Segments);
        });

    [Fact]
    public void Create_BadDefinitions_ThrowsWithEveryErrorNamingItsSegment()
    {
        var bad = SegmentJson.Read("""
            { "segments": [
              { "id": "typo-stage", "name": "x", "rule": "stage = \"actve\"" },
              { "id": "typo-tier", "name": "y", "rule": "tier >= \"Gold\"" }
            ] }
            """).GetValueOrThrow();

        var ex = Assert.Throws<SegmentDefinitionException>(() => SegmentSetEvaluator.Create(bad, FullOptions()));

        Assert.Equal(["typo-stage", "typo-tier"], ex.Errors.Select(e => e.SegmentId));
        Assert.Contains("actve", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Gold", ex.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BindingContext_TakesLadderStagesRfmNamesOfTheOptions()
    {
        var options = FullOptions();
        var context = SegmentSetEvaluator.BindingContext(options);
        Assert.Equal(options.TierPolicy!.Ladder, context.Tiers);
        Assert.Equal(options.Lifecycle!.Stages.Select(s => s.Id), context.Stages);
        Assert.Contains("Champions", context.RfmSegments);
        Assert.Contains(RfmSegmentTable.Default.FallbackName, context.RfmSegments);
        Assert.Null(context.Taxonomy);
    }

    private static SegmentFacts FromObjectResult(CustomerResult r)
    {
        var id = r.CustomerId;
        var a = r.Activity;
        var scale = new RfmScale(
            new RfmCutPoints(RfmMetric.Recency, RfmBinning.Quantile, [], false),
            new RfmCutPoints(RfmMetric.Frequency, RfmBinning.Quantile, [], true),
            new RfmCutPoints(RfmMetric.Monetary, RfmBinning.Quantile, [], true),
            new RfmOptions());
        var facts = new SegmentFacts(new CustomerSegmentation.Customers.Customer(id, CustomerSegmentation.Customers.CustomerKind.Person, id.Value, a.FirstPurchaseAt ?? a.AsOf))
        {
            Activity = a,
            Rfm = r.Rfm.R == 0
                ? RfmCustomerScore.NotScored(id, scale)
                : RfmCustomerScore.Scored(id, scale, r.Rfm.RecencyDays ?? 0, r.Rfm.Frequency, r.Rfm.Monetary, r.Rfm.R, r.Rfm.F, r.Rfm.M, r.Rfm.Segment),
            Tier = r.Tier?.Tier,
            Stage = r.Lifecycle?.Stage,
        };
        return r.Churn.Value is { } churn ? facts.WithChurn(churn) : facts;
    }

    private sealed class MaskSink(ulong[] masks) : ISegmentationBatchSink
    {
        public void Write(SegmentationBatch batch) => batch.Segments.CopyTo(masks.AsSpan(batch.Start));
    }
}
