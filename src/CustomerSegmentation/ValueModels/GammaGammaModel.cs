using System.Globalization;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The three Gamma-Gamma spend parameters (Fader, Hardie and Lee 2005, "RFM and CLV"; Colombo and Jiang 1999): each
/// transaction's value is Gamma(<see cref="P"/>, ν) around a customer's mean, and ν ~ Gamma(<see cref="Q"/>, <see cref="Gamma"/>)
/// across customers.
/// </summary>
public readonly record struct GammaGammaParameters
{
    /// <summary>Creates the parameters.</summary>
    /// <param name="p">Shape of the transaction-value gamma; finite, &gt; 0.</param>
    /// <param name="q">Shape of the ν gamma; finite, &gt; 0.</param>
    /// <param name="gamma">Rate γ of the ν gamma, in money; finite, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public GammaGammaParameters(double p, double q, double gamma)
    {
        P = BgNbdParameters.Positive(p, nameof(p));
        Q = BgNbdParameters.Positive(q, nameof(q));
        Gamma = BgNbdParameters.Positive(gamma, nameof(gamma));
    }

    /// <summary>Gets the shape p of the transaction-value gamma.</summary>
    public double P { get; }

    /// <summary>Gets the shape q of the ν gamma.</summary>
    public double Q { get; }

    /// <summary>Gets the rate γ of the ν gamma (called v in <c>lifetimes</c>).</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p = {P:G6}, q = {Q:G6}, γ = {Gamma:G6}");
}

/// <summary>Options of <see cref="GammaGammaModel.Fit"/>; every value is checked when it is set.</summary>
public sealed record GammaGammaFitOptions
{
    private readonly double _penalizer;
    private readonly double _correlationThreshold = 0.3;

    /// <summary>Gets the default options.</summary>
    public static GammaGammaFitOptions Default { get; } = new();

    /// <summary>Gets the L2 penaliser λ on the log-parameters: the fit minimises −LL / N + λ ((ln p)² + (ln q)² + (ln γ)²).</summary>
    /// <value>Default 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double Penalizer
    {
        get => _penalizer;
        init => _penalizer = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Penalizer), value, "The penaliser must be finite and ≥ 0.");
    }

    /// <summary>Gets the absolute Pearson correlation of frequency and average spend from which the model's independence assumption is reported as doubtful.</summary>
    /// <value>Default 0.3.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not in (0, 1].</exception>
    public double CorrelationThreshold
    {
        get => _correlationThreshold;
        init => _correlationThreshold = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CorrelationThreshold), value, "The threshold must be in (0, 1].");
    }
}

/// <summary>
/// The Gamma-Gamma model of average transaction value, fitted on the repeat buyers of a <see cref="BtydData"/> summary
/// (x ≥ 1 and average repeat spend &gt; 0). It assumes that spend is independent of purchase frequency; the fit reports
/// their correlation (<see cref="GammaGammaFitReport.Correlation"/>).
/// </summary>
/// <threadsafety>Immutable; all members are safe for concurrent use.</threadsafety>
public sealed class GammaGammaModel
{
    private const string Model = "Gamma-Gamma";

    /// <summary>Creates a model from known parameters.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> is the default (all zero) value.</exception>
    public GammaGammaModel(GammaGammaParameters parameters)
        : this(parameters, null)
    {
    }

    private GammaGammaModel(GammaGammaParameters parameters, GammaGammaFitReport? report)
    {
        if (parameters.P <= 0)
        {
            throw new ArgumentException("The default GammaGammaParameters value is not a valid parameter set.", nameof(parameters));
        }

        Parameters = parameters;
        FitReport = report;
    }

    /// <summary>Gets the parameters.</summary>
    public GammaGammaParameters Parameters { get; }

    /// <summary>Gets how the model was fitted, or <see langword="null"/> for a model created from known parameters.</summary>
    public GammaGammaFitReport? FitReport { get; }

    /// <summary>Gets the population mean spend per transaction, p γ / (q − 1) (+∞ when q ≤ 1).</summary>
    public double PopulationMeanSpend => Parameters.Q > 1 ? Parameters.P * Parameters.Gamma / (Parameters.Q - 1) : double.PositiveInfinity;

