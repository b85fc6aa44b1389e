using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tiers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Engine.EngineFixtures;

namespace CustomerSegmentation.Tests.Engine;

public class SegmentationEngineTests
{
    private static readonly Gen<(string Id, LocalDate Date, decimal Amount)> Row =
        from id in Gen.OneOf(Gen.Choose(0, 80).Select(i => $"C{i}"), Gen.Choose(0, 20).Select(i => $"客户-{i}"), Gen.Choose(0, 10).Select(i => $"a-rather-long-customer-identifier-{i}"))
        from day in Gen.Choose(-900, 30)
        from cents in Gen.Frequency((5, Gen.Choose(1, 50_000)), (1, Gen.Choose(-5_000, -1)))
        select (id, AsOf.PlusDays(day), cents / 100m);

    private static readonly Gen<(int Partitions, int Threads, int BatchSize)> Setups =
        from p in Gen.Choose(1, 4)
        from t in Gen.Choose(1, 4)
        from b in Gen.Choose(1, 40)
        select (p, t, b);

    private static List<(string Id, LocalDate Date, decimal Amount)> RandomRows(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => ($"C{random.Next(count / 3 + 1)}", AsOf.PlusDays(random.Next(-900, 20)), (random.Next(8) == 0 ? -random.Next(1, 3000) : random.Next(1, 90000)) / 100m))];
    }

    [Property(MaxTest = 60)]
    public Property Run_ResultsIndependentOfPartitionsThreadsAndBatchSize_Holds() =>
        Prop.ForAll(Gen.ArrayOf(Row).ToArbitrary(), Setups.ToArbitrary(), (rows, setup) =>
        {
            var (partitions, threads, batchSize) = setup;
            var reference = Collect(new SegmentationEngine(FullOptions()), Facts(rows));
            var other = Collect(new SegmentationEngine(FullOptions(threads, batchSize)), Facts(rows, partitions, rowsPerBatch: 7));
            return reference.Lines.SequenceEqual(other.Lines) && Same(reference.Summary, other.Summary);
        });

    [Fact]
    public void Build_FactsEqualStraightforwardFold()
    {
        var rows = RandomRows(3, 5000);
        var facts = Facts(rows, partitions: 3, rowsPerBatch: 333);
        var expected = rows.Where(r => r.Date <= AsOf).GroupBy(r => r.Id).ToDictionary(g => g.Key, g =>
        {
            var purchases = g.Where(r => r.Amount >= 0).Select(r => Utf8PurchaseFields.ToEpochDay(r.Date)).ToList();
            return (Count: purchases.Count, First: purchases.Count == 0 ? CustomerFacts.NoDay : purchases.Min(), Last: purchases.Count == 0 ? CustomerFacts.NoDay : purchases.Max(), Net: (long)(g.Sum(r => r.Amount) * 10000));
        });
        Assert.Equal(expected.Count, facts.Count);
        for (var i = 0; i < facts.Count; i++)
        {
            var e = expected[facts.GetId(i).Value];
            Assert.Equal(e, (facts.PurchaseCount[i], facts.FirstPurchaseDay[i], facts.LastPurchaseDay[i], facts.NetSpendUnits[i]));
            Assert.Equal(e.Count >= 2 ? (float)((e.Last - e.First) / (double)(e.Count - 1)) : float.NaN, facts.GapDays[i]);
        }
    }

    [Fact]
    public void Run_Rfm_EqualsColumnarScorerOfThePipeline()
    {
        var rows = RandomRows(11, 8000);
        var aggregates = new RfmAggregatesBuilder(AsOf, 1);
        var batch = aggregates.CreateBatch();
        foreach (var (id, date, amount) in rows)
        {
            batch.Add(System.Text.Encoding.UTF8.GetBytes(id), Utf8PurchaseFields.ToEpochDay(date), (long)(amount * 10000));
        }

        aggregates.Add(batch, 0);
        var built = aggregates.Build();
        var scores = RfmColumnarScorer.Score(built);
        var expected = new Dictionary<string, string>();
        for (var b = 0; b < built.BlockCount; b++)
        {
            for (var j = 0; j < built.BlockLength(b); j++)
            {
                var i = built.BlockStart(b) + j;
                expected[System.Text.Encoding.UTF8.GetString(built.GetCustomerIdUtf8(b, j))] = $"{scores.R[i]}{scores.F[i]}{scores.M[i]}|{scores.SegmentName(scores.SegmentCodes[i])}";
            }
        }

        var (lines, summary) = Collect(new SegmentationEngine(), Facts(rows));
        Assert.Equal(expected.Count, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split('|');
            Assert.Equal(expected[parts[0]], $"{parts[1]}|{parts[2]}");
        }

        Assert.Equal(scores.RecencyCutPoints.ToArray(), summary.Statistics.RecencyCutPoints);
        Assert.Equal(scores.MonetaryCutPoints.ToArray(), summary.Statistics.MonetaryCutPoints.ToArray());
    }

    [Fact]
    public void Run_ModelTierLifecycleChurn_EqualTheirLibraryApis()
    {
        var rows = RandomRows(21, 6000);
        var facts = Facts(rows);
        var options = FullOptions();
        var engine = new SegmentationEngine(options);
        var (lines, summary) = Collect(engine, facts);
        var stats = summary.Statistics;
        var policy = (SingleMetricTierPolicy)options.TierPolicy!;
        var net = Enumerable.Range(0, facts.Count).Select(i => facts.NetSpendUnits[i] / 10000m).ToArray();
        var cuts = policy.ComputeCutPoints(net);
        var clv = new ClvCalculatorAdapter(options.ValueModel!);
        var summaries = Enumerable.Range(0, facts.Count).Select(facts.ToSummary).ToList();
        var churn = new ChurnColumnarScorer().RuleSet;
        var assessor = new ChurnAssessor(churn, DateTimeZone.Utc);
        for (var i = 0; i < facts.Count; i++)
        {
            var parts = lines[i].Split('|');
            Assert.Equal(policy.Ladder[cuts.LevelOf(net[i])].Name, parts[6]);
            var lifecycle = options.Lifecycle!;
            var s = summaries[i];
            Assert.Equal(lifecycle.Evaluate(lifecycle.Start(s.CustomerId, s.FirstPurchaseAt ?? facts.AsOfInstant), s).Stage, parts[7]);
            var estimate = clv.Estimate(facts, i);
            Assert.Equal((float)estimate.ProbabilityAlive, float.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((float)estimate.Value, float.Parse(parts[5], System.Globalization.CultureInfo.InvariantCulture));
            var assessment = assessor.Assess(s, facts.AsOfInstant, stats.ChurnPopulation, new ChurnSignals { PAlive = double.IsNaN(estimate.ProbabilityAlive) ? null : (float)estimate.ProbabilityAlive }).GetValueOrThrow();
            Assert.Equal(assessment.Level.ToString(), parts[8]);
            Assert.Equal(assessment.Score, double.Parse(parts[9], System.Globalization.CultureInfo.InvariantCulture), 5);
        }

        Assert.Equal(facts.Count, summary.Tiers.Sum(t => t.Value));
        Assert.Equal(facts.Count, summary.Stages.Sum(t => t.Value));
    }

    [Theory]
    [InlineData(0.243, 4.414, 0.793, 2.426, 12, 30, 0.01)] // CDNOW-like parameters, the default CLV steps
    [InlineData(0.5, 2.0, 1.0, 3.0, 5, 7, 0.0)] // a = 1: the removable singularity (no shared factors)
    [InlineData(1.7, 11.0, 2.5, 0.4, 3, 91, 0.05)]
    public void Run_ModelValues_BitIdenticalToModelApis(double r, double alpha, double a, double b, int steps, int stepDays, double rate)
    {
        var facts = Facts(RandomRows(33, 5000));
        var model = new CustomerSegmentation.ValueModels.BgNbdModel(new CustomerSegmentation.ValueModels.BgNbdParameters(r, alpha, a, b), CustomerSegmentation.ValueModels.BtydTimeUnit.Weeks);
        var spend = new CustomerSegmentation.ValueModels.GammaGammaModel(new CustomerSegmentation.ValueModels.GammaGammaParameters(6.25, 3.74, 15.44));
        var clvOptions = new CustomerSegmentation.ValueModels.ClvOptions { Steps = steps, StepDays = stepDays, DiscountRatePerStep = rate };
        var options = new SegmentationEngineOptions { ValueModel = new ValueModelSettings(model, spend, clvOptions), BatchSize = 700 };
        var calculator = new CustomerSegmentation.ValueModels.ClvCalculator(model, spend, clvOptions);
        var horizon = steps * stepDays / 7.0;
        var checkedCustomers = 0;
        new SegmentationEngine(options).Run(facts, new DelegateSink(batch =>
        {
            for (var j = 0; j < batch.Length; j++)
            {
                var i = batch.Start + j;
                var c = facts.PurchaseCount[i];
                if (c == 0)
                {
                    Assert.True(float.IsNaN(batch.PAlive[j]) && float.IsNaN(batch.ExpectedPurchases[j]) && float.IsNaN(batch.Clv[j]));
                    continue;
                }

                var first = facts.FirstPurchaseDay[i];
                var (x, tx, age) = (c - 1.0, (facts.LastPurchaseDay[i] - first) / 7.0, (facts.AsOfDay - first) / 7.0);
                var estimate = calculator.Estimate(x, tx, age, (double)(facts.NetSpendUnits[i] / 10000m) / c);
                Assert.Equal((float)estimate.ProbabilityAlive, batch.PAlive[j]);
                Assert.Equal((float)model.ConditionalExpectedPurchases(horizon, x, tx, age), batch.ExpectedPurchases[j]);
                Assert.Equal((float)estimate.Value, batch.Clv[j]);
                Interlocked.Increment(ref checkedCustomers);
            }
        }));
        Assert.True(checkedCustomers > 1000);
    }

    [Fact]
    public async Task EvaluateAsync_FromStores_EqualsBulkRunAndExplains()
    {
        var customers = new InMemoryCustomerStore();
        var activities = new InMemoryActivityStore();
        var asOf = AsOf.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var rows = RandomRows(7, 900).Where(r => r.Date <= AsOf).ToList();
        foreach (var id in rows.Select(r => r.Id).Distinct().Order(StringComparer.Ordinal))
        {
            await customers.UpsertAsync(new Customer(new CustomerId(id), CustomerKind.Person, id, asOf - Duration.FromDays(2000)), 0);
        }

        await activities.AppendAsync([.. rows.Select((r, k) => (ActivityRecord)new Purchase(new CustomerId(r.Id), r.Date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), Money.Of(r.Amount, "CNY"), $"o{k}"))]);
        var options = FullOptions(threads: 2) with { Segments = new HighValueAtRisk() };
        var engine = new SegmentationEngine(options, customers, activities, null);
        var progress = new List<SegmentationProgress>();
        var results = new List<CustomerResult>();
        await foreach (var r in engine.EvaluateAsync(asOf, new SyncProgress(progress), pageSize: 64))
        {
            results.Add(r);
        }

        var summarizer = new ActivitySummarizer();
        var summaries = new List<ActivitySummary>();
        foreach (var r in results)
        {
            var records = new List<ActivityRecord>();
            await foreach (var a in activities.StreamForCustomerAsync(r.CustomerId))
            {
                records.Add(a);
            }

            summaries.Add(summarizer.Summarize(r.CustomerId, records, asOf));
        }

        var facts = CustomerFacts.FromSummaries(summaries, asOf);
        var bulk = Collect(new SegmentationEngine(options), facts).Lines;
        Assert.Equal(bulk.Length, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var parts = bulk[i].Split('|');
            var r = results[i];
            Assert.Equal(parts[0], r.CustomerId.Value);
            Assert.Equal(parts[1], $"{r.Rfm.R}{r.Rfm.F}{r.Rfm.M}");
            Assert.Equal(parts[2], r.Rfm.Segment);
            Assert.Equal(parts[6], r.Tier!.Tier.Name);
            Assert.Equal(parts[7], r.Lifecycle!.Stage);
            Assert.Equal(parts[8], r.Churn.GetValueOrThrow().Level.ToString());
            Assert.Equal(ulong.Parse(parts[11], System.Globalization.CultureInfo.InvariantCulture) != 0, !r.Segments.IsEmpty);
            Assert.False(string.IsNullOrWhiteSpace(r.Rfm.Explanation));
            Assert.False(string.IsNullOrWhiteSpace(r.Churn.GetValueOrThrow().Explanation));
            Assert.False(string.IsNullOrWhiteSpace(r.Tier.Reason.Rule));
            if (r.Activity.HasPurchases)
            {
                Assert.Contains("CLV", r.Model!.Value.Explanation, StringComparison.Ordinal);
            }

            Assert.All(r.Segments, m => Assert.Contains("tier A", m.Reason, StringComparison.Ordinal));
        }

        Assert.Contains(results, r => !r.Segments.IsEmpty);
        Assert.Equal(results.Count, progress.Last().Done);
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        var facts = Facts(RandomRows(5, 3000));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var engine = new SegmentationEngine(FullOptions(batchSize: 10));
        Assert.Throws<OperationCanceledException>(() => engine.Run(facts, new NullSink(), null, cts.Token));
    }

    [Fact]
    public void Run_ReportsProgressUpToEveryCustomer()
    {
        var facts = Facts(RandomRows(6, 3000));
        var progress = new List<SegmentationProgress>();
        new SegmentationEngine(new SegmentationEngineOptions { BatchSize = 100 }).Run(facts, new NullSink(), new SyncProgress(progress));
        Assert.Equal(facts.Count, progress.Where(p => p.Phase == "scoring").Max(p => p.Done));
        Assert.Contains(progress, p => p.Phase == "statistics");
    }

    [Fact]
    public void Constructor_UnsupportedTierMetric_ThrowsConfigurationException()
    {
        var policy = TierPolicyJson.Parse("""{ "name": "days", "kind": "quantile", "tiers": ["C", "A"], "metric": "distinctPurchaseDays", "shares": { "A": 0.2 } }""");
        var ex = Assert.Throws<SegmentationConfigurationException>(() => new SegmentationEngine(new SegmentationEngineOptions { TierPolicy = policy }));
        Assert.Contains("distinctPurchaseDays", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ChurnRuleWithoutColumnarForm_ThrowsConfigurationException() =>
        Assert.Throws<SegmentationConfigurationException>(() => new SegmentationEngine(new SegmentationEngineOptions { ChurnRules = ChurnRuleSet.Default }));

    private static bool Same(SegmentationRunSummary a, SegmentationRunSummary b) =>
        a.RfmSegments.SequenceEqual(b.RfmSegments) && a.Tiers.SequenceEqual(b.Tiers) && a.Stages.SequenceEqual(b.Stages)
        && a.ChurnLevels.SequenceEqual(b.ChurnLevels) && a.Statistics.Explain() == b.Statistics.Explain();

    /// <summary>A segment for the hook: tier A customers whose churn level is at least medium.</summary>
    internal sealed class HighValueAtRisk : ISegmentEvaluator
    {
        public ImmutableArray<string> Segments { get; } = ["high-value-at-risk"];

        public string?[][]? Evaluate(SegmentationBatch batch, Span<ulong> memberships, bool explain)
        {
            var reasons = explain ? new string?[batch.Length][] : null;
            for (var j = 0; j < batch.Length; j++)
            {
                if (batch.Engine.TierName(batch.Tier[j]) == "A" && batch.ChurnLevel[j] >= ChurnRiskLevel.Medium)
                {
                    memberships[j] = 1;
                    if (reasons is not null)
                    {
                        reasons[j] = [$"tier A and churn {batch.ChurnLevel[j]}"];
                    }
                }
            }

            return reasons;
        }
    }

    private sealed class NullSink : ISegmentationBatchSink
    {
        public void Write(SegmentationBatch batch)
        {
        }
    }

    private sealed class SyncProgress(List<SegmentationProgress> into) : IProgress<SegmentationProgress>
    {
        public void Report(SegmentationProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }

    private sealed class ClvCalculatorAdapter(ValueModelSettings settings)
    {
        private readonly CustomerSegmentation.ValueModels.ClvCalculator _clv = new(settings.Purchases, settings.Spend!, settings.ClvOptions);

        public CustomerSegmentation.ValueModels.ClvEstimate Estimate(CustomerFacts f, int i)
        {
            var c = f.PurchaseCount[i];
            if (c == 0)
            {
                return new CustomerSegmentation.ValueModels.ClvEstimate(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, string.Empty);
            }

            var first = f.FirstPurchaseDay[i];
            return _clv.Estimate(c - 1, (f.LastPurchaseDay[i] - first) / 7.0, (f.AsOfDay - first) / 7.0, (double)(f.NetSpendUnits[i] / 10000m) / c);
        }
    }

    private sealed class DelegateSink(Action<SegmentationBatch> write) : ISegmentationBatchSink
    {
        public void Write(SegmentationBatch batch) => write(batch);
    }
}
