namespace CustomerSegmentation.Customers;

/// <summary>Thrown by <see cref="ProfileSchemaBuilder.Build"/> when the schema's configuration is not valid.</summary>
public sealed class ProfileSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProfileSchemaException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the configuration.</param>
    public ProfileSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the configuration.</param>
    /// <param name="innerException">The cause.</param>
    public ProfileSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
