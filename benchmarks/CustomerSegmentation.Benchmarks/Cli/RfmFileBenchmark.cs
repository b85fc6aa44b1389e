using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Cli.Input;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Cli;

/// <summary>
/// A whole purchases file: the memory-bandwidth floor (summing its bytes with a FileStream), splitting it with Sep and
/// with the UTF-8 fast path, and <c>custseg rfm</c> end to end, against the plain LINQ program as the baseline.
/// Set CUSTSEG_BENCH_FILE to a file from gen_transactions.py (default /tmp/tx1m.csv).
/// </summary>
[MemoryDiagnoser]
public class RfmFileBenchmark
{
    private static readonly string File_ = Environment.GetEnvironmentVariable("CUSTSEG_BENCH_FILE") ?? "/tmp/tx1m.csv";
    private readonly string _out = Path.Combine(Path.GetTempPath(), "custseg-bench-out.csv");

    [Benchmark(Baseline = true, Description = "LINQ: ReadLines, Split, GroupBy")]
    public int Linq() => File.ReadLines(File_).Skip(1).Select(l => l.Split(','))
        .GroupBy(f => f[0]).Select(g => (g.Key, g.Max(f => f[1]), g.Count(), g.Sum(f => decimal.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)))).Count();

    [Benchmark(Description = "bandwidth floor: sum bytes, FileStream, 1 thread")]
    public long SumBytes()
    {
        using var stream = new FileStream(File_, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        long sum = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, n))
            {
                sum += b;
            }
        }

        return sum;
    }

    [Benchmark(Description = "Sep: rows and fields as UTF-16")]
    public long SepSplit()
    {
        long length = 0;
        using var reader = SepPurchaseReader.Open(File_);
        foreach (var row in reader)
        {
            length += row[0].Span.Length + row[ row.ColCount - 1].Span.Length;
        }

        return length;
    }

    [Benchmark(Description = "custseg rfm end to end, in process")]
    public int CustsegRfm() => RfmCommand.Run(
        new RfmRequest(new FileInfo(File_), new LocalDate(2025, 12, 31), 5, new FileInfo(_out), false, false, Environment.ProcessorCount, "auto"),
        TextWriter.Null,
        TextWriter.Null);
}
