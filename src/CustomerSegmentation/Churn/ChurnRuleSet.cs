using System.Collections.Immutable;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Weighted churn rules, how their risks combine and the level cut-offs. Built in C# with <see cref="ChurnRuleSetBuilder"/>
/// or loaded from JSON with <see cref="FromJson(string)"/>; validated when built.
/// </summary>
/// <remarks>Immutable and thread safe when its rules are (the built-in ones are).</remarks>
public sealed partial class ChurnRuleSet
{
    internal ChurnRuleSet(ImmutableArray<WeightedChurnRule> rules, ChurnCombination combination, ChurnLevelCutoffs levels)
    {
        if (rules.IsDefaultOrEmpty)
        {
            throw new ChurnConfigurationException("A churn rule set needs at least one rule.");
        }

        if (!Enum.IsDefined(combination))
        {
            throw new ChurnConfigurationException(Inv($"Unknown churn combination {(int)combination}."));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rule, weight) in rules)
        {
            if (rule is null)
            {
                throw new ChurnConfigurationException("A churn rule set cannot hold a null rule.");
            }

            if (!names.Add(rule.Name))
            {
                throw new ChurnConfigurationException($"Churn rule names must be unique; '{rule.Name}' appears twice.");
            }

            if (!(weight > 0 && double.IsFinite(weight)) || (combination == ChurnCombination.NoisyOr && weight > 1))
            {
                throw new ChurnConfigurationException(Inv($"Churn rule '{rule.Name}': the weight must be positive{(combination == ChurnCombination.NoisyOr ? " and at most 1 for noisy-or" : string.Empty)} (got {weight})."));
            }
        }

        Rules = rules;
        Combination = combination;
        Levels = levels ?? throw new ChurnConfigurationException("A churn rule set needs level cut-offs.");
    }

    /// <summary>
    /// Gets the default rule set, combined by weighted mean over the applying rules: inactivity (weight 3, prior 5
    /// gaps), few purchases (2), frequency drop (0.5), spend drop (0.5), engagement stop (1.5), complaints (2),
    /// low satisfaction (1.5), tier downgrade (1.5), lifecycle stage (2), model P(alive) (0.5); cut-offs 0.2 / 0.4 / 0.6.
    /// The weights were chosen with the backtests in <c>docs/churn.md</c>.
    /// </summary>
    public static ChurnRuleSet Default { get; } = new ChurnRuleSetBuilder()
        .CombineWith(ChurnCombination.WeightedMean)
        .Add(new InactivityRule(), 3)
        .Add(new FewPurchasesRule(), 2)
        .Add(new WindowDropRule(WindowMeasure.Frequency), 0.5)
        .Add(new WindowDropRule(WindowMeasure.Spend), 0.5)
        .Add(new EngagementStopRule(), 1.5)
        .Add(new ComplaintRule(), 2)
        .Add(new LowSatisfactionRule(), 1.5)
        .Add(new TierDowngradeRule(), 1.5)
        .Add(new LifecycleStageRule(), 2)
        .Add(new ModelAliveRule(), 0.5)
        .Build();

    /// <summary>Gets the rules in evaluation order with their weights.</summary>
    public ImmutableArray<WeightedChurnRule> Rules { get; }

    /// <summary>Gets how the risks combine.</summary>
    /// <value>Default <see cref="ChurnCombination.WeightedMean"/>.</value>
    public ChurnCombination Combination { get; }

    /// <summary>Gets the level cut-offs.</summary>
    public ChurnLevelCutoffs Levels { get; }

    /// <summary>Combines rule outcomes into a score in 0..1.</summary>
    /// <param name="factors">The rules' weighted outcomes.</param>
    /// <returns>The score.</returns>
    internal double Combine(ReadOnlySpan<ChurnFactor> factors)
    {
        if (Combination == ChurnCombination.NoisyOr)
        {
            var keep = 1.0;
            foreach (var f in factors)
            {
                if (f.Contribution.Applies)
                {
                    keep *= 1 - (f.Weight * f.Contribution.Risk);
                }
            }

            return Math.Clamp(1 - keep, 0, 1);
        }

        double num = 0, den = 0;
        foreach (var f in factors)
        {
            if (f.Contribution.Applies)
            {
                num += f.Weight * f.Contribution.Risk;
                den += f.Weight;
            }
        }

        return den == 0 ? 0 : Math.Clamp(num / den, 0, 1);
    }
}

/// <summary>Builds a <see cref="ChurnRuleSet"/> in C#. Not thread safe.</summary>
public sealed class ChurnRuleSetBuilder
{
    private readonly List<WeightedChurnRule> _rules = [];

    /// <summary>Gets or sets how risks combine.</summary>
    /// <value>Default <see cref="ChurnCombination.WeightedMean"/>.</value>
    public ChurnCombination Combination { get; set; } = ChurnCombination.WeightedMean;

    /// <summary>Gets or sets the level cut-offs.</summary>
    /// <value>Default <see cref="ChurnLevelCutoffs.Default"/>.</value>
    public ChurnLevelCutoffs Levels { get; set; } = ChurnLevelCutoffs.Default;

    /// <summary>Adds a rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="weight">Its weight; default 1.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is <see langword="null"/>.</exception>
    public ChurnRuleSetBuilder Add(IChurnRiskRule rule, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rules.Add(new WeightedChurnRule(rule, weight));
        return this;
    }

    /// <summary>Sets the combination.</summary>
    /// <param name="combination">How risks combine.</param>
    /// <returns>This builder.</returns>
    public ChurnRuleSetBuilder CombineWith(ChurnCombination combination)
    {
        Combination = combination;
        return this;
    }

    /// <summary>Sets the level cut-offs.</summary>
    /// <param name="levels">The cut-offs.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> is <see langword="null"/>.</exception>
    public ChurnRuleSetBuilder WithLevels(ChurnLevelCutoffs levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        Levels = levels;
        return this;
    }

    /// <summary>Builds and validates the rule set.</summary>
    /// <returns>The rule set.</returns>
    /// <exception cref="ChurnConfigurationException">No rule, duplicate names or a bad weight.</exception>
    public ChurnRuleSet Build() => new([.. _rules], Combination, Levels);
}
