using System.Buffers;
using System.Buffers.Text;
using System.Text;
using CustomerSegmentation.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace CustomerSegmentation.Cli.Output;

/// <summary>
/// Writes <c>customer_id,recency_days,frequency,monetary,r,f,m,segment</c> as UTF-8 CSV (LF line ends; ids quoted
/// only when they hold a comma, quote or line end). Pieces of the population are formatted on several threads into
/// byte buffers with <see cref="Utf8Formatter"/> and written at their final file positions.
/// </summary>
internal static class RfmCsvWriter
{
    public const string Header = "customer_id,recency_days,frequency,monetary,r,f,m,segment";
    private const int PieceCustomers = 1 << 16;
    private static readonly SearchValues<byte> NeedsQuotes = SearchValues.Create(",\"\r\n"u8);

    public static long Write(string path, RfmAggregates aggregates, RfmScoreColumns scores, int threads)
    {
        using var handle = Create(path);
        return Write(handle, aggregates, scores, threads);
    }

    /// <summary>Creates (or truncates) the output file: on a file written just before, truncating waits for its write-back.</summary>
    public static SafeFileHandle Create(string path) => File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);

    public static long Write(SafeFileHandle handle, RfmAggregates aggregates, RfmScoreColumns scores, int threads)
    {
        var header = Encoding.UTF8.GetBytes(Header + "\n");
        var names = new byte[scores.Segments.Rules.Length + 2][];
        for (var code = 0; code < names.Length; code++)
        {
            names[code] = Encoding.UTF8.GetBytes(Csv(scores.SegmentName(code)));
        }

        // Pieces: runs of whole blocks of about PieceCustomers customers, in population order.
        var pieces = new List<(int From, int To)>();
        for (var b = 0; b < aggregates.BlockCount;)
        {
            var from = b;
            var customers = 0;
            while (b < aggregates.BlockCount && customers < PieceCustomers)
            {
                customers += aggregates.BlockLength(b++);
            }

            pieces.Add((from, b));
        }

        RandomAccess.Write(handle, header, 0);
        var offsets = new long[pieces.Count + 1];
        var known = new bool[pieces.Count + 1];
        offsets[0] = header.Length;
        known[0] = true;
        var gate = new object();
        var workers = new Thread[Math.Max(1, threads)];
        Exception? failure = null;
        for (var t = 0; t < workers.Length; t++)
        {
            var me = t;
            workers[t] = new Thread(() =>
            {
                try
                {
                    var buffer = new byte[1 << 20];
                    for (var k = me; k < pieces.Count; k += workers.Length)
                    {
                        var length = Format(aggregates, scores, names, pieces[k].From, pieces[k].To, ref buffer);
                        long offset;
                        lock (gate)
                        {
                            while (!known[k] && failure is null)
                            {
                                Monitor.Wait(gate);
                            }

                            if (failure is not null)
                            {
                                return;
                            }

                            offset = offsets[k];
                            offsets[k + 1] = offset + length;
                            known[k + 1] = true;
                            Monitor.PulseAll(gate);
                        }

                        RandomAccess.Write(handle, buffer.AsSpan(0, length), offset);
                    }
                }
                catch (Exception ex)
                {
                    lock (gate)
                    {
                        failure ??= ex;
                        Monitor.PulseAll(gate);
                    }
                }
            })
            { IsBackground = true, Name = "rfm-writer" };
            workers[t].Start();
        }

        foreach (var w in workers)
        {
            w.Join();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return offsets[pieces.Count];
    }

    private static int Format(RfmAggregates aggregates, RfmScoreColumns scores, byte[][] names, int fromBlock, int toBlock, ref byte[] buffer)
    {
        var r = scores.R;
        var f = scores.F;
        var m = scores.M;
        var seg = scores.SegmentCodes;
        var w = 0;
        for (var b = fromBlock; b < toBlock; b++)
        {
            var start = aggregates.BlockStart(b);
            var length = aggregates.BlockLength(b);
            for (var j = 0; j < length; j++)
            {
                var id = aggregates.GetCustomerIdUtf8(b, j);
                var need = (2 * id.Length) + 96;
                if (buffer.Length - w < need)
                {
                    Array.Resize(ref buffer, Math.Max(buffer.Length * 2, w + need));
                }

                var span = buffer.AsSpan(w);
                var p = WriteId(id, span);
                span[p++] = (byte)',';
                var i = start + j;
                var recency = aggregates.GetRecencyDays(b, j);
                if (recency >= 0)
                {
                    Utf8Formatter.TryFormat(recency, span[p..], out var n);
                    p += n;
                }

                span[p++] = (byte)',';
                Utf8Formatter.TryFormat(aggregates.GetFrequency(b, j), span[p..], out var fn);
                p += fn;
                span[p++] = (byte)',';
                p += Utf8PurchaseFields.FormatAmount(aggregates.GetMonetaryUnits(b, j), span[p..]);
                span[p++] = (byte)',';
                p = WriteScore(r[i], span, p);
                span[p++] = (byte)',';
                p = WriteScore(f[i], span, p);
                span[p++] = (byte)',';
                p = WriteScore(m[i], span, p);
                span[p++] = (byte)',';
                var name = names[seg[i]];
                name.CopyTo(span[p..]);
                p += name.Length;
                span[p++] = (byte)'\n';
                w += p;
            }
        }

        return w;
    }

    private static int WriteScore(byte score, Span<byte> span, int p)
    {
        if (score == 0)
        {
            return p;
        }

        if (score >= 10)
        {
            span[p++] = (byte)'1';
            span[p++] = (byte)('0' + (score - 10));
            return p;
        }

        span[p++] = (byte)('0' + score);
        return p;
    }

    private static int WriteId(ReadOnlySpan<byte> id, Span<byte> span)
    {
        if (id.IndexOfAny(NeedsQuotes) < 0)
        {
            id.CopyTo(span);
            return id.Length;
        }

        var p = 0;
        span[p++] = (byte)'"';
        foreach (var b in id)
        {
            if (b == (byte)'"')
            {
                span[p++] = (byte)'"';
            }

            span[p++] = b;
        }

        span[p++] = (byte)'"';
        return p;
    }

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
