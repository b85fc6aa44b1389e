using CustomerSegmentation.ValueModels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.ValueModels;

/// <summary>A valid parameter set and customer history: x in 0..60, 0 ≤ t_x ≤ T ≤ 200, parameters over wide ranges.</summary>
public sealed record BtydCase(BgNbdParameters Parameters, double X, double Tx, double Age);

public static class BtydArbitraries
{
    private static Gen<double> Between(double lo, double hi) => Gen.Choose(0, 1_000_000).Select(k => lo + ((hi - lo) * k / 1_000_000.0));

    public static Arbitrary<BtydCase> Cases() =>
        (from r in Between(0.05, 5)
         from alpha in Between(0.1, 50)
         from a in Between(0.1, 5)
         from b in Between(0.1, 10)
         from x in Gen.Choose(0, 60)
         from age in Between(0.01, 200)
         from share in Between(0, 1)
         select new BtydCase(new BgNbdParameters(r, alpha, a, b), x, x == 0 ? 0 : share * age, age)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(BtydArbitraries)], MaxTest = 200)]
public class ValueModelPropertyTests
{
    private static BgNbdModel Model(BtydCase c) => new(c.Parameters, BtydTimeUnit.Weeks);

    [Property]
    public Property ProbabilityAlive_IsAProbability_Holds(BtydCase c)
    {
        var p = Model(c).ProbabilityAlive(c.X, c.Tx, c.Age);
        return (p is >= 0 and <= 1).Label($"P(alive) = {p}");
    }

    [Property]
    public Property ProbabilityAlive_NoRepeatPurchase_IsOne_Holds(BtydCase c) =>
        (Model(c).ProbabilityAlive(0, 0, c.Age) == 1).ToProperty();

    [Property]
    public Property ProbabilityAlive_MoreRecentLastPurchase_NeverLower_Holds(BtydCase c, byte step)
    {
        var model = Model(c);
        var later = Math.Min(c.Age, c.Tx + (step / 255.0 * (c.Age - c.Tx)));
        var before = model.ProbabilityAlive(c.X, c.Tx, c.Age);
        var after = model.ProbabilityAlive(c.X, later, c.Age);
        return (after >= before).Label($"P(alive) at t_x = {c.Tx}: {before}, at {later}: {after}");
    }

    [Property]
    public Property ExpectedPurchases_NonNegativeAndNonDecreasingInHorizon_Holds(BtydCase c, byte h1, byte h2)
    {
        var model = Model(c);
        var t1 = Math.Min(h1, h2) * 0.5;
        var t2 = Math.Max(h1, h2) * 0.5;
        var e1 = model.ConditionalExpectedPurchases(t1, c.X, c.Tx, c.Age);
        var e2 = model.ConditionalExpectedPurchases(t2, c.X, c.Tx, c.Age);
        var n1 = model.ExpectedPurchases(t1);
        var n2 = model.ExpectedPurchases(t2);
        var slack = 1e-9 * (1 + Math.Abs(e2) + Math.Abs(n2));
        return (double.IsFinite(e2) && double.IsFinite(n2) && e1 >= 0 && n1 >= 0 && e2 >= e1 - slack && n2 >= n1 - slack)
            .Label($"t {t1} → {t2}: conditional {e1} → {e2}, new customer {n1} → {n2}");
    }
}
