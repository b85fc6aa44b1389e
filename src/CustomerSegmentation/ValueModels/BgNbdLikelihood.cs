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
        var timeIndex = new Dictionary<double, int>();
        var xIndex = new Dictionary<double, int>();
        var zero = new Dictionary<int, int>();
        var histories = new Dictionary<(int X, int T, int Tx), int>();
        List<double> xw = [], zw = [], hw = [];
        List<int> zt = [], hx = [], ht = [], htx = [];
        for (var i = 0; i < x.Length; i++)
        {
            var it = IndexOf(timeIndex, t[i]);
            if (!xIndex.TryGetValue(x[i], out var ix))
            {
                ix = xIndex.Count;
                xIndex.Add(x[i], ix);
                xw.Add(0);
            }

            xw[ix]++;
            if (x[i] == 0)
            {
                if (!zero.TryGetValue(it, out var z))
                {
                    z = zt.Count;
                    zero.Add(it, z);
                    zt.Add(it);
                    zw.Add(0);
                }

                zw[z]++;
                continue;
            }

            var itx = IndexOf(timeIndex, tx[i]);
            if (!histories.TryGetValue((ix, it, itx), out var h))
            {
                h = hx.Count;
                histories.Add((ix, it, itx), h);
                hx.Add(ix);
                ht.Add(it);
                htx.Add(itx);
                hw.Add(0);
            }

            hw[h]++;
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
