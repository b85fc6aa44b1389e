using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// <c>custseg run</c>: the whole pipeline over a purchases CSV through <see cref="SegmentationEngine"/>: purchase rows
/// folded into columnar facts on all cores, population statistics, then batch scoring streamed to the output CSV.
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = PurchaseInput.Options();
        var transactions = input.Transactions;
        var asOf = PurchaseRows.DateOption("--as-of", "As-of date yyyy-MM-dd, inclusive (a purchase on it has recency 0); later rows are ignored", required: true);
        var config = new Option<FileInfo?>("--config", "-c") { Description = "JSON config: rfm, tiers, lifecycle, churn, tags, model, segments (each in its concept's JSON format)" };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "Output CSV, header " + RunCsvSink.Header, Required = true };
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

        var command = new Command("run", "The whole pipeline: RFM, value models, tier, lifecycle stage, churn, auto-tags and segments for every customer")
        {
            transactions, input.Store, input.Connection, asOf, config, outFile, timings, skipBad, threads,
        };
        PurchaseInput.AddValidator(command, input);
        command.SetAction(pr =>
        {
            var source = PurchaseInput.From(pr, input);
            return Run(
                new RunRequest(source.File ?? new FileInfo("store"), pr.GetValue(asOf), pr.GetValue(config), pr.GetValue(outFile)!, pr.GetValue(timings), pr.GetValue(skipBad), pr.GetValue(threads), source.File is null ? source : null),
                output,
                error);
        });
        return command;
    }

    internal static int Run(RunRequest request, TextWriter output, TextWriter error)
    {
        var total = Stopwatch.StartNew();
        if (request.Store is null && !request.Transactions.Exists)
        {
            error.WriteLine($"custseg run: input file not found: {request.Transactions}");
            return CliApp.IoError;
        }

        if (request.Config is { Exists: false })
        {
            error.WriteLine($"custseg run: config file not found: {request.Config}");
            return CliApp.IoError;
        }

        try
        {
            var config = RunConfig.Load(request.Config?.FullName, request.Threads);
            var engine = new SegmentationEngine(config.Options);
            var path = request.Transactions.FullName;
            var ingest = request.Store is { } store ? StoreTotalsIngest.IntoFacts(store, request.AsOf, request.Threads) : Ingest(path, request.AsOf, request.Threads, request.SkipBadRows);
            var facts = ingest.Facts;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var ingestSeconds = total.Elapsed.TotalSeconds;

            var sw = Stopwatch.StartNew();
            var statistics = engine.ComputeStatistics(facts);
            var statisticsSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            SegmentationRunSummary summary;
            long bytes;
            double writeBusy;
            using (var sink = new RunCsvSink(request.Out.FullName, engine))
            {
                summary = engine.Run(facts, statistics, sink);
                bytes = sink.Finish();
                writeBusy = sink.BusySeconds;
            }

            var scoreWriteSeconds = sw.Elapsed.TotalSeconds;
            CommandFailures.PrintSkipped(error, "run", ingest.BadRows, ingest.FirstBadRows);

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"run: {facts.Count} customers ({statistics.Scored} with purchases) from {ingest.Rows} rows ({ingest.RowsAfterAsOf} after {request.AsOf:yyyy-MM-dd} ignored, {ingest.BadRows} bad rows skipped) -> {request.Out} ({bytes} bytes) in {total.Elapsed.TotalSeconds:F2} s"));
            output.WriteLine("  " + statistics.Explain());
            output.WriteLine("  rfm segments: " + Counts(summary.RfmSegments));
            if (!summary.Tiers.IsEmpty)
            {
                output.WriteLine("  tiers: " + Counts(summary.Tiers));
            }

            if (!summary.Stages.IsEmpty)
            {
                output.WriteLine("  stages: " + Counts(summary.Stages));
            }

            output.WriteLine("  churn levels: " + Counts(summary.ChurnLevels));
            if (request.Timings)
            {
                // Scoring and writing overlap on the workers: their wall time is split by the workers' busy time in the sink.
                var threads = Math.Max(1, Math.Min(request.Threads, (facts.Count + engine.Options.BatchSize - 1) / Math.Max(1, engine.Options.BatchSize)));
                var writeShare = Math.Clamp(writeBusy / threads / Math.Max(1e-9, scoreWriteSeconds), 0, 1);
                using var process = Process.GetCurrentProcess();
                error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{{\"command\":\"run\",\"parser\":\"{ingest.Parser}\",\"threads\":{request.Threads},\"rows\":{ingest.Rows},\"customers\":{facts.Count},\"read_s\":{ingest.ReadSeconds:F3},\"aggregate_s\":{ingest.AggregateSeconds:F3},\"ingest_s\":{ingestSeconds:F3},\"statistics_s\":{statisticsSeconds:F3},\"score_s\":{statisticsSeconds + (scoreWriteSeconds * (1 - writeShare)):F3},\"write_s\":{scoreWriteSeconds * writeShare:F3},\"total_s\":{total.Elapsed.TotalSeconds:F3},\"peak_memory_mb\":{process.PeakWorkingSet64 / (1024.0 * 1024):F1},\"gc\":[{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)}],\"gc_pause_s\":{GC.GetTotalPauseDuration().TotalSeconds:F3}}}"));
            }

            return CliApp.Ok;
        }
        catch (RunConfigException ex)
        {
            error.WriteLine($"custseg run: {ex.Message}");
            return CliApp.BadInput;
        }
        catch (Exception ex) when (CommandFailures.Report(ex, error, "run", request.Transactions.FullName) is { } code)
        {
            return code;
        }
    }

    /// <summary>Reads the purchases into facts: the UTF-8 fast path, or Sep for input it leaves to Sep (lenient quotes, invalid UTF-8, UTF-16).</summary>
    internal static IngestResult Ingest(string path, LocalDate asOf, int threads, bool skipBadRows)
    {
        var expected = RfmCommand.EstimateCustomers(RfmCommand.InputLength(path));
        try
        {
            return IngestUtf8(path, asOf, threads, skipBadRows, expected);
        }
        catch (IrregularInputException)
        {
            return IngestSep(path, asOf, threads, skipBadRows, expected);
        }
    }

    private static string Counts(IEnumerable<KeyValuePair<string, long>> counts) =>
        string.Join(", ", counts.Where(c => c.Value > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));

    /// <summary>
    /// The UTF-8 fast path with <c>rfm</c>'s scheduler (<see cref="Utf8PurchaseReader"/>): reading, parsing and folding
    /// overlap on all workers, with <see cref="RfmCommand.PartitionsFor"/> fold partitions so that no worker waits for a
    /// particular other one. The facts do not depend on the partition or worker count.
    /// </summary>
    private static IngestResult IngestUtf8(string path, LocalDate asOf, int threads, bool skipBadRows, long expected)
    {
        var wall = Stopwatch.StartNew();
        var builder = new PurchaseFactsBuilder(asOf, RfmCommand.PartitionsFor(threads), expected);
        var reader = new Utf8PurchaseReader(path, builder.Partitions, builder.CreatePurchaseBatch, builder.Add, skipBadRows, workers: threads);
        var report = reader.Read();
        var readWall = wall.Elapsed.TotalSeconds;
        var build = Stopwatch.StartNew();
        var facts = builder.Build(threads);
        var buildSeconds = build.Elapsed.TotalSeconds;

        // Parsing and folding overlap on the workers: the read wall time is split by their busy time.
        var busy = report.ParseSeconds + report.AggregateSeconds;
        var parseShare = busy > 0 ? report.ParseSeconds / busy : 1;
        return new IngestResult(
            facts, report.Rows + report.RowsAfterAsOf, report.RowsAfterAsOf, report.BadRows, report.FirstBadRows, "utf8", readWall * parseShare, (readWall * (1 - parseShare)) + buildSeconds);
    }

    private static IngestResult IngestSep(string path, LocalDate asOf, int threads, bool skipBadRows, long expected)
    {
        var read = Stopwatch.StartNew();
        var builder = new PurchaseFactsBuilder(asOf, threads, expected);
        var batch = builder.CreateBatch();
        long rows = 0, after = 0, badRows = 0;
        var buffer = new byte[256];
        void Fold()
        {
            for (var p = 0; p < threads; p++)
            {
                builder.Add(batch, p);
            }

            after += batch.RowsAfterAsOf;
            batch.Clear();
        }

        var problem = PurchaseRows.Read(path, "run", skipBadRows, TextWriter.Null, (id, date, amount) =>
        {
            var max = Encoding.UTF8.GetMaxByteCount(id.Value.Length);
            if (buffer.Length < max)
            {
                buffer = new byte[max];
            }

            var n = Encoding.UTF8.GetBytes(id.Value, buffer);
            batch.Add(buffer.AsSpan(0, n), Utf8PurchaseFields.ToEpochDay(date), checked((long)(amount * Utf8PurchaseFields.AmountScale)));
            rows++;
            if (batch.Count + batch.RowsAfterAsOf >= 1 << 20)
            {
                Fold();
            }
        }, ref badRows);
        if (problem is not null)
        {
            throw new InputProblemException(ParseProblem(problem, path));
        }

        Fold();
        var facts = builder.Build(threads);
        return new IngestResult(facts, rows, after, badRows, [], "sep", read.Elapsed.TotalSeconds, 0);
    }

    private static InputProblem ParseProblem(string problem, string path)
    {
        // PurchaseRows reports "path:line: reason" or "path: reason".
        var rest = problem.StartsWith(path, StringComparison.Ordinal) ? problem[(path.Length + 1)..] : problem;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(rest.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            ? new InputProblem(path, line, rest[(colon + 1)..].TrimStart())
            : new InputProblem(path, 1, rest.TrimStart());
    }
}

/// <summary>The arguments of <c>custseg run</c>.</summary>
internal sealed record RunRequest(FileInfo Transactions, LocalDate AsOf, FileInfo? Config, FileInfo Out, bool Timings, bool SkipBadRows, int Threads, PurchaseInput? Store = null);

/// <summary>What reading the purchases produced.</summary>
internal sealed record IngestResult(
    CustomerFacts Facts, long Rows, long RowsAfterAsOf, long BadRows, IReadOnlyList<InputProblem> FirstBadRows, string Parser, double ReadSeconds, double AggregateSeconds);
