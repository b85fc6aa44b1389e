using System.Collections.Immutable;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tests.Tags;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Engine.EngineFixtures;

namespace CustomerSegmentation.Tests.Engine;

/// <summary>
/// The columnar path of <see cref="SegmentSetEvaluator.Evaluate"/> (rules over the batch's buffers) against the object
/// path it replaced: a <see cref="SegmentPopulation"/> of <see cref="SegmentSetEvaluator.ToFacts"/> evaluated and explained
/// by <see cref="SegmentSet"/>. Memberships and explanation texts must be the same, batch by batch.
/// </summary>
public class SegmentSetEvaluatorColumnsTests
{
    private static readonly string[] DayFields = ["days_since_last_purchase", "days_since_first_purchase", "days_since_created", "days_since_last_interaction"];
    private static readonly string[] CountFields = ["purchase_count", "purchase_days", "complaints", "referrals", "nps", "r", "f", "m"];
    private static readonly string[] MoneyFields = ["net_spend", "gross_spend", "average_spend", "clv"];
    private static readonly string[] ShareFields = ["p_alive", "churn_score", "satisfaction"];
    private static readonly string[] TextFields = ["kind", "region", "industry", "company_size", "channel", "owner"];
    private static readonly string[] TagRefs = ["vip", "potential", "it", "software", "saas", "long-term", "finance", "industry/IT行业"];
    private static readonly string[] ChurnLevels = ["low", "medium", "high", "critical"];

    private static Gen<SegmentComparison> Op => Gen.Elements(Enum.GetValues<SegmentComparison>());

    private static Gen<bool> Bool => ArbMap.Default.GeneratorFor<bool>();

    private static Gen<SegmentRule> NumberLeaf(string[] fields, Gen<decimal> values) => Gen.OneOf(
        from f in Gen.Elements(fields) from op in Op from v in values select SegmentRules.Field(f).Compare(op, SegmentValue.Of(v)),
        from f in Gen.Elements(fields) from a in values from b in values select SegmentRules.Field(f).Between(Math.Min(a, b), Math.Max(a, b)),
        from f in Gen.Elements(fields) from vs in Gen.NonEmptyListOf(values) from n in Bool
        select (SegmentRule)new InRule(SegmentOperand.Field(f), [.. vs.Take(4).Select(SegmentValue.Of)], n));

    private static Gen<SegmentRule> NamedLeaf(string field, string[] names) => Gen.OneOf(
        from op in Op from v in Gen.Elements(names) select SegmentRules.Field(field).Compare(op, SegmentValue.Of(v)),
        from a in Gen.Choose(0, names.Length - 1) from b in Gen.Choose(0, names.Length - 1)
        select SegmentRules.Field(field).Between(names[Math.Min(a, b)], names[Math.Max(a, b)]),
        from vs in Gen.NonEmptyListOf(Gen.Elements(names)) from n in Bool
        select (SegmentRule)new InRule(SegmentOperand.Field(field), [.. vs.Take(3).Select(SegmentValue.Of)], n));

    private static Gen<SegmentRule> TextLeaf(string field, string[] values) => Gen.OneOf(
        from v in Gen.Elements(values) from ne in Bool
        select SegmentRules.Field(field).Compare(ne ? SegmentComparison.NotEqual : SegmentComparison.Equal, SegmentValue.Of(v)),
        from vs in Gen.NonEmptyListOf(Gen.Elements(values)) from n in Bool
        select (SegmentRule)new InRule(SegmentOperand.Field(field), [.. vs.Take(3).Select(SegmentValue.Of)], n));

    /// <summary>Every leaf the binder accepts on what the engine fills: numbers, days, ranked tiers and churn levels, stages, RFM segment names, text, booleans, is_set, tags.</summary>
    private static Gen<SegmentRule> Leaf(ImmutableArray<string> rfmSegments) => Gen.OneOf(
        NumberLeaf(DayFields, Gen.Choose(-5, 800).Select(d => (decimal)d)),
        NumberLeaf(CountFields, Gen.Choose(-1, 7).Select(c => c % 3 == 0 ? c + 0.5m : c)),
        NumberLeaf(MoneyFields, Gen.Choose(-5_000, 120_000).Select(c => c / 100m)),
        NumberLeaf(ShareFields, Gen.Choose(0, 100).Select(c => c / 100m)),
        NumberLeaf(["rfm_score"], Gen.Choose(0, 60).Select(c => c / 10m)),
        NamedLeaf("tier", ["C", "B", "A"]),
        NamedLeaf("churn_level", ChurnLevels),
        TextLeaf("stage", ["visitor", "member", "lapsed"]),
        TextLeaf("rfm_segment", [.. rfmSegments]),
        from f in Gen.Elements(TextFields) from r in TextLeaf(f, ["person", "organisation", "east", ""]) select r,
        Bool.Select(v => SegmentRules.Field("marketing_consent").EqualTo(v)),
        Gen.Elements([.. SegmentFields.All.Select(f => f.Name)]).Select(f => SegmentRules.Field(f).IsSet()),
        from t in Gen.Elements(TagRefs) from d in Bool select d ? SegmentRules.HasTag(t) : SegmentRules.HasExactTag(t));

