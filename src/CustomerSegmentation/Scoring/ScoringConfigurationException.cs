namespace CustomerSegmentation.Scoring;

/// <summary>
/// Thrown when scoring or summary configuration is invalid: options, fixed cut points, weights, rule sets or their JSON.
/// It is thrown when the configured object is built (a scorer, a summariser, a rule set), never on first use.
/// </summary>
public sealed class ScoringConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="setting">The setting at fault, e.g. <c>RfmOptions.Bins</c> or <c>rules[2].points</c>.</param>
    /// <param name="message">What is wrong and what is allowed.</param>
    public ScoringConfigurationException(string setting, string message)
        : base($"{setting}: {message}")
    {
        Setting = setting;
    }

    /// <summary>Creates the exception with an inner cause (e.g. a JSON syntax error).</summary>
    /// <param name="setting">The setting at fault.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ScoringConfigurationException(string setting, string message, Exception innerException)
        : base($"{setting}: {message}", innerException)
    {
        Setting = setting;
    }

    /// <summary>Gets the setting at fault.</summary>
    public string Setting { get; }
}
