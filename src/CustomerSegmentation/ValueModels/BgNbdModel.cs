using System.Globalization;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The BG/NBD ("beta-geometric / negative binomial distribution") model of Fader, Hardie and Lee (2005), "Counting your
/// customers the easy way": fitted by maximum likelihood on a <see cref="BtydData"/> summary, it predicts future
/// purchases and the probability that a customer is still active ("alive").
/// </summary>
/// <remarks>
/// <para>All times (t, t_x, T) are in <see cref="TimeUnit"/>, the unit of the data the model was fitted on.</para>
/// <para>The batch members take columns as spans, write into a caller's span, allocate nothing per customer and run
/// in parallel over large inputs.</para>
/// </remarks>
/// <threadsafety>Immutable; all members are safe for concurrent use.</threadsafety>
public sealed partial class BgNbdModel
{
    private const int BatchChunk = 16_384;

    /// <summary>Creates a model from known parameters (for example stored from an earlier fit).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="timeUnit">The time unit the parameters are in (α depends on it).</param>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> is the default (all zero) value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeUnit"/> is not a defined unit.</exception>
    public BgNbdModel(BgNbdParameters parameters, BtydTimeUnit timeUnit)
        : this(parameters, timeUnit, null)
    {
    }

    private BgNbdModel(BgNbdParameters parameters, BtydTimeUnit timeUnit, BgNbdFitReport? report)
    {
        if (parameters.R <= 0)
        {
            throw new ArgumentException("The default BgNbdParameters value is not a valid parameter set.", nameof(parameters));
        }

        if (!Enum.IsDefined(timeUnit))
        {
            throw new ArgumentOutOfRangeException(nameof(timeUnit), timeUnit, "Unknown time unit.");
        }

        Parameters = parameters;
        TimeUnit = timeUnit;
        FitReport = report;
    }

    /// <summary>Gets the parameters.</summary>
    public BgNbdParameters Parameters { get; }

    /// <summary>Gets the time unit of every time argument and of α.</summary>
    public BtydTimeUnit TimeUnit { get; }

    /// <summary>Gets how the model was fitted, or <see langword="null"/> for a model created from known parameters.</summary>
    public BgNbdFitReport? FitReport { get; }

