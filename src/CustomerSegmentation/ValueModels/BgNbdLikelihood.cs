using System.Runtime.InteropServices;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The BG/NBD log-likelihood over sufficient statistics: customers are collapsed into distinct (x, t_x, T) histories
/// with a weight, the terms that depend on x only are computed once per distinct x, and ln(α + t) once per distinct
/// time value, so an evaluation costs one exp and one log1p per distinct repeat-buyer history.
/// </summary>
internal sealed class BgNbdLikelihood
{
    private const int ParallelThreshold = 32_768;

    private readonly double[] _times;          // distinct values of t_x and T
    private readonly double[] _xValues;        // distinct x
    private readonly double[] _xWeights;       // customers per distinct x
    private readonly int[] _zeroTime;          // x = 0 histories: index of T
    private readonly double[] _zeroWeight;
    private readonly int[] _histX;             // x > 0 histories: index of x, T and t_x
    private readonly int[] _histT;
    private readonly int[] _histTx;
    private readonly double[] _histWeight;

    public BgNbdLikelihood(BtydData data)
    {
        var x = data.Frequency;
        var tx = data.Recency;
        var t = data.Age;

        // one hash lookup per customer; everything else runs over the distinct histories
        var histories = new Dictionary<(double X, double Tx, double T), int>(Math.Min(x.Length, 1 << 18));
        for (var i = 0; i < x.Length; i++)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(histories, (x[i], tx[i], t[i]), out _);
            count++;
        }

        var timeIndex = new Dictionary<double, int>();
        var xIndex = new Dictionary<double, int>();
        List<double> xw = [], zw = [], hw = [];
        List<int> zt = [], hx = [], ht = [], htx = [];
        foreach (var ((hxValue, htxValue, htValue), weight) in histories)
        {
            var it = IndexOf(timeIndex, htValue);
            if (!xIndex.TryGetValue(hxValue, out var ix))
            {
                ix = xIndex.Count;
                xIndex.Add(hxValue, ix);
                xw.Add(0);
            }

            xw[ix] += weight;
            if (hxValue == 0)
            {
                zt.Add(it);
                zw.Add(weight);
                continue;
            }

            hx.Add(ix);
            ht.Add(it);
            htx.Add(IndexOf(timeIndex, htxValue));
            hw.Add(weight);
        }

        _times = new double[timeIndex.Count];
        foreach (var (value, index) in timeIndex)
        {
            _times[index] = value;
        }

        _xValues = new double[xIndex.Count];
        foreach (var (value, index) in xIndex)
        {
            _xValues[index] = value;
        }

