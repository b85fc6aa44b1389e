using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Scoring;

/// <summary>
/// RFM over 1 000 000 and 10 000 000 in-memory <see cref="ActivitySummary"/> objects (10 % without purchases): <see cref="RfmScorer"/>
/// against the LINQ a user would write for the same tie-consistent scores (sort each metric, pick the cut points,
/// count the cut points beaten, name the segment).
/// </summary>
[MemoryDiagnoser]
public class RfmScorerBenchmark
{
    private const int Bins = 5;
    private static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 0, 0);
    private ActivitySummary[] _population = [];
    private RfmScorer _scorer = new();

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _population = SharedData.Get("rfm-scorer", Customers, () => Build(Customers));
        _scorer = new RfmScorer();
    }

    /// <summary>Generates the population and checks once per size that the LINQ baseline gives the scorer's scores.</summary>
    private static ActivitySummary[] Build(int customers)
    {
        var random = new Random(42);
        var population = new ActivitySummary[customers];
        for (var i = 0; i < customers; i++)
        {
            var buyer = random.Next(10) != 0;
            var purchases = buyer ? 1 + (int)Math.Min(200, -Math.Log(1 - random.NextDouble()) * 4) : 0;
            population[i] = new ActivitySummary
            {
                CustomerId = new CustomerId("C" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)),
                AsOf = AsOf,
                Currency = buyer ? Currency.Cny : null,
                LastPurchaseAt = buyer ? AsOf - Duration.FromMinutes(random.Next(0, 730 * 24 * 60)) : null,
                FirstPurchaseAt = buyer ? AsOf - Duration.FromDays(800) : null,
                PurchaseCount = purchases,
                DistinctPurchaseDays = purchases,
                GrossSpend = buyer ? Math.Round((decimal)(random.NextDouble() * 100 * purchases), 2) : 0m,
            };
        }

        var fast = new RfmScorer().Score(population, AsOf);
        var naive = NaiveLinq(population);
        foreach (var c in fast.Customers.Where(c => c.IsScored))
        {
            if (naive[c.CustomerId] != (c.R, c.F, c.M, c.Segment))
            {
                throw new InvalidOperationException($"The LINQ baseline disagrees with RfmScorer for {c.CustomerId}.");
            }
        }

        return population;
    }

    [Benchmark(Baseline = true, Description = "LINQ (sort, cut points, count, classify)")]
    public Dictionary<CustomerId, (int?, int?, int?, string?)> NaiveLinq() => NaiveLinq(_population);

    private static Dictionary<CustomerId, (int?, int?, int?, string?)> NaiveLinq(ActivitySummary[] population)
    {
        var table = RfmSegmentTable.Default;
        var buyers = population.Where(s => s.HasPurchases)
            .Select(s => new { s.CustomerId, R = s.RecencyDays()!.Value, F = s.PurchaseCount, M = s.NetSpend })
            .ToList();
        var n = buyers.Count;
        var positions = Enumerable.Range(1, Bins - 1).Select(s => (int)QuantileBinning.CutPosition(s, Bins, n)).ToList();
        var rSorted = buyers.Select(b => b.R).OrderByDescending(r => r).ToList();
        var fSorted = buyers.Select(b => b.F).OrderBy(f => f).ToList();
        var mSorted = buyers.Select(b => b.M).OrderBy(m => m).ToList();
        var rCuts = positions.Select(p => rSorted[p]).ToList();
        var fCuts = positions.Select(p => fSorted[p]).ToList();
        var mCuts = positions.Select(p => mSorted[p]).ToList();
        return buyers
            .Select(b => new { b.CustomerId, R = 1 + rCuts.Count(c => b.R < c), F = 1 + fCuts.Count(c => b.F > c), M = 1 + mCuts.Count(c => b.M > c) })
            .ToDictionary(x => x.CustomerId, x => ((int?)x.R, (int?)x.F, (int?)x.M, (string?)table.Classify(x.R, x.F, x.M)));
    }

    [Benchmark(Description = "RfmScorer.Score")]
    public RfmResult Scorer() => _scorer.Score(_population, AsOf);
}
