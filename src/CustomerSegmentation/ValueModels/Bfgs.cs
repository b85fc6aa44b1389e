namespace CustomerSegmentation.ValueModels;

/// <summary>
/// Quasi-Newton minimisation (BFGS on the inverse Hessian) with an analytic gradient and a backtracking Armijo line
/// search. The update is skipped when the curvature condition sᵀy &gt; 0 fails, which keeps the inverse Hessian positive
/// definite; a direction that does not descend resets it to the identity.
/// </summary>
internal static class Bfgs
{
    /// <summary>Evaluates the objective at a point and writes its gradient.</summary>
    public delegate double Objective(double[] point, double[] gradient);

    public static MinimisationResult Minimise(Objective objective, double[] start, double gradientTolerance, double valueTolerance, int maxEvaluations)
    {
        var n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        var f = objective(x, g);
        var evaluations = 1;
        if (!double.IsFinite(f))
        {
            return new MinimisationResult(x, double.PositiveInfinity, evaluations, false);
        }

        var h = Identity(n);
        var direction = new double[n];
        var trial = new double[n];
        var gTrial = new double[n];
        var s = new double[n];
        var y = new double[n];
        var first = true;
        while (evaluations < maxEvaluations)
        {
            if (MaxAbs(g) <= gradientTolerance)
            {
                return new MinimisationResult(x, f, evaluations, true);
            }

            Multiply(h, g, direction, -1);
            var slope = Dot(g, direction);
            if (!(slope < 0))
            {
                h = Identity(n);
                Multiply(h, g, direction, -1);
                slope = Dot(g, direction);
            }

            // never step further than 3 in any log-parameter (a factor of 20) at once
            var step = Math.Min(1, 3 / Math.Max(MaxAbs(direction), 1e-300));
            double fTrial;
            var accepted = false;
            do
            {
                for (var k = 0; k < n; k++)
                {
                    trial[k] = x[k] + (step * direction[k]);
                }

                fTrial = objective(trial, gTrial);
                evaluations++;
                if (double.IsFinite(fTrial) && fTrial <= f + (1e-4 * step * slope))
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }
            while (step > 1e-12 && evaluations < maxEvaluations);

            if (!accepted)
            {
                // no descent along a descent direction: at the precision of the objective this is the minimum
                return new MinimisationResult(x, f, evaluations, MaxAbs(g) <= Math.Sqrt(gradientTolerance));
            }

            for (var k = 0; k < n; k++)
            {
                s[k] = trial[k] - x[k];
                y[k] = gTrial[k] - g[k];
            }

            var change = f - fTrial;
            Array.Copy(trial, x, n);
            Array.Copy(gTrial, g, n);
            f = fTrial;
            var sy = Dot(s, y);
            if (sy > 1e-14)
            {
                if (first)
                {
                    var scale = sy / Dot(y, y);
                    h = Identity(n, scale);
                    first = false;
                }

                Update(h, s, y, sy);
            }

            if (change <= valueTolerance * (1 + Math.Abs(f)) && MaxAbs(g) <= Math.Sqrt(gradientTolerance))
            {
                return new MinimisationResult(x, f, evaluations, true);
            }
        }

        return new MinimisationResult(x, f, evaluations, false);
    }

    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / sᵀy
    private static void Update(double[,] h, double[] s, double[] y, double sy)
    {
        var n = s.Length;
        var rho = 1 / sy;
        var hy = new double[n];
        Multiply(h, y, hy, 1);
        var yhy = Dot(y, hy);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                h[i, j] += (((1 + (rho * yhy)) * s[i] * s[j]) - (hy[i] * s[j]) - (s[i] * hy[j])) * rho;
            }
        }
    }

    private static double[,] Identity(int n, double scale = 1)
    {
        var h = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            h[i, i] = scale;
        }

        return h;
    }

    private static void Multiply(double[,] h, double[] v, double[] result, double sign)
    {
        var n = v.Length;
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                sum += h[i, j] * v[j];
            }

            result[i] = sign * sum;
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double MaxAbs(double[] v)
    {
        var max = 0.0;
        foreach (var e in v)
        {
            max = Math.Max(max, Math.Abs(e));
        }

        return max;
    }
}
