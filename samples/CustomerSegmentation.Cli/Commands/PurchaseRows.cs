using System.CommandLine;
using System.Text;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>What the object-level commands (<c>clv</c>, <c>churn</c>) share: reading purchase rows with the row rules of <c>rfm</c>, date options and CSV quoting.</summary>
internal static class PurchaseRows
{
    private static readonly LocalDate Epoch = new(1970, 1, 1);

    /// <summary>
    /// Reads every row of a purchases CSV with Sep and <see cref="PurchaseRowRules"/> and hands each valid row to
    /// <paramref name="add"/>; returns the first problem as <c>file:line: reason</c>, or null.
    /// </summary>
    public static string? Read(string path, string command, bool skipBadRows, TextWriter error, Action<CustomerId, LocalDate, decimal> add, ref long badRows)
    {
        using var reader = SepPurchaseReader.Open(path);
        var buffer = new byte[256];
        var header = true;
        foreach (var row in reader)
        {
            var n = row.ColCount;
            var idString = n > 0 ? row[0].ToString() : string.Empty;
            var idBytes = buffer.AsSpan(0, Encode(idString, ref buffer));
            var dateBytes = n > 1 ? Encoding.UTF8.GetBytes(row[1].ToString()) : [];
            var amountBytes = n > 2 ? Encoding.UTF8.GetBytes(row[2].ToString()) : [];
            if (header)
            {
                header = false;
                if (!PurchaseRowRules.IsHeader(n, idBytes, dateBytes, amountBytes))
                {
                    return $"{path}:{row.LineNumberFrom}: {PurchaseRowRules.HeaderReason(n, idBytes, dateBytes, amountBytes)}";
                }

                continue;
            }

            var reason = PurchaseRowRules.Check(n, idBytes, dateBytes, amountBytes, out var day, out var units);
            if (reason is null && !CustomerId.IsValid(idString))
            {
                reason = "customer_id is not a valid id (white space only, control characters or too long)";
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

            add(new CustomerId(idString), Epoch.PlusDays(day), units / (decimal)Utf8PurchaseFields.AmountScale);
        }

        if (header)
        {
            return $"{path}: the file is empty (expected the header '{PurchaseRowRules.Header}')";
        }

        if (badRows > 0)
        {
            error.WriteLine($"custseg {command}: skipped {badRows} bad row(s)");
        }

        return null;
    }

    /// <summary>Quotes a CSV field per RFC 4180 when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A <c>yyyy-MM-dd</c> option whose parser reports errors instead of throwing.</summary>
    public static Option<LocalDate> DateOption(string name, string description, bool required) => new(name)
    {
        Description = description,
        Required = required,
        CustomParser = r =>
        {
            var s = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            var parsed = LocalDatePattern.Iso.Parse(s);
            if (parsed.Success)
            {
                return parsed.Value;
            }

            r.AddError($"{name}: '{s}' is not a yyyy-MM-dd date");
            return default;
        },
    };

    private static int Encode(string text, ref byte[] buffer)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[max];
        }

        return Encoding.UTF8.GetBytes(text, buffer);
    }
}
