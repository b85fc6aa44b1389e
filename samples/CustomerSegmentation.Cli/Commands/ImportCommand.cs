using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Cli.Input;
using NodaTime;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// <c>custseg import</c>: loads a purchases CSV into a store (PostgreSQL with binary COPY, SQLite with batched inserts in
/// transactions), with the row rules of <c>rfm</c>. Each batch of <see cref="BatchRows"/> rows is one transaction; a bad
/// row stops the import before the batch that holds it is written, and the message says how many rows were stored.
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

    internal static int Run(FileInfo file, string store, string connection, string currencyCode, bool skipBadRows, TextWriter output, TextWriter error)
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

        IStoreHandle handle;
        try
        {
            handle = PurchaseInput.OpenStore(store, connection);
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"custseg import: --connection: {e.Message}");
            return CliApp.BadInput;
        }

        using (handle)
        {
            var batch = new List<ActivityRecord>(BatchRows);
            long stored = 0, badRows = 0;
            var length = file.Length;
            var interactive = !Console.IsErrorRedirected;
            var lastReport = Stopwatch.StartNew();
            void Flush()
            {
                if (batch.Count == 0)
                {
                    return;
                }

                handle.ImportAsync(batch).GetAwaiter().GetResult();
                stored += batch.Count;
                batch.Clear();
                if (lastReport.Elapsed.TotalSeconds >= 1)
                {
                    lastReport.Restart();
                    error.Write(string.Create(CultureInfo.InvariantCulture, $"{(interactive ? "\r" : string.Empty)}import: {stored:N0} rows stored, {stored / Math.Max(total.Elapsed.TotalSeconds, 1e-9):N0} rows/s{(interactive ? string.Empty : "\n")}"));
                }
            }

            string? problem;
            try
            {
                problem = PurchaseRows.Read(file.FullName, "import", skipBadRows, error, (id, day, amount) =>
                {
                    batch.Add(new Purchase(id, day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), new Money(amount, currency)));
                    if (batch.Count == BatchRows)
                    {
                        Flush();
                    }
                }, ref badRows);
                if (problem is null)
                {
                    Flush();
                }
            }
            catch (IOException e)
            {
                error.WriteLine($"custseg import: cannot read {file}: {e.Message}");
                return CliApp.IoError;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or Storage.PostgreSql.SchemaVersionException or Storage.Sqlite.SchemaVersionException or InvalidOperationException)
            {
                error.WriteLine($"custseg import: the {store} store failed after {stored} rows were stored (the failed batch was rolled back): {StoreErrors.Message(e)}");
                return CliApp.IoError;
            }

            if (interactive && stored > 0)
            {
                error.WriteLine();
            }

            if (problem is not null)
            {
                error.WriteLine($"custseg import: {problem} ({stored} rows stored before it, in whole batches of {BatchRows})");
                return CliApp.BadInput;
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"import: {stored} rows ({badRows} bad rows skipped) from {file.Name} into the {store} store in {total.Elapsed.TotalSeconds:F2} s ({stored / Math.Max(total.Elapsed.TotalSeconds, 1e-9):F0} rows/s, {length} bytes)"));
            return CliApp.Ok;
        }
    }
}
