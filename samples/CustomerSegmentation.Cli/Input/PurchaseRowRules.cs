using System.Text;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Cli.Input;

/// <summary>The checks every reader applies to a purchases row, so that all readers accept and reject the same rows.</summary>
internal static class PurchaseRowRules
{
    public const string Header = "customer_id,date,amount";

    public static bool IsHeader(int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount) =>
        fieldCount == 3 && id.SequenceEqual("customer_id"u8) && date.SequenceEqual("date"u8) && amount.SequenceEqual("amount"u8);

    public static string HeaderReason(int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount) =>
        $"the header must be '{Header}', found {fieldCount} column(s) starting '{Show(id)}'" +
        (fieldCount > 1 ? $",'{Show(date)}'" : string.Empty) + (fieldCount > 2 ? $",'{Show(amount)}'" : string.Empty);

    /// <summary>Checks a data row; returns null and the parsed values when it is valid, else the reason.</summary>
    public static string? Check(int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount, out int day, out long units)
    {
        day = 0;
        units = 0;
        if (fieldCount != 3)
        {
            return $"expected 3 columns (customer_id,date,amount), found {fieldCount}";
        }

        if (id.IsEmpty)
        {
            return "customer_id is empty";
        }

        if (!Utf8PurchaseFields.TryParseDate(date, out day))
        {
            return $"bad date '{Show(date)}' (expected yyyy-MM-dd or an ISO instant such as 2025-03-01T10:00:00Z)";
        }

        if (!Utf8PurchaseFields.TryParseAmount(amount, out units))
        {
            return $"bad amount '{Show(amount)}' (expected digits with an optional '-' and '.' with at most 4 decimals)";
        }

        return null;
    }

    public static string Show(ReadOnlySpan<byte> field)
    {
        var text = Encoding.UTF8.GetString(field);
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
