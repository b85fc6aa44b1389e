using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Cli.Input;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Cli;

/// <summary>
/// A whole purchases file: the memory-bandwidth floor (summing its bytes with a FileStream), splitting it with Sep and
/// with the UTF-8 fast path, and <c>custseg rfm</c> end to end, against the plain LINQ program as the baseline.
/// The file for <see cref="Customers"/> customers is <c>/tmp/tx1m.csv</c> for 1 M, <c>/tmp/tx10m.csv</c> for 10 M, else
/// <c>/tmp/bench/tx{N}.csv</c>; <c>CUSTSEG_BENCH_DIR</c> replaces the directory of all three
/// (generate with <c>/usr/bin/python3 ../shared/peers/gen_transactions.py N FILE 11</c>).
/// </summary>
[MemoryDiagnoser]
public class RfmFileBenchmark
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "custseg-bench-out-" + Environment.ProcessId + ".csv");
    private string _file = string.Empty;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    /// <summary>Gets the purchases file for a size.</summary>
    public static string FileFor(int customers)
    {
        var dir = Environment.GetEnvironmentVariable("CUSTSEG_BENCH_DIR");
        var name = customers switch
        {
            1_000_000 => "tx1m.csv",
            10_000_000 => "tx10m.csv",
            _ => "tx" + customers.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".csv",
        };
        return dir is not null ? Path.Combine(dir, name) : customers is 1_000_000 or 10_000_000 ? Path.Combine("/tmp", name) : Path.Combine("/tmp/bench", name);
    }

    [GlobalSetup]
    public void Setup()
    {
        _file = FileFor(Customers);
        if (!File.Exists(_file))
        {
            throw new FileNotFoundException($"Generate it first: /usr/bin/python3 /work/shared/peers/gen_transactions.py {Customers} {_file} 11", _file);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_out);

    /// <summary>The LINQ a C# developer writes first; each row keeps only its date text and amount in the groups.</summary>
    [Benchmark(Baseline = true, Description = "LINQ: ReadLines, Split, GroupBy")]
    public int Linq() => File.ReadLines(_file).Skip(1).Select(l => l.Split(','))
        .GroupBy(f => f[0], f => (Day: f[1], Amount: decimal.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)))
        .Select(g => (g.Key, g.Max(r => r.Day), g.Count(), g.Sum(r => r.Amount))).Count();

    [Benchmark(Description = "bandwidth floor: sum bytes, FileStream, 1 thread")]
    public long SumBytes()
    {
        using var stream = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
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
        using var reader = SepPurchaseReader.Open(_file);
        foreach (var row in reader)
        {
            length += row[0].Span.Length + row[row.ColCount - 1].Span.Length;
        }

        return length;
    }

    [Benchmark(Description = "custseg rfm end to end, in process")]
    public int CustsegRfm() => RfmCommand.Run(
        new RfmRequest(new FileInfo(_file), new LocalDate(2025, 12, 31), 5, new FileInfo(_out), false, false, Environment.ProcessorCount, "auto"),
        TextWriter.Null,
        TextWriter.Null);
}