    /// <summary>
    /// Fits the model by maximum likelihood on the customers with x ≥ 1 and a positive average repeat spend. The
    /// likelihood is profiled: for each γ, the sums that involve the data collapse into Σ ln(γ + x m) and
    /// Σ x ln(γ + x m), and (p, q) are found by Nelder–Mead on terms that depend on the distinct x only; γ itself is found
    /// by a bracketing golden-section search on ln γ.
    /// </summary>
    /// <param name="data">The summary.</param>
    /// <param name="options">The options; <see cref="GammaGammaFitOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelNotIdentifiableException">Fewer than two repeat buyers, or all with the same spend, or a parameter drifts to a boundary.</exception>
    /// <exception cref="ModelConvergenceException">The search did not converge; the exception holds the last state.</exception>
    public static GammaGammaModel Fit(BtydData data, GammaGammaFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= GammaGammaFitOptions.Default;
        var x = data.Frequency;
        var m = data.AverageRepeatSpend;
        var used = new List<int>();
        var excludedNonPositive = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] > 0)
            {
                if (m[i] > 0)
                {
                    used.Add(i);
                }
                else
                {
                    excludedNonPositive++;
                }
            }
        }

        if (used.Count < 2)
        {
            throw new ModelNotIdentifiableException(Model, $"{used.Count} customer(s) with repeat purchases and positive spend; the spend distribution needs at least two (better hundreds).");
        }

        var xs = new double[used.Count];
        var ms = new double[used.Count];
        for (var k = 0; k < used.Count; k++)
        {
            xs[k] = x[used[k]];
            ms[k] = m[used[k]];
        }

        var likelihood = new GammaGammaLikelihood(xs, ms);
        if (likelihood.AllSame)
        {
            throw new ModelNotIdentifiableException(Model, $"all {used.Count} repeat buyers have the same frequency and average spend, so the spread of spend across customers cannot be identified.");
        }

        var (estimate, ll, evaluations, converged) = likelihood.Maximise(options.Penalizer);
        string[] names = ["p", "q", "gamma"];
        if (!converged)
        {
            throw new ModelConvergenceException(Model, names, estimate, ll, evaluations);
        }

        for (var k = 0; k < 3; k++)
        {
            if (!double.IsFinite(estimate[k]) || Math.Abs(Math.Log(estimate[k])) > 18)
            {
                throw new ModelNotIdentifiableException(
                    Model,
                    string.Create(CultureInfo.InvariantCulture, $"parameter {names[k]} drifted to {estimate[k]:G4}, so the data cannot identify it (for example, spend barely varies between customers); add a penaliser or more data."));
            }
        }

        var parameters = new GammaGammaParameters(estimate[0], estimate[1], estimate[2]);
        var correlation = Correlation(xs, ms, options.CorrelationThreshold);
        var report = new GammaGammaFitReport(
            ll,
            used.Count,
            x.Length - used.Count - excludedNonPositive,
            excludedNonPositive,
            evaluations,
            options.Penalizer,
            correlation,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Gamma-Gamma maximum likelihood on {used.Count} repeat buyers ({excludedNonPositive} with non-positive spend left out): {parameters}, log-likelihood {ll:F4}, {evaluations} evaluations. {correlation.Explanation}"));
        return new GammaGammaModel(parameters, report);
    }

    /// <summary>
    /// The expected average transaction value of a customer with x repeat purchases of mean value m:
    /// p (γ + x m) / (p x + q − 1), a weighted mean of the population mean p γ / (q − 1) and m. Without repeat purchases
    /// (x = 0) it is the population mean.
    /// </summary>
    /// <param name="x">The frequency, a whole number ≥ 0.</param>
    /// <param name="averageRepeatSpend">The mean repeat spend m (ignored when x = 0).</param>
    /// <returns>The expected average spend (+∞ for x = 0 when q ≤ 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is not a whole number ≥ 0, or <paramref name="averageRepeatSpend"/> is not finite.</exception>
    public double ConditionalExpectedAverageSpend(double x, double averageRepeatSpend)
    {
        if (!double.IsFinite(x) || x < 0 || x != Math.Floor(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The frequency must be a whole number ≥ 0.");
        }

        if (!double.IsFinite(averageRepeatSpend))
        {
            throw new ArgumentOutOfRangeException(nameof(averageRepeatSpend), averageRepeatSpend, "The spend must be finite.");
        }

        return Spend(Parameters, x, averageRepeatSpend);
    }

    /// <summary>Computes <see cref="ConditionalExpectedAverageSpend(double, double)"/> for columns of customers.</summary>
    /// <param name="x">Frequencies.</param>
    /// <param name="averageRepeatSpend">Mean repeat spends.</param>
    /// <param name="destination">Receives one value per customer; as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void ConditionalExpectedAverageSpend(ReadOnlySpan<double> x, ReadOnlySpan<double> averageRepeatSpend, Span<double> destination)
    {
        if (averageRepeatSpend.Length != x.Length || destination.Length != x.Length)
        {
            throw new ArgumentException($"The columns must have the same length (x {x.Length}, spend {averageRepeatSpend.Length}, destination {destination.Length}).");
        }

        var p = Parameters;
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = Spend(p, x[i], averageRepeatSpend[i]);
        }
    }

    internal static double Spend(in GammaGammaParameters p, double x, double m)
    {
        if (x == 0)
        {
            return p.Q > 1 ? p.P * p.Gamma / (p.Q - 1) : double.PositiveInfinity;
        }

        return p.P * (p.Gamma + (x * m)) / ((p.P * x) + p.Q - 1);
    }

    private static FrequencySpendCorrelation Correlation(double[] x, double[] m, double threshold)
    {
        double mx = x.Average(), mm = m.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (m[i] - mm);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (m[i] - mm) * (m[i] - mm);
        }

        var rho = sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
        var plausible = Math.Abs(rho) < threshold;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"Pearson correlation of frequency and average spend over {x.Length} repeat buyers: {rho:F3} ({(plausible ? "below" : "at or above")} the threshold {threshold:G3}: {(plausible ? "the independence assumption is plausible" : "the model's independence assumption is doubtful; CLV may be biased")}).");
        return new FrequencySpendCorrelation(rho, threshold, plausible, text);
    }
}

