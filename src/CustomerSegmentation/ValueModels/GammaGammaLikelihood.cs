namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The Gamma-Gamma log-likelihood, LL = Σ lnΓ(px + q) − lnΓ(px) − lnΓ(q) + q ln γ + (px − 1) ln m + px ln x − (px + q) ln(γ + x m),
/// organised for speed: every data-dependent sum is either fixed (Σ x ln m, Σ ln m, Σ x ln x), a function of γ alone
/// (S₀ = Σ ln(γ + x m), S₁ = Σ x ln(γ + x m)), or runs over the distinct x (the log-gamma terms).
/// </summary>
internal sealed class GammaGammaLikelihood
{
    private const int ParallelThreshold = 65_536;
    private const double GoldenRatio = 0.6180339887498949;

    private readonly double[] _s;          // x m per customer
    private readonly double[] _x;
    private readonly double[] _distinctX;
    private readonly double[] _distinctWeight;
    private readonly double _sumXLogM;
    private readonly double _sumLogM;
    private readonly double _sumXLogX;
    private readonly double _meanM;
    private readonly int _n;

    public GammaGammaLikelihood(double[] x, double[] m)
    {
        _n = x.Length;
        _x = x;
        _s = new double[_n];
        var counts = new Dictionary<double, int>();
        AllSame = true;
        for (var i = 0; i < _n; i++)
        {
            _s[i] = x[i] * m[i];
            var lm = Math.Log(m[i]);
            _sumXLogM += x[i] * lm;
            _sumLogM += lm;
            _sumXLogX += x[i] * Math.Log(x[i]);
            _meanM += m[i] / _n;
            counts[x[i]] = counts.GetValueOrDefault(x[i]) + 1;
            AllSame &= x[i] == x[0] && m[i] == m[0];
        }

        _distinctX = [.. counts.Keys];
        _distinctWeight = [.. counts.Values.Select(c => (double)c)];
    }

    public bool AllSame { get; }

    /// <summary>The full log-likelihood at (p, q, γ).</summary>
    public double LogLikelihood(double p, double q, double gamma)
    {
        var (s0, s1) = GammaSums(gamma);
        return LogLikelihood(p, q, gamma, s0, s1);
    }

    public (double[] Estimate, double LogLikelihood, int Evaluations, bool Converged) Maximise(double penalizer)
    {
        var evaluations = 0;
        double[] inner = [0, Math.Log(2)];  // ln p, ln q warm start
        var innerConverged = true;

        double Profile(double u)
        {
            var gamma = Math.Exp(u);
            var (s0, s1) = GammaSums(gamma);
            var penaltyGamma = penalizer * u * u;
            double Objective(double[] v)
            {
                double p = Math.Exp(v[0]), q = Math.Exp(v[1]);
                var value = -LogLikelihood(p, q, gamma, s0, s1) / _n;
                return penalizer == 0 ? value : value + (penalizer * ((v[0] * v[0]) + (v[1] * v[1]))) + penaltyGamma;
            }

            var result = NelderMead.Minimise(Objective, inner, initialStep: 0.3, tolerance: 1e-13, maxEvaluations: 4_000, maxRestarts: 2);
            evaluations += result.Evaluations + 1;
            innerConverged = result.Converged;
            if (double.IsFinite(result.Value))
            {
                inner = result.Point;
            }

            return result.Value;
        }

        // bracket the minimum of the profile in u = ln γ, starting from γ = mean spend (p = 1, q = 2 gives that mean)
        if (!Bracket(Profile, Math.Log(_meanM), out var lo, out var hi, out var edge))
        {
            // the profile keeps falling towards a boundary: report the drifting state, the caller rejects it
            Profile(edge);
            double[] drifted = [Math.Exp(inner[0]), Math.Exp(inner[1]), Math.Exp(edge)];
            return (drifted, LogLikelihood(drifted[0], drifted[1], drifted[2]), evaluations, true);
        }

        var c = hi - (GoldenRatio * (hi - lo));
        var d = lo + (GoldenRatio * (hi - lo));
        var fc = Profile(c);
        var fd = Profile(d);
        while (hi - lo > 1e-9 * Math.Max(1, Math.Abs(lo)))
        {
            if (fc < fd)
            {
                hi = d;
                d = c;
                fd = fc;
                c = hi - (GoldenRatio * (hi - lo));
                fc = Profile(c);
            }
            else
            {
                lo = c;
                c = d;
                fc = fd;
                d = lo + (GoldenRatio * (hi - lo));
                fd = Profile(d);
            }
        }

        var uBest = 0.5 * (lo + hi);
        Profile(uBest);
        double[] estimate = [Math.Exp(inner[0]), Math.Exp(inner[1]), Math.Exp(uBest)];
        return (estimate, LogLikelihood(estimate[0], estimate[1], estimate[2]), evaluations, innerConverged);
    }

    private static bool Bracket(Func<double, double> f, double u0, out double lo, out double hi, out double edge)
    {
        var f0 = f(u0);
        var fUp = f(u0 + 1);
        var fDown = fUp < f0 ? double.PositiveInfinity : f(u0 - 1);
        edge = u0;
        if (fUp >= f0 && fDown >= f0)
        {
            lo = u0 - 1;
            hi = u0 + 1;
            return true;
        }

        var direction = fUp < f0 ? 1.0 : -1.0;
        double step = 1, previous = u0, current = u0 + direction, fCurrent = Math.Min(fUp, fDown);
        for (var k = 0; k < 40 && Math.Abs(current) < 40; k++)
        {
            step *= 1.6;
            var next = current + (direction * step);
            var fNext = f(next);
            if (fNext >= fCurrent)
            {
                lo = Math.Min(previous, next);
                hi = Math.Max(previous, next);
                return true;
            }

            previous = current;
            current = next;
            fCurrent = fNext;
        }

        lo = hi = edge = current;
        return false;
    }

    private double LogLikelihood(double p, double q, double gamma, double s0, double s1)
    {
        var ll = 0.0;
        for (var j = 0; j < _distinctX.Length; j++)
        {
            var px = p * _distinctX[j];
            ll += _distinctWeight[j] * (SpecialFunctions.LogGamma(px + q) - SpecialFunctions.LogGamma(px));
        }

        ll += _n * ((q * Math.Log(gamma)) - SpecialFunctions.LogGamma(q));
        ll += (p * (_sumXLogM + _sumXLogX)) - _sumLogM;
        ll -= (p * s1) + (q * s0);
        return ll;
    }

    private (double S0, double S1) GammaSums(double gamma)
    {
        if (_n < ParallelThreshold)
        {
            return GammaSums(gamma, 0, _n);
        }

        var parts = Math.Min(Environment.ProcessorCount, 8);
        var sums = new (double, double)[parts];
        Parallel.For(0, parts, k => sums[k] = GammaSums(gamma, (int)((long)_n * k / parts), (int)((long)_n * (k + 1) / parts)));
        double s0 = 0, s1 = 0;
        foreach (var (a, b) in sums)
        {
            s0 += a;
            s1 += b;
        }

        return (s0, s1);
    }

    private (double S0, double S1) GammaSums(double gamma, int from, int to)
    {
        double s0 = 0, s1 = 0;
        for (var i = from; i < to; i++)
        {
            var l = Math.Log(gamma + _s[i]);
            s0 += l;
            s1 += _x[i] * l;
        }

        return (s0, s1);
    }
}
