using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Tiers;

namespace CustomerSegmentation.Benchmarks.Tiers;

/// <summary>Quantile policy (A = top 20 %, B = next 30 %, C = rest) over 1 M and 10 M customers held as a column.</summary>
[MemoryDiagnoser]
public class QuantileTierBenchmark
{
    private decimal[] _values = [];
    private decimal[] _scratch = [];
    private byte[] _levels = [];
    private QuantileTierPolicy _policy = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _values = SharedData.Get("tier-spend", Customers, () => TierBenchmarkData.Spend(Customers));
        _scratch = new decimal[_values.Length];
        _levels = new byte[_values.Length];
        _policy = new QuantileTierPolicy("abc", TierBenchmarkData.Ladder, TierMetric.NetSpend, [new("A", 0.2m), new("B", 0.3m)]);
    }

    /// <summary>What a user would write: sort descending, read the cut values, compare (same tie rule as the policy).</summary>
    [Benchmark(Baseline = true)]
    public byte[] Linq()
    {
        var sorted = _values.OrderByDescending(v => v).ToArray();
        var cutA = sorted[sorted.Length / 5];
        var cutB = sorted[sorted.Length / 2];
        return [.. _values.Select(v => (byte)(v > cutA ? 2 : v > cutB ? 1 : 0))];
    }

    /// <summary>Multi-quickselect for the two cut values in a caller-owned scratch column, then one pass.</summary>
    [Benchmark]
    public TierCutPoints Span() => _policy.AssignLevels(_values, _levels, _scratch);

    [Benchmark]
    public TierCutPoints Parallel() => _policy.AssignLevels(_values, _levels, _scratch, Environment.ProcessorCount);
}
