using BenchmarkDotNet.Attributes;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Benchmarks.ValueModels;

/// <summary>
/// Predictions for 1 000 000 and 10 000 000 synthetic customers (one call per operation, into a reused buffer). The baseline is the
/// LINQ a user would write over the scalar members.
/// </summary>
[MemoryDiagnoser]
public class BtydPredictionBenchmark
{
    private BtydData _data = null!;
    private BgNbdModel _model = null!;
    private GammaGammaModel _spend = null!;
    private double[] _buffer = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = SharedData.Get("btyd-predict", Customers, () => ValueModelData.Customers(Customers, 21));
        _model = new BgNbdModel(ValueModelData.Purchases, BtydTimeUnit.Weeks);
        _spend = new GammaGammaModel(ValueModelData.Spend);
        _buffer = new double[_data.Count];
    }

    [Benchmark(Baseline = true)]
    public double NaiveLinqProbabilityAlive()
    {
        var x = _data.Frequency.ToArray();
        var tx = _data.Recency.ToArray();
        var t = _data.Age.ToArray();
        return Enumerable.Range(0, x.Length).Select(i => _model.ProbabilityAlive(x[i], tx[i], t[i])).ToArray()[^1];
    }

    [Benchmark]
    public double ProbabilityAlive()
    {
        _model.ProbabilityAlive(_data, _buffer);

        return _buffer[^1];
    }

    [Benchmark]
    public double ConditionalExpectedPurchases39Weeks()
    {
        _model.ConditionalExpectedPurchases(39, _data, _buffer);

        return _buffer[^1];
    }

    [Benchmark]
    public double ConditionalExpectedAverageSpend()
    {
        _spend.ConditionalExpectedAverageSpend(_data.Frequency, _data.AverageRepeatSpend, _buffer);

        return _buffer[^1];
    }
}
