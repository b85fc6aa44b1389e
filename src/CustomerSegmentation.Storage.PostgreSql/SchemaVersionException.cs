namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>The database schema is of a version this package cannot use (newer than it knows, or older while upgrades are off).</summary>
public sealed class SchemaVersionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="schema">The schema name.</param>
    /// <param name="found">The version found in the database (0 = none).</param>
    /// <param name="supported">The newest version this package knows.</param>
    /// <param name="message">What to do about it.</param>
    public SchemaVersionException(string schema, int found, int supported, string message)
        : base(message)
    {
        Schema = schema;
        FoundVersion = found;
        SupportedVersion = supported;
    }

    /// <summary>Gets the schema name.</summary>
    public string Schema { get; }

    /// <summary>Gets the version found in the database (0 = none).</summary>
    public int FoundVersion { get; }

    /// <summary>Gets the newest version this package knows.</summary>
    public int SupportedVersion { get; }
}
