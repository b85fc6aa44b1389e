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
        var command = new Command("import", "Load a purchases CSV into a PostgreSQL or SQLite store") { transactions, store, connection, currency, skipBad };
        command.SetAction(pr => Run(pr.GetValue(transactions)!, pr.GetValue(store)!, pr.GetValue(connection)!, pr.GetValue(currency)!, pr.GetValue(skipBad), output, error));
        return command;
    }

    internal static int Run(FileInfo file, string store, string connection, string currencyCode, bool skipBadRows, TextWriter output, TextWriter error, int batchRows = BatchRows)
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
        try
        {
            switch (store)
            {
                case "postgres":
                    var pg = PostgreSqlStorage.Create(connection);
                    owned = pg;
                    append = b => pg.Activity.AppendPurchasesAsync(b, currency);
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
                    error.Write(string.Create(CultureInfo.InvariantCulture, $"{(interactive ? "\r" : string.Empty)}import: {stored:N0} rows stored, {stored / Math.Max(total.Elapsed.TotalSeconds, 1e-9):N0} rows/s{(interactive ? string.Empty : "\n")}"));
                }
            }

            ImportOutcome outcome;
            using (var pipeline = new ImportPipeline(file.FullName, batchRows, skipBadRows, b => append(b).AsTask().GetAwaiter().GetResult(), Progress))
            {
                try
                {
                    outcome = pipeline.Run();
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

                    error.WriteLine($"custseg import: the {store} store failed after {pipeline.Stored} rows were stored (the failed batch was rolled back): {StoreErrors.Message(e)}");
                    return CliApp.IoError;
                }
            }

            if (interactive && printed)
            {
                error.WriteLine();
            }

            if (outcome.Problem is { } problem)
            {
                error.WriteLine($"custseg import: {problem} ({outcome.Stored} rows stored before it, in whole batches of {batchRows})");
                return CliApp.BadInput;
            }

            if (outcome.BadRows > 0)
            {
                error.WriteLine($"custseg import: skipped {outcome.BadRows} bad row(s)");
            }

            var seconds = total.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"import: {outcome.Stored} rows ({outcome.BadRows} bad rows skipped) from {file.Name} into the {store} store in {seconds:F2} s ({outcome.Stored / Math.Max(seconds, 1e-9):F0} rows/s, {file.Length} bytes, {outcome.Parser} parser, peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB)"));
            return CliApp.Ok;
        }
        finally
        {
            if (owned is not null)
            {
                owned.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
