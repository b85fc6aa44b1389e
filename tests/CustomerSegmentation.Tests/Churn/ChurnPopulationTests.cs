using CustomerSegmentation.Churn;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Churn;

/// <summary>The engine's radix-sorted population of single-precision gaps equals the public one of the same gaps as doubles.</summary>
public class ChurnPopulationTests
{
    private static readonly double[] Quantiles = [0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

    private static readonly Gen<float> Gap = Gen.OneOf(
        Gen.Choose(0, 2000).Select(d => d / 3f),
        Gen.Choose(0, 100).Select(d => (float)d),
        Gen.Choose(0, 1_000_000).Select(d => d / 997f),
        Gen.Elements(0f, 0.5f, 1f, 1e-30f, 3e38f));

    [Property(MaxTest = 200)]
    public Property FromSingleGapDays_EqualsFromGapDays_Holds() =>
        Prop.ForAll(Gen.ArrayOf(Gap).ToArbitrary(), gaps =>
        {
            var expected = ChurnPopulation.FromGapDays(gaps.Select(g => (double)g));
            var actual = ChurnPopulation.FromSingleGapDays([.. gaps]);
            return actual.RepeatCustomers == expected.RepeatCustomers
                && Quantiles.All(q => actual.GapQuantile(q) == expected.GapQuantile(q));
        });

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void FromSingleGapDays_NegativeOrNotFinite_Throws(float gap) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChurnPopulation.FromSingleGapDays([1f, gap]));
}
