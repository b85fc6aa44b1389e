using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Inactivity against the customer's own rhythm: days since the last purchase divided by the customer's median gap
/// between purchases. The risk is 0 up to <see cref="StartMultiple"/> times the usual gap and reaches 1 at
/// <see cref="FullMultiple"/> times, linearly between. A customer with a single purchase has no rhythm and is compared
/// with the population's gap distribution (its <see cref="PopulationQuantile"/>); without repeat customers,
/// with <see cref="DefaultGapDays"/>. A customer without purchases is not judged.
/// </summary>
/// <remarks>Gaps shorter than a day (same-day purchases) count as one day.</remarks>
public sealed class InactivityRule : IChurnRiskRule
{
    /// <summary>The default name, <c>inactivity</c>.</summary>
    public const string DefaultName = "inactivity";

    /// <summary>Creates the rule.</summary>
    /// <param name="startMultiple">Multiple of the usual gap where risk starts; default 1.</param>
    /// <param name="fullMultiple">Multiple of the usual gap where risk is full; default 4; above <paramref name="startMultiple"/>.</param>
    /// <param name="populationQuantile">Quantile of the population's median gaps used for single-purchase customers; default 0.5 (the median).</param>
    /// <param name="defaultGapDays">The usual gap when the population has no repeat customer; default 90 days.</param>
    /// <param name="name">The rule name; default <see cref="DefaultName"/>.</param>
    /// <exception cref="ChurnConfigurationException">A parameter is out of range.</exception>
    public InactivityRule(double startMultiple = 1, double fullMultiple = 4, double populationQuantile = 0.5, double defaultGapDays = 90, string name = DefaultName)
    {
        RequireName(name);
        Require(startMultiple >= 0 && double.IsFinite(startMultiple), name, "startMultiple must be a finite number >= 0.");
        Require(fullMultiple > startMultiple && double.IsFinite(fullMultiple), name, "fullMultiple must be finite and greater than startMultiple.");
        Require(populationQuantile > 0 && populationQuantile <= 1, name, "populationQuantile must be in (0, 1].");
        Require(defaultGapDays >= 1 && double.IsFinite(defaultGapDays), name, "defaultGapDays must be at least 1.");
        Name = name;
        StartMultiple = startMultiple;
        FullMultiple = fullMultiple;
        PopulationQuantile = populationQuantile;
        DefaultGapDays = defaultGapDays;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the multiple of the usual gap where risk starts.</summary>
    /// <value>Default 1.</value>
    public double StartMultiple { get; }

    /// <summary>Gets the multiple of the usual gap where risk is full.</summary>
    /// <value>Default 4.</value>
    public double FullMultiple { get; }

    /// <summary>Gets the quantile of the population's median gaps used for single-purchase customers.</summary>
    /// <value>Default 0.5.</value>
    public double PopulationQuantile { get; }

    /// <summary>Gets the usual gap in days when the population has no repeat customer.</summary>
    /// <value>Default 90.</value>
    public double DefaultGapDays { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        var s = context.Summary;
        if (s.LastPurchaseAt is not { } last)
        {
            return ChurnContribution.NotApplicable(Name, "no purchase yet; inactivity is judged only for buyers");
        }

        var days = context.DaysSince(last);
        string usual;
        double gap;
        if (s is { PurchaseCount: >= 2, MedianGap: { } g })
        {
            gap = ChurnPopulation.GapDays(g);
            usual = Inv($"usually buys every {F(gap, "0.#")} days");
        }
        else if (context.Population.GapQuantile(PopulationQuantile) is { } pg)
        {
            gap = pg;
            usual = Inv($"a single purchase, so compared with the population: {F(PopulationQuantile * 100, "0.#")} % quantile of {context.Population.RepeatCustomers} repeat customers' median gaps is {F(gap, "0.#")} days");
        }
        else
        {
            gap = DefaultGapDays;
            usual = Inv($"a single purchase and no repeat customers in the population, so the default gap of {F(gap, "0.#")} days");
        }

        var ratio = days / gap;
        var risk = Risk(days, gap);
        return ChurnContribution.Of(Name, risk, Inv($"no purchase for {days} days; {usual} ({F(ratio, "0.0")}x the usual gap; risk from {F(StartMultiple, "0.0#")}x, full at {F(FullMultiple, "0.0#")}x)"));
    }

    internal double Risk(int days, double gapDays) => Ramp(days / gapDays, StartMultiple, FullMultiple);
}
