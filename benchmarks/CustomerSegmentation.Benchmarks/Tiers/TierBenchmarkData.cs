using CustomerSegmentation.Tiers;

namespace CustomerSegmentation.Benchmarks.Tiers;

/// <summary>Customers' 12-month net spend (ten million unless told): a fifth spend nothing, the rest 0.01 .. 20 000.00 with cents.</summary>
internal static class TierBenchmarkData
{
    public const int Customers = 10_000_000;

    public static readonly TierLadder Ladder = TierLadder.Of("C", "B", "A");

    public static decimal[] Spend(int n = Customers)
    {
        var rnd = new Random(20261201);
        var values = new decimal[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = rnd.Next(5) == 0 ? 0m : rnd.Next(1, 2_000_001) / 100m;
        }

        return values;
    }
}
