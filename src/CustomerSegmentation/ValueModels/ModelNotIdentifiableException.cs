namespace CustomerSegmentation.ValueModels;

/// <summary>
/// Thrown when the data cannot identify a model's parameters, for example when no customer made a repeat purchase,
/// when there is a single customer, or when every customer has the same history. The model is not fitted; fitting
/// never returns NaN or infinite parameters instead.
/// </summary>
public sealed class ModelNotIdentifiableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="model">The model that was being fitted, e.g. <c>BG/NBD</c>.</param>
    /// <param name="reason">Why the data cannot identify it, in one sentence.</param>
    public ModelNotIdentifiableException(string model, string reason)
        : base($"{model} cannot be fitted: {reason}")
    {
        Model = model;
        Reason = reason;
    }

    /// <summary>Gets the model that was being fitted.</summary>
    public string Model { get; }

    /// <summary>Gets why the data cannot identify the model.</summary>
    public string Reason { get; }
}
