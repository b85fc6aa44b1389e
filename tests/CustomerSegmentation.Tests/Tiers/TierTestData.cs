using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tiers;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace CustomerSegmentation.Tests.Tiers;

internal static class TierTestData
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 0, 0);

    public static readonly TierMetric V = TierMetric.Host("v");

    public static readonly TierLadder Cba = TierLadder.Of("C", "B", "A");

    public static readonly TierLadder Chinese = TierLadder.Of("潜力客户", "标准客户", "VIP");

    public static CustomerId Id(int i) => new($"C{i:0000}");

    public static TierSubject Subject(int i, decimal? value) =>
        value is { } v ? TierSubject.WithValue(Id(i), "v", v) : new TierSubject(Id(i));

    public static List<TierSubject> Population(params decimal?[] values) => [.. values.Select((v, i) => Subject(i, v))];

    public static ActivitySummary Summary(int i, decimal netSpend, int purchases, int referrals = 0) => new()
    {
        CustomerId = Id(i),
        AsOf = T0,
        Currency = new Currency("CNY"),
        PurchaseCount = purchases,
        DistinctPurchaseDays = purchases,
        GrossSpend = netSpend,
        ReferralsMade = referrals,
    };

    public static Instant Day(int d) => T0 + Duration.FromDays(d);

    public static ThresholdTierPolicy Spend(decimal standard = 1000m, decimal vip = 10000m, ThresholdBoundary boundary = ThresholdBoundary.Inclusive) =>
        new("spend", Chinese, V, [new("标准客户", standard), new("VIP", vip)], boundary);

    public static QuantileTierPolicy Abc(decimal a = 0.2m, decimal b = 0.3m) =>
        new("abc", Cba, V, [new("A", a), new("B", b)]);

    public static string[] Names(IEnumerable<TierAssignment> a) => [.. a.Select(x => x.Tier.Name)];
}

/// <summary>Shared FsCheck arbitraries for tier properties.</summary>
public static class TierArbitraries
{
    public static Arbitrary<SingleMetricTierPolicy> SinglePolicies() => TierGens.Single.ToArbitrary();

    public static Arbitrary<decimal?[]> Populations() => TierGens.Values.ToArbitrary();
}

internal static class TierGens
{
    /// <summary>Metric values with many ties, some negative, some missing.</summary>
    public static Gen<decimal?> Value { get; } = Gen.Frequency(
        (1, Gen.Constant<decimal?>(null)),
        (8, Gen.Choose(-20, 400).Select(x => (decimal?)(x / 4m))));

    public static Gen<decimal?[]> Values { get; } = Gen.ArrayOf(Value).Select(a => a);

    /// <summary>A ladder of 2..6 tiers named T0 (lowest) .. Tn.</summary>
    public static Gen<TierLadder> Ladder { get; } = Gen.Choose(2, 6).Select(n => new TierLadder(Enumerable.Range(0, n).Select(i => $"T{i}")));

    /// <summary>A valid threshold, quantile or Pareto policy on host value "v".</summary>
    public static Gen<SingleMetricTierPolicy> Single { get; } =
        from ladder in Ladder
        from kind in Gen.Choose(0, 2)
        from lowerIsBetter in Gen.Elements(false, true)
        from raw in Gen.ArrayOf(Gen.Choose(1, 50), ladder.Count)
        select Build(ladder, kind, lowerIsBetter && kind != 2, raw);

    private static SingleMetricTierPolicy Build(TierLadder ladder, int kind, bool lowerIsBetter, int[] raw)
    {
        var metric = TierMetric.Host("v", !lowerIsBetter);
        if (kind == 0)
        {
            // Strictly increasing thresholds from cumulative positive steps (decreasing for lower-is-better).
            var acc = 0m;
            var th = new List<TierThreshold>();
            for (var l = 1; l < ladder.Count; l++)
            {
                acc += raw[l] / 2m;
                th.Add(new TierThreshold(ladder[l].Name, lowerIsBetter ? -acc + 50m : acc - 5m));
            }

            return new ThresholdTierPolicy("t", ladder, metric, th, raw[0] % 2 == 0 ? ThresholdBoundary.Inclusive : ThresholdBoundary.Exclusive);
        }

        // Shares proportional to raw weights, all tiers listed, summing to exactly 1.
        var total = raw.Sum();
        var shares = new List<TierShare>();
        var used = 0m;
        for (var l = ladder.Count - 1; l >= 1; l--)
        {
            var s = Math.Round((decimal)raw[l] / total, 4);
            if (s <= 0m)
            {
                s = 0.0001m;
            }

            shares.Add(new TierShare(ladder[l].Name, s));
            used += s;
        }

        if (used >= 1m)
        {
            return Build(ladder, kind, lowerIsBetter, [.. raw.Select((r, i) => i == 0 ? r + total : r)]);
        }

        shares.Add(new TierShare(ladder[0].Name, 1m - used));
        return kind == 1
            ? new QuantileTierPolicy("q", ladder, metric, shares)
            : new ParetoTierPolicy("p", ladder, metric, shares);
    }
}
