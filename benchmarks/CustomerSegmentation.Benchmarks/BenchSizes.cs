using System.Globalization;

namespace CustomerSegmentation.Benchmarks;

/// <summary>
/// The population sizes every hot-path benchmark runs at: 1 000 000 and 10 000 000 customers unless the
/// <c>CUSTSEG_BENCH_SIZES</c> environment variable (comma-separated, e.g. <c>1000000</c>) or the <c>--sizes</c> argument
/// of <c>Program</c> (which sets that variable) says otherwise. Classes take it through
/// <c>[ParamsSource(nameof(Sizes))]</c>, so a run at one size is <c>--sizes 1000000</c>.
/// </summary>
internal static class BenchSizes
{
    /// <summary>The environment variable holding the sizes.</summary>
    public const string Variable = "CUSTSEG_BENCH_SIZES";

    /// <summary>The sizes when nothing is set.</summary>
    public static readonly int[] Default = [1_000_000, 10_000_000];

    /// <summary>Gets the sizes to run, in the order given.</summary>
    public static IEnumerable<int> Customers
    {
        get
        {
            var text = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(text))
            {
                return Default;
            }

            return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture))];
        }
    }
}

/// <summary>
/// One generated data set kept for the whole process, keyed by a name and a size: in-process runs build each
/// population once per size instead of once per benchmark case. Only one set is held at a time (asking for another
/// drops the previous one and collects it first), so a run over every class and both sizes stays within one
/// population's memory.
/// </summary>
internal static class SharedData
{
    private static readonly Lock Gate = new();
    private static (string Key, int Size, object Value)? _held;

    /// <summary>Gets the set for <paramref name="key"/> and <paramref name="size"/>, building it with <paramref name="create"/> if it is not the one held.</summary>
    public static T Get<T>(string key, int size, Func<T> create)
        where T : class
    {
        lock (Gate)
        {
            if (_held is { } held && held.Key == key && held.Size == size)
            {
                return (T)held.Value;
            }

            _held = null;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var value = create();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// shared data {key} at {size:N0} built in {watch.Elapsed.TotalSeconds:F1} s; managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB"));
            _held = (key, size, value);
            return value;
        }
    }
}
