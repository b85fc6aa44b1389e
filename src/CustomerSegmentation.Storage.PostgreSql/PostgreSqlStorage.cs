using System.Globalization;
using System.Reflection;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Storage.Internal;
using Npgsql;

namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>
/// One PostgreSQL database (or one shard of it) holding CustomerSegmentation's tables: gives the
/// <see cref="ICustomerStore"/>, the <see cref="IActivityStore"/> and the database-side <see cref="IActivitySummarySource"/>
/// over it, and creates or upgrades the schema with the versioned SQL scripts embedded in the package.
/// </summary>
/// <remarks>
/// <para>The connection string is handed to Npgsql and never kept in a message, a log or an exception of this package
/// (Npgsql's own exceptions name host and port at most).</para>
/// <para>The schema is checked (and created or upgraded when <see cref="PostgreSqlStoreOptions.CreateOrUpgradeSchema"/>)
/// once, on the first call of any store; <see cref="MigrateAsync"/> does it on demand.</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed partial class PostgreSqlStorage : IAsyncDisposable
{
    /// <summary>The newest schema version this package knows.</summary>
    public const int SchemaVersion = 3;

    private const string Component = "CustomerSegmentation";
    private readonly bool _ownsDataSource;
    private readonly Lock _gate = new();
    private Task? _ready;

    private PostgreSqlStorage(NpgsqlDataSource dataSource, PostgreSqlStoreOptions options, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SummaryBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SummaryConnections, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SummaryConnections, 64, nameof(options));
        Options = options;
        DataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        var schema = StorageCodec.QuoteIdentifier(options.Schema, "PostgreSqlStoreOptions.Schema");
        QuotedSchema = schema;
        CustomersTable = schema + "." + StorageCodec.QuoteIdentifier(options.CustomersTable, "PostgreSqlStoreOptions.CustomersTable");
        ActivityTable = schema + "." + StorageCodec.QuoteIdentifier(options.ActivityTable, "PostgreSqlStoreOptions.ActivityTable");
        SchemaVersionTable = schema + "." + StorageCodec.QuoteIdentifier(options.SchemaVersionTable, "PostgreSqlStoreOptions.SchemaVersionTable");
        Customers = new PostgreSqlCustomerStore(this);
        Activity = new PostgreSqlActivityStore(this);
    }

    /// <summary>Gets the options.</summary>
    public PostgreSqlStoreOptions Options { get; }

    /// <summary>Gets the customer store.</summary>
    public PostgreSqlCustomerStore Customers { get; }

    /// <summary>Gets the activity store.</summary>
    public PostgreSqlActivityStore Activity { get; }

    internal NpgsqlDataSource DataSource { get; }

    internal string QuotedSchema { get; }

    internal string CustomersTable { get; }

    internal string ActivityTable { get; }

    internal string SchemaVersionTable { get; }

    /// <summary>Creates the storage over a connection string (Npgsql format). Nothing is opened until the first call.</summary>
    /// <param name="connectionString">The connection string; it is never logged or put in an exception.</param>
    /// <param name="options">Names and sizes; the defaults when <see langword="null"/>.</param>
    /// <returns>The storage; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or malformed (the message does not repeat it), or a configured name is not a valid identifier.</exception>
    public static PostgreSqlStorage Create(string connectionString, PostgreSqlStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSource source;
        try
        {
            source = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote a part of the string: replace it so that no secret escapes.
            throw new ArgumentException("The PostgreSQL connection string is malformed (its text is not repeated here).", nameof(connectionString));
        }

        return new PostgreSqlStorage(source, options ?? PostgreSqlStoreOptions.Default, ownsDataSource: true);
    }

    /// <summary>Creates the storage over a data source the host owns (it is not disposed with the storage).</summary>
    /// <param name="dataSource">The data source.</param>
    /// <param name="options">Names and sizes; the defaults when <see langword="null"/>.</param>
    /// <returns>The storage.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A configured name is not a valid identifier.</exception>
    public static PostgreSqlStorage Create(NpgsqlDataSource dataSource, PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgreSqlStorage(dataSource, options ?? PostgreSqlStoreOptions.Default, ownsDataSource: false);
    }

    /// <summary>Creates the storage and checks (creates or upgrades) its schema now.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="options">Names and sizes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The storage, ready.</returns>
    /// <exception cref="SchemaVersionException">The database has a newer schema than this package knows.</exception>
    public static async ValueTask<PostgreSqlStorage> OpenAsync(string connectionString, PostgreSqlStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var storage = Create(connectionString, options);
        try
        {
            await storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            return storage;
        }
        catch
        {
            await storage.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a summary source that aggregates in this database (one set-based query per batch of customers).</summary>
    /// <param name="options">The summary options (windows, a fixed-offset zone); the defaults when <see langword="null"/>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="Scoring.ScoringConfigurationException">The options need a currency converter or a zone with changing offsets, which the database cannot apply.</exception>
    public PostgreSqlActivitySummarySource CreateSummarySource(ActivitySummaryOptions? options = null) => new(this, options);

    /// <summary>Reads the schema version recorded in the database (0 when there is none).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    public async ValueTask<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        return await ReadVersionAsync(conn, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or upgrades the schema to <see cref="SchemaVersion"/>: each missing script runs in one transaction under an advisory lock, so concurrent callers apply it once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version before the call (0 = new schema).</returns>
    /// <exception cref="SchemaVersionException">The database has a newer schema than this package knows.</exception>
    public ValueTask<int> MigrateAsync(CancellationToken cancellationToken = default) => MigrateToAsync(SchemaVersion, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Migrates to a given version (tests use it to build an older schema).</summary>
    internal async ValueTask<int> MigrateToAsync(int target, CancellationToken cancellationToken)
    {
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@name))", conn, tx);
        await using (lockCmd.ConfigureAwait(false))
        {
            lockCmd.Parameters.AddWithValue("name", "custseg-schema:" + Options.Schema);
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var bootstrap = new NpgsqlCommand(
            $"CREATE SCHEMA IF NOT EXISTS {QuotedSchema}; CREATE TABLE IF NOT EXISTS {SchemaVersionTable} (component text PRIMARY KEY, version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            conn,
            tx);

        await using (bootstrap.ConfigureAwait(false))
        {
            await bootstrap.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var found = await ReadVersionAsync(conn, tx, cancellationToken).ConfigureAwait(false);
        if (found > SchemaVersion)
        {
            throw Newer(found);
        }

        for (var v = found + 1; v <= target; v++)
        {
            var script = new NpgsqlCommand(Script(v), conn, tx);
            await using (script.ConfigureAwait(false))
            {
                await script.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var record = new NpgsqlCommand(
                $"INSERT INTO {SchemaVersionTable} (component, version) VALUES (@c, @v) ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()",
                conn,
                tx);

            await using var recordScope = record.ConfigureAwait(false);
            record.Parameters.AddWithValue("c", Component);
            record.Parameters.AddWithValue("v", v);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Waits until the schema is checked (done once; a failure is retried on the next call).</summary>
    internal Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = CheckSchemaAsync();
            }

            ready = _ready;
        }

        return ready.IsCompletedSuccessfully ? ready : ready.WaitAsync(cancellationToken);
    }

    internal string Script(int version)
    {
        var name = Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Single(n => n.StartsWith(string.Create(CultureInfo.InvariantCulture, $"CustomerSegmentation.Storage.PostgreSql.Schema.V{version:D3}__"), StringComparison.Ordinal));
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Replace("{schema}", QuotedSchema, StringComparison.Ordinal)
            .Replace("{customers}", StorageCodec.QuoteIdentifier(Options.CustomersTable, "PostgreSqlStoreOptions.CustomersTable"), StringComparison.Ordinal)
            .Replace("{activity}", StorageCodec.QuoteIdentifier(Options.ActivityTable, "PostgreSqlStoreOptions.ActivityTable"), StringComparison.Ordinal)
            .Replace("{customers_name}", Options.CustomersTable, StringComparison.Ordinal)
            .Replace("{activity_name}", Options.ActivityTable, StringComparison.Ordinal);
    }

    private async Task CheckSchemaAsync()
    {
        if (Options.CreateOrUpgradeSchema)
        {
            await MigrateAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var found = await GetSchemaVersionAsync(CancellationToken.None).ConfigureAwait(false);
        if (found > SchemaVersion)
        {
            throw Newer(found);
        }

        if (found < SchemaVersion)
        {
            throw new SchemaVersionException(
                Options.Schema,
                found,
                SchemaVersion,
                string.Create(CultureInfo.InvariantCulture, $"Schema '{Options.Schema}' is at version {found} and this package needs {SchemaVersion}; upgrades are off (CreateOrUpgradeSchema = false): apply the package's scripts V{found + 1:D3}..V{SchemaVersion:D3} or turn upgrades on."));
        }
    }

    private SchemaVersionException Newer(int found) => new(
        Options.Schema,
        found,
        SchemaVersion,
        string.Create(CultureInfo.InvariantCulture, $"Schema '{Options.Schema}' is at version {found}, newer than the version {SchemaVersion} this package knows; nothing was changed. Upgrade CustomerSegmentation.Storage.PostgreSql, or point it at another schema."));

    private async ValueTask<int> ReadVersionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken cancellationToken)
    {
        var cmd = new NpgsqlCommand(
            $"SELECT CASE WHEN to_regclass(@t) IS NULL THEN NULL ELSE 1 END",
            conn,
            tx);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("t", SchemaVersionTable);
        if (await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not int)
        {
            return 0;
        }

        var read = new NpgsqlCommand($"SELECT version FROM {SchemaVersionTable} WHERE component = @c", conn, tx);

        await using var readScope = read.ConfigureAwait(false);
        read.Parameters.AddWithValue("c", Component);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
    }
}
