using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using NodaTime;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// <c>custseg dedupe</c>: reads a customer CSV (<c>customer_id,name,email,phone</c> and any extra columns) and writes the
/// duplicate candidate pairs, best first, as <c>customer_id_a,customer_id_b,score,evidence</c>.
/// </summary>
internal static class DedupeCommand
{
    /// <summary>The columns the header must hold (any order; more columns are kept as custom attributes).</summary>
    public static readonly string[] RequiredColumns = ["customer_id", "name", "email", "phone"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var customers = new Option<FileInfo>("--customers", "-c") { Description = "Customer CSV with header customer_id,name,email,phone (extra columns are kept as attributes; region, organisation and external_id are used as keys)", Required = true };
        var outFile = new Option<FileInfo>("--out", "-o") { Description = "Candidate pairs CSV customer_id_a,customer_id_b,score,evidence", Required = true };
        var threshold = new Option<double>("--threshold")
        {
            Description = "Lowest name similarity (Jaro-Winkler on folded names, 0..1) for a pair without a shared email, phone or external id",
            DefaultValueFactory = _ => DuplicateDetectionOptions.Default.Threshold,
            CustomParser = r =>
            {
                var s = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is > 0 and <= 1)
                {
                    return t;
                }

                r.AddError($"--threshold: '{s}' is not a number in (0, 1]");
                return default;
            },
        };
        var region = new Option<string>("--phone-region") { Description = "Rules for phone numbers without a country code", DefaultValueFactory = _ => "none" };
        region.AcceptOnlyFromAmong("none", "cn", "us", "gb", "de");
        var timings = new Option<bool>("--timings") { Description = "Print phase timings and peak memory as one JSON line on stderr" };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "Skip malformed rows and report them on stderr instead of stopping (exit code 2)" };

        var command = new Command("dedupe", "Duplicate candidates in a customer CSV: shared email, phone or external id, similar names within an organisation, region or phone prefix")
        {
            customers, outFile, threshold, region, timings, skipBad,
        };
        command.SetAction(pr => Run(
            new DedupeRequest(
                pr.GetValue(customers)!,
                pr.GetValue(outFile)!,
                pr.GetValue(threshold),
                pr.GetValue(region) switch
                {
                    "cn" => PhoneRegion.China,
                    "us" => PhoneRegion.UnitedStates,
                    "gb" => PhoneRegion.UnitedKingdom,
                    "de" => PhoneRegion.Germany,
                    _ => PhoneRegion.None,
                },
                pr.GetValue(timings),
                pr.GetValue(skipBad)),
            output,
            error));
        return command;
    }

    internal static int Run(DedupeRequest request, TextWriter output, TextWriter error)
    {
        var total = Stopwatch.StartNew();
        if (!request.Customers.Exists)
        {
            error.WriteLine($"custseg dedupe: input file not found: {request.Customers}");
            return CliApp.IoError;
        }

        var path = request.Customers.FullName;
        List<Customer> records;
        long badRows = 0;
        try
        {
            var problem = Read(path, request.SkipBadRows, out records, ref badRows);
            if (problem is not null)
            {
                error.WriteLine($"custseg dedupe: {problem}");
                return CliApp.BadInput;
            }
        }
        catch (IOException e)
        {
            error.WriteLine($"custseg dedupe: cannot read {path}: {e.Message}");
            return CliApp.IoError;
        }

        if (badRows > 0)
        {
            error.WriteLine($"custseg dedupe: skipped {badRows} bad row(s)");
        }

        var readSeconds = total.Elapsed.TotalSeconds;
        var detector = new DuplicateDetector(new DuplicateDetectionOptions { Threshold = request.Threshold, DefaultPhoneRegion = request.PhoneRegion });
        var report = detector.Find(records);
        var detectSeconds = total.Elapsed.TotalSeconds - readSeconds;

        try
        {
            using var writer = new StreamWriter(request.Out.FullName, append: false, new UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" };
            writer.WriteLine("customer_id_a,customer_id_b,score,evidence");
            foreach (var c in report.Candidates)
            {
                writer.Write(PurchaseRows.Quote(c.A.Value));
                writer.Write(',');
                writer.Write(PurchaseRows.Quote(c.B.Value));
                writer.Write(string.Create(CultureInfo.InvariantCulture, $",{c.Score:0.####},"));
                writer.WriteLine(PurchaseRows.Quote(c.EvidenceText));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"custseg dedupe: cannot write: {e.Message}");
            return CliApp.IoError;
        }

        var writeSeconds = total.Elapsed.TotalSeconds - readSeconds - detectSeconds;
        var exact = report.Candidates.Count(c => c.HasExactKey);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"dedupe: {report.Customers} customers, {report.Candidates.Length} candidate pairs ({exact} with a shared email, phone or external id, {report.Candidates.Length - exact} by similar names >= {request.Threshold:0.###}), {report.Comparisons} name comparisons, {report.WindowedBlocks} large blocks searched with a window"));
        foreach (var skipped in report.SkippedKeys)
        {
            error.WriteLine($"custseg dedupe: {skipped.Kind} '{skipped.Value}' is shared by {skipped.Records} customers (more than {skipped.Limit}): not used as a key");
        }

        if (report.UnusableContacts.Length > 0)
        {
            error.WriteLine($"custseg dedupe: {report.UnusableContacts.Length} email(s)/phone(s) could not be normalised and were not used as keys, e.g. {string.Join(" | ", report.UnusableContacts.Take(3))}");
        }

        if (request.Timings)
        {
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"command\":\"dedupe\",\"customers\":{report.Customers},\"pairs\":{report.Candidates.Length},\"comparisons\":{report.Comparisons},\"read_s\":{readSeconds:F3},\"detect_s\":{detectSeconds:F3},\"write_s\":{writeSeconds:F3},\"total_s\":{total.Elapsed.TotalSeconds:F3},\"peak_memory_mb\":{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F1}}}"));
        }

        return CliApp.Ok;
    }

    /// <summary>Reads the customer CSV with Sep; returns the first problem as <c>file:line: reason</c>, or null.</summary>
    internal static string? Read(string path, bool skipBadRows, out List<Customer> customers, ref long badRows)
    {
        customers = [];
        var createdAt = Instant.FromUnixTimeSeconds(0);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        using var reader = SepPurchaseReader.Open(path);
        string[]? header = null;
        int id = -1, name = -1, email = -1, phone = -1, region = -1;
        foreach (var row in reader)
        {
            var n = row.ColCount;
            if (header is null)
            {
                header = new string[n];
                for (var i = 0; i < n; i++)
                {
                    header[i] = row[i].ToString().Trim();
                }

                var missing = RequiredColumns.Where(c => Array.IndexOf(header, c) < 0).ToArray();
                var duplicated = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
                if (missing.Length > 0 || duplicated.Length > 0 || header.Any(h => h.Length == 0))
                {
                    var why = missing.Length > 0 ? $"missing column(s) {string.Join(", ", missing)}" : duplicated.Length > 0 ? $"column '{duplicated[0]}' appears twice" : "a column name is empty";
                    return $"{path}:1: expected the header to hold customer_id,name,email,phone: {why}";
                }

                (id, name, email, phone, region) = (Array.IndexOf(header, "customer_id"), Array.IndexOf(header, "name"), Array.IndexOf(header, "email"), Array.IndexOf(header, "phone"), Array.IndexOf(header, "region"));
                continue;
            }

            string? reason = null;
            var idText = n > id ? row[id].ToString() : string.Empty;
            if (n != header.Length)
            {
                reason = $"expected {header.Length} fields, got {n}";
            }
            else if (!CustomerId.IsValid(idText))
            {
                reason = "customer_id is not a valid id (empty, white space only, control characters or too long)";
            }
            else if (seen.TryGetValue(idText, out var firstLine))
            {
                reason = $"customer_id '{idText}' already appeared on line {firstLine}";
            }

            if (reason is not null)
            {
                if (!skipBadRows)
                {
                    return $"{path}:{row.LineNumberFrom}: {reason}";
                }

                badRows++;
                continue;
            }

            seen[idText] = row.LineNumberFrom;
            var attributes = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                if (i != id && i != name && i != email && i != phone && i != region)
                {
                    var value = row[i].ToString();
                    if (value.Length > 0)
                    {
                        attributes[header[i]] = value;
                    }
                }
            }

            var emailText = row[email].ToString().Trim();
            var phoneText = row[phone].ToString().Trim();
            customers.Add(new Customer(new CustomerId(idText), CustomerKind.Person, row[name].ToString(), createdAt)
            {
                Emails = emailText.Length == 0 ? [] : [emailText],
                Phones = phoneText.Length == 0 ? [] : [phoneText],
                Region = region >= 0 && row[region].ToString() is { Length: > 0 } r ? r : null,
                CustomAttributes = attributes.ToImmutable(),
            });
        }

        return header is null ? $"{path}: the file is empty (expected a header with customer_id,name,email,phone)" : null;
    }
}

/// <summary>The parsed options of one <c>dedupe</c> run.</summary>
internal sealed record DedupeRequest(FileInfo Customers, FileInfo Out, double Threshold, PhoneRegion PhoneRegion, bool Timings, bool SkipBadRows);
