using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Lifecycle;

/// <summary>
/// Evaluates the default lifecycle model for <see cref="Customers"/> customers from their summaries, as a monthly
/// batch would: every customer's state comes from a first pass 30 days before the measured one.
/// </summary>
/// <remarks>
/// Baseline: the object API a host would write first, one <see cref="ActivitySummary"/> and one
/// <see cref="CustomerLifecycle"/> per customer, <see cref="LifecycleModel.Evaluate"/>, LINQ to collect the stages.
/// The columnar runs evaluate the same rows in place (same decisions, no history or reasons).
/// </remarks>
[MemoryDiagnoser]
public class LifecycleBenchmark
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 12, 1, 0, 0);
    private static readonly CustomerId[] Ids = [.. Enumerable.Range(0, 1024).Select(i => new CustomerId($"C{i:D7}"))];

    private readonly LifecycleModel _model = LifecycleModel.CreateDefault();
    private int[] _count = [];
    private long[] _last = [];
    private long[] _gap = [];
    private byte[] _stage0 = [];
    private long[] _entered0 = [];
    private byte[] _stage = [];
    private long[] _entered = [];

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    /// <summary>Gets or sets the number of customers.</summary>
    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    /// <summary>Builds the columns (once per size): 10 % prospects, 1..20 purchases, last purchase over the past two years, gaps 3..200 days.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var data = SharedData.Get("lifecycle", Customers, () => Build(Customers));
        (_count, _last, _gap, _stage0, _entered0) = (data.Count, data.Last, data.Gap, data.Stage0, data.Entered0);
        _stage = new byte[Customers];
        _entered = new long[Customers];
    }

    private static Columns Build(int n)
    {
        var model = LifecycleModel.CreateDefault();
        var rng = new Random(20261201);
        var count = new int[n];
        var last = new long[n];
        var gap = new long[n];
        var asOfTicks = AsOf.ToUnixTimeTicks();
        for (var i = 0; i < n; i++)
        {
            var c = rng.Next(10) == 0 ? 0 : 1 + (int)(20 * Math.Pow(rng.NextDouble(), 3));
            count[i] = c;
            last[i] = c == 0 ? LifecycleColumns.None : asOfTicks - (long)(rng.NextDouble() * 730 * NodaConstants.TicksPerDay);
            gap[i] = c < 2 ? LifecycleColumns.None : rng.Next(3, 200) * NodaConstants.TicksPerDay;
        }

        var stage0 = new byte[n];
        var entered0 = new long[n];
        Array.Fill(entered0, (AsOf - Duration.FromDays(800)).ToUnixTimeTicks());
        model.EvaluateColumns(AsOf - Duration.FromDays(30), new LifecycleColumns(stage0, entered0, count, last, gap));
        return new Columns(count, last, gap, stage0, entered0);
    }

    /// <summary>Restores the state of the first pass before each measured pass (the columnar runs work in place).</summary>
    [IterationSetup]
    public void Reset()
    {
        _stage0.CopyTo(_stage, 0);
        _entered0.CopyTo(_entered, 0);
    }

    /// <summary>The object API per customer, collected with LINQ.</summary>
    /// <returns>The number of customers who moved.</returns>
    [Benchmark(Baseline = true)]
    public int ObjectsLinq()
    {
        return Enumerable.Range(0, Customers).Select(i =>
        {
            var id = Ids[i & 1023];
            var lifecycle = new CustomerLifecycle(id, _model.InitialStage, Instant.FromUnixTimeTicks(_entered[i]))
                .Append(new LifecycleMove(_model.InitialStage, _model.Stages[_stage[i]].Id, Instant.FromUnixTimeTicks(_entered[i]), LifecycleTrigger.Manual("load"), "loaded"));
            var summary = new ActivitySummary
            {
                CustomerId = id,
                AsOf = AsOf,
                PurchaseCount = _count[i],
                LastPurchaseAt = _last[i] == LifecycleColumns.None ? null : Instant.FromUnixTimeTicks(_last[i]),
                MedianGap = _gap[i] == LifecycleColumns.None ? null : Duration.FromTicks(_gap[i]),
            };
            return _model.Evaluate(lifecycle, summary);
        }).Count(e => e.Changed);
    }

    /// <summary>The columnar span API on one thread.</summary>
    /// <returns>The number of customers who moved.</returns>
    [Benchmark]
    public int ColumnsOneThread() =>
        _model.EvaluateColumns(AsOf, new LifecycleColumnSpans(_stage, _entered, _count, _last, _gap));

    /// <summary>The columnar API split in 65 536-row chunks over all cores.</summary>
    /// <returns>The number of customers who moved.</returns>
    [Benchmark]
    public int ColumnsParallel() =>
        _model.EvaluateColumns(AsOf, new LifecycleColumns(_stage, _entered, _count, _last, _gap));

    private sealed record Columns(int[] Count, long[] Last, long[] Gap, byte[] Stage0, long[] Entered0);
}
