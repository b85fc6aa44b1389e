using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;

namespace CustomerSegmentation.Benchmarks.Pipeline;

/// <summary>From per-customer aggregates to r, f, m and segments: sort-based QuantileBinning per metric (LINQ) against histogram cut points.</summary>
[MemoryDiagnoser]
public class RfmScoreBenchmark
{
    private RfmAggregates _aggregates = null!;
    private (int Recency, int Frequency, decimal Monetary)[] _rows = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup() => (_aggregates, _rows) = SharedData.Get("rfm-score", Customers, () => Build(Customers));

    private static Tuple<RfmAggregates, (int Recency, int Frequency, decimal Monetary)[]> Build(int customers)
    {
        var population = new RfmPopulation(customers);
        var builder = new RfmAggregatesBuilder(RfmPopulation.AsOf, 1);
        foreach (var batch in population.Batches(builder))
        {
            builder.Add(batch, 0);
        }

        var aggregates = builder.Build();
        var rows = new List<(int, int, decimal)>();
        for (var b = 0; b < aggregates.BlockCount; b++)
        {
            for (var j = 0; j < aggregates.BlockLength(b); j++)
            {
                if (aggregates.GetFrequency(b, j) > 0)
                {
                    rows.Add((aggregates.GetRecencyDays(b, j), aggregates.GetFrequency(b, j), aggregates.GetMonetaryUnits(b, j) / 10_000m));
                }
            }
        }

        return Tuple.Create(aggregates, rows.ToArray());
    }

    [Benchmark(Baseline = true, Description = "LINQ + sort-based QuantileBinning")]
    public int Linq()
    {
        var rc = QuantileBinning.CutPoints<int>(_rows.Select(r => r.Recency).ToArray(), 5, false);
        var fc = QuantileBinning.CutPoints<int>(_rows.Select(r => r.Frequency).ToArray(), 5, true);
        var mc = QuantileBinning.CutPoints<decimal>(_rows.Select(r => r.Monetary).ToArray(), 5, true);
        return _rows.Select(r => RfmSegmentTable.Default.Classify(
            QuantileBinning.Score(r.Recency, rc, false), QuantileBinning.Score(r.Frequency, fc, true), QuantileBinning.Score(r.Monetary, mc, true))).Count(s => s.Length > 0);
    }

    [Benchmark(Description = "columnar, histogram cut points, 1 thread")]
    public int Columnar1() => RfmColumnarScorer.Score(_aggregates, 5, null, 1).ScoredCount;

    [Benchmark(Description = "columnar, histogram cut points, 2 threads")]
    public int Columnar2() => RfmColumnarScorer.Score(_aggregates, 5, null, 2).ScoredCount;
}
