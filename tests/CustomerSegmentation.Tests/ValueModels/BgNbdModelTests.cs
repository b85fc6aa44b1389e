using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Tests.ValueModels;

public class BgNbdModelTests
{
    // the published CDNOW estimates; reference values below are the FHL (2005) formulas evaluated with scipy.special.hyp2f1
    private static readonly BgNbdModel Published = new(new BgNbdParameters(0.243, 4.414, 0.793, 2.426), BtydTimeUnit.Weeks);

    private static void Close(double expected, double actual, double relative = 1e-9) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(39, 2, 30.43, 38.86, 1.226028174767135, 0.726578570080673)]
    [InlineData(39, 0, 0, 38.86, 0.19509805201125396, 1.0)]
    [InlineData(52, 10, 20, 40, 0.27247291435624976, 0.0304257678372023)]
    [InlineData(39, 1, 1.71, 38.86, 0.2031869870797511, 0.2121009853773791)]
    [InlineData(100, 5, 30, 31, 7.8505986626621205, 0.8745832246427621)]
    public void Predictions_KnownHistories_MatchScipyReference(double t, double x, double tx, double age, double expected, double alive)
    {
        Close(expected, Published.ConditionalExpectedPurchases(t, x, tx, age));
        Close(alive, Published.ProbabilityAlive(x, tx, age));
    }

    [Theory]
    [InlineData(1, 0.05326789117165627)]
    [InlineData(39, 1.1967231933207985)]
    [InlineData(78, 1.8605190579427455)]
    [InlineData(520, 4.974617861849564)]
    public void ExpectedPurchases_NewCustomer_MatchesScipyReference(double t, double expected) =>
        Close(expected, Published.ExpectedPurchases(t));

    [Fact]
    public void ConditionalExpectedPurchases_PublishedSummary_TotalMatchesScipyReference()
    {
        var rows = File.ReadLines(CdnowFixture.DataPath("cdnow_customers_summary_with_transactions.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        var data = BtydData.FromColumns(BtydTimeUnit.Weeks, rows.Select(r => r[1]).ToArray(), rows.Select(r => r[2]).ToArray(), rows.Select(r => r[3]).ToArray());
        Close(1653.9484276440485, Published.ConditionalExpectedPurchases(39, data).Sum());
    }

    [Fact]
    public void BatchMembers_AgreeWithScalarMembers()
    {
        double[] x = [0, 1, 2, 7, 30];
        double[] tx = [0, 3, 10, 20, 38];
        double[] age = [5, 10, 12, 39, 39];
        var alive = new double[5];
        var expected = new double[5];
        Published.ProbabilityAlive(x, tx, age, alive);
        Published.ConditionalExpectedPurchases(26, x, tx, age, expected);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Published.ProbabilityAlive(x[i], tx[i], age[i]), alive[i]);
            Assert.Equal(Published.ConditionalExpectedPurchases(26, x[i], tx[i], age[i]), expected[i], 1e-12);
        }

        Assert.Throws<ArgumentException>(() => Published.ProbabilityAlive(x, tx, age, new double[4]));
    }

    [Fact]
    public void ConditionalExpectedPurchases_AEqualToOne_IsFiniteAndBetweenNeighbours()
    {
        // a = 1 is a removable singularity of the closed form
        double At(double a) => new BgNbdModel(new BgNbdParameters(0.5, 5, a, 2), BtydTimeUnit.Weeks).ConditionalExpectedPurchases(20, 3, 10, 20);
        var value = At(1);
        Assert.True(double.IsFinite(value));
        Assert.InRange(value, Math.Min(At(0.999), At(1.001)), Math.Max(At(0.999), At(1.001)));
    }

    [Fact]
    public void Predictions_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Published.ExpectedPurchases(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(1.5, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Published.ProbabilityAlive(1, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdParameters(0, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdParameters(1, double.NaN, 1, 1));
        Assert.Throws<ArgumentException>(() => new BgNbdModel(default, BtydTimeUnit.Weeks));
    }

    [Fact]
    public void ExplainProbabilityAlive_RepeatBuyer_NamesFiguresAndParameters()
    {
        var text = Published.ExplainProbabilityAlive(2, 30.43, 38.86);
        Assert.Contains("0.7266", text, StringComparison.Ordinal);
        Assert.Contains("r = 0.243", text, StringComparison.Ordinal);
        Assert.Contains("no repeat purchase", Published.ExplainProbabilityAlive(0, 0, 10), StringComparison.Ordinal);
    }

    [Fact]
    public void CompareHoldout_WithoutHoldout_Throws()
    {
        var data = BtydData.FromColumns(BtydTimeUnit.Weeks, [0, 1], [0, 1], [2, 2]);
        Assert.Throws<ArgumentException>(() => Published.CompareHoldout(data));
    }
}

public class BgNbdBatchMemoTests
{
    [Fact]
    public void ConditionalExpectedPurchases_RepeatedAges_MemoMatchesScalar()
    {
        // many customers share (x, T) but differ in t_x: the memoised factor must never leak between histories or calls
        var model = new BgNbdModel(new BgNbdParameters(0.243, 4.414, 0.793, 2.426), BtydTimeUnit.Weeks);
        var random = new Random(7);
        var n = 50_000;
        var x = new double[n];
        var tx = new double[n];
        var t = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = random.Next(0, 6);
            t[i] = random.Next(1, 40);
            tx[i] = x[i] == 0 ? 0 : random.Next(0, (int)t[i] + 1);
        }

        var data = BtydData.FromColumns(BtydTimeUnit.Weeks, x, tx, t);
        foreach (var horizon in new[] { 10.0, 39.0 })
        {
            var batch = model.ConditionalExpectedPurchases(horizon, data);
            for (var i = 0; i < n; i += 97)
            {
                Assert.Equal(model.ConditionalExpectedPurchases(horizon, x[i], tx[i], t[i]), batch[i], 1e-12);
            }
        }
    }
}
