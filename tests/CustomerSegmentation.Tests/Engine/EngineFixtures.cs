using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Tests.Engine;

/// <summary>Rows, facts and a full-featured engine configuration shared by the engine tests.</summary>
internal static class EngineFixtures
{
    public static readonly LocalDate AsOf = new(2025, 12, 31);

    public static readonly string LifecycleJson = """
        {
          "initialStage": "visitor",
          "stages": [ { "id": "visitor" }, { "id": "member" }, { "id": "lapsed" } ],
          "transitions": [ { "from": "visitor", "to": ["member"] }, { "from": "member", "to": ["lapsed"] }, { "from": "lapsed", "to": ["member"] } ],
          "rules": [
            { "id": "joins", "from": ["visitor"], "to": "member", "when": { "minPurchases": 1 } },
            { "id": "lapses", "from": ["member"], "to": "lapsed", "when": { "noPurchaseFor": { "medianGapMultiple": 2, "fallbackDays": 60, "minDays": 14, "maxDays": 400 } } },
            { "id": "returns", "from": ["lapsed"], "to": "member", "when": { "purchaseSinceEntered": true } }
          ]
        }
        """;

    public static SegmentationEngineOptions FullOptions(int threads = 1, int batchSize = 1 << 16) => new()
    {
        TierPolicy = TierPolicyJson.Parse("""{ "name": "abc", "kind": "quantile", "tiers": ["C", "B", "A"], "metric": "netSpend", "shares": { "A": 0.2, "B": 0.3 } }"""),
        Lifecycle = LifecycleModel.FromJson(LifecycleJson),
        ValueModel = new ValueModelSettings(
            new BgNbdModel(new BgNbdParameters(0.243, 4.414, 0.793, 2.426), BtydTimeUnit.Weeks),
            new GammaGammaModel(new GammaGammaParameters(6.25, 3.74, 15.44))),
        MaxDegreeOfParallelism = threads,
        BatchSize = batchSize,
    };

    public static CustomerFacts Facts(IEnumerable<(string Id, LocalDate Date, decimal Amount)> rows, int partitions = 1, int rowsPerBatch = 1000)
    {
        var builder = new PurchaseFactsBuilder(AsOf, partitions);
        var batch = builder.CreateBatch();
        void Fold()
        {
            for (var p = 0; p < partitions; p++)
            {
                builder.Add(batch, p);
            }

            batch.Clear();
        }

        foreach (var (id, date, amount) in rows)
        {
            batch.Add(Encoding.UTF8.GetBytes(id), Utf8PurchaseFields.ToEpochDay(date), (long)(amount * Utf8PurchaseFields.AmountScale));
            if (batch.Count + batch.RowsAfterAsOf >= rowsPerBatch)
            {
                Fold();
            }
        }

        Fold();
        return builder.Build(partitions);
    }

    /// <summary>Every result of a run as one text line per customer, in customer order.</summary>
    public static (ImmutableArray<string> Lines, SegmentationRunSummary Summary) Collect(SegmentationEngine engine, CustomerFacts facts)
    {
        var sink = new CollectingSink();
        var summary = engine.Run(facts, sink);
        return ([.. sink.Lines.OrderBy(l => l.Key).SelectMany(l => l.Value)], summary);
    }

    public static string Line(SegmentationBatch b, int j) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Encoding.UTF8.GetString(b.Facts.GetIdUtf8(b.Start + j))}|{b.R[j]}{b.F[j]}{b.M[j]}|{b.Engine.RfmSegmentName(b.RfmSegment[j])}|{b.PAlive[j]:R}|{b.ExpectedPurchases[j]:R}|{b.Clv[j]:R}|{b.Engine.TierName(b.Tier[j])}|{b.Engine.StageName(b.Stage[j])}|{b.ChurnLevel[j]}|{b.ChurnScore[j]:R}|{b.Tags[j]}|{b.Segments[j]}");

    private sealed class CollectingSink : ISegmentationBatchSink
    {
        public Dictionary<int, List<string>> Lines { get; } = [];

        public void Write(SegmentationBatch batch)
        {
            var lines = new List<string>(batch.Length);
            for (var j = 0; j < batch.Length; j++)
            {
                lines.Add(Line(batch, j));
            }

            lock (Lines)
            {
                Lines.Add(batch.Index, lines);
            }
        }
    }
}