    private static Gen<SegmentRule> Tree(Gen<SegmentRule> leaf, int depth) => depth == 0
        ? leaf
        : Gen.Frequency(
            (3, leaf),
            (2, from a in Tree(leaf, depth - 1) from b in Tree(leaf, depth - 1) select (SegmentRule)new AndRule(a, b)),
            (2, from a in Tree(leaf, depth - 1) from b in Tree(leaf, depth - 1) select (SegmentRule)new OrRule(a, b)),
            (1, Tree(leaf, depth - 1).Select(a => (SegmentRule)new NotRule(a))));

    private static readonly Gen<(string Id, LocalDate Date, decimal Amount)> Row =
        from id in Gen.Choose(0, 80).Select(i => $"C{i}")
        from day in Gen.Choose(-800, 10)
        from cents in Gen.Frequency((6, Gen.Choose(1, 60_000)), (1, Gen.Choose(-5_000, -1)))
        select (id, AsOf.PlusDays(day), cents / 100m);

    /// <summary>The full engine (tiers, lifecycle, model) plus auto-tags over a taxonomy with a hierarchy (it > software > saas).</summary>
    private static SegmentationEngineOptions TaggedOptions(int threads, int batchSize)
    {
        var taxonomy = TagSamples.Taxonomy();
        var rules = TagRuleSet.Create(taxonomy,
        [
            new TagRule("vip-spend", "vip", TagCondition.AtLeast(TagFacts.NetSpend, 300m)),
            new TagRule("repeat", "potential", TagCondition.AtLeast(TagFacts.PurchaseCount, 2)),
            new TagRule("many", "saas", TagCondition.AtLeast(TagFacts.PurchaseCount, 3)),
            new TagRule("old", "long-term", TagCondition.AtLeast(TagFacts.CustomerForDays, 300)),
        ]);
        return FullOptions(threads, batchSize) with { Tags = new TagRuleEvaluator(rules) };
    }

    private static Gen<ImmutableArray<SegmentDefinition>> Definitions(SegmentationEngineOptions options) =>
        from rules in Gen.NonEmptyListOf(Tree(Leaf(SegmentSetEvaluator.BindingContext(options).RfmSegments), 3))
        select rules.Take(5).Select((r, i) => new SegmentDefinition($"s{i}", $"Segment {i}", r)).ToImmutableArray();

