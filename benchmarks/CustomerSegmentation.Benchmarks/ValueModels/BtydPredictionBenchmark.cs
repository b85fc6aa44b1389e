using BenchmarkDotNet.Attributes;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Benchmarks.ValueModels;

/// <summary>
/// Predictions for 10 000 000 customers: 1 000 000 synthetic summaries predicted 10 times per operation, into a
/// reused buffer. The baseline is the LINQ a user would write over the scalar members.
/// </summary>
[MemoryDiagnoser]
public class BtydPredictionBenchmark
{
    private const int Passes = 10;
    private BtydData _data = null!;
    private BgNbdModel _model = null!;
    private GammaGammaModel _spend = null!;
    private double[] _buffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = ValueModelData.Customers(1_000_000, 21);
        _model = new BgNbdModel(ValueModelData.Purchases, BtydTimeUnit.Weeks);
        _spend = new GammaGammaModel(ValueModelData.Spend);
        _buffer = new double[_data.Count];
    }

    [Benchmark(Baseline = true)]
    public double NaiveLinqProbabilityAlive()
    {
        var sum = 0.0;
        var x = _data.Frequency.ToArray();
        var tx = _data.Recency.ToArray();
        var t = _data.Age.ToArray();
        for (var pass = 0; pass < Passes; pass++)
        {
            sum += Enumerable.Range(0, x.Length).Select(i => _model.ProbabilityAlive(x[i], tx[i], t[i])).ToArray()[^1];
        }

        return sum;
    }

    [Benchmark]
    public double ProbabilityAlive()
    {
        for (var pass = 0; pass < Passes; pass++)
        {
            _model.ProbabilityAlive(_data, _buffer);
        }

        return _buffer[^1];
    }

    [Benchmark]
    public double ConditionalExpectedPurchases39Weeks()
    {
        for (var pass = 0; pass < Passes; pass++)
        {
            _model.ConditionalExpectedPurchases(39, _data, _buffer);
        }

        return _buffer[^1];
    }

    [Benchmark]
    public double ConditionalExpectedAverageSpend()
    {
        for (var pass = 0; pass < Passes; pass++)
        {
            _spend.ConditionalExpectedAverageSpend(_data.Frequency, _data.AverageRepeatSpend, _buffer);
        }

        return _buffer[^1];
    }
}
