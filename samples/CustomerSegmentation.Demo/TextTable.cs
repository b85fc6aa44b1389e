using System.Globalization;

namespace CustomerSegmentation.Demo;

/// <summary>Prints plain-text tables; Chinese characters count as two columns so the columns line up in a terminal.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(Width(h), all.Count == 0 ? 0 : all.Max(r => Width(r[i])))).ToArray();
        var numeric = headers.Select((_, i) => all.Count > 0 && all.All(r => IsNumber(r[i]))).ToArray();
        output.WriteLine("  " + Line(headers, widths, numeric));
        output.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all)
        {
            output.WriteLine("  " + Line(row, widths, numeric));
        }
    }

    /// <summary>Formats with the invariant culture (the demo's figures must not depend on the machine's locale).</summary>
    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Line(IReadOnlyList<string> cells, int[] widths, bool[] numeric) =>
        string.Join("  ", cells.Select((c, i) => numeric[i] ? Pad(c, widths[i], left: true) : Pad(c, widths[i], left: false))).TrimEnd();

    private static string Pad(string text, int width, bool left)
    {
        var padding = new string(' ', Math.Max(0, width - Width(text)));
        return left ? padding + text : text + padding;
    }

    private static bool IsNumber(string text) =>
        text.Length == 0 || decimal.TryParse(text.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out _);

    private static int Width(string text) => text.Sum(c => IsWide(c) ? 2 : 1);

    private static bool IsWide(char c) =>
        c is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3')
            or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6');
}
