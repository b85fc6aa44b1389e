namespace CustomerSegmentation.ValueModels;

/// <summary>Options of <see cref="BgNbdModel.Fit"/>; every value is checked when it is set.</summary>
public sealed record BgNbdFitOptions
{
    private readonly double _penalizer;
    private readonly double _tolerance = 1e-11;
    private readonly int _maxEvaluations = 20_000;
    private readonly int _maxRestarts = 4;

    /// <summary>Gets the default options.</summary>
    public static BgNbdFitOptions Default { get; } = new();

    /// <summary>
    /// Gets the L2 penaliser λ on the log-parameters: the fit minimises −LL / N + λ ((ln r)² + (ln α)² + (ln a)² + (ln b)²),
    /// which keeps every parameter away from both 0 and ∞ on small or degenerate data. (<c>lifetimes</c> penalises the
    /// squares of the parameters themselves, which only stops them growing, not collapsing to 0.)
    /// </summary>
    /// <value>Default 0 (plain maximum likelihood).</value>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double Penalizer
    {
        get => _penalizer;
        init => _penalizer = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Penalizer), value, "The penaliser must be finite and ≥ 0.");
    }

    /// <summary>Gets the relative tolerance on the objective (and its square root on the log-parameters) that ends a simplex run.</summary>
    /// <value>Default 1e-11.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not in (0, 1e-2].</exception>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value is > 0 and <= 1e-2 ? value : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, "The tolerance must be in (0, 0.01].");
    }

    /// <summary>Gets the most likelihood evaluations before the fit gives up with <see cref="ModelConvergenceException"/>.</summary>
    /// <value>Default 20 000.</value>
    /// <exception cref="ArgumentOutOfRangeException">Below 10.</exception>
    public int MaxEvaluations
    {
        get => _maxEvaluations;
        init => _maxEvaluations = value >= 10 ? value : throw new ArgumentOutOfRangeException(nameof(MaxEvaluations), value, "At least 10 evaluations are needed.");
    }

    /// <summary>Gets the most simplex restarts from the best point (a restart that does not improve ends the fit).</summary>
    /// <value>Default 4.</value>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int MaxRestarts
    {
        get => _maxRestarts;
        init => _maxRestarts = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRestarts), value, "Restarts cannot be negative.");
    }

    /// <summary>Gets the start values, or <see langword="null"/> for the built-in start (r = 1, α = 1 / mean rate, a = b = 1).</summary>
    /// <value>Default <see langword="null"/>.</value>
    public BgNbdParameters? Start { get; init; }
}
