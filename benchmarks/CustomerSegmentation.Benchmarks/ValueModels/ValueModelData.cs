using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Benchmarks.ValueModels;

/// <summary>Synthetic BTYD summaries drawn from CDNOW-like parameters, on a daily grid (as summaries built from purchase days are).</summary>
internal static class ValueModelData
{
    public static readonly BgNbdParameters Purchases = new(0.243, 4.414, 0.793, 2.426);
    public static readonly GammaGammaParameters Spend = new(6.25, 3.74, 15.44);

    public static BtydData Customers(int count, int seed)
    {
        // a cohort acquired evenly over 78 weeks, observed at week 78
        var random = new Random(seed);
        var ages = new double[count];
        for (var i = 0; i < count; i++)
        {
            ages[i] = 78 * random.NextDouble();
        }

        return BtydSimulator.Simulate(Purchases, Spend, ages, seed + 1, grid: 1.0 / 7);
    }
}
