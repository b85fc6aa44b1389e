using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Segments;

namespace CustomerSegmentation.Benchmarks.Segments;

/// <summary>
/// 20 segments over <see cref="Customers"/> customers: the columnar <see cref="SegmentSet.Evaluate"/> (one pass, all
/// segments) against the hand-written LINQ <c>Where(...).Count()</c> per segment over the same <see cref="CustomerFacts"/>
/// objects. Run: <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- --filter *SegmentEvaluation*</c>.
/// </summary>
[MemoryDiagnoser]
public class SegmentEvaluationBenchmark
{
    private CustomerFacts[] _facts = null!;
    private SegmentPopulation _population = null!;
    private SegmentSet _set = null!;
    private Func<CustomerFacts, bool>[] _linq = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    /// <summary>Gets or sets the population size (1 M and 10 M; the object population at 10 M needs about 6 GB).</summary>
    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_facts, _population) = SharedData.Get("segments", Customers, () =>
        {
            var facts = SegmentBenchmarkData.Facts(Customers);
            return Tuple.Create(facts, SegmentPopulation.Create(facts));
        });
        _set = SegmentBenchmarkData.Set();
        _linq = [.. SegmentBenchmarkData.Segments().Select(s => s.Linq)];
    }

    [Benchmark(Baseline = true, Description = "LINQ Where(...).Count() per segment over objects")]
    public int Linq()
    {
        var total = 0;
        foreach (var predicate in _linq)
        {
            total += _facts.Where(predicate).Count();
        }

        return total;
    }

    [Benchmark(Description = "SegmentSet.Evaluate (columnar, one pass)")]
    public int Columnar() => _set.Evaluate(_population, SegmentBenchmarkData.AsOf).Memberships.Sum(m => m.Count);
}

/// <summary>
/// A quick measured run outside BenchmarkDotNet: builds the data once, checks that both ways give the same count for
/// every segment, then times them back to back (LINQ, columnar, LINQ, columnar, ...).
/// Run: <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- segments-measure [customers] [rounds]</c>.
/// </summary>
internal static class SegmentMeasuredRun
{
    public static void Run(int customers, int rounds)
    {
        var watch = Stopwatch.StartNew();
        var facts = SegmentBenchmarkData.Facts(customers);
        Console.WriteLine($"generated {customers:N0} facts in {watch.Elapsed.TotalSeconds:F1} s, managed heap {GC.GetTotalMemory(true) / 1e9:F2} GB");
        watch.Restart();
        var population = SegmentPopulation.Create(facts);
        var afterObjects = GC.GetTotalMemory(true);
        Console.WriteLine($"columnar population built in {watch.Elapsed.TotalSeconds:F1} s, managed heap now {afterObjects / 1e9:F2} GB");
        var segments = SegmentBenchmarkData.Segments();
        var set = SegmentBenchmarkData.Set();
        var evaluation = set.Evaluate(population, SegmentBenchmarkData.AsOf);
        for (var s = 0; s < segments.Length; s++)
        {
            var linq = facts.Where(segments[s].Linq).Count();
            var ours = evaluation.Memberships[s].Count;
            Console.WriteLine($"  {segments[s].Id,-16} {ours,10:N0} {(linq == ours ? "= LINQ" : $"!= LINQ {linq:N0}")}");
            if (linq != ours)
            {
                throw new InvalidOperationException($"segment {segments[s].Id}: columnar {ours} vs LINQ {linq}");
            }
        }

        for (var round = 1; round <= rounds; round++)
        {
            watch.Restart();
            var total = 0;
            foreach (var (_, _, linq) in segments)
            {
                total += facts.Where(linq).Count();
            }

            var linqTime = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var ours = set.Evaluate(population, SegmentBenchmarkData.AsOf).Memberships.Sum(m => m.Count);
            var oursTime = watch.Elapsed.TotalMilliseconds;
            if (ours != total)
            {
                throw new InvalidOperationException("totals differ");
            }

            Console.WriteLine($"round {round}: LINQ {linqTime:F0} ms, columnar {oursTime:F0} ms, ratio {linqTime / oursTime:F1}x (total memberships {total:N0})");
        }
    }
}
