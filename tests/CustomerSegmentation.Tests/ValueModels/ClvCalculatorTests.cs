using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Tests.ValueModels;

public class ClvCalculatorTests
{
    private static readonly BgNbdModel Purchases = new(new BgNbdParameters(0.243, 4.414, 0.793, 2.426), BtydTimeUnit.Weeks);
    private static readonly GammaGammaModel Spend = new(new GammaGammaParameters(6.25, 3.74, 15.44));

    // references: lifetimes' customer_lifetime_value loop (12 steps of 30 days, 1 % per step) evaluated with scipy
    [Theory]
    [InlineData(2, 30.43, 38.86, 22.35, 35.88165264756731)]
    [InlineData(0, 0, 38.86, 0, 8.268241638570657)]
    [InlineData(6, 35, 38, 40.0, 182.8675854614389)]
    public void Estimate_PublishedCdnowModels_MatchesLifetimesReference(double x, double tx, double age, double m, double expected)
    {
        var estimate = new ClvCalculator(Purchases, Spend).Estimate(x, tx, age, m);
        Assert.True(Math.Abs(estimate.Value - expected) <= 1e-8 * expected, $"{estimate.Value:R}");
        Assert.Contains("CLV", estimate.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_NoDiscount_IsMarginTimesSpendTimesExpectedPurchases()
    {
        var options = new ClvOptions { DiscountRatePerStep = 0, Margin = 0.3, Steps = 6, StepDays = 14 };
        var estimate = new ClvCalculator(Purchases, Spend, options).Estimate(3, 20, 30, 25);
        var expected = 0.3 * Spend.ConditionalExpectedAverageSpend(3, 25) * Purchases.ConditionalExpectedPurchases(12, 3, 20, 30);
        Assert.Equal(expected, estimate.Value, 10);
        Assert.Equal(estimate.ExpectedPurchases, estimate.DiscountedPurchases, 12);
    }

    [Fact]
    public void Values_Batch_AgreesWithEstimate()
    {
        var data = BtydData.FromColumns(BtydTimeUnit.Weeks, [2, 0, 6], [30.43, 0, 35], [38.86, 38.86, 38], [22.35, 0, 40]);
        var calculator = new ClvCalculator(Purchases, Spend);
        var values = calculator.Values(data);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(calculator.Estimate(data.Frequency[i], data.Recency[i], data.Age[i], data.AverageRepeatSpend[i]).Value, values[i], 12);
        }

        Assert.Throws<ArgumentException>(() => calculator.Values(BtydData.FromColumns(BtydTimeUnit.Days, [0], [0], [1])));
    }
}
