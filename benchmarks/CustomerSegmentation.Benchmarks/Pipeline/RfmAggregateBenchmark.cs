using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Benchmarks.Pipeline;

/// <summary>Per-customer last purchase, count and net spend from parsed rows: LINQ GroupBy against the partitioned columnar tables.</summary>
[MemoryDiagnoser]
public class RfmAggregateBenchmark
{
    private RfmPopulation _population = null!;
    private List<PurchaseBatchBuilder> _batches1 = null!;
    private List<PurchaseBatchBuilder> _batches2 = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_population, _batches1, _batches2) = SharedData.Get("rfm-aggregate", Customers, () =>
        {
            var population = new RfmPopulation(Customers);
            return Tuple.Create(
                population,
                population.Batches(new RfmAggregatesBuilder(RfmPopulation.AsOf, 1)),
                population.Batches(new RfmAggregatesBuilder(RfmPopulation.AsOf, 2)));
        });
    }

    [Benchmark(Baseline = true, Description = "LINQ GroupBy on string ids")]
    public int Linq()
    {
        var p = _population;
        return Enumerable.Range(0, p.Customer.Length)
            .Select(r => (Id: p.IdStrings[p.Customer[r]], Day: p.Day[r], Amount: p.Amount[r]))
            .GroupBy(r => r.Id, StringComparer.Ordinal)
            .Select(g => (g.Key, Last: g.Where(r => r.Amount >= 0).Select(r => r.Day).DefaultIfEmpty(int.MinValue).Max(), Count: g.Count(r => r.Amount >= 0), Money: g.Sum(r => r.Amount)))
            .Count();
    }

    [Benchmark(Description = "columnar, 1 partition")]
    public int Columnar1()
    {
        var builder = new RfmAggregatesBuilder(RfmPopulation.AsOf, 1);
        foreach (var batch in _batches1)
        {
            builder.Add(batch, 0);
        }

        return builder.Build().Count;
    }

    [Benchmark(Description = "columnar, 2 partitions on 2 threads")]
    public int Columnar2()
    {
        var builder = new RfmAggregatesBuilder(RfmPopulation.AsOf, 2);
        var other = new Thread(() =>
        {
            foreach (var batch in _batches2)
            {
                builder.Add(batch, 1);
            }
        });
        other.Start();
        foreach (var batch in _batches2)
        {
            builder.Add(batch, 0);
        }

        other.Join();
        return builder.Build().Count;
    }
}
