using System.Diagnostics;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Storage.PostgreSql;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Storage;

/// <summary>
/// One timed run of <see cref="PostgreSqlSummaryBenchmark"/>'s two methods on data already in a store, for sizes where
/// BenchmarkDotNet's repeated runs take too long (10 M customers): every customer's summary as of a date, either pushed
/// down (one set-based statement per batch of customers) or with every activity row streamed into the application
/// (<see cref="ActivityStoreSummarySource"/>). Run each method in its own process so that peak memory is its own:
/// <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- storage-summary pushdown|rows SCHEMA yyyy-MM-dd</c>
/// with <c>CUSTSEG_PG</c> set (fill the schema with <c>custseg import</c>, whose schema is <c>custseg</c>).
/// </summary>
internal static class SummaryMeasuredRun
{
    public static void Run(string method, string schema, LocalDate asOf)
    {
        var cs = Environment.GetEnvironmentVariable("CUSTSEG_PG") ?? throw new InvalidOperationException("Set CUSTSEG_PG to a PostgreSQL server.");
        var storage = PostgreSqlStorage.Create(cs, new PostgreSqlStoreOptions { Schema = schema });
        try
        {
            IActivitySummarySource source = method switch
            {
                "pushdown" => storage.CreateSummarySource(),
                "rows" => new ActivityStoreSummarySource(storage.Activity),
                _ => throw new ArgumentException("method is pushdown or rows", nameof(method)),
            };
            var instant = asOf.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
            var wall = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            long customers = 0, purchases = 0;
            decimal revenue = 0;
            var e = source.GetSummariesAsync(instant).GetAsyncEnumerator();
            try
            {
                while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    customers++;
                    purchases += e.Current.PurchaseCount;
                    revenue += e.Current.NetSpend;
                }
            }
            finally
            {
                e.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            var p = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"storage-summary {method}: {customers} customers, {purchases} purchases, net spend {revenue} in {wall.Elapsed.TotalSeconds:F1} s (client CPU {(p.TotalProcessorTime - cpu).TotalSeconds:F1} s, peak working set {p.PeakWorkingSet64 / 1048576.0:F0} MB)"));
        }
        finally
        {
            storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
