using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Cli.Output;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;
using Microsoft.Win32.SafeHandles;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace CustomerSegmentation.Cli.Commands;

/// <summary><c>custseg rfm</c>: RFM scores and segments for every customer of a purchases CSV.</summary>
internal static class RfmCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = PurchaseInput.Options();
        var transactions = input.Transactions;
        var asOf = new Option<LocalDate>("--as-of")
        {
            Description = "As-of date yyyy-MM-dd, inclusive (a purchase on it has recency 0); later rows are ignored",
            Required = true,
            CustomParser = r =>
            {
                var s = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
                var parsed = LocalDatePattern.Iso.Parse(s);
                if (parsed.Success)
                {
                    return parsed.Value;
                }

                r.AddError($"--as-of: '{s}' is not a yyyy-MM-dd date");
                return default;
            },
        };
        var bins = new Option<int>("--bins") { Description = "Number of scores k (2..10)", DefaultValueFactory = _ => 5 };
        bins.Validators.Add(r =>
        {
            var k = r.GetValueOrDefault<int>();
            if (k is < QuantileBinning.MinBins or > QuantileBinning.MaxBins)
            {
                r.AddError($"--bins must be between {QuantileBinning.MinBins} and {QuantileBinning.MaxBins}, got {k}");
            }
        });
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "Output CSV customer_id,recency_days,frequency,monetary,r,f,m,segment", Required = true };
        var timings = new Option<bool>("--timings") { Description = "Print phase timings and peak memory as one JSON line on stderr" };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "Skip malformed rows and report them on stderr instead of stopping (exit code 2)" };
        var threads = new Option<int>("--threads") { Description = "Worker threads = partitions (1..64); results do not depend on it", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 64) };
        threads.Validators.Add(r =>
        {
            var t = r.GetValueOrDefault<int>();
            if (t is < 1 or > 64)
            {
                r.AddError($"--threads must be between 1 and 64, got {t}");
            }
        });
        var parser = new Option<string>("--parser") { Description = "CSV reader: auto (UTF-8 fast path, Sep for irregular input), utf8 or sep", DefaultValueFactory = _ => "auto" };
        parser.AcceptOnlyFromAmong("auto", "utf8", "sep");

        var command = new Command("rfm", "RFM scores (tie-consistent quantiles) and segments for every customer")
        {
            transactions, input.Store, input.Connection, asOf, bins, outFile, timings, skipBad, threads, parser,
        };
        PurchaseInput.AddValidator(command, input);
        command.SetAction(pr =>
        {
            var source = PurchaseInput.From(pr, input);
            return Run(
                new RfmRequest(source.File ?? new FileInfo("store"), pr.GetValue(asOf), pr.GetValue(bins), pr.GetValue(outFile)!, pr.GetValue(timings),
                    pr.GetValue(skipBad), pr.GetValue(threads), pr.GetValue(parser)!, source.File is null ? source : null),
                output,
                error);
        });
        return command;
    }

    internal static int Run(RfmRequest request, TextWriter output, TextWriter error)
    {
        var total = Stopwatch.StartNew();
        var startSeconds = StartSeconds();
        var path = request.Store?.Describe ?? request.Transactions.FullName;
        if (request.Store is null && !request.Transactions.Exists)
        {
            error.WriteLine($"custseg rfm: input file not found: {request.Transactions}");
            return CliApp.IoError;
        }

        Task<SafeFileHandle>? opening = null;
        try
        {
            var (builder, report) = request.Store is { } store ? StoreTotalsIngest.IntoRfm(store, request.AsOf, request.Threads) : Ingest(request, path);

            // The input is read: the output may now be created. Truncating an existing file (often the previous run's,
            // still being written back) takes 0.1-0.2 s of waiting, which overlaps with building and scoring this way.
            opening = Task.Run(() => RfmCsvWriter.Create(request.Out.FullName));
            var phase = Stopwatch.StartNew();
            var aggregates = builder.Build(request.Threads);
            var buildSeconds = phase.Elapsed.TotalSeconds;

            // The reader's chunks and batches are garbage now: return them before the score columns are allocated.
            phase.Restart();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var collectSeconds = phase.Elapsed.TotalSeconds;
            var ingestSeconds = total.Elapsed.TotalSeconds;

            var sw = Stopwatch.StartNew();
            var scores = RfmColumnarScorer.Score(aggregates, request.Bins, RfmSegmentTable.Default, request.Threads);
            var scoreSeconds = sw.Elapsed.TotalSeconds;

            sw.Restart();
            long bytes;
            using (var handle = opening.GetAwaiter().GetResult())
            {
                opening = null;
                bytes = RfmCsvWriter.Write(handle, aggregates, scores, request.Threads);
            }

            var writeSeconds = sw.Elapsed.TotalSeconds;

            CommandFailures.PrintSkipped(error, "rfm", report.BadRows, report.FirstBadRows);

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"rfm: {aggregates.Count} customers ({scores.ScoredCount} scored, {aggregates.Count - scores.ScoredCount} with refunds only) from {report.Rows} rows ({report.RowsAfterAsOf} after {request.AsOf:yyyy-MM-dd} ignored, {report.BadRows} bad rows skipped) -> {request.Out} ({bytes} bytes) in {total.Elapsed.TotalSeconds:F2} s"));
            if (request.Timings)
            {
                // Reading, parsing and aggregating overlap on all threads: the ingest wall time is split by the threads' busy time.
                var busy = report.ParseSeconds + report.AggregateSeconds;
                var readShare = busy > 0 ? report.ParseSeconds / busy : 1;
                using var process = Process.GetCurrentProcess();
                error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{{\"command\":\"rfm\",\"parser\":\"{report.Parser}\",\"threads\":{request.Threads},\"rows\":{report.Rows},\"customers\":{aggregates.Count},\"read_s\":{ingestSeconds * readShare:F3},\"aggregate_s\":{ingestSeconds * (1 - readShare):F3},\"ingest_s\":{ingestSeconds:F3},\"build_s\":{buildSeconds:F3},\"collect_s\":{collectSeconds:F3},\"score_s\":{scoreSeconds:F3},\"write_s\":{writeSeconds:F3},\"total_s\":{total.Elapsed.TotalSeconds:F3},\"since_start_s\":{(DateTime.Now - process.StartTime).TotalSeconds:F3},\"start_s\":{startSeconds:F3},\"peak_memory_mb\":{process.PeakWorkingSet64 / (1024.0 * 1024):F1},\"gc\":[{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)}],\"gc_pause_s\":{GC.GetTotalPauseDuration().TotalSeconds:F3}}}"));
            }

            return CliApp.Ok;
        }
        catch (Exception ex) when (CommandFailures.Report(ex, error, "rfm", path) is { } code)
        {
            return code;
        }
        finally
        {
            // Only when something failed between opening and writing: close the handle that was not used.
            if (opening is { IsCompletedSuccessfully: true })
            {
                opening.Result.Dispose();
            }
        }
    }

    /// <summary>Seconds from the process's start to now (runtime start-up, JIT, command-line parsing).</summary>
    private static double StartSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return (DateTime.Now - process.StartTime).TotalSeconds;
    }

    /// <summary>
    /// A size hint for the aggregate tables from the file's length: about 96 bytes per customer (3.5 rows of ~27 bytes),
    /// capped at 12 M customers (~650 MB of slots). Only a hint: a wrong guess costs growth (too low) or untouched
    /// reserved slots (too high), never a different result.
    /// </summary>
    internal static long EstimateCustomers(long fileLength) => Math.Min(fileLength / 96, 12_000_000);

    /// <summary>
    /// The input's length in bytes, through symbolic links: <c>FileInfo.Length</c> of a link is the link's own length,
    /// which made the size hint ~0 and the tables grow (17 gen2 GCs, peak RSS ~1 GB instead of ~670 MB at 10 M).
    /// </summary>
    internal static long InputLength(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return RandomAccess.GetLength(handle);
    }

    /// <summary>The fold partitions for a worker count: four per worker (at most 64).</summary>
    internal static int PartitionsFor(int threads) => Math.Min(64, 4 * threads);

    private static (RfmAggregatesBuilder Builder, ReadReport Report) Ingest(RfmRequest request, string path)
    {
        var length = InputLength(path);
        var expected = EstimateCustomers(length);
        if (request.Parser != "sep")
        {
            // More partitions than workers: any worker can fold any partition that is ready, so none waits for a
            // particular other one (a core taken by another process stalls nothing but its own task).
            var builder = new RfmAggregatesBuilder(request.AsOf, PartitionsFor(request.Threads), expected);
            var reader = new Utf8PurchaseReader(path, builder, request.SkipBadRows, workers: request.Threads);
            try
            {
                return (builder, WithProgress(length, reader.Read));
            }
            catch (IrregularInputException) when (request.Parser == "auto")
            {
                // Lenient quoting or invalid UTF-8: Sep decides how such input reads.
            }
        }

        var sepBuilder = new RfmAggregatesBuilder(request.AsOf, request.Threads, expected);
        return (sepBuilder, WithProgress(length, progress => SepPurchaseReader.Read(path, sepBuilder, request.SkipBadRows, progress)));
    }

    private static ReadReport WithProgress(long length, Func<Action<long>?, ReadReport> read)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return read(null);
        }

        ReadReport? report = null;
        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("reading purchases", maxValue: Math.Max(1, length));
            report = read(n => task.Increment(n));
        });
        return report!;
    }
}

/// <summary>The arguments of <c>custseg rfm</c>.</summary>
internal sealed record RfmRequest(
    FileInfo Transactions, LocalDate AsOf, int Bins, FileInfo Out, bool Timings, bool SkipBadRows, int Threads, string Parser, PurchaseInput? Store = null);
