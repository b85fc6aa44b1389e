namespace CustomerSegmentation.Privacy;

/// <summary>Thrown by <see cref="AccessPolicyBuilder.Build"/> when the policy's configuration is not valid (unknown field, bad role name, undefined permission).</summary>
public sealed class AccessPolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the role and field.</param>
    public AccessPolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AccessPolicyException()
        : base("The access policy is not valid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AccessPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
