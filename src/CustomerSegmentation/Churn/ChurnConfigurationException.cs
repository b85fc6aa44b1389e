namespace CustomerSegmentation.Churn;

/// <summary>A churn rule, rule set or its JSON text is not a valid configuration; thrown when the configuration is built, never on first use.</summary>
public sealed class ChurnConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChurnConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public ChurnConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause, e.g. a JSON syntax error.</param>
    public ChurnConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