    /// <summary>
    /// Fits the model by maximum likelihood: the log-likelihood is evaluated once per distinct (x, t_x, T) history with a
    /// weight, and minimised (negated, per customer, plus the optional L2 penalty) over the log-parameters by BFGS with the
    /// analytic gradient, with Nelder–Mead (with restarts) taking over when BFGS does not converge.
    /// </summary>
    /// <param name="data">The summary; at least two customers, some with repeat purchases, not all with the same history.</param>
    /// <param name="options">The options; <see cref="BgNbdFitOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The fitted model; <see cref="FitReport"/> holds the log-likelihood and the work done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelNotIdentifiableException">The data cannot identify the parameters (see the message).</exception>
    /// <exception cref="ModelConvergenceException">The evaluation budget ran out; the exception holds the last state.</exception>
    public static BgNbdModel Fit(BtydData data, BgNbdFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= BgNbdFitOptions.Default;
        const string Model = "BG/NBD";
        if (data.Count == 0)
        {
            throw new ModelNotIdentifiableException(Model, "the summary has no customers.");
        }

        if (data.Count == 1)
        {
            throw new ModelNotIdentifiableException(Model, "the summary has a single customer; the population distributions of purchase rate and dropout need many.");
        }

        var totalX = 0.0;
        var totalT = 0.0;
        foreach (var x in data.Frequency)
        {
            totalX += x;
        }

        foreach (var t in data.Age)
        {
            totalT += t;
        }

        if (totalX == 0)
        {
            throw new ModelNotIdentifiableException(Model, $"none of the {data.Count} customers made a repeat purchase, so the purchase rate and the dropout cannot be separated.");
        }

        var likelihood = new BgNbdLikelihood(data);
        if (likelihood.DistinctHistories == 1)
        {
            throw new ModelNotIdentifiableException(Model, $"all {data.Count} customers have the same history (x, t_x, T), which cannot identify four parameters.");
        }

        var start = options.Start ?? new BgNbdParameters(1, Math.Max(totalT / totalX, 1e-3), 1, 1);
        var n = data.Count;
        var penalizer = options.Penalizer;
        double Objective(double[] p)
        {
            double r = Math.Exp(p[0]), alpha = Math.Exp(p[1]), a = Math.Exp(p[2]), b = Math.Exp(p[3]);
            var value = -likelihood.LogLikelihood(r, alpha, a, b) / n;
            return value + (penalizer * ((p[0] * p[0]) + (p[1] * p[1]) + (p[2] * p[2]) + (p[3] * p[3])));
        }

        double ObjectiveAndGradient(double[] p, double[] gradient)
        {
            double r = Math.Exp(p[0]), alpha = Math.Exp(p[1]), a = Math.Exp(p[2]), b = Math.Exp(p[3]);
            Span<double> g = stackalloc double[4];
            var value = -likelihood.LogLikelihood(r, alpha, a, b, g) / n;
            double[] natural = [r, alpha, a, b];
            for (var k = 0; k < 4; k++)
            {
                // chain rule to the log-parameters: ∂f/∂ln θ = θ ∂f/∂θ
                gradient[k] = (-g[k] * natural[k] / n) + (2 * penalizer * p[k]);
                value += penalizer * p[k] * p[k];
            }

            return value;
        }

        double[] logStart = [Math.Log(start.R), Math.Log(start.Alpha), Math.Log(start.A), Math.Log(start.B)];

        // BFGS with the analytic gradient converges in a few dozen evaluations; Nelder–Mead with restarts (which needs no
        // gradient and tolerates kinks and flat regions) takes over from its last point when it does not converge
        var result = Bfgs.Minimise(ObjectiveAndGradient, logStart, gradientTolerance: 1e-9, options.Tolerance, options.MaxEvaluations);
        if (!result.Converged && result.Evaluations < options.MaxEvaluations)
        {
            var from = double.IsFinite(result.Value) ? result.Point : logStart;
            var polish = NelderMead.Minimise(Objective, from, initialStep: 0.5, options.Tolerance, options.MaxEvaluations - result.Evaluations, options.MaxRestarts);
            result = polish with { Evaluations = polish.Evaluations + result.Evaluations };
        }
        var est = result.Point.Select(Math.Exp).ToArray();
        var ll = double.IsFinite(result.Value) ? likelihood.LogLikelihood(est[0], est[1], est[2], est[3]) : double.NegativeInfinity;
        string[] names = ["r", "alpha", "a", "b"];
        if (!result.Converged)
        {
            throw new ModelConvergenceException(Model, names, est, ll, result.Evaluations);
        }

        for (var k = 0; k < 4; k++)
        {
            if (!double.IsFinite(est[k]) || Math.Abs(result.Point[k]) > 18)
            {
                throw new ModelNotIdentifiableException(
                    Model,
                    string.Create(CultureInfo.InvariantCulture, $"parameter {names[k]} drifted to {est[k]:G4} (the likelihood keeps rising towards the boundary), so the data cannot identify it; add a penaliser or more varied histories."));
            }
        }

        var parameters = new BgNbdParameters(est[0], est[1], est[2], est[3]);
        var report = new BgNbdFitReport(
            ll,
            n,
            likelihood.DistinctHistories,
            result.Evaluations,
            penalizer,
            string.Create(
                CultureInfo.InvariantCulture,
                $"BG/NBD maximum likelihood on {n} customers ({likelihood.DistinctHistories} distinct (x, t_x, T) histories, {likelihood.RepeatBuyerHistories} with repeat purchases), time unit {data.TimeUnit}: {parameters}, log-likelihood {ll:F4}, {result.Evaluations} evaluations, penaliser {penalizer:G3}."));
        return new BgNbdModel(parameters, data.TimeUnit, report);
    }

    /// <summary>The log-likelihood of a summary under this model's parameters (no penalty).</summary>
    /// <param name="data">The summary, in this model's time unit.</param>
    /// <returns>The sum over customers of the log-likelihood of each history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    public double LogLikelihood(BtydData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var p = Parameters;
        return new BgNbdLikelihood(data).LogLikelihood(p.R, p.Alpha, p.A, p.B);
    }
}

/// <summary>How a <see cref="BgNbdModel"/> was fitted.</summary>
/// <param name="LogLikelihood">The log-likelihood at the estimate (without the penalty).</param>
/// <param name="Customers">The customers in the data.</param>
/// <param name="DistinctHistories">The distinct (x, t_x, T) histories the likelihood was evaluated on.</param>
/// <param name="Evaluations">The likelihood evaluations the optimiser used.</param>
/// <param name="Penalizer">The L2 penaliser used.</param>
/// <param name="Explanation">A one-paragraph account of the fit with its figures.</param>
public sealed record BgNbdFitReport(double LogLikelihood, int Customers, int DistinctHistories, int Evaluations, double Penalizer, string Explanation);
