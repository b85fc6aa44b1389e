using System.CommandLine;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.PostgreSql;
using CustomerSegmentation.Storage.Sqlite;
using NodaTime;

namespace CustomerSegmentation.Cli.Input;

/// <summary>
/// Where a command's purchase rows come from: a CSV (<c>--transactions FILE</c>) or a store
/// (<c>--store postgres|sqlite --connection STRING</c>) filled by <c>custseg import</c>. Reusable by any command: add
/// <see cref="Options"/> to the command, call <see cref="AddValidator"/>, then <see cref="From"/> in the action and
/// <see cref="Read"/> to get every row in input order (a store replays its rows in append order, so that results equal
/// those from the CSV it was imported from), or <see cref="ReadTotals"/> to get one pre-aggregated row per customer in
/// the order that replay would first meet them. The connection string never appears in output or errors.
/// </summary>
internal sealed class PurchaseInput
{
    private PurchaseInput(FileInfo? file, string? store, string? connection)
    {
        File = file;
        Store = store;
        Connection = connection;
    }

    /// <summary>Gets the CSV, when reading one.</summary>
    public FileInfo? File { get; }

    /// <summary>Gets the store kind (<c>postgres</c> or <c>sqlite</c>), when reading a store.</summary>
    public string? Store { get; }

    private string? Connection { get; }

    /// <summary>Gets a description for messages: the file name, or the store kind (never the connection string).</summary>
    public string Describe => File?.ToString() ?? $"the {Store} store";

    /// <summary>The three input options of a command.</summary>
    internal sealed record InputOptions(Option<FileInfo> Transactions, Option<string> Store, Option<string> Connection)
    {
        public IEnumerable<Option> All => [Transactions, Store, Connection];
    }

    /// <summary>Creates the input options (<c>--transactions</c> is then optional: exactly one of it and <c>--store</c>).</summary>
    public static InputOptions Options()
    {
        var store = new Option<string>("--store") { Description = "Read purchases from a store filled by 'custseg import' instead of --transactions: postgres or sqlite" };
        store.AcceptOnlyFromAmong("postgres", "sqlite");
        return new InputOptions(
            new Option<FileInfo>("--transactions", "-t") { Description = "Purchases CSV with header customer_id,date,amount (or use --store)" },
            store,
            new Option<string>("--connection") { Description = "With --store: an Npgsql connection string (postgres) or a database file path (sqlite)" });
    }

    /// <summary>Adds the rule "exactly one of --transactions and --store, and --connection with --store" to a command.</summary>
    public static void AddValidator(Command command, InputOptions o) => command.Validators.Add(r =>
    {
        var file = r.GetValue(o.Transactions);
        var store = r.GetValue(o.Store);
        var connection = r.GetValue(o.Connection);
        if (store is null && connection is not null)
        {
            r.AddError("--connection needs --store.");
        }
        else if (file is null && store is null)
        {
            r.AddError("Option '--transactions' is required (or --store with --connection).");
        }
        else if (file is not null && store is not null)
        {
            r.AddError("--transactions and --store cannot be used together: read either a CSV or a store.");
        }
        else if (store is not null && string.IsNullOrWhiteSpace(connection))
        {
            r.AddError("--store needs --connection (a connection string for postgres, a file path for sqlite).");
        }
    });

    /// <summary>The input the parsed options name.</summary>
    public static PurchaseInput From(ParseResult pr, InputOptions o) => new(pr.GetValue(o.Transactions), pr.GetValue(o.Store), pr.GetValue(o.Connection));

    /// <summary>Creates the input of a CSV.</summary>
    public static PurchaseInput FromFile(FileInfo file) => new(file, null, null);

    /// <summary>Creates the input of a store.</summary>
    public static PurchaseInput FromStore(string store, string connection) => new(null, store, connection);

    /// <summary>Opens the store named by <paramref name="store"/> (<c>postgres</c> or <c>sqlite</c>).</summary>
    public static IStoreHandle OpenStore(string store, string connection) => store switch
    {
        "postgres" => new PostgresHandle(PostgreSqlStorage.Create(connection)),
        "sqlite" => new SqliteHandle(SqliteStorage.Create(connection)),
        _ => throw new ArgumentException($"--store: unknown store '{store}' (postgres or sqlite)", nameof(store)),
    };

    /// <summary>Whether the input exists (a missing CSV is an I/O error; a store is checked when read).</summary>
    public bool Exists => File?.Exists ?? true;

