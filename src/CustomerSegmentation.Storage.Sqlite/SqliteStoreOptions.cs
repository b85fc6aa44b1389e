namespace CustomerSegmentation.Storage.Sqlite;

/// <summary>Names and sizes of the SQLite stores. Names are checked when the storage is created (ASCII letters, digits, '_').</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>Gets the customers table name.</summary>
    /// <value>Default <c>customers</c>.</value>
    public string CustomersTable { get; init; } = "customers";

    /// <summary>Gets the activity table name.</summary>
    /// <value>Default <c>activity</c>.</value>
    public string ActivityTable { get; init; } = "activity";

    /// <summary>Gets the table that records the schema version.</summary>
    /// <value>Default <c>schema_version</c>.</value>
    public string SchemaVersionTable { get; init; } = "schema_version";

    /// <summary>Gets the number of rows per keyset page when streaming.</summary>
    /// <value>Default 5 000.</value>
    public int PageSize { get; init; } = 5_000;

    /// <summary>Gets the number of customers per set-based summary query.</summary>
    /// <value>Default 10 000.</value>
    public int SummaryBatchSize { get; init; } = 10_000;

    /// <summary>Gets how long a statement waits for another writer's lock before it fails.</summary>
    /// <value>Default 30 seconds (SQLite has one writer at a time; WAL lets readers go on meanwhile).</value>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets a value indicating whether the storage creates or upgrades its schema on first use.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool CreateOrUpgradeSchema { get; init; } = true;

    /// <summary>Gets the default options.</summary>
    public static SqliteStoreOptions Default { get; } = new();
}
