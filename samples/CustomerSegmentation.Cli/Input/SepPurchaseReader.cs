using System.Diagnostics;
using System.Text;
using CustomerSegmentation.Pipeline;
using nietras.SeparatedValues;

namespace CustomerSegmentation.Cli.Input;

/// <summary>
/// The general purchases reader: Sep (',' fixed, quotes unescaped, BOM and CRLF handled) on one thread, fields
/// re-encoded to UTF-8 and checked by the same <see cref="PurchaseRowRules"/> as the fast path.
/// </summary>
internal static class SepPurchaseReader
{
    private const int BatchRows = 1 << 16;

    /// <summary>A row as Sep yields it: the line it starts on and its unescaped fields.</summary>
    public sealed record RawRow(long Line, string[] Fields);

    public static SepReader Open(string path) =>
        Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromFile(path);

    /// <summary>Every row of the file (header included), for comparing readers.</summary>
    public static List<RawRow> ReadRawRows(string path)
    {
        var rows = new List<RawRow>();
        using var reader = Open(path);
        foreach (var row in reader)
        {
            var fields = new string[row.ColCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = row[i].ToString();
            }

            rows.Add(new RawRow(row.LineNumberFrom, fields));
        }

        return rows;
    }

    public static ReadReport Read(string path, RfmAggregatesBuilder builder, bool skipBadRows, Action<long>? progress = null)
    {
        var wall = Stopwatch.StartNew();
        var batch = builder.CreateBatch();
        long rows = 0, after = 0, bad = 0;
        var problems = new List<InputProblem>();
        var buffers = new byte[3][];
        for (var i = 0; i < 3; i++)
        {
            buffers[i] = new byte[256];
        }

        var first = true;
        using (var reader = Open(path))
        {
            foreach (var row in reader)
            {
                var count = row.ColCount;
                var id = Encode(count > 0 ? row[0].Span : default, ref buffers[0]);
                var date = Encode(count > 1 ? row[1].Span : default, ref buffers[1]);
                var amount = Encode(count > 2 ? row[2].Span : default, ref buffers[2]);
                if (first)
                {
                    first = false;
                    if (!PurchaseRowRules.IsHeader(count, id, date, amount))
                    {
                        throw new InputProblemException(new InputProblem(path, 1, PurchaseRowRules.HeaderReason(count, id, date, amount)));
                    }

                    continue;
                }

                var reason = PurchaseRowRules.Check(count, id, date, amount, out var day, out var units);
                if (reason is not null)
                {
                    var problem = new InputProblem(path, row.LineNumberFrom, reason);
                    if (!skipBadRows)
                    {
                        throw new InputProblemException(problem);
                    }

                    bad++;
                    if (problems.Count < 10)
                    {
                        problems.Add(problem);
                    }

                    continue;
                }

                batch.Add(id, day, units);
                if (batch.Count + batch.RowsAfterAsOf >= BatchRows)
                {
                    Flush(builder, batch, ref rows, ref after);
                }
            }
        }

        if (first)
        {
            throw new InputProblemException(new InputProblem(path, 1, "the file is empty (no header)"));
        }

        Flush(builder, batch, ref rows, ref after);
        progress?.Invoke(new FileInfo(path).Length);
        var seconds = wall.Elapsed.TotalSeconds;
        return new ReadReport(rows, after, bad, problems, "sep") { WallSeconds = seconds, ParseSeconds = seconds };
    }

    private static void Flush(RfmAggregatesBuilder builder, PurchaseBatchBuilder batch, ref long rows, ref long after)
    {
        for (var p = 0; p < builder.Partitions; p++)
        {
            builder.Add(batch, p);
        }

        rows += batch.Count;
        after += batch.RowsAfterAsOf;
        batch.Clear();
    }

    private static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> text, ref byte[] buffer)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[max];
        }

        return buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer));
    }
}
