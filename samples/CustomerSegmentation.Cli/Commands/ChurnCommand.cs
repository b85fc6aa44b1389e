using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// <c>custseg churn</c>: assesses churn risk as of the calibration end (default rule set, BG/NBD P(alive) fitted on the
/// calibration period as a signal) and backtests it over the holdout: ROC AUC against recency alone and precision,
/// recall and F1 per level.
/// </summary>
internal static class ChurnCommand
{
    /// <summary>Length of the recent window; the default frequency- and spend-drop rules take the first window as recent, the others as baseline.</summary>
    public const int RecentDays = 91;

    /// <summary>Length of the baseline window, which ends where the recent window starts.</summary>
    public const int BaselineDays = 182;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = PurchaseInput.Options();
        var transactions = input.Transactions;
        var calibrationEnd = PurchaseRows.DateOption("--calibration-end", "Day of the assessment, yyyy-MM-dd (inclusive: assessed at the end of that day, UTC)", required: true);
        var holdoutEnd = PurchaseRows.DateOption("--holdout-end", "Last day of the holdout, yyyy-MM-dd (inclusive); no purchase in the holdout = churned", required: true);
        var metricsOut = new Option<FileInfo>("--metrics-out") { Description = "Backtest metrics as JSON {\"auc\",\"recencyAuc\",\"levels\":{level:{precision,recall,f1}}}" };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "Per-customer CSV customer_id,score,level,churned,reasons" };
        var timings = new Option<bool>("--timings") { Description = "Print phase timings and peak memory as one JSON line on stderr" };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "Skip malformed rows and report them on stderr instead of stopping (exit code 2)" };

        var command = new Command("churn", "Churn risk at the calibration end and its backtest over the holdout")
        {
            transactions, input.Store, input.Connection, calibrationEnd, holdoutEnd, metricsOut, outFile, timings, skipBad,
        };
        PurchaseInput.AddValidator(command, input);
        command.SetAction(pr => Run(
            new ChurnRequest(
                PurchaseInput.From(pr, input),
                pr.GetValue(calibrationEnd),
                pr.GetValue(holdoutEnd),
                pr.GetValue(metricsOut),
                pr.GetValue(outFile),
                pr.GetValue(timings),
                pr.GetValue(skipBad)),
            output,
            error));
        return command;
    }

    /// <summary>The instant a calendar day ends (its last nanosecond, UTC): dates on the command line are inclusive.</summary>
    public static Instant EndOfDay(LocalDate day) => day.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() - Duration.Epsilon;

    /// <summary>The summariser the command uses: a recent window of <see cref="RecentDays"/> and a baseline of <see cref="BaselineDays"/> before it.</summary>
    public static ActivitySummarizer Summarizer() => new(new ActivitySummaryOptions
    {
        Windows =
        [
            new SummaryWindow("recent", Duration.FromDays(RecentDays)),
            new SummaryWindow("baseline", Duration.FromDays(BaselineDays), Duration.FromDays(RecentDays)),
        ],
    });

    internal static int Run(ChurnRequest request, TextWriter output, TextWriter error)
    {
        var total = Stopwatch.StartNew();
        if (!request.Transactions.Exists)
        {
            error.WriteLine($"custseg churn: input file not found: {request.Transactions.Describe}");
            return CliApp.IoError;
        }

        if (request.HoldoutEnd <= request.CalibrationEnd)
        {
            error.WriteLine($"custseg churn: --holdout-end {request.HoldoutEnd:yyyy-MM-dd} must be after --calibration-end {request.CalibrationEnd:yyyy-MM-dd}");
            return CliApp.BadInput;
        }

        var input = new ChurnInput(request.CalibrationEnd, request.HoldoutEnd);
        var path = request.Transactions.Describe;
        long badRows = 0;
        try
        {
            var problem = request.Transactions.Read("churn", request.SkipBadRows, error, (id, date, amount) => input.Add(id, date, amount), ref badRows);
            if (problem is not null)
            {
                error.WriteLine($"custseg churn: {problem}");

                // From a CSV the problem is a bad row; from a store (rows checked when imported) it is a read error.
                return request.Transactions.File is null ? CliApp.IoError : CliApp.BadInput;
            }
        }
        catch (IOException e)
        {
            error.WriteLine($"custseg churn: cannot read {path}: {e.Message}");
            return CliApp.IoError;
        }

        var readSeconds = total.Elapsed.TotalSeconds;
        var calibrationEnd = EndOfDay(request.CalibrationEnd);
        var holdoutEnd = EndOfDay(request.HoldoutEnd);
        var summaries = Summarizer().SummarizeAll(input.Calibration, calibrationEnd).Where(s => s.HasPurchases).ToList();
        var (pAlive, modelNote) = FitPAlive(input.Btyd);
        var aggregateSeconds = total.Elapsed.TotalSeconds - readSeconds;

        var assessor = new ChurnAssessor();
        var signals = summaries.ToDictionary(
            s => s.CustomerId,
            s => pAlive.TryGetValue(s.CustomerId, out var p) ? new ChurnSignals { PAlive = p } : null);
        var customers = summaries.Select(s => new ChurnBacktestCustomer(s, input.HoldoutBuyers.Contains(s.CustomerId), signals[s.CustomerId])).ToList();
        var report = ChurnBacktest.Run(assessor, customers, calibrationEnd, holdoutEnd);
        var scoreSeconds = total.Elapsed.TotalSeconds - readSeconds - aggregateSeconds;

        try
        {
            if (request.MetricsOut is { } metricsFile)
            {
                WriteMetrics(metricsFile.FullName, report);
            }

            if (request.Out is { } outFile)
            {
                // Assessed again one at a time (as AssessAll does, with the same population) so that the reasons of
                // all customers are never in memory at once.
                var population = ChurnPopulation.FromSummaries(summaries, calibrationEnd);
                WriteCustomers(outFile.FullName, summaries.Select(s => assessor.Assess(s, calibrationEnd, population, signals[s.CustomerId]).GetValueOrThrow()), input.HoldoutBuyers);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"custseg churn: cannot write: {e.Message}");
            return CliApp.IoError;
        }

        var writeSeconds = total.Elapsed.TotalSeconds - readSeconds - aggregateSeconds - scoreSeconds;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"churn: {report.Customers} customers assessed as of {request.CalibrationEnd:yyyy-MM-dd} from {input.Rows} rows ({input.RowsAfterHoldout} after the holdout ignored, {badRows} bad rows skipped); {modelNote}"));
        output.Write(report.ToString());

        if (request.Timings)
        {
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"command\":\"churn\",\"customers\":{report.Customers},\"read_s\":{readSeconds:F3},\"aggregate_s\":{aggregateSeconds:F3},\"score_s\":{scoreSeconds:F3},\"write_s\":{writeSeconds:F3},\"total_s\":{total.Elapsed.TotalSeconds:F3},\"peak_memory_mb\":{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1}}}"));
        }

        return CliApp.Ok;
    }

    /// <summary>P(alive) at the calibration end from BG/NBD fitted on the calibration period; empty (and said) when the model cannot be fitted.</summary>
    private static (Dictionary<CustomerId, double> PAlive, string Note) FitPAlive(BtydSummaryBuilder builder)
    {
        var byId = new Dictionary<CustomerId, double>();
        try
        {
            var data = builder.Build();
            var model = BgNbdModel.Fit(data);
            var p = model.ProbabilityAlive(data);
            for (var i = 0; i < data.Count; i++)
            {
                byId[data.CustomerIds[i]] = p[i];
            }

            return (byId, string.Create(CultureInfo.InvariantCulture, $"P(alive) from BG/NBD {model.Parameters} fitted on the calibration period"));
        }
        catch (Exception e) when (e is ModelNotIdentifiableException or ModelConvergenceException or ArgumentException)
        {
            return (byId, $"no P(alive) signal (BG/NBD not fitted: {e.Message})");
        }
    }

    private static void WriteMetrics(string path, ChurnBacktestReport report)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("auc", report.Auc);
        json.WriteNumber("recencyAuc", report.RecencyAuc);
        json.WriteStartObject("levels");
        foreach (var level in report.Levels)
        {
            json.WriteStartObject(LevelName(level.Level));
            json.WriteNumber("precision", level.Precision);
            json.WriteNumber("recall", level.Recall);
            json.WriteNumber("f1", level.F1);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCustomers(string path, IEnumerable<ChurnAssessment> assessments, HashSet<CustomerId> holdoutBuyers)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" };
        writer.WriteLine("customer_id,score,level,churned,reasons");
        foreach (var a in assessments)
        {
            writer.Write(PurchaseRows.Quote(a.CustomerId.Value));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $",{a.Score:R},{LevelName(a.Level)},{(holdoutBuyers.Contains(a.CustomerId) ? "false" : "true")},"));
            writer.WriteLine(PurchaseRows.Quote(string.Join(" | ", a.Reasons)));
        }
    }

    internal static string LevelName(ChurnRiskLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>What the reader collects: calibration purchases as records, the BG/NBD builder and who bought in the holdout.</summary>
    private sealed class ChurnInput(LocalDate calibrationEnd, LocalDate holdoutEnd)
    {
        public List<ActivityRecord> Calibration { get; } = [];

        public BtydSummaryBuilder Btyd { get; } = new(calibrationEnd, holdoutEnd);

        public HashSet<CustomerId> HoldoutBuyers { get; } = [];

        public long Rows { get; private set; }

        public long RowsAfterHoldout { get; private set; }

        public void Add(CustomerId id, LocalDate day, decimal amount)
        {
            Rows++;
            if (day > holdoutEnd)
            {
                RowsAfterHoldout++;
                return;
            }

            Btyd.Add(id, day, amount);
            if (day <= calibrationEnd)
            {
                Calibration.Add(new Purchase(id, day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), new Money(amount, Currency.Usd)));
            }
            else if (amount >= 0m)
            {
                // A refund is not a purchase (as in the summariser): only a purchase in the holdout keeps a customer.
                HoldoutBuyers.Add(id);
            }
        }
    }
}

/// <summary>The parsed options of one <c>churn</c> run.</summary>
internal sealed record ChurnRequest(
    PurchaseInput Transactions,
    LocalDate CalibrationEnd,
    LocalDate HoldoutEnd,
    FileInfo? MetricsOut,
    FileInfo? Out,
    bool Timings,
    bool SkipBadRows);
