using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tests.Churn;

/// <summary>Test-only stand-in for the activity summariser (built on another branch): purchases to <see cref="ActivitySummary"/>.</summary>
internal static class ChurnTestData
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 6, 30, 12, 0);

    public static CustomerId Id(string s) => new(s);

    public static Instant Day(int y, int m, int d) => new LocalDate(y, m, d).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <summary>The last instant of a calendar day (UTC).</summary>
    public static Instant EndOfDay(int y, int m, int d) => Day(y, m, d).Plus(Duration.FromDays(1)) - Duration.Epsilon;

    /// <summary>
    /// Summarises purchases as of <paramref name="asOf"/>: later purchases are left out, as the real summariser does.
    /// Windows: <c>recent</c> = the <paramref name="recentDays"/> days ending at the as-of day, <c>baseline</c> = the
    /// <paramref name="baselineDays"/> days before it.
    /// </summary>
    public static ActivitySummary Summarise(CustomerId id, IEnumerable<(Instant At, decimal Amount)> purchases, Instant asOf, int recentDays = 91, int baselineDays = 182, IEnumerable<Interaction>? interactions = null)
    {
        var ps = purchases.Where(p => p.At <= asOf).OrderBy(p => p.At).ToList();
        var windowEnd = asOf.InUtc().Date.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var recentFrom = windowEnd - Duration.FromDays(recentDays);
        var baseFrom = recentFrom - Duration.FromDays(baselineDays);
        ImmutableArray<WindowTotals> windows =
        [
            Window("recent", recentFrom, windowEnd, ps),
            Window("baseline", baseFrom, recentFrom, ps),
        ];
        var gaps = ps.Zip(ps.Skip(1), (a, b) => b.At - a.At).OrderBy(g => g).ToList();
        Duration? median = gaps.Count == 0 ? null
            : gaps.Count % 2 == 1 ? gaps[gaps.Count / 2]
            : (gaps[(gaps.Count / 2) - 1] + gaps[gaps.Count / 2]) / 2;
        var its = (interactions ?? []).Where(i => i.At <= asOf).ToList();
        var scores = its.Where(i => i.Satisfaction is not null).Select(i => (double)i.Satisfaction!.Value).ToList();
        return new ActivitySummary
        {
            CustomerId = id,
            AsOf = asOf,
            Currency = ps.Count == 0 ? null : Currency.Usd,
            FirstPurchaseAt = ps.Count == 0 ? null : ps[0].At,
            LastPurchaseAt = ps.Count == 0 ? null : ps[^1].At,
            PurchaseCount = ps.Count,
            DistinctPurchaseDays = ps.Select(p => p.At.InUtc().Date).Distinct().Count(),
            GrossSpend = ps.Sum(p => p.Amount),
            Windows = windows,
            MeanGap = gaps.Count == 0 ? null : Duration.FromTicks((long)gaps.Average(g => g.BclCompatibleTicks)),
            MedianGap = median,
            InteractionsByKind = its.GroupBy(i => i.Kind).ToImmutableDictionary(g => g.Key, g => g.Count()),
            LastInteractionAt = its.Count == 0 ? null : its.Max(i => i.At),
            MeanSatisfaction = scores.Count == 0 ? null : scores.Average(),
            LastNps = its.Where(i => i.Nps is not null).OrderBy(i => i.At).Select(i => i.Nps).LastOrDefault(),
        };
    }

    public static ActivitySummary WithPurchasesDaysAgo(string id, Instant asOf, params int[] daysAgo) =>
        Summarise(Id(id), daysAgo.Select(d => (asOf - Duration.FromDays(d), 10m)), asOf);

    public static ChurnRuleContext Context(ActivitySummary s, ChurnSignals? signals = null, ChurnPopulation? population = null, Instant? asOf = null) =>
        new(s, asOf ?? s.AsOf, population ?? ChurnPopulation.Empty, signals);

    /// <summary>Reads a <c>customer_id,date,amount</c> CSV.</summary>
    public static IEnumerable<(string Customer, Instant At, decimal Amount)> ReadTransactions(string path)
    {
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(',');
            var date = LocalDate.FromDateTime(DateTime.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture));
            yield return (parts[0], date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), decimal.Parse(parts[2], CultureInfo.InvariantCulture));
        }
    }

    public static string CdnowPath => Path.Combine(AppContext.BaseDirectory, "Data", "cdnow", "cdnow_sample_transactions.csv");

    /// <summary>
    /// P(alive) of the BG/NBD model (Fader, Hardie and Lee 2005, eq. 11) with time in weeks; x = repeat purchase days,
    /// t_x = weeks from first to last purchase day, T = weeks from the first purchase day to the calibration end.
    /// Test-side stand-in for the BG/NBD capability built on another branch.
    /// </summary>
    public static double BgNbdPAlive(double r, double alpha, double a, double b, int x, double tx, double t)
    {
        if (x == 0)
        {
            return 1.0;
        }

        var ratio = a / (b + x - 1) * Math.Pow((alpha + t) / (alpha + tx), r + x);
        return 1.0 / (1.0 + ratio);
    }

    private static WindowTotals Window(string name, Instant from, Instant to, List<(Instant At, decimal Amount)> ps)
    {
        var inside = ps.Where(p => p.At >= from && p.At < to).ToList();
        return new WindowTotals(name, from, to, inside.Count, inside.Sum(p => p.Amount));
    }
}