    [Property(MaxTest = 150)]
    public Property Evaluate_Columns_EqualObjectPopulation_Holds()
    {
        var probe = TaggedOptions(1, 1);
        var cases =
            from rows in Gen.ArrayOf(Row)
            from definitions in Definitions(probe)
            from batchSize in Gen.Choose(1, 70)
            from threads in Gen.Choose(1, 2)
            select (rows, definitions, batchSize, threads);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var options = TaggedOptions(c.threads, c.batchSize);
            options = options with { Segments = SegmentSetEvaluator.Create(c.definitions, options) };
            var sink = new ComparingSink();
            var facts = Facts(c.rows);
            new SegmentationEngine(options).Run(facts, sink);
            return (sink.Problems.IsEmpty && sink.Rows == facts.Count)
                .Label(sink.Problems.IsEmpty ? $"{sink.Rows} rows" : sink.Problems.First())
                .Classify(sink.Members > 0, "some members")
                .Classify(sink.Members < sink.Rows * c.definitions.Length, "some non-members");
        });
    }

    [Fact]
    public void Evaluate_EveryFieldKind_EqualsObjectPopulationWithMembersAndNonMembers()
    {
        var definitions = SegmentJson.Read("""
            { "segments": [
              { "id": "days", "name": "d", "rule": "days_since_last_purchase between 30 and 400 and days_since_created >= 100 and not is_set(days_since_last_interaction)" },
              { "id": "money", "name": "m", "rule": "net_spend >= 120.5 or average_spend < 40 or gross_spend in (10, 20)" },
              { "id": "scores", "name": "s", "rule": "rfm_score > 3.3 and r >= 3 and f in (1, 2) and m != 5" },
              { "id": "model", "name": "v", "rule": "clv > 5.5 and p_alive >= 0.5 or churn_score < 0.4" },
              { "id": "ranked", "name": "r", "rule": "tier >= \"B\" and churn_level <= \"high\" and stage != \"visitor\"" },
              { "id": "texts", "name": "t", "rule": "rfm_segment in (\"Champions\", \"Lost\") or kind = \"person\" and region != \"east\"" },
              { "id": "tags", "name": "g", "rule": "has_tag(\"it\") and not has_exact_tag(\"vip\") or has_tag(\"long-term\")" },
              { "id": "missing", "name": "x", "rule": "purchase_count >= 1 and (nps > 3 or satisfaction < 1 or not marketing_consent)" }
            ] }
            """).GetValueOrThrow();
        var rows = new Random(17);
        var facts = Facts(Enumerable.Range(0, 4000).Select(_ => ($"C{rows.Next(1300)}", AsOf.PlusDays(rows.Next(-800, 5)), (rows.Next(9) == 0 ? -rows.Next(1, 4000) : rows.Next(1, 40000)) / 100m)));
        var options = TaggedOptions(2, 333);
        options = options with { Segments = SegmentSetEvaluator.Create(definitions, options) };
        var sink = new ComparingSink();

        new SegmentationEngine(options).Run(facts, sink);

        Assert.Empty(sink.Problems);
        Assert.Equal(facts.Count, sink.Rows);
        for (var s = 0; s < definitions.Length; s++)
        {
            Assert.InRange(sink.MembersOf[s], 1, facts.Count - 1);
        }
    }

    [Property(MaxTest = 2000)]
    public bool MoneyAsDouble_EqualsTheDecimalConversion_Holds(long units, int shift)
    {
        // Random magnitudes: from a few cents to beyond 2^53 units, where the decimal path takes over.
        var u = units >> (Math.Abs(shift) % 64);
        return SegmentSetEvaluator.MoneyAsDouble(u).Equals((double)(u / (decimal)Utf8PurchaseFields.AmountScale));
    }

    [Fact]
    public void MoneyAsDouble_AroundTheExactLimit_EqualsTheDecimalConversion()
    {
        foreach (var u in new[] { (1L << 53) - 1, 1L << 53, (1L << 53) + 1, -(1L << 53) + 1, -(1L << 53), long.MaxValue, long.MinValue, 0L, 1L, -1L, 12_345L })
        {
            Assert.Equal((double)(u / (decimal)Utf8PurchaseFields.AmountScale), SegmentSetEvaluator.MoneyAsDouble(u));
        }
    }

    /// <summary>Re-evaluates every batch both ways (on the worker, so the worker's reused buffers are exercised) and records differences.</summary>
    private sealed class ComparingSink : ISegmentationBatchSink
    {
        private readonly Lock _gate = new();
        private readonly List<string> _problems = [];
        private readonly int[] _membersOf = new int[64];
        private int _rows;
        private int _members;

        public ImmutableArray<string> Problems
        {
            get
            {
                lock (_gate)
                {
                    return [.. _problems];
                }
            }
        }

        public int Rows => _rows;

        public int Members => _members;

        public int[] MembersOf => _membersOf;

        public void Write(SegmentationBatch batch)
        {
            var evaluator = (SegmentSetEvaluator)batch.Engine.Options.Segments!;
            var asOf = batch.Facts.AsOfInstant;
            var masks = new ulong[batch.Length];
            var reasons = evaluator.Evaluate(batch, masks, explain: true)!;
            var population = SegmentPopulation.Create(SegmentSetEvaluator.ToFacts(batch));
            var evaluation = evaluator.Set.Evaluate(population, asOf);
            var problems = new List<string>();
            for (var j = 0; j < batch.Length; j++)
            {
                ulong expected = 0;
                for (var s = 0; s < evaluation.Memberships.Length; s++)
                {
                    var member = evaluation.Memberships[s].ContainsOrdinal(j);
                    expected |= member ? 1UL << s : 0;
                    var why = member ? evaluator.Set.Explain(evaluator.Segments[s], population, population.Ids[j], asOf).Text : null;
                    if (why != reasons[j][s])
                    {
                        problems.Add($"row {population.Ids[j]} segment {evaluator.Set.Definitions[s].Rule}: reason '{reasons[j][s]}', expected '{why}'");
                    }

                    if (member)
                    {
                        Interlocked.Increment(ref _membersOf[s]);
                        Interlocked.Increment(ref _members);
                    }
                }

                if (expected != masks[j] || expected != batch.Segments[j])
                {
                    problems.Add($"row {population.Ids[j]}: mask {masks[j]:x} (run {batch.Segments[j]:x}), expected {expected:x}");
                }
            }

            Interlocked.Add(ref _rows, batch.Length);
            lock (_gate)
            {
                _problems.AddRange(problems);
            }
        }
    }
}
