using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Storage.Internal;
using CustomerSegmentation.ValueModels;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CustomerSegmentation.Storage.Sqlite;

/// <summary>
/// One SQLite database file holding CustomerSegmentation's tables: the embedded choice for a single-machine app. Gives
/// the <see cref="ICustomerStore"/>, the <see cref="IActivityStore"/> and the database-side
/// <see cref="IActivitySummarySource"/>, and creates or upgrades the schema with the versioned scripts in the package.
/// </summary>
/// <remarks>
/// The file runs in WAL mode (readers never wait for the writer); writes are serialised by SQLite and wait up to
/// <see cref="SqliteStoreOptions.BusyTimeout"/> for the lock. Amounts may have at most 4 decimals (they are summed as
/// integer units of 1/10 000, SQLite having no decimal type).
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class SqliteStorage
{
    /// <summary>The newest schema version this package knows.</summary>
    public const int SchemaVersion = 3;

    private const string Component = "CustomerSegmentation";
    private readonly Lock _gate = new();
    private readonly string _connectionString;
    private Task? _ready;

    private SqliteStorage(string path, SqliteStoreOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SummaryBatchSize, 1, nameof(options));
        Options = options;
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        CustomersTable = StorageCodec.QuoteIdentifier(options.CustomersTable, "SqliteStoreOptions.CustomersTable");
        ActivityTable = StorageCodec.QuoteIdentifier(options.ActivityTable, "SqliteStoreOptions.ActivityTable");
        SchemaVersionTable = StorageCodec.QuoteIdentifier(options.SchemaVersionTable, "SqliteStoreOptions.SchemaVersionTable");
        Population = new PopulationSql(ActivityTable, "amount_e4", "amount_e4", "sum(u)", "0", "0");
        Customers = new SqliteCustomerStore(this);
        Activity = new SqliteActivityStore(this);
    }

    /// <summary>Gets the database file path.</summary>
    public string Path { get; }

    /// <summary>Gets the options.</summary>
    public SqliteStoreOptions Options { get; }

    /// <summary>Gets the customer store.</summary>
    public SqliteCustomerStore Customers { get; }

    /// <summary>Gets the activity store.</summary>
    public SqliteActivityStore Activity { get; }

    internal string CustomersTable { get; }

    internal string ActivityTable { get; }

    internal string SchemaVersionTable { get; }

    internal PopulationSql Population { get; }

    /// <summary>Creates the storage over a database file (created when missing). Nothing is opened until the first call.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Names and sizes; the defaults when <see langword="null"/>.</param>
    /// <returns>The storage.</returns>
    /// <exception cref="ArgumentException">The path is empty, or a configured name is not a valid identifier.</exception>
    public static SqliteStorage Create(string path, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new SqliteStorage(path, options ?? SqliteStoreOptions.Default);
    }

    /// <summary>Creates the storage and checks (creates or upgrades) its schema now.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Names and sizes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The storage, ready.</returns>
    /// <exception cref="SchemaVersionException">The file has a newer schema than this package knows.</exception>
    public static async ValueTask<SqliteStorage> OpenAsync(string path, SqliteStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        var storage = Create(path, options);
        await storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return storage;
    }

    /// <summary>Creates a summary source that aggregates in this database (one set-based query per batch of customers).</summary>
    /// <param name="options">The summary options; the defaults when <see langword="null"/>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="Scoring.ScoringConfigurationException">The options need a currency converter or a zone with changing offsets.</exception>
    public SqliteActivitySummarySource CreateSummarySource(ActivitySummaryOptions? options = null) => new(this, options);

    /// <summary>Reads the schema version recorded in the file (0 when there is none).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    public async ValueTask<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        return ReadVersion(conn, null);
    }

    /// <summary>Creates or upgrades the schema to <see cref="SchemaVersion"/>, each script in one immediate transaction.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version before the call (0 = new schema).</returns>
    /// <exception cref="SchemaVersionException">The file has a newer schema than this package knows.</exception>
    public ValueTask<int> MigrateAsync(CancellationToken cancellationToken = default) => MigrateToAsync(SchemaVersion, cancellationToken);

    /// <summary>Computes the RFM partial up to <paramref name="asOf"/> (inclusive, UTC days) with one statement.</summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The partial.</returns>
    public async ValueTask<RfmPartial> ComputeRfmPartialAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        return await Population.RfmPartialAsync(conn, asOf, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams every customer's RFM inputs up to <paramref name="asOf"/>, aggregated in the database, in id order.</summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One aggregate per customer with a purchase or refund.</returns>
    public async IAsyncEnumerable<CustomerRfmAggregate> StreamRfmAggregatesAsync(LocalDate asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var a in Population.StreamRfmAsync(conn, asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return a;
        }
    }

    /// <summary>
    /// Streams every customer's purchase totals up to <paramref name="asOf"/> (inclusive, UTC days), aggregated in the
    /// database in one statement, so that one row per customer travels instead of every purchase row. Customers come in
    /// the order in which their first row up to <paramref name="asOf"/> was appended (the order a replay of
    /// <see cref="StreamPurchaseRowsAsync"/> would first meet them); customers whose rows are all later come last, with
    /// <see cref="CustomerPurchaseTotals.Rows"/> 0, so that the row counts add up.
    /// </summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One total per customer with a purchase or refund.</returns>
    /// <exception cref="InvalidDataException">An amount has more than 4 decimals.</exception>
    public async IAsyncEnumerable<CustomerPurchaseTotals> StreamPurchaseTotalsAsync(LocalDate asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var t in Population.StreamTotalsAsync(conn, asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return t;
        }
    }

    /// <summary>Counts the BG/NBD histories by (x, t_x, T) up to the calibration end with one statement.</summary>
    /// <param name="calibrationEnd">The calibration end day (inclusive).</param>
    /// <param name="timeUnit">The model's time unit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics.</returns>
    public async ValueTask<BgNbdSufficientStatistics> ComputeBgNbdStatisticsAsync(LocalDate calibrationEnd, BtydTimeUnit timeUnit = BtydTimeUnit.Weeks, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        return await Population.BgNbdAsync(conn, calibrationEnd, timeUnit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams purchase rows (customer, UTC day, amount) in append order.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The rows.</returns>
    public async IAsyncEnumerable<(CustomerId CustomerId, LocalDate Day, decimal Amount)> StreamPurchaseRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var row in Population.StreamPurchaseRowsAsync(conn, static (r, i) => r.GetInt64(i) / 10_000m, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    internal async ValueTask<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal async ValueTask<int> MigrateToAsync(int target, CancellationToken cancellationToken)
    {
        var conn = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        using (var wal = conn.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL";
            wal.ExecuteNonQuery();
        }

        using var tx = conn.BeginTransaction(deferred: false);
        using (var bootstrap = conn.CreateCommand())
        {
            bootstrap.Transaction = tx;
            bootstrap.CommandText = $"CREATE TABLE IF NOT EXISTS {SchemaVersionTable} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";
            bootstrap.ExecuteNonQuery();
        }

        var found = ReadVersion(conn, tx);
        if (found > SchemaVersion)
        {
            throw Newer(found);
        }

        for (var v = found + 1; v <= target; v++)
        {
            using (var script = conn.CreateCommand())
            {
                script.Transaction = tx;
                script.CommandText = Script(v);
                script.ExecuteNonQuery();
            }

            using var record = conn.CreateCommand();
            record.Transaction = tx;
            record.CommandText = $"INSERT INTO {SchemaVersionTable} (component, version) VALUES (@c, @v) ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = CURRENT_TIMESTAMP";
            record.Parameters.AddWithValue("@c", Component);
            record.Parameters.AddWithValue("@v", v);
            record.ExecuteNonQuery();
        }

        tx.Commit();
        return found;
    }

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

    private string Script(int version)
    {
        var name = Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Single(n => n.StartsWith(string.Create(CultureInfo.InvariantCulture, $"CustomerSegmentation.Storage.Sqlite.Schema.V{version:D3}__"), StringComparison.Ordinal));
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Replace("{customers}", CustomersTable, StringComparison.Ordinal)
            .Replace("{activity}", ActivityTable, StringComparison.Ordinal)
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
                Options.SchemaVersionTable,
                found,
                SchemaVersion,
                string.Create(CultureInfo.InvariantCulture, $"The database is at schema version {found} and this package needs {SchemaVersion}; upgrades are off (CreateOrUpgradeSchema = false)."));
        }
    }

    private SchemaVersionException Newer(int found) => new(
        Options.SchemaVersionTable,
        found,
        SchemaVersion,
        string.Create(CultureInfo.InvariantCulture, $"The database {System.IO.Path.GetFileName(Path)} is at schema version {found}, newer than the version {SchemaVersion} this package knows; nothing was changed. Upgrade CustomerSegmentation.Storage.Sqlite."));

    private int ReadVersion(SqliteConnection conn, SqliteTransaction? tx)
    {
        using var exists = conn.CreateCommand();
        exists.Transaction = tx;
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @t";
        exists.Parameters.AddWithValue("@t", Options.SchemaVersionTable);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return 0;
        }

        using var read = conn.CreateCommand();
        read.Transaction = tx;
        read.CommandText = $"SELECT version FROM {SchemaVersionTable} WHERE component = @c";
        read.Parameters.AddWithValue("@c", Component);
        return read.ExecuteScalar() is long v ? (int)v : 0;
    }
}
