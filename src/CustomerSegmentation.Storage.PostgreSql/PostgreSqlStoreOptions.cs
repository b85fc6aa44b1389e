namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>Names and sizes of the PostgreSQL stores. Names are checked when the storage is created (ASCII letters, digits, '_').</summary>
public sealed record PostgreSqlStoreOptions
{
    /// <summary>Gets the schema holding the tables.</summary>
    /// <value>Default <c>custseg</c>.</value>
    public string Schema { get; init; } = "custseg";

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
    /// <value>Default 5 000: large enough that the round trip per page is noise, small enough to bound memory.</value>
    public int PageSize { get; init; } = 5_000;

    /// <summary>Gets the number of customers per set-based summary query.</summary>
    /// <value>Default 10 000 customers per statement.</value>
    public int SummaryBatchSize { get; init; } = 10_000;

    /// <summary>
    /// Gets the number of connections that run summary batches at the same time when all customers' summaries are
    /// read (<see cref="PostgreSqlActivitySummarySource.GetSummariesAsync"/>). They share one snapshot
    /// (<c>pg_export_snapshot</c>), so the result is that of a single repeatable-read transaction; the summaries still
    /// come in id order, and at most this many batches are held at once.
    /// </summary>
    /// <value>Default 2 (one more connection finds the batch boundaries); 1 runs every batch on one connection.</value>
    public int SummaryConnections { get; init; } = 2;

    /// <summary>Gets a value indicating whether the storage creates or upgrades its schema on first use.</summary>
    /// <value>Default <see langword="true"/>; when <see langword="false"/> a missing or older schema is an error (for hosts that migrate with their own tools, using the scripts in the package).</value>
    public bool CreateOrUpgradeSchema { get; init; } = true;

    /// <summary>Gets the default options.</summary>
    public static PostgreSqlStoreOptions Default { get; } = new();
}