/// <summary>How a <see cref="GammaGammaModel"/> was fitted.</summary>
/// <param name="LogLikelihood">The log-likelihood at the estimate (without the penalty).</param>
/// <param name="Customers">The repeat buyers the model was fitted on.</param>
/// <param name="CustomersWithoutRepeatPurchases">The customers left out because x = 0.</param>
/// <param name="CustomersWithNonPositiveSpend">The repeat buyers left out because their average repeat spend is ≤ 0.</param>
/// <param name="Evaluations">The likelihood evaluations used.</param>
/// <param name="Penalizer">The L2 penaliser used.</param>
/// <param name="Correlation">The frequency-versus-spend check.</param>
/// <param name="Explanation">A one-paragraph account of the fit with its figures.</param>
public sealed record GammaGammaFitReport(
    double LogLikelihood,
    int Customers,
    int CustomersWithoutRepeatPurchases,
    int CustomersWithNonPositiveSpend,
    int Evaluations,
    double Penalizer,
    FrequencySpendCorrelation Correlation,
    string Explanation);

/// <summary>The check of the Gamma-Gamma assumption that average spend does not depend on purchase frequency.</summary>
/// <param name="Coefficient">The Pearson correlation of x and average repeat spend over the repeat buyers.</param>
/// <param name="Threshold">The absolute correlation from which the assumption is reported as doubtful.</param>
/// <param name="IsIndependencePlausible">Whether |<paramref name="Coefficient"/>| is below <paramref name="Threshold"/>.</param>
/// <param name="Explanation">A sentence with these figures.</param>
public readonly record struct FrequencySpendCorrelation(double Coefficient, double Threshold, bool IsIndependencePlausible, string Explanation);
