using System.Globalization;

namespace CustomerSegmentation.ValueModels;

/// <summary>Options of <see cref="ClvCalculator"/>; every value is checked when it is set.</summary>
/// <remarks>The defaults are those of <c>lifetimes</c>' <c>customer_lifetime_value</c>: 12 steps of 30 days, 1 % discount per step, margin 1.</remarks>
public sealed record ClvOptions
{
    private readonly int _steps = 12;
    private readonly int _stepDays = 30;
    private readonly double _discountRate = 0.01;
    private readonly double _margin = 1;

    /// <summary>Gets the default options.</summary>
    public static ClvOptions Default { get; } = new();

    /// <summary>Gets the number of discounting steps; the horizon is <see cref="Steps"/> × <see cref="StepDays"/> days.</summary>
    /// <value>Default 12.</value>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1..1200.</exception>
    public int Steps
    {
        get => _steps;
        init => _steps = value is >= 1 and <= 1200 ? value : throw new ArgumentOutOfRangeException(nameof(Steps), value, "Steps must be 1..1200.");
    }

    /// <summary>Gets the length of one step in days (converted to the model's time unit).</summary>
    /// <value>Default 30 (a "month").</value>
    /// <exception cref="ArgumentOutOfRangeException">Outside 1..3660.</exception>
    public int StepDays
    {
        get => _stepDays;
        init => _stepDays = value is >= 1 and <= 3660 ? value : throw new ArgumentOutOfRangeException(nameof(StepDays), value, "A step must be 1..3660 days.");
    }

    /// <summary>Gets the discount rate per step: value in step k is divided by (1 + rate)^k.</summary>
    /// <value>Default 0.01.</value>
    /// <exception cref="ArgumentOutOfRangeException">Negative, 1 or more, or not finite.</exception>
    public double DiscountRatePerStep
    {
        get => _discountRate;
        init => _discountRate = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(DiscountRatePerStep), value, "The discount rate per step must be in [0, 1).");
    }

    /// <summary>Gets the profit margin applied to spend.</summary>
    /// <value>Default 1 (revenue).</value>
    /// <exception cref="ArgumentOutOfRangeException">Not in (0, 1].</exception>
    public double Margin
    {
        get => _margin;
        init => _margin = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Margin), value, "The margin must be in (0, 1].");
    }
}

/// <summary>
/// Customer lifetime value from a BG/NBD (how many purchases) and a Gamma-Gamma model (how much each):
/// CLV = margin × E[spend | x, m] × Σₖ₌₁..K (E[Y(kΔ) | x, t_x, T] − E[Y((k−1)Δ) | x, t_x, T]) / (1 + d)^k,
/// with Δ the step length, K the steps and d the discount rate per step; the same discounted steps as <c>lifetimes</c>.
/// </summary>
/// <threadsafety>Immutable; all members are safe for concurrent use.</threadsafety>
public sealed class ClvCalculator
{
    /// <summary>Creates a calculator.</summary>
    /// <param name="purchases">The purchase model.</param>
    /// <param name="spend">The spend model.</param>
    /// <param name="options">The options; <see cref="ClvOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">A model is <see langword="null"/>.</exception>
    public ClvCalculator(BgNbdModel purchases, GammaGammaModel spend, ClvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        Purchases = purchases;
        Spend = spend;
        Options = options ?? ClvOptions.Default;
        StepLength = Options.StepDays / (double)(int)purchases.TimeUnit;
    }

    /// <summary>Gets the purchase model.</summary>
    public BgNbdModel Purchases { get; }

    /// <summary>Gets the spend model.</summary>
    public GammaGammaModel Spend { get; }

    /// <summary>Gets the options.</summary>
    public ClvOptions Options { get; }

    /// <summary>Gets the step length in the purchase model's time unit.</summary>
    public double StepLength { get; }