    /// <summary>
    /// Reads every row with the row rules of <c>rfm</c> and hands each to <paramref name="add"/>; returns the first
    /// problem as a message, or null. Rows from a store were checked when imported.
    /// </summary>
    public string? Read(string command, bool skipBadRows, TextWriter error, Action<CustomerId, LocalDate, decimal> add, ref long badRows)
    {
        if (File is not null)
        {
            return PurchaseRows.Read(File.FullName, command, skipBadRows, error, add, ref badRows);
        }

        var rows = 0L;
        var problem = ReadStore(
            h => h.PurchaseRows(),
            row =>
            {
                add(row.CustomerId, row.Day, row.Amount);
                rows++;
            });
        return problem ?? (rows == 0 ? NoPurchase : null);
    }

    /// <summary>
    /// Reads a store's per-customer purchase totals up to <paramref name="asOf"/>, aggregated in the database (one row per
    /// customer instead of every purchase row), in the order a replay of the rows would first meet the customers; hands
    /// each to <paramref name="add"/>. Returns the first problem as a message, or null.
    /// </summary>
    /// <exception cref="InvalidOperationException">The input is a CSV.</exception>
    public string? ReadTotals(LocalDate asOf, Action<CustomerSegmentation.Partitioning.CustomerPurchaseTotals> add)
    {
        if (File is not null)
        {
            throw new InvalidOperationException("Purchase totals come from a store, not from a CSV.");
        }

        var customers = 0L;
        var problem = ReadStore(
            h => h.PurchaseTotals(asOf),
            t =>
            {
                add(t);
                customers++;
            });
        return problem ?? (customers == 0 ? NoPurchase : null);
    }

    private string NoPurchase => $"{Describe} holds no purchase (fill it with 'custseg import')";

    private string? ReadStore<T>(Func<IStoreHandle, IAsyncEnumerable<T>> stream, Action<T> each)
    {
        try
        {
            using var handle = OpenStore(Store!, Connection!);
            var e = stream(handle).GetAsyncEnumerator();
            try
            {
                while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    each(e.Current);
                }
            }
            finally
            {
                e.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return null;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or Storage.PostgreSql.SchemaVersionException or Storage.Sqlite.SchemaVersionException or ArgumentException or InvalidOperationException or InvalidDataException)
        {
            return $"cannot read {Describe}: {StoreErrors.Message(ex)}";
        }
    }
}

/// <summary>Store error messages without secrets.</summary>
internal static class StoreErrors
{
    public static string Message(Exception e) => e switch
    {
        Npgsql.PostgresException p => $"PostgreSQL error {p.SqlState}: {p.MessageText}",
        Npgsql.NpgsqlException n => n.InnerException is { } inner ? $"{n.Message} ({inner.Message})" : n.Message,
        _ => e.Message,
    };
}

/// <summary>An open store as the CLI uses it.</summary>
internal interface IStoreHandle : IDisposable
{
    IAsyncEnumerable<(CustomerId CustomerId, LocalDate Day, decimal Amount)> PurchaseRows();

    IAsyncEnumerable<CustomerSegmentation.Partitioning.CustomerPurchaseTotals> PurchaseTotals(LocalDate asOf);

    Storage.IActivityStore Activity { get; }

    Task ImportAsync(IReadOnlyList<Activity.ActivityRecord> batch);
}

internal sealed class PostgresHandle(PostgreSqlStorage storage) : IStoreHandle
{
    public Storage.IActivityStore Activity => storage.Activity;

    public IAsyncEnumerable<(CustomerId CustomerId, LocalDate Day, decimal Amount)> PurchaseRows() => storage.StreamPurchaseRowsAsync();

    public IAsyncEnumerable<CustomerSegmentation.Partitioning.CustomerPurchaseTotals> PurchaseTotals(LocalDate asOf) => storage.StreamPurchaseTotalsAsync(asOf);

    public Task ImportAsync(IReadOnlyList<Activity.ActivityRecord> batch) => storage.Activity.AppendAsync(batch).AsTask();

    public void Dispose() => storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

internal sealed class SqliteHandle(SqliteStorage storage) : IStoreHandle
{
    public Storage.IActivityStore Activity => storage.Activity;

    public IAsyncEnumerable<(CustomerId CustomerId, LocalDate Day, decimal Amount)> PurchaseRows() => storage.StreamPurchaseRowsAsync();

    public IAsyncEnumerable<CustomerSegmentation.Partitioning.CustomerPurchaseTotals> PurchaseTotals(LocalDate asOf) => storage.StreamPurchaseTotalsAsync(asOf);

    public Task ImportAsync(IReadOnlyList<Activity.ActivityRecord> batch) => storage.Activity.AppendAsync(batch).AsTask();

    public void Dispose()
    {
    }
}
