using CustomerSegmentation.Scoring;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>The straightforward RFM computation (LINQ, decimal, sort-based <see cref="QuantileBinning"/>) the columnar path must equal.</summary>
internal static class RfmReference
{
    public sealed record Row(string CustomerId, LocalDate Date, decimal Amount);

    public sealed record Result(string CustomerId, int? RecencyDays, int Frequency, decimal Monetary, int R, int F, int M, string Segment);

    public static Dictionary<string, Result> Compute(IEnumerable<Row> rows, LocalDate asOf, int bins = 5)
    {
        var customers = rows.Where(r => r.Date <= asOf).GroupBy(r => r.CustomerId, StringComparer.Ordinal).Select(g =>
        {
            var purchases = g.Where(r => r.Amount >= 0).ToList();
            int? recency = purchases.Count == 0 ? null : Period.Between(purchases.Max(p => p.Date), asOf, PeriodUnits.Days).Days;
            return (Id: g.Key, Recency: recency, Frequency: purchases.Count, Monetary: g.Sum(r => r.Amount));
        }).ToList();

        var scored = customers.Where(c => c.Frequency > 0).ToList();
        var results = new Dictionary<string, Result>(StringComparer.Ordinal);
        if (scored.Count > 0)
        {
            var rc = QuantileBinning.CutPoints<int>(scored.Select(c => c.Recency!.Value).ToArray(), bins, higherIsBetter: false);
            var fc = QuantileBinning.CutPoints<int>(scored.Select(c => c.Frequency).ToArray(), bins, higherIsBetter: true);
            var mc = QuantileBinning.CutPoints<decimal>(scored.Select(c => c.Monetary).ToArray(), bins, higherIsBetter: true);
            foreach (var c in scored)
            {
                var r = QuantileBinning.Score(c.Recency!.Value, rc, higherIsBetter: false);
                var f = QuantileBinning.Score(c.Frequency, fc, higherIsBetter: true);
                var m = QuantileBinning.Score(c.Monetary, mc, higherIsBetter: true);
                results[c.Id] = new Result(c.Id, c.Recency, c.Frequency, c.Monetary, r, f, m, RfmSegmentTable.Default.Classify(r, f, m));
            }
        }

        foreach (var c in customers.Where(c => c.Frequency == 0))
        {
            results[c.Id] = new Result(c.Id, null, 0, c.Monetary, 0, 0, 0, "None");
        }

        return results;
    }
}
