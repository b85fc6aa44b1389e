using System.Globalization;
using System.Text;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>Runs custseg in-process on temporary files.</summary>
internal sealed class CliRunner : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("custseg-cli-").FullName;

    public string Input => Path.Combine(_dir, "tx.csv");

    public string Output => Path.Combine(_dir, "out.csv");

    public void WriteInput(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(Input, bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
    }

    public void WriteInput(byte[] bytes) => File.WriteAllBytes(Input, bytes);

    public (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public (int Exit, string Out, string Err) Rfm(string asOf = "2025-12-31", params string[] extra) =>
        Run(["rfm", "--transactions", Input, "--as-of", asOf, "--out", Output, .. extra]);

    /// <summary>The output rows by customer id, parsed with the CSV rules the writer uses.</summary>
    public Dictionary<string, RfmReference.Result> ReadOutput()
    {
        var lines = File.ReadAllText(Output, Encoding.UTF8);
        var rows = ParseCsv(lines);
        Assert.Equal(["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"], rows[0]);
        return rows.Skip(1).ToDictionary(
            r => r[0],
            r => new RfmReference.Result(
                r[0],
                r[1].Length == 0 ? null : int.Parse(r[1], CultureInfo.InvariantCulture),
                int.Parse(r[2], CultureInfo.InvariantCulture),
                decimal.Parse(r[3], CultureInfo.InvariantCulture),
                r[4].Length == 0 ? 0 : int.Parse(r[4], CultureInfo.InvariantCulture),
                r[5].Length == 0 ? 0 : int.Parse(r[5], CultureInfo.InvariantCulture),
                r[6].Length == 0 ? 0 : int.Parse(r[6], CultureInfo.InvariantCulture),
                r[7]),
            StringComparer.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A minimal RFC 4180 reader for the tool's own output (LF rows, quoted fields).</summary>
    internal static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
