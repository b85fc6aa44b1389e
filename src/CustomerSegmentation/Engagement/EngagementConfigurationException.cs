namespace CustomerSegmentation.Engagement;

/// <summary>
/// A follow-up cadence, business calendar, care-date, release or claim configuration is not valid; thrown when the
/// configuration is built (constructor), never on first use. The message names the setting and the problem.
/// </summary>
public sealed class EngagementConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngagementConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public EngagementConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public EngagementConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
