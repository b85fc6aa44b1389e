using System.Collections.Immutable;
using System.Globalization;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// Thrown when maximum-likelihood fitting used its whole evaluation budget without meeting the tolerance. It carries the
/// last (best) state so that a caller can inspect it, restart from it (as start values) or raise the budget.
/// </summary>
public sealed class ModelConvergenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="model">The model that was being fitted, e.g. <c>BG/NBD</c>.</param>
    /// <param name="parameterNames">The names of the parameters, in the order of <paramref name="lastParameters"/>.</param>
    /// <param name="lastParameters">The best parameters found.</param>
    /// <param name="lastLogLikelihood">The log-likelihood at <paramref name="lastParameters"/>.</param>
    /// <param name="evaluations">The likelihood evaluations used.</param>
    public ModelConvergenceException(string model, IReadOnlyList<string> parameterNames, IReadOnlyList<double> lastParameters, double lastLogLikelihood, int evaluations)
        : base(Describe(model, parameterNames, lastParameters, lastLogLikelihood, evaluations))
    {
        Model = model;
        ParameterNames = [.. parameterNames];
        LastParameters = [.. lastParameters];
        LastLogLikelihood = lastLogLikelihood;
        Evaluations = evaluations;
    }

    /// <summary>Gets the model that was being fitted.</summary>
    public string Model { get; }

    /// <summary>Gets the names of the parameters, in the order of <see cref="LastParameters"/>.</summary>
    public ImmutableArray<string> ParameterNames { get; }

    /// <summary>Gets the best parameters found when the budget ran out.</summary>
    public ImmutableArray<double> LastParameters { get; }

    /// <summary>Gets the log-likelihood at <see cref="LastParameters"/>.</summary>
    public double LastLogLikelihood { get; }

    /// <summary>Gets the likelihood evaluations used.</summary>
    public int Evaluations { get; }

    private static string Describe(string model, IReadOnlyList<string> names, IReadOnlyList<double> values, double ll, int evaluations)
    {
        var state = string.Join(", ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n} = {values[i]:G6}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{model} did not converge within {evaluations} likelihood evaluations; last state {state}, log-likelihood {ll:F4}. Raise MaxEvaluations or start from these values.");
    }
}
