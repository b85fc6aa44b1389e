using BenchmarkDotNet.Attributes;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Benchmarks.ValueModels;

/// <summary>
/// Fitting BG/NBD and Gamma-Gamma on 1 000 000 and 10 000 000 synthetic customers. The baseline is one naive log-likelihood
/// evaluation (per customer, log-gamma every time), which an optimiser would repeat hundreds of times; the fits below
/// include building the sufficient statistics and the whole optimisation.
/// </summary>
[MemoryDiagnoser]
public class BtydFitBenchmark
{
    private BtydData _data = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup() => _data = SharedData.Get("btyd-fit", Customers, () => ValueModelData.Customers(Customers, 11));

    [Benchmark(Baseline = true)]
    public double NaiveLogLikelihoodOneEvaluation()
    {
        var p = ValueModelData.Purchases;
        double r = p.R, alpha = p.Alpha, a = p.A, b = p.B, ll = 0;
        var x = _data.Frequency;
        var tx = _data.Recency;
        var t = _data.Age;
        for (var i = 0; i < x.Length; i++)
        {
            var common = SpecialFunctions.LogGamma(r + x[i]) - SpecialFunctions.LogGamma(r) + (r * Math.Log(alpha))
                + SpecialFunctions.LogBeta(a, b + x[i]) - SpecialFunctions.LogBeta(a, b);
            var a3 = -(r + x[i]) * Math.Log(alpha + t[i]);
            if (x[i] > 0)
            {
                var a4 = Math.Log(a) - Math.Log(b + x[i] - 1) - ((r + x[i]) * Math.Log(alpha + tx[i]));
                var max = Math.Max(a3, a4);
                ll += common + max + Math.Log(Math.Exp(a3 - max) + Math.Exp(a4 - max));
            }
            else
            {
                ll += common + a3;
            }
        }

        return ll;
    }

    [Benchmark]
    public BgNbdParameters FitBgNbd() => BgNbdModel.Fit(_data).Parameters;

    [Benchmark]
    public GammaGammaParameters FitGammaGamma() => GammaGammaModel.Fit(_data).Parameters;

    [Benchmark]
    public double FitBoth() => BgNbdModel.Fit(_data).Parameters.R + GammaGammaModel.Fit(_data).Parameters.P;
}
