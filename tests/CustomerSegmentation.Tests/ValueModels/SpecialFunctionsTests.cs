using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Tests.ValueModels;

public class SpecialFunctionsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(0.5, 0.57236494292470008)]        // ln √π
    [InlineData(10, 12.801827480081469)]          // ln 9!
    [InlineData(0.1, 2.2527126517342059)]
    [InlineData(25.5, 56.389167643719944)]
    [InlineData(1000, 5905.2204232091809)]
    public void LogGamma_KnownValues_Match(double x, double expected) =>
        Assert.True(Math.Abs(SpecialFunctions.LogGamma(x) - expected) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"{SpecialFunctions.LogGamma(x):R}");

    [Theory]
    [InlineData(-0.5, 1.2655121234846454, -1)]    // Γ(−0.5) = −2√π
    [InlineData(-1.5, 0.86004701537648098, 1)]    // Γ(−1.5) = 4√π / 3
    public void LogAbsGamma_NegativeArguments_MatchReflection(double x, double expected, int sign)
    {
        Assert.Equal(expected, SpecialFunctions.LogAbsGamma(x, out var s), 12);
        Assert.Equal(sign, s);
    }

    [Theory]
    [InlineData(0.243, 2.426, 2.219, 0.9)]
    [InlineData(2.243, 4.426, 4.219, 0.7)]
    [InlineData(10.5, 11.2, 11.9, 0.95)]
    [InlineData(0.5, 0.5, 1.7, 0.99)]
    public void Hyp2F1_ConnectionFormula_AgreesWithDirectSeries(double a, double b, double c, double z)
    {
        var series = SpecialFunctions.Hyp2F1Series(a, b, c, z);
        var value = SpecialFunctions.Hyp2F1(a, b, c, z);
        Assert.True(Math.Abs(series - value) <= 1e-9 * Math.Abs(series), $"series {series:R}, connection {value:R}");
    }

    [Fact]
    public void Hyp2F1_ClosedForms_Match()
    {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z and ₂F₁(a, b; b; z) = (1 − z)^−a
        foreach (var z in new[] { 0.1, 0.5, 0.8, 0.97 })
        {
            Assert.Equal(-Math.Log(1 - z) / z, SpecialFunctions.Hyp2F1(1, 1, 2, z), 10);
            Assert.Equal(Math.Pow(1 - z, -0.7), SpecialFunctions.Hyp2F1(0.7, 1.3, 1.3, z), 10);
        }
    }
}