    /// <summary>Estimates the lifetime value of one customer.</summary>
    /// <param name="x">The frequency.</param>
    /// <param name="tx">The recency.</param>
    /// <param name="age">The age T.</param>
    /// <param name="averageRepeatSpend">The mean repeat spend m.</param>
    /// <returns>The estimate with its parts and an explanation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ClvEstimate Estimate(double x, double tx, double age, double averageRepeatSpend)
    {
        var alive = Purchases.ProbabilityAlive(x, tx, age);
        var spend = Spend.ConditionalExpectedAverageSpend(x, averageRepeatSpend);
        var (purchases, discounted) = Steps(x, tx, age);
        var value = Options.Margin * spend * discounted;
        var unit = Purchases.TimeUnit.ToString().ToLowerInvariant();
        var explanation = string.Create(
            CultureInfo.InvariantCulture,
            $"CLV {value:F2} = margin {Options.Margin:G3} × expected spend {spend:F2} × {discounted:F3} discounted purchases ({purchases:F3} undiscounted over {Options.Steps} steps of {Options.StepDays} days at {Options.DiscountRatePerStep:P2} per step); P(alive) {alive:F3}; history x = {x}, t_x = {tx:G4}, T = {age:G4} {unit}.");
        return new ClvEstimate(value, alive, purchases, discounted, spend, explanation);
    }

    /// <summary>Estimates the lifetime value of every customer of a summary, in parallel.</summary>
    /// <param name="data">The summary, in the purchase model's time unit.</param>
    /// <returns>One value per customer, in the summary's order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The summary's time unit differs from the purchase model's.</exception>
    public double[] Values(BtydData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.TimeUnit != Purchases.TimeUnit)
        {
            throw new ArgumentException($"The summary is in {data.TimeUnit} but the purchase model in {Purchases.TimeUnit}.", nameof(data));
        }

        var result = new double[data.Count];
        var bg = Purchases.Parameters;
        var gg = Spend.Parameters;
        BgNbdModel.ForChunks(data.Count, (from, length) =>
        {
            var x = data.Frequency.Slice(from, length);
            var tx = data.Recency.Slice(from, length);
            var t = data.Age.Slice(from, length);
            var m = data.AverageRepeatSpend.Slice(from, length);
            for (var i = 0; i < length; i++)
            {
                var (_, discounted) = Steps(bg, x[i], tx[i], t[i]);
                result[from + i] = Options.Margin * GammaGammaModel.Spend(gg, x[i], m[i]) * discounted;
            }
        });
        return result;
    }

    private (double Purchases, double Discounted) Steps(double x, double tx, double age) => Steps(Purchases.Parameters, x, tx, age);

    private (double Purchases, double Discounted) Steps(in BgNbdParameters p, double x, double tx, double age)
    {
        double previous = 0, discounted = 0, factor = 1;
        var growth = 1 + Options.DiscountRatePerStep;
        for (var k = 1; k <= Options.Steps; k++)
        {
            var cumulative = BgNbdModel.Conditional(p, k * StepLength, x, tx, age, givenAlive: false);
            factor /= growth;
            discounted += (cumulative - previous) * factor;
            previous = cumulative;
        }

        return (previous, discounted);
    }
}

/// <summary>One customer's lifetime value and its parts.</summary>
/// <param name="Value">The discounted lifetime value (margin × spend × discounted purchases).</param>
/// <param name="ProbabilityAlive">The BG/NBD probability that the customer is active.</param>
/// <param name="ExpectedPurchases">The expected purchases over the horizon, undiscounted.</param>
/// <param name="DiscountedPurchases">The expected purchases over the horizon, each step discounted.</param>
/// <param name="ExpectedAverageSpend">The Gamma-Gamma expected spend per purchase.</param>
/// <param name="Explanation">A sentence with the formula and these figures.</param>
public readonly record struct ClvEstimate(double Value, double ProbabilityAlive, double ExpectedPurchases, double DiscountedPurchases, double ExpectedAverageSpend, string Explanation);
