using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Storage.PostgreSql;
using CustomerSegmentation.Storage.Sqlite;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// <c>custseg import</c>: loads a purchases CSV into a store (PostgreSQL with binary COPY, SQLite with batched inserts in
/// transactions), with the row rules of <c>rfm</c>. Each batch of <see cref="BatchRows"/> rows is one transaction; a bad
/// row stops the import before the batch that holds it is written, and the message says how many rows were stored.
/// Parsing (UTF-8 fast path into columns) and writing the previous batch run on two threads (<see cref="ImportPipeline"/>).
/// With <c>--bulk</c> (PostgreSQL, empty activity table) the whole file is one transaction instead: the indexes are dropped,
/// every batch is copied, the indexes are built once at the end (<see cref="PostgreSqlBulkPurchaseLoad"/>), and a bad row or
/// a failure leaves the table as it was.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Rows per batch (one COPY / one transaction): large enough that the per-batch round trip is noise.</summary>
    public const int BatchRows = 50_000;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var transactions = new Option<FileInfo>("--transactions", "-t") { Description = "Purchases CSV with header customer_id,date,amount", Required = true };
        var store = new Option<string>("--store") { Description = "Target store: postgres or sqlite", Required = true };
        store.AcceptOnlyFromAmong("postgres", "sqlite");
        var connection = new Option<string>("--connection") { Description = "An Npgsql connection string (postgres) or a database file path (sqlite)", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 currency of the amounts (the CSV has none)", DefaultValueFactory = _ => "USD" };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "Skip malformed rows and report them on stderr instead of stopping (exit code 2)" };
        var bulk = new Option<bool>("--bulk") { Description = "PostgreSQL, empty activity table: load the whole file in one transaction, building the indexes once at the end (several times faster; nothing is stored unless every row is)" };
        var command = new Command("import", "Load a purchases CSV into a PostgreSQL or SQLite store") { transactions, store, connection, currency, skipBad, bulk };
        command.Validators.Add(r =>
        {
            if (r.GetValue(bulk) && r.GetValue(store) is { } s && s != "postgres")
            {
                r.AddError("--bulk needs --store postgres");
            }
        });
        command.SetAction(pr => Run(pr.GetValue(transactions)!, pr.GetValue(store)!, pr.GetValue(connection)!, pr.GetValue(currency)!, pr.GetValue(skipBad), output, error, bulk: pr.GetValue(bulk)));
        return command;
    }

    internal static int Run(FileInfo file, string store, string connection, string currencyCode, bool skipBadRows, TextWriter output, TextWriter error, int batchRows = BatchRows, bool bulk = false)
    {
        var total = Stopwatch.StartNew();
        if (!file.Exists)
        {
            error.WriteLine($"custseg import: input file not found: {file}");
            return CliApp.IoError;
        }

        Currency currency;
        try
        {
            currency = new Currency(currencyCode);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"custseg import: --currency: {e.Message}");
            return CliApp.BadInput;
        }

        Func<PurchaseColumnsBuilder, ValueTask> append;
        IAsyncDisposable? owned = null;
        PostgreSqlStorage? bulkTarget = null;
        PostgreSqlBulkPurchaseLoad? load = null;
        try
        {
            switch (store)
            {
                case "postgres":
                    var pg = PostgreSqlStorage.Create(connection);
                    owned = pg;
                    if (bulk)
                    {
                        bulkTarget = pg;
                        append = b => load!.AppendAsync(b);
                    }
                    else
                    {
                        append = b => pg.Activity.AppendPurchasesAsync(b, currency);
                    }

                    break;
                case "sqlite":
                    var lite = SqliteStorage.Create(connection);
                    append = b => lite.Activity.AppendPurchasesAsync(b, currency);
                    break;
                default:
                    throw new ArgumentException($"unknown store '{store}' (postgres or sqlite)", nameof(store));
            }
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"custseg import: --connection: {e.Message}");
            return CliApp.BadInput;
        }

        try
        {
            var interactive = !Console.IsErrorRedirected;
            var lastReport = Stopwatch.StartNew();
            var printed = false;
            void Progress(long stored)
            {
                if (lastReport.Elapsed.TotalSeconds >= 1)
                {
                    lastReport.Restart();
                    printed = true;
                    error.Write(string.Create(CultureInfo.InvariantCulture, $"{(interactive ? "\r" : string.Empty)}import: {stored:N0} rows {(load is null ? "stored" : "copied")}, {stored / Math.Max(total.Elapsed.TotalSeconds, 1e-9):N0} rows/s{(interactive ? string.Empty : "\n")}"));
                }
            }

            if (bulkTarget is not null)
            {
                try
                {
                    load = bulkTarget.Activity.BeginBulkPurchaseLoadAsync(currency).AsTask().GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or Storage.PostgreSql.SchemaVersionException or InvalidOperationException)
                {
                    error.WriteLine($"custseg import: the {store} store cannot start a bulk load (nothing was changed): {StoreErrors.Message(e)}");
                    return CliApp.IoError;
                }
            }

            ImportOutcome outcome;
            var indexSeconds = 0.0;
            using (var pipeline = new ImportPipeline(file.FullName, batchRows, skipBadRows, b => append(b).AsTask().GetAwaiter().GetResult(), Progress))
            {
                try
                {
                    outcome = pipeline.Run();
                    if (load is not null && outcome.Problem is null)
                    {
                        if (interactive && printed)
                        {
                            error.WriteLine();
                            printed = false;
                        }

                        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import: {load.Copied:N0} rows copied in {total.Elapsed.TotalSeconds:F1} s; building the primary key and indexes"));
                        var indexes = Stopwatch.StartNew();
                        load.CompleteAsync().AsTask().GetAwaiter().GetResult();
                        indexSeconds = indexes.Elapsed.TotalSeconds;
                    }
                }
                catch (IOException e)
                {
                    error.WriteLine($"custseg import: cannot read {file}: {e.Message}");
                    return CliApp.IoError;
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or Storage.PostgreSql.SchemaVersionException or Storage.Sqlite.SchemaVersionException or InvalidOperationException)
                {
                    if (interactive && printed)
                    {
                        error.WriteLine();
                    }

                    error.WriteLine(load is null
                        ? $"custseg import: the {store} store failed after {pipeline.Stored} rows were stored (the failed batch was rolled back): {StoreErrors.Message(e)}"
                        : $"custseg import: the {store} store failed after {pipeline.Stored} rows were copied; the bulk load was rolled back and 0 rows were stored: {StoreErrors.Message(e)}");
                    return CliApp.IoError;
                }
            }

            if (interactive && printed)
            {
                error.WriteLine();
            }

            if (outcome.Problem is { } problem && load is not null)
            {
                error.WriteLine($"custseg import: {problem} (0 rows stored: a --bulk import is one transaction)");
                return CliApp.BadInput;
            }

            if (outcome.Problem is { } stop)
            {
                error.WriteLine($"custseg import: {stop} ({outcome.Stored} rows stored before it, in whole batches of {batchRows})");
                return CliApp.BadInput;
            }

            if (outcome.BadRows > 0)
            {
                error.WriteLine($"custseg import: skipped {outcome.BadRows} bad row(s)");
            }

            if (load is not null)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import: bulk load committed; primary key, indexes and ANALYZE took {indexSeconds:F1} s"));
            }

            var seconds = total.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"import: {outcome.Stored} rows ({outcome.BadRows} bad rows skipped) from {file.Name} into the {store} store in {seconds:F2} s ({outcome.Stored / Math.Max(seconds, 1e-9):F0} rows/s, {file.Length} bytes, {outcome.Parser} parser, peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB)"));
            return CliApp.Ok;
        }
        finally
        {
            if (load is not null)
            {
                try
                {
                    load.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or IOException or InvalidOperationException)
                {
                    // The connection died with the load: the server rolled the transaction back already.
                }
            }

            if (owned is not null)
            {
                owned.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
