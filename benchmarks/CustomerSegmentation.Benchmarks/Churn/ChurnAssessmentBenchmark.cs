using System.Collections;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Churn;

/// <summary>
/// Assess 1 000 000 and 10 000 000 customers from summaries. The object path (baseline) assesses each summary with reasons, as a user
/// would with LINQ; the columnar paths score a <see cref="ChurnColumnBuffer"/> (filled from the same summaries, or
/// already filled by a host). The summaries cycle through a pool of at most 1 M distinct ones to keep memory in bounds
/// (at 1 M every summary is distinct; at 10 M each pool summary is seen ten times).
/// </summary>
[MemoryDiagnoser]
public class ChurnAssessmentBenchmark
{
    private const int MaxPool = 1_000_000;
    private static readonly Instant AsOf = Instant.FromUtc(2026, 6, 30, 0, 0);

    private ActivitySummary[] _pool = [];
    private CyclicList _summaries = null!;
    private ChurnColumnBuffer _columns = null!;
    private ChurnPopulation _population = null!;
    private ChurnAssessor _assessor = null!;
    private ChurnColumnarScorer _scorer = null!;
    private float[] _scores = [];
    private ChurnRiskLevel[] _levels = [];

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_pool, _population) = SharedData.Get("churn-pool", Math.Min(Customers, MaxPool), () =>
        {
            var rng = new Random(42);
            var pool = new ActivitySummary[Math.Min(Customers, MaxPool)];
            for (var i = 0; i < pool.Length; i++)
            {
                pool[i] = Generate(rng, i);
            }

            return Tuple.Create(pool, ChurnPopulation.FromSummaries(pool, AsOf));
        });
        _summaries = new CyclicList(_pool, Customers);
        _assessor = new ChurnAssessor(ChurnColumnarScorer.DefaultColumnar);
        _scorer = new ChurnColumnarScorer();
        _columns = ChurnColumnBuffer.FromSummaries(_summaries, AsOf);
        _scores = new float[Customers];
        _levels = new ChurnRiskLevel[Customers];
    }

    [Benchmark(Baseline = true, Description = "object path: Assess each summary (LINQ)")]
    public int AssessEach() => Enumerable.Range(0, Customers)
        .Select(i => _assessor.Assess(_summaries[i], AsOf, _population).GetValueOrThrow())
        .Count(a => a.Level >= ChurnRiskLevel.High);

    [Benchmark(Description = "columnar: fill buffer from summaries + score")]
    public int FillAndScore()
    {
        var columns = ChurnColumnBuffer.FromSummaries(_summaries, AsOf);
        _scorer.Score(columns, _population, _scores, _levels);
        return CountHigh();
    }

    [Benchmark(Description = "columnar: score a filled buffer")]
    public int ScoreOnly()
    {
        _scorer.Score(_columns, _population, _scores, _levels);
        return CountHigh();
    }

    private int CountHigh()
    {
        var n = 0;
        foreach (var l in _levels)
        {
            n += l >= ChurnRiskLevel.High ? 1 : 0;
        }

        return n;
    }

    private static ActivitySummary Generate(Random rng, int i)
    {
        var count = rng.Next(0, 12);
        var last = AsOf - Duration.FromHours(rng.Next(0, 400 * 24));
        var windowEnd = AsOf;
        var recentFrom = windowEnd - Duration.FromDays(91);
        var baseFrom = recentFrom - Duration.FromDays(182);
        var recent = count == 0 ? 0 : rng.Next(0, Math.Min(count, 4) + 1);
        var baseline = count == 0 ? 0 : rng.Next(0, count - recent + 1);
        var interactions = rng.Next(0, 3) == 0 ? ImmutableDictionary<InteractionKind, int>.Empty
            : ImmutableDictionary<InteractionKind, int>.Empty.Add(InteractionKind.Call, 1).Add(InteractionKind.Complaint, rng.Next(0, 3));
        return new ActivitySummary
        {
            CustomerId = new CustomerId("C" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)),
            AsOf = AsOf,
            Currency = count == 0 ? null : Currency.Cny,
            FirstPurchaseAt = count == 0 ? null : last - Duration.FromDays(count * 20),
            LastPurchaseAt = count == 0 ? null : last,
            PurchaseCount = count,
            DistinctPurchaseDays = count,
            GrossSpend = count * 50m,
            MedianGap = count < 2 ? null : Duration.FromHours(rng.Next(24, 90 * 24)),
            Windows =
            [
                new WindowTotals("recent", recentFrom, windowEnd, recent, recent * 50m),
                new WindowTotals("baseline", baseFrom, recentFrom, baseline, baseline * 50m),
            ],
            InteractionsByKind = interactions,
            LastInteractionAt = interactions.IsEmpty ? null : AsOf - Duration.FromDays(rng.Next(0, 300)),
            MeanSatisfaction = rng.Next(0, 4) == 0 ? 1 + (rng.NextDouble() * 4) : null,
            LastNps = rng.Next(0, 5) == 0 ? rng.Next(0, 11) : null,
        };
    }

    /// <summary>10 M summaries that cycle through the pool, without 10 M objects.</summary>
    private sealed class CyclicList(ActivitySummary[] pool, int count) : IReadOnlyList<ActivitySummary>
    {
        public int Count => count;

        public ActivitySummary this[int index] => pool[index % pool.Length];

        public IEnumerator<ActivitySummary> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return pool[i % pool.Length];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
