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

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var population = new RfmPopulation(Customers);
        var builder = new RfmAggregatesBuilder(RfmPopulation.AsOf, 1);
        foreach (var batch in population.Batches(builder))
        {
            builder.Add(batch, 0);
        }

        _aggregates = builder.Build();
        var rows = new List<(int, int, decimal)>();
        for (var b = 0; b < _aggregates.BlockCount; b++)
        {
            for (var j = 0; j < _aggregates.BlockLength(b); j++)
            {
                if (_aggregates.GetFrequency(b, j) > 0)
                {
                    rows.Add((_aggregates.GetRecencyDays(b, j), _aggregates.GetFrequency(b, j), _aggregates.GetMonetaryUnits(b, j) / 10_000m));
                }
            }
        }

        _rows = [.. rows];
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
