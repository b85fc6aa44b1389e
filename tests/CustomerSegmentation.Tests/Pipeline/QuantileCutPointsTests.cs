using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Pipeline;

public class QuantileCutPointsTests
{
    private static readonly Gen<long[]> Populations =
        from n in Gen.Choose(1, 6000)
        from spread in Gen.Elements(3L, 400L, 70_000L, 5_000_000_000L, long.MaxValue / 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select Make(n, spread, seed);

    [Property(MaxTest = 150)]
    public Property Compute_EqualsQuantileBinningCutPoints_Holds() =>
        Prop.ForAll(
            Populations.ToArbitrary(),
            Gen.Choose(QuantileBinning.MinBins, QuantileBinning.MaxBins).ToArbitrary(),
            ArbMap.Default.ArbFor<bool>(),
            (values, bins, higherIsBetter) =>
                QuantileCutPoints.Compute(values, bins, higherIsBetter)
                    .SequenceEqual(QuantileBinning.CutPoints<long>(values, bins, higherIsBetter)));

    [Fact]
    public void Compute_SkewedMillionValues_EqualsSortedReference()
    {
        // Most values in one narrow band plus a few huge ones: forces several refine levels.
        var values = Make(1_000_000, 1_000, 7);
        values[0] = long.MinValue;
        values[1] = long.MaxValue;
        for (var i = 2; i < 1000; i++)
        {
            values[i] = (long)i << 40;
        }

        Assert.Equal(QuantileBinning.CutPoints<long>(values, 5, true), QuantileCutPoints.Compute(values, 5, true));
        Assert.Equal(QuantileBinning.CutPoints<long>(values, 7, false), QuantileCutPoints.Compute(values, 7, false));
    }

    [Fact]
    public void Compute_EmptyOrBadBins_Throws()
    {
        Assert.Throws<ArgumentException>(() => QuantileCutPoints.Compute([], 5, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantileCutPoints.Compute([1], 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantileCutPoints.Compute([1], 11, true));
    }

    private static long[] Make(int n, long spread, int seed)
    {
        var random = new Random(seed);
        var values = new long[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = random.NextInt64(-spread / 3, spread);
        }

        return values;
    }
}
