namespace CustomerSegmentation.Tiers;

/// <summary>
/// Thrown when a tier policy, ladder or stability configuration is built with a problem: unordered thresholds,
/// shares that do not add up, an unknown tier, a matrix cell left empty, malformed JSON, …
/// The message names the policy and the problem.
/// </summary>
public sealed class InvalidTierPolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidTierPolicyException()
        : this(null, "the tier policy is invalid")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InvalidTierPolicyException(string message)
        : this(null, message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidTierPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>Creates the exception for a named policy.</summary>
    /// <param name="policyName">The policy's name, when known.</param>
    /// <param name="problem">What is wrong, e.g. <c>thresholds are not ordered</c>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvalidTierPolicyException(string? policyName, string problem, Exception? innerException = null)
        : base(policyName is null ? $"Invalid tier configuration: {problem}." : $"Tier policy '{policyName}' is invalid: {problem}.", innerException)
    {
        PolicyName = policyName;
        Problem = problem;
    }

    /// <summary>Gets the name of the invalid policy, when known.</summary>
    public string? PolicyName { get; }

    /// <summary>Gets the problem, without the policy name.</summary>
    public string Problem { get; } = string.Empty;
}
