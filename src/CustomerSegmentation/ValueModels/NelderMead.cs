namespace CustomerSegmentation.ValueModels;

/// <summary>The outcome of a <see cref="NelderMead"/> minimisation.</summary>
/// <param name="Point">The best point found.</param>
/// <param name="Value">The objective at <see cref="Point"/>.</param>
/// <param name="Evaluations">The objective evaluations used, all restarts included.</param>
/// <param name="Converged">Whether the last restart met the tolerances before the evaluation budget ran out.</param>
internal readonly record struct MinimisationResult(double[] Point, double Value, int Evaluations, bool Converged);

/// <summary>
/// Nelder–Mead downhill simplex (standard coefficients 1, 2, ½, ½) with restarts: after convergence a fresh simplex is
/// built around the best point, and the search stops when a restart no longer improves the objective. Restarting is
/// the classic cure for the simplex collapsing onto a false minimum in curved valleys (Numerical Recipes §10.5).
/// A non-finite objective counts as +∞, so the search simply steps back from invalid regions.
/// </summary>
internal static class NelderMead
{
    public static MinimisationResult Minimise(
        Func<double[], double> objective,
        double[] start,
        double initialStep,
        double tolerance,
        int maxEvaluations,
        int maxRestarts)
    {
        var best = (double[])start.Clone();
        var bestValue = Evaluate(objective, best);
        var evaluations = 1;
        var converged = false;
        var step = initialStep;
        for (var restart = 0; restart <= maxRestarts && evaluations < maxEvaluations; restart++)
        {
            var previous = bestValue;
            converged = Run(objective, best, ref bestValue, step, tolerance, maxEvaluations, ref evaluations);
            if (converged && restart > 0 && previous - bestValue <= tolerance * (1 + Math.Abs(bestValue)))
            {
                break;
            }

            step = Math.Max(step * 0.5, 1e-3);
        }

        return new MinimisationResult(best, bestValue, evaluations, converged);
    }

    private static double Evaluate(Func<double[], double> objective, double[] point)
    {
        var v = objective(point);
        return double.IsFinite(v) ? v : double.PositiveInfinity;
    }

    private static bool Run(
        Func<double[], double> objective,
        double[] best,
        ref double bestValue,
        double step,
        double tolerance,
        int maxEvaluations,
        ref int evaluations)
    {
        var n = best.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        simplex[0] = (double[])best.Clone();
        values[0] = bestValue;
        for (var i = 1; i <= n; i++)
        {
            simplex[i] = (double[])best.Clone();
            simplex[i][i - 1] += step;
            values[i] = Evaluate(objective, simplex[i]);
            evaluations++;
        }

        var centroid = new double[n];
        var reflected = new double[n];
        var trial = new double[n];
        var order = new int[n + 1];
        var converged = false;
        while (evaluations < maxEvaluations)
        {
            for (var i = 0; i <= n; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (i, j) => values[i].CompareTo(values[j]));
            int lo = order[0], hi = order[n], nextHi = order[n - 1];

            // converged when both the values and the simplex (in the log-parameter space) have shrunk
            var spread = Math.Abs(values[hi] - values[lo]);
            var size = 0.0;
            for (var i = 0; i <= n; i++)
            {
                for (var k = 0; k < n; k++)
                {
                    size = Math.Max(size, Math.Abs(simplex[i][k] - simplex[lo][k]));
                }
            }

            if (spread <= tolerance * (1 + Math.Abs(values[lo])) && size <= Math.Sqrt(tolerance))
            {
                converged = true;
                break;
            }

            Array.Clear(centroid);
            for (var i = 0; i <= n; i++)
            {
                if (i == hi)
                {
                    continue;
                }

                for (var k = 0; k < n; k++)
                {
                    centroid[k] += simplex[i][k] / n;
                }
            }

            Along(centroid, simplex[hi], -1, reflected);
            var fr = Evaluate(objective, reflected);
            evaluations++;
            if (fr < values[lo])
            {
                Along(centroid, simplex[hi], -2, trial);
                var fe = Evaluate(objective, trial);
                evaluations++;
                if (fe < fr)
                {
                    Accept(simplex, values, hi, trial, fe);
                }
                else
                {
                    Accept(simplex, values, hi, reflected, fr);
                }
            }
            else if (fr < values[nextHi])
            {
                Accept(simplex, values, hi, reflected, fr);
            }
            else
            {
                var outside = fr < values[hi];
                Along(centroid, simplex[hi], outside ? -0.5 : 0.5, trial);
                var fc = Evaluate(objective, trial);
                evaluations++;
                if (fc < Math.Min(fr, values[hi]))
                {
                    Accept(simplex, values, hi, trial, fc);
                }
                else
                {
                    // shrink towards the best vertex
                    for (var i = 0; i <= n; i++)
                    {
                        if (i == lo)
                        {
                            continue;
                        }

                        for (var k = 0; k < n; k++)
                        {
                            simplex[i][k] = simplex[lo][k] + (0.5 * (simplex[i][k] - simplex[lo][k]));
                        }

                        values[i] = Evaluate(objective, simplex[i]);
                        evaluations++;
                    }
                }
            }
        }

        var bestIndex = 0;
        for (var i = 1; i <= n; i++)
        {
            if (values[i] < values[bestIndex])
            {
                bestIndex = i;
            }
        }

        if (values[bestIndex] <= bestValue)
        {
            Array.Copy(simplex[bestIndex], best, n);
            bestValue = values[bestIndex];
        }

        return converged;
    }

    // point = centroid + coefficient · (vertex − centroid)
    private static void Along(double[] centroid, double[] vertex, double coefficient, double[] point)
    {
        for (var k = 0; k < centroid.Length; k++)
        {
            point[k] = centroid[k] + (coefficient * (vertex[k] - centroid[k]));
        }
    }

    private static void Accept(double[][] simplex, double[] values, int index, double[] point, double value)
    {
        Array.Copy(point, simplex[index], point.Length);
        values[index] = value;
    }
}
