using CustomerSegmentation.Scoring;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Scoring;

public class QuantileBinningTests
{
    private static int BruteForce(int[] values, int v, int k, bool higherIsBetter)
    {
        var w = values.Count(x => higherIsBetter ? x < v : x > v);
        return 1 + (int)((long)k * w / values.Length);
    }

    [Property(MaxTest = 300)]
    public Property Score_EqualsDefinition_Holds(NonEmptyArray<int> input, PositiveInt kSeed, bool higherIsBetter)
    {
        var values = input.Get.Select(x => x % 50).ToArray();
        var k = 2 + (kSeed.Get % 9);
        var cuts = QuantileBinning.CutPoints<int>(values, k, higherIsBetter);
        return values.All(v => QuantileBinning.Score<int>(v, cuts, higherIsBetter) == BruteForce(values, v, k, higherIsBetter)).ToProperty();
    }

    [Fact]
    public void Score_PopulationOfOne_IsOne()
    {
        var cuts = QuantileBinning.CutPoints<int>([7], 5, higherIsBetter: true);
        Assert.Equal(1, QuantileBinning.Score<int>(7, cuts, higherIsBetter: true));
    }

    [Fact]
    public void Score_TenDistinctValues_TwoPerBin()
    {
        int[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var cuts = QuantileBinning.CutPoints<int>(values, 5, higherIsBetter: true);
        Assert.Equal([2, 4, 6, 8], cuts);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], values.Select(v => QuantileBinning.Score<int>(v, cuts, true)));
        var recencyCuts = QuantileBinning.CutPoints<int>(values, 5, higherIsBetter: false);
        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], values.Select(v => QuantileBinning.Score<int>(v, recencyCuts, false)));
    }

    [Fact]
    public void CutPoints_BadBins_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantileBinning.CutPoints<int>([1], 1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantileBinning.CutPoints<int>([1], 11, true));
        Assert.Throws<ArgumentException>(() => QuantileBinning.CutPoints<int>([], 5, true));
    }
}
