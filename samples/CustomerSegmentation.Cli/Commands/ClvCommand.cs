using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// <c>custseg clv</c>: fits BG/NBD and Gamma-Gamma on the calibration period of a purchases CSV and writes the fitted
/// parameters (JSON) and, per customer, P(alive), expected purchases, expected average spend and CLV.
/// </summary>
internal static class ClvCommand
{

    public static Command Create(TextWriter output, TextWriter error)
    {
        var transactions = new Option<FileInfo>("--transactions", "-t") { Description = "Purchases CSV with header customer_id,date,amount", Required = true };
        var calibrationEnd = PurchaseRows.DateOption("--calibration-end", "Last day of the calibration period, yyyy-MM-dd (inclusive)", required: true);
        var holdoutEnd = PurchaseRows.DateOption("--holdout-end", "Last day of the holdout period, yyyy-MM-dd (inclusive); expected purchases cover its length", required: false);
        var horizon = new Option<double?>("--horizon") { Description = "Length of the prediction period in --time-unit (when there is no --holdout-end)" };
        var timeUnit = new Option<string>("--time-unit") { Description = "Time unit of recency, T and the horizon", DefaultValueFactory = _ => "weeks" };
        timeUnit.AcceptOnlyFromAmong("weeks", "days");
        var paramsOut = new Option<FileInfo>("--params-out") { Description = "Fitted parameters as JSON", Required = true };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "Per-customer CSV customer_id,frequency,recency,T,p_alive,expected_purchases,expected_avg_spend,clv" };
        var timings = new Option<bool>("--timings") { Description = "Print phase timings and peak memory as one JSON line on stderr" };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "Skip malformed rows and report them on stderr instead of stopping (exit code 2)" };

        var command = new Command("clv", "BG/NBD + Gamma-Gamma: P(alive), expected purchases and CLV per customer")
        {
            transactions, calibrationEnd, holdoutEnd, horizon, timeUnit, paramsOut, outFile, timings, skipBad,
        };
        command.SetAction(pr => Run(
            new ClvRequest(
                pr.GetValue(transactions)!,
                pr.GetValue(calibrationEnd),
                pr.GetResult(holdoutEnd) is null ? null : pr.GetValue(holdoutEnd),
                pr.GetValue(horizon),
                pr.GetValue(timeUnit) == "days" ? BtydTimeUnit.Days : BtydTimeUnit.Weeks,
                pr.GetValue(paramsOut)!,
                pr.GetValue(outFile),
                pr.GetValue(timings),
                pr.GetValue(skipBad)),
            output,
            error));
        return command;
    }

    internal static int Run(ClvRequest request, TextWriter output, TextWriter error)
    {
        var total = Stopwatch.StartNew();
        if (!request.Transactions.Exists)
        {
            error.WriteLine($"custseg clv: input file not found: {request.Transactions}");
            return CliApp.IoError;
        }

        if (request.HoldoutEnd is { } he && he <= request.CalibrationEnd)
        {
            error.WriteLine($"custseg clv: --holdout-end {he:yyyy-MM-dd} must be after --calibration-end {request.CalibrationEnd:yyyy-MM-dd}");
            return CliApp.BadInput;
        }

        if (request.HoldoutEnd is not null && request.Horizon is not null)
        {
            error.WriteLine("custseg clv: give either --holdout-end or --horizon, not both");
            return CliApp.BadInput;
        }

        if (request.Horizon is { } hz && !(hz > 0 && double.IsFinite(hz)))
        {
            error.WriteLine($"custseg clv: --horizon must be a positive number, got {hz.ToString(CultureInfo.InvariantCulture)}");
            return CliApp.BadInput;
        }

        var builder = new BtydSummaryBuilder(request.CalibrationEnd, request.HoldoutEnd, request.TimeUnit);
        var path = request.Transactions.FullName;
        long badRows = 0;
        try
        {
            var problem = PurchaseRows.Read(path, "clv", request.SkipBadRows, error, (id, date, amount) => builder.Add(id, date, amount), ref badRows);
            if (problem is not null)
            {
                error.WriteLine($"custseg clv: {problem}");
                return CliApp.BadInput;
            }
        }
        catch (IOException e)
        {
            error.WriteLine($"custseg clv: cannot read {path}: {e.Message}");
            return CliApp.IoError;
        }

        var readSeconds = total.Elapsed.TotalSeconds;
        BtydData data;
        BgNbdModel bg;
        GammaGammaModel gg;
        try
        {
            data = builder.Build();
            bg = BgNbdModel.Fit(data);
            gg = GammaGammaModel.Fit(data);
        }
        catch (Exception e) when (e is ModelNotIdentifiableException or ModelConvergenceException)
        {
            error.WriteLine($"custseg clv: {path}: {e.Message}");
            return CliApp.BadInput;
        }

        var fitSeconds = total.Elapsed.TotalSeconds - readSeconds;
        var length = data.HoldoutLength ?? request.Horizon ?? (request.TimeUnit == BtydTimeUnit.Weeks ? 52.0 : 365.0);
        var pAlive = bg.ProbabilityAlive(data);
        var expected = bg.ConditionalExpectedPurchases(length, data);
        var spend = new double[data.Count];
        gg.ConditionalExpectedAverageSpend(data.Frequency, data.AverageRepeatSpend, spend);
        var clv = new ClvCalculator(bg, gg).Values(data);
        var scoreSeconds = total.Elapsed.TotalSeconds - readSeconds - fitSeconds;

        try
        {
            WriteParameters(request.ParamsOut.FullName, bg, gg);
            if (request.Out is { } outFile)
            {
                WriteCustomers(outFile.FullName, data, pAlive, expected, spend, clv);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"custseg clv: cannot write: {e.Message}");
            return CliApp.IoError;
        }

        var writeSeconds = total.Elapsed.TotalSeconds - readSeconds - fitSeconds - scoreSeconds;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"clv: {data.Count} customers from {builder.RowsAdded} rows ({builder.RowsIgnored} after the periods ignored, {builder.CustomersExcluded} first buying after calibration end left out, {badRows} bad rows skipped); BG/NBD {bg.Parameters}, log-likelihood {bg.FitReport!.LogLikelihood:F4}; Gamma-Gamma {gg.Parameters}; expected purchases over {length:G6} {request.TimeUnit.ToString().ToLowerInvariant()}"));
        if (data.HasHoldout)
        {
            var cmp = bg.CompareHoldout(data);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"holdout: predicted {cmp.PredictedTotal:F1} purchases, actual {cmp.ActualTotal:F0}"));
        }

        if (request.Timings)
        {
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"command\":\"clv\",\"customers\":{data.Count},\"read_s\":{readSeconds:F3},\"fit_s\":{fitSeconds:F3},\"score_s\":{scoreSeconds:F3},\"write_s\":{writeSeconds:F3},\"total_s\":{total.Elapsed.TotalSeconds:F3},\"peak_memory_mb\":{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1}}}"));
        }

        return CliApp.Ok;
    }

    private static void WriteParameters(string path, BgNbdModel bg, GammaGammaModel gg)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("bgnbd");
        json.WriteNumber("r", bg.Parameters.R);
        json.WriteNumber("alpha", bg.Parameters.Alpha);
        json.WriteNumber("a", bg.Parameters.A);
        json.WriteNumber("b", bg.Parameters.B);
        json.WriteNumber("logLikelihood", bg.FitReport!.LogLikelihood);
        json.WriteEndObject();
        json.WriteStartObject("gammaGamma");
        json.WriteNumber("p", gg.Parameters.P);
        json.WriteNumber("q", gg.Parameters.Q);
        json.WriteNumber("gamma", gg.Parameters.Gamma);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCustomers(string path, BtydData data, double[] pAlive, double[] expected, double[] spend, double[] clv)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" };
        writer.WriteLine("customer_id,frequency,recency,T,p_alive,expected_purchases,expected_avg_spend,clv");
        var ids = data.CustomerIds;
        for (var i = 0; i < data.Count; i++)
        {
            writer.Write(PurchaseRows.Quote(ids[i].Value));
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $",{data.Frequency[i]:R},{data.Recency[i]:R},{data.Age[i]:R},{pAlive[i]:R},{expected[i]:R},{spend[i]:R},{clv[i]:R}"));
        }
    }
}

/// <summary>The parsed options of one <c>clv</c> run.</summary>
internal sealed record ClvRequest(
    FileInfo Transactions,
    LocalDate CalibrationEnd,
    LocalDate? HoldoutEnd,
    double? Horizon,
    BtydTimeUnit TimeUnit,
    FileInfo ParamsOut,
    FileInfo? Out,
    bool Timings,
    bool SkipBadRows);