        _xWeights = [.. xw];
        _zeroTime = [.. zt];
        _zeroWeight = [.. zw];
        _histX = [.. hx];
        _histT = [.. ht];
        _histTx = [.. htx];
        _histWeight = [.. hw];
        Customers = x.Length;
    }

    public int Customers { get; }

    public int DistinctHistories => _zeroTime.Length + _histX.Length;

    public int RepeatBuyerHistories => _histX.Length;

    public int DistinctX => _xValues.Length;

    /// <summary>The total log-likelihood at (r, α, a, b); NaN or −∞ only for parameters outside the domain.</summary>
    public double LogLikelihood(double r, double alpha, double a, double b)
    {
        var logTime = new double[_times.Length];
        for (var k = 0; k < _times.Length; k++)
        {
            logTime[k] = Math.Log(alpha + _times[k]);
        }

        var shared = SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(r) + (r * Math.Log(alpha));
        var logA = Math.Log(a);
        var logRatio = new double[_xValues.Length];
        var ll = 0.0;
        for (var j = 0; j < _xValues.Length; j++)
        {
            var xj = _xValues[j];
            var perX = shared + SpecialFunctions.LogGamma(r + xj) + SpecialFunctions.LogGamma(b + xj) - SpecialFunctions.LogGamma(a + b + xj);
            ll += _xWeights[j] * perX;
            logRatio[j] = xj > 0 ? logA - Math.Log(b + xj - 1) : 0;
        }

        for (var z = 0; z < _zeroTime.Length; z++)
        {
            ll -= _zeroWeight[z] * r * logTime[_zeroTime[z]];
        }

        var n = _histX.Length;
        if (n < ParallelThreshold)
        {
            return ll + Histories(0, n, r, logTime, logRatio);
        }

        var parts = Math.Min(Environment.ProcessorCount, 8);
        var sums = new double[parts];
        Parallel.For(0, parts, p => sums[p] = Histories((int)((long)n * p / parts), (int)((long)n * (p + 1) / parts), r, logTime, logRatio));
        for (var p = 0; p < parts; p++)
        {
            ll += sums[p];
        }

        return ll;
    }

    /// <summary>The total log-likelihood and its gradient with respect to (r, α, a, b).</summary>
    public double LogLikelihood(double r, double alpha, double a, double b, Span<double> gradient)
    {
        var logTime = new double[_times.Length];
        var invTime = new double[_times.Length];
        for (var k = 0; k < _times.Length; k++)
        {
            logTime[k] = Math.Log(alpha + _times[k]);
            invTime[k] = 1 / (alpha + _times[k]);
        }

        var logAlpha = Math.Log(alpha);
        var shared = SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(r) + (r * logAlpha);
        double psiR = SpecialFunctions.Digamma(r), psiB = SpecialFunctions.Digamma(b), psiAb = SpecialFunctions.Digamma(a + b);
        var logA = Math.Log(a);
        var logRatio = new double[_xValues.Length];
        double ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
        for (var j = 0; j < _xValues.Length; j++)
        {
            var xj = _xValues[j];
            var w = _xWeights[j];
            ll += w * (shared + SpecialFunctions.LogGamma(r + xj) + SpecialFunctions.LogGamma(b + xj) - SpecialFunctions.LogGamma(a + b + xj));
            var psiAbx = SpecialFunctions.Digamma(a + b + xj);
            gr += w * (SpecialFunctions.Digamma(r + xj) - psiR + logAlpha);
            galpha += w * r / alpha;
            ga += w * (psiAb - psiAbx);
            gb += w * (psiAb + SpecialFunctions.Digamma(b + xj) - psiB - psiAbx);
            logRatio[j] = xj > 0 ? logA - Math.Log(b + xj - 1) : 0;
        }

        for (var z = 0; z < _zeroTime.Length; z++)
        {
            var w = _zeroWeight[z];
            var it = _zeroTime[z];
            ll -= w * r * logTime[it];
            gr -= w * logTime[it];
            galpha -= w * r * invTime[it];
        }

        var n = _histX.Length;
        Sums total;
        if (n < ParallelThreshold)
        {
            total = HistoriesWithGradient(0, n, r, a, b, logTime, invTime, logRatio);
        }
        else
        {
            var parts = Math.Min(Environment.ProcessorCount, 8);
            var sums = new Sums[parts];
            Parallel.For(0, parts, p => sums[p] = HistoriesWithGradient((int)((long)n * p / parts), (int)((long)n * (p + 1) / parts), r, a, b, logTime, invTime, logRatio));
            total = default;
            foreach (var part in sums)
            {
                total = new Sums(total.Ll + part.Ll, total.R + part.R, total.Alpha + part.Alpha, total.A + part.A, total.B + part.B);
            }
        }

        gradient[0] = gr + total.R;
        gradient[1] = galpha + total.Alpha;
        gradient[2] = ga + total.A;
        gradient[3] = gb + total.B;
        return ll + total.Ll;
    }

    private Sums HistoriesWithGradient(int from, int to, double r, double a, double b, double[] logTime, double[] invTime, double[] logRatio)
    {
        double ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
        for (var h = from; h < to; h++)
        {
            var ix = _histX[h];
            var x = _xValues[ix];
            var rx = r + x;
            int it = _histT[h], itx = _histTx[h];
            var lt = logTime[it];
            var gap = lt - logTime[itx];
            var d = logRatio[ix] + (rx * gap);
            double softplus, sigma;
            if (d > 0)
            {
                var e = Math.Exp(-d);
                softplus = d + Math.Log(1 + e);
                sigma = 1 / (1 + e);
            }
            else
            {
                var e = Math.Exp(d);
                softplus = Math.Log(1 + e);
                sigma = e / (1 + e);
            }

            var w = _histWeight[h];
            ll += w * (softplus - (rx * lt));
            gr += w * ((sigma * gap) - lt);
            galpha += w * rx * ((sigma * (invTime[it] - invTime[itx])) - invTime[it]);
            ga += w * sigma / a;
            gb -= w * sigma / (b + x - 1);
        }

        return new Sums(ll, gr, galpha, ga, gb);
    }

    private readonly record struct Sums(double Ll, double R, double Alpha, double A, double B);

    private double Histories(int from, int to, double r, double[] logTime, double[] logRatio)
    {
        var sum = 0.0;
        for (var h = from; h < to; h++)
        {
            var ix = _histX[h];
            var rx = r + _xValues[ix];
            var lt = logTime[_histT[h]];

            // ln(e^A3 + e^A4) = A3 + softplus(A4 − A3), A4 − A3 = ln a − ln(b + x − 1) + (r + x)(ln(α + T) − ln(α + t_x))
            var d = logRatio[ix] + (rx * (lt - logTime[_histTx[h]]));
            var softplus = d > 0 ? d + Math.Log(1 + Math.Exp(-d)) : Math.Log(1 + Math.Exp(d));
            sum += _histWeight[h] * (softplus - (rx * lt));
        }

        return sum;
    }

    private static int IndexOf(Dictionary<double, int> index, double value)
    {
        if (!index.TryGetValue(value, out var i))
        {
            i = index.Count;
            index.Add(value, i);
        }

        return i;
    }
}
