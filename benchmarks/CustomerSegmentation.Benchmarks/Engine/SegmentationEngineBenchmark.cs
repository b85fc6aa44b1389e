using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Tiers;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Engine;

/// <summary>
/// The scoring pass over per-customer facts (RFM, tier, lifecycle, churn): the object way a host writes first (one
/// summary per customer through RfmScorer, the tier policy, LifecycleModel.Evaluate and ChurnAssessor) against the
/// engine's batches on 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
public class SegmentationEngineBenchmark
{
    private static readonly Instant AsOf = Instant.FromUtc(2025, 12, 31, 0, 0);
    private CustomerFacts _facts = null!;
    private List<ActivitySummary> _summaries = null!;
    private SegmentationEngineOptions _options = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup(Targets = [nameof(Engine1), nameof(Engine2)])]
    public void Setup()
    {
        (_facts, _summaries) = SharedData.Get("engine", Customers, () => Build(Customers));
        _options = new SegmentationEngineOptions
        {
            TierPolicy = new QuantileTierPolicy("abc", TierLadder.Of("C", "B", "A"), TierMetric.NetSpend, [new("A", 0.2m), new("B", 0.3m)]),
            Lifecycle = LifecycleModel.CreateDefault(),
        };
    }

    private static Tuple<CustomerFacts, List<ActivitySummary>> Build(int customers)
    {
        var random = new Random(7);
        var builder = new CustomerFactsBuilder(AsOf);
        var asOfDay = (int)(AsOf.ToUnixTimeTicks() / NodaConstants.TicksPerDay);
        for (var i = 0; i < customers; i++)
        {
            var count = 1 + (int)(-Math.Log(1 - random.NextDouble()) * 2.5);
            var first = asOfDay - random.Next(0, 1100);
            var last = Math.Min(asOfDay, first + random.Next(0, 600));
            if (count == 1)
            {
                last = first;
            }

            builder.Add(new Customers.CustomerId($"C{i:D8}"), count, first, last, random.Next(100, 5_000_000), count >= 2 ? (float)((last - first) / (double)(count - 1)) : float.NaN);
        }

        var facts = builder.Build();
        return Tuple.Create(facts, Enumerable.Range(0, facts.Count).Select(facts.ToSummary).ToList());
    }

    /// <summary>
    /// The object baseline keeps a summary, a score, a tier, a lifecycle and an assessment object per customer at once:
    /// at 10 M its process reached 22.4 GB and was killed (docs/performance.md). Above 2 M it runs only when
    /// <c>CUSTSEG_BENCH_HUGE=1</c> says the machine has the memory; otherwise this case fails here, before allocating.
    /// </summary>
    [GlobalSetup(Target = nameof(Objects))]
    public void SetupObjects()
    {
        if (Customers > 2_000_000 && Environment.GetEnvironmentVariable("CUSTSEG_BENCH_HUGE") != "1")
        {
            throw new InvalidOperationException($"The object baseline at {Customers:N0} customers needs more than 22 GB; set CUSTSEG_BENCH_HUGE=1 to run it anyway.");
        }

        Setup();
    }

    [Benchmark(Baseline = true, Description = "objects: RfmScorer + policy.Assign + Evaluate + ChurnAssessor")]
    public int Objects()
    {
        var rfm = new RfmScorer().Score(_summaries, AsOf);
        var tiers = _options.TierPolicy!.Assign([.. _summaries.Select(TierSubject.From)], AsOf);
        var model = _options.Lifecycle!;
        var stages = _summaries.Select(s => model.Evaluate(model.Start(s.CustomerId, s.FirstPurchaseAt ?? AsOf), s).Stage).Count(s => s == "lost");
        var churn = new ChurnAssessor(ChurnColumnarScorer.DefaultColumnar).AssessAll(_summaries, AsOf);
        return rfm.ScoredCount + tiers.Length + stages + churn.Assessments.Length;
    }

    [Benchmark(Description = "engine, 1 thread")]
    public long Engine1() => Run(1);

    [Benchmark(Description = "engine, 2 threads")]
    public long Engine2() => Run(2);

    private long Run(int threads)
    {
        var summary = new SegmentationEngine(_options with { MaxDegreeOfParallelism = threads }).Run(_facts, new NullSink());
        return summary.ChurnLevels.Sum(l => l.Value);
    }

    private sealed class NullSink : ISegmentationBatchSink
    {
        public void Write(SegmentationBatch batch)
        {
        }
    }
}
