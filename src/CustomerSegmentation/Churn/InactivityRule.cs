using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Inactivity against the customer's own rhythm: days since the last purchase divided by the customer's median gap
/// between purchases. The risk is 0 up to <see cref="StartMultiple"/> times the usual gap, 0.5 at
/// <see cref="HalfMultiple"/> times and approaches 1 beyond: with the excess <c>e = ratio − start</c>,
/// risk = <c>e ÷ (e + half − start)</c>. It never saturates, so a customer gone twice as long always scores higher. A customer with a single purchase has no rhythm and is compared
/// with the population's gap distribution (its <see cref="PopulationQuantile"/>); without repeat customers,
/// with <see cref="DefaultGapDays"/>. A customer without purchases is not judged.
/// </summary>
/// <remarks>
/// <para>A few gaps say little about a rhythm, so the customer's median gap is shrunk towards the population's:
/// with <c>k</c> gaps (purchases − 1) and <see cref="PriorGaps"/> <c>m</c>, the usual gap is
/// <c>(k·own + m·population) ÷ (k + m)</c>. <c>m = 0</c> uses the customer's own gap alone.</para>
/// <para>Gaps shorter than a day (same-day purchases) count as one day.</para>
/// </remarks>
public sealed class InactivityRule : IChurnRiskRule
{
    /// <summary>The default name, <c>inactivity</c>.</summary>
    public const string DefaultName = "inactivity";

    /// <summary>Creates the rule.</summary>
    /// <param name="startMultiple">Multiple of the usual gap where risk starts; default 1.</param>
    /// <param name="halfMultiple">Multiple of the usual gap where risk is one half; default 3; above <paramref name="startMultiple"/>.</param>
    /// <param name="populationQuantile">Quantile of the population's median gaps used for single-purchase customers; default 0.5 (the median).</param>
    /// <param name="defaultGapDays">The usual gap when the population has no repeat customer; default 90 days.</param>
    /// <param name="priorGaps">Weight of the population's gap, in gaps, when shrinking a customer's own gap; default 5; 0 for none.</param>
    /// <param name="name">The rule name; default <see cref="DefaultName"/>.</param>
    /// <exception cref="ChurnConfigurationException">A parameter is out of range.</exception>
    public InactivityRule(double startMultiple = 1, double halfMultiple = 3, double populationQuantile = 0.5, double defaultGapDays = 90, double priorGaps = 5, string name = DefaultName)
    {
        RequireName(name);
        Require(startMultiple >= 0 && double.IsFinite(startMultiple), name, "startMultiple must be a finite number >= 0.");
        Require(halfMultiple > startMultiple && double.IsFinite(halfMultiple), name, "halfMultiple must be finite and greater than startMultiple.");
        Require(populationQuantile > 0 && populationQuantile <= 1, name, "populationQuantile must be in (0, 1].");
        Require(defaultGapDays >= 1 && double.IsFinite(defaultGapDays), name, "defaultGapDays must be at least 1.");
        Require(priorGaps >= 0 && double.IsFinite(priorGaps), name, "priorGaps must be a finite number >= 0.");
        Name = name;
        PriorGaps = priorGaps;
        StartMultiple = startMultiple;
        HalfMultiple = halfMultiple;
        PopulationQuantile = populationQuantile;
        DefaultGapDays = defaultGapDays;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the multiple of the usual gap where risk starts.</summary>
    /// <value>Default 1.</value>
    public double StartMultiple { get; }

    /// <summary>Gets the multiple of the usual gap where risk is one half.</summary>
    /// <value>Default 3.</value>
    public double HalfMultiple { get; }

    /// <summary>Gets the quantile of the population's median gaps used for single-purchase customers.</summary>
    /// <value>Default 0.5.</value>
    public double PopulationQuantile { get; }

    /// <summary>Gets the usual gap in days when the population has no repeat customer.</summary>
    /// <value>Default 90.</value>
    public double DefaultGapDays { get; }

    /// <summary>Gets the weight of the population's gap, counted in gaps, when shrinking a customer's own gap.</summary>
    /// <value>Default 5.</value>
    public double PriorGaps { get; }

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
        var populationGap = context.Population.GapQuantile(PopulationQuantile);
        if (s is { PurchaseCount: >= 2, MedianGap: { } g })
        {
            var own = ChurnPopulation.GapDays(g);
            gap = UsualGap(own, s.PurchaseCount, populationGap ?? DefaultGapDays);
            usual = PriorGaps == 0 || gap == own
                ? Inv($"usually buys every {F(own, "0.#")} days")
                : Inv($"usually buys every {F(own, "0.#")} days ({s.PurchaseCount - 1} gaps, shrunk towards the population's {F(populationGap ?? DefaultGapDays, "0.#")} days: {F(gap, "0.#")} days)");
        }
        else if (populationGap is { } pg)
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
        return ChurnContribution.Of(Name, risk, Inv($"no purchase for {days} days; {usual} ({F(ratio, "0.0")}x the usual gap; risk from {F(StartMultiple, "0.0#")}x, half at {F(HalfMultiple, "0.0#")}x)"));
    }

    internal double UsualGap(double ownGapDays, int purchases, double populationGapDays)
    {
        double k = purchases - 1;
        return PriorGaps == 0 ? ownGapDays : ((k * ownGapDays) + (PriorGaps * populationGapDays)) / (k + PriorGaps);
    }

    internal double Risk(int days, double gapDays)
    {
        var excess = (days / gapDays) - StartMultiple;
        return excess <= 0 ? 0 : excess / (excess + HalfMultiple - StartMultiple);
    }
}
