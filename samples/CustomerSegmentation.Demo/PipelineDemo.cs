using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;
using Microsoft.Extensions.DependencyInjection;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>The whole pipeline in one call: <see cref="SegmentationEngine"/> over the in-memory stores, streamed customer by customer.</summary>
internal static class PipelineDemo
{
    public static async Task RunAsync(IServiceProvider stores, DemoPopulation population, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(output);

        // Value models fitted on the same population (as in the CLV section), then handed to the engine as given models.
        var btyd = new BtydSummaryBuilder(population.AsOf.InUtc().Date.PlusDays(-1), timeUnit: BtydTimeUnit.Weeks);
        foreach (var purchase in population.Records.SelectMany(g => g).OfType<Purchase>())
        {
            btyd.Add(purchase.CustomerId, purchase.At, purchase.Amount.Amount);
        }

        var data = btyd.Build();
        var options = new SegmentationEngineOptions
        {
            ValueModel = new ValueModelSettings(BgNbdModel.Fit(data), GammaGammaModel.Fit(data), new ClvOptions { Margin = 0.3 }),
            TierPolicy = new QuantileTierPolicy("abc", TierLadder.Of("C", "B", "A"), TierMetric.NetSpend, [new("A", 0.2m), new("B", 0.3m)]),
            Lifecycle = LifecycleModel.CreateDefault(),
        };
        options = options with { Segments = SegmentSetEvaluator.Create(DemoSegments, options) };

        // A host resolves the engine from DI (services.AddCustomerSegmentation(b => b.UseSegmentationEngine(options)));
        // the demo's stores already exist, so it registers them with the options in a fresh container.
        await using var services = new ServiceCollection()
            .AddCustomerSegmentation(b => b
                .UseCustomerStore(stores.GetRequiredService<ICustomerStore>())
                .UseActivityStore(stores.GetRequiredService<IActivityStore>())
                .UseSegmentationEngine(options))
            .AddSingleton<IActivitySummarySource>(sp => new ActivityStoreSummarySource(sp.GetRequiredService<IActivityStore>(), DemoPopulation.Summarizer))
            .BuildServiceProvider();
        var engine = services.GetRequiredService<SegmentationEngine>();

        var tiers = new Dictionary<string, int>();
        var stages = new Dictionary<string, int>();
        var segments = new Dictionary<string, int>();
        var members = new Dictionary<string, List<(string Customer, string Reason)>>();
        var watch = new List<CustomerResult>();
        var total = 0;
        await foreach (var r in engine.EvaluateAsync(population.AsOf, pageSize: 500))
        {
            // Results stream one page at a time: keep only counts and the few customers worth showing.
            total++;
            Bump(tiers, r.Tier!.Tier.Name);
            Bump(stages, r.Lifecycle!.Stage);
            Bump(segments, r.Rfm.Segment);
            foreach (var m in r.Segments)
            {
                if (!members.TryGetValue(m.Segment, out var list))
                {
                    members[m.Segment] = list = [];
                }

                list.Add((r.CustomerId.Value, m.Reason));
            }

            if (r.Churn.Value is { Level: >= ChurnRiskLevel.High })
            {
                watch.Add(r);
                watch = [.. watch.OrderByDescending(w => w.Churn.Value!.ValueAtRisk).Take(5)];
            }
        }

        output.WriteLine();
        output.WriteLine(Inv($"== The whole pipeline (SegmentationEngine, 2 passes over the stores): {total} customers =="));
        output.WriteLine("  RFM, BG/NBD + Gamma-Gamma, tier policy 'abc', the default lifecycle model, the columnar churn rules, demo segments.");
        output.WriteLine("  Tier distribution:");
        Write(output, ["tier", "customers", "share"], TierOrder(tiers).Select(t => Row(t.Key, t.Value, total)));
        output.WriteLine("  Lifecycle funnel (stage reached as of the as-of instant):");
        Write(output, ["stage", "customers", "share"], LifecycleModel.CreateDefault().Stages.Select(s => Row(s.Id, stages.GetValueOrDefault(s.Id), total)));
        output.WriteLine("  RFM segment sizes:");
        Write(output, ["segment", "customers", "share"], segments.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => Row(s.Key, s.Value, total)));
        output.WriteLine("  Churn watch list (High or above, by value at risk), with P(alive) and CLV from the models:");
        Write(output, ["customer", "level", "score", "value at risk", "P(alive)", "CLV", "tier", "stage"], watch.Select(w => (IReadOnlyList<string>)
        [
            w.CustomerId.Value, w.Churn.Value!.Level.ToString(), Inv($"{w.Churn.Value.Score:0.000}"), Inv($"{w.Churn.Value.ValueAtRisk:N0}"),
            Inv($"{w.Model?.ProbabilityAlive:0.000}"), Inv($"{w.Model?.Value:N0}"), w.Tier!.Tier.Name, w.Lifecycle!.Stage,
        ]));
        foreach (var w in watch)
        {
            output.WriteLine($"  {w.CustomerId}: {string.Join("; ", w.Churn.Value!.Reasons.Take(2))}");
        }

        output.WriteLine("  Segments (expression-language definitions, SegmentSetEvaluator through the engine's hook):");
        Write(output, ["segment", "customers", "share", "for example"], DemoSegments.Select(d => d.Id).Select(s =>
        {
            var list = members.GetValueOrDefault(s) ?? [];
            return (IReadOnlyList<string>)[s, Inv($"{list.Count}"), Inv($"{100.0 * list.Count / Math.Max(1, total):0.0}%"), list.Count == 0 ? "-" : $"{list[0].Customer}: {list[0].Reason}"];
        }));
    }

    private static void Bump(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static IEnumerable<KeyValuePair<string, int>> TierOrder(Dictionary<string, int> tiers) =>
        new[] { "A", "B", "C" }.Select(t => new KeyValuePair<string, int>(t, tiers.GetValueOrDefault(t)));

    private static IReadOnlyList<string> Row(string name, int count, int total) =>
        [name, Inv($"{count}"), Inv($"{100.0 * count / Math.Max(1, total):0.0}%")];

    /// <summary>Two expression-language segments, evaluated by <see cref="SegmentSetEvaluator"/> through the engine's hook.</summary>
    private static readonly ImmutableArray<SegmentDefinition> DemoSegments = SegmentJson.Read("""
        { "segments": [
          { "id": "vip-at-risk", "name": "VIP at risk", "rule": "tier = \"A\" and churn_level >= \"high\"" },
          { "id": "promising-newcomers", "name": "Promising newcomers", "rule": "purchase_count between 1 and 2 and p_alive >= 0.8 and r >= 4" }
        ] }
        """).GetValueOrThrow();
}
