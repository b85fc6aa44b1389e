using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;

namespace CustomerSegmentation.Benchmarks.DataQuality;

/// <summary>
/// Duplicate candidates over a synthetic base with 2 % planted duplicates. Baseline: what a hosted CRM does and a user
/// writes with LINQ: group by the raw email and by the raw phone text, pairs within each group. Ours also normalises
/// contacts and compares folded names within organisation, region and phone-prefix blocks.
/// </summary>
[MemoryDiagnoser]
public class DuplicateDetectionBenchmark
{
    private Customer[] _customers = [];

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    /// <summary>Gets or sets the number of customers (1 000 000 is the size the issue asks for).</summary>
    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup() => _customers = SharedData.Get("dedupe", Customers, () => DedupeBenchmarkData.Create(Customers).Customers);

    [Benchmark(Baseline = true)]
    public int LinqExactGroups()
    {
        var byEmail = _customers.SelectMany(c => c.Emails.Select(e => (Key: e, c.Id))).GroupBy(x => x.Key, StringComparer.Ordinal);
        var byPhone = _customers.SelectMany(c => c.Phones.Select(p => (Key: p, c.Id))).GroupBy(x => x.Key, StringComparer.Ordinal);
        return byEmail.Concat(byPhone)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.SelectMany(a => g.Where(b => a.Id < b.Id).Select(b => (a.Id, b.Id))))
            .Distinct()
            .Count();
    }

    [Benchmark]
    public int Detector() => new DuplicateDetector().Find(_customers).Candidates.Length;
}
