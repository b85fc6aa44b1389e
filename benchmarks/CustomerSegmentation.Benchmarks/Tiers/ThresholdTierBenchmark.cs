using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Tiers;

namespace CustomerSegmentation.Benchmarks.Tiers;

/// <summary>Threshold policy (B from 1 000, A from 10 000) over 1 M and 10 M customers held as a column.</summary>
[MemoryDiagnoser]
public class ThresholdTierBenchmark
{
    private static readonly decimal[] Thresholds = [1000m, 10000m];

    private decimal[] _values = [];
    private byte[] _levels = [];
    private ThresholdTierPolicy _policy = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = SharedData.Get("tier-spend", Customers, () => TierBenchmarkData.Spend(Customers));
        _levels = new byte[_values.Length];
        _policy = new ThresholdTierPolicy("spend", TierBenchmarkData.Ladder, TierMetric.NetSpend, [new("B", 1000m), new("A", 10000m)]);
    }

    /// <summary>What a user would write: count the thresholds each value reaches.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Linq() => [.. _values.Select(v => (byte)Thresholds.Count(t => v >= t))];

    [Benchmark]
    public TierCutPoints Span() => _policy.AssignLevels(_values, _levels, []);

    [Benchmark]
    public TierCutPoints Parallel() => _policy.AssignLevels(_values, _levels, Memory<decimal>.Empty, Environment.ProcessorCount);
}
