using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>The score cut-offs of the churn levels: a score at or above a cut-off has that level or a higher one.</summary>
/// <remarks>Defaults: medium 0.2, high 0.4, critical 0.6 (a weighted mean rarely nears 1: rules that apply with no risk, such as "no complaints", pull it down). Valid cut-offs satisfy 0 &lt; medium &lt; high &lt; critical ≤ 1.</remarks>
public sealed record ChurnLevelCutoffs
{
    /// <summary>Creates cut-offs.</summary>
    /// <param name="medium">Lowest score of <see cref="ChurnRiskLevel.Medium"/>.</param>
    /// <param name="high">Lowest score of <see cref="ChurnRiskLevel.High"/>.</param>
    /// <param name="critical">Lowest score of <see cref="ChurnRiskLevel.Critical"/>.</param>
    /// <exception cref="ChurnConfigurationException">The cut-offs are not 0 &lt; medium &lt; high &lt; critical ≤ 1.</exception>
    public ChurnLevelCutoffs(double medium = 0.2, double high = 0.4, double critical = 0.6)
    {
        if (!(medium > 0 && medium < high && high < critical && critical <= 1))
        {
            throw new ChurnConfigurationException(Inv($"Churn level cut-offs must satisfy 0 < medium < high < critical <= 1 (got {medium}, {high}, {critical})."));
        }

        Medium = medium;
        High = high;
        Critical = critical;
    }

    /// <summary>Gets the default cut-offs (0.2, 0.4, 0.6).</summary>
    public static ChurnLevelCutoffs Default { get; } = new();

    /// <summary>Gets the lowest score of the medium level.</summary>
    /// <value>Default 0.2.</value>
    public double Medium { get; }

    /// <summary>Gets the lowest score of the high level.</summary>
    /// <value>Default 0.4.</value>
    public double High { get; }

    /// <summary>Gets the lowest score of the critical level.</summary>
    /// <value>Default 0.6.</value>
    public double Critical { get; }

    /// <summary>Gets the level of a score.</summary>
    /// <param name="score">The score, 0..1.</param>
    /// <returns>The level.</returns>
    public ChurnRiskLevel LevelOf(double score) => score >= Critical ? ChurnRiskLevel.Critical
        : score >= High ? ChurnRiskLevel.High
        : score >= Medium ? ChurnRiskLevel.Medium
        : ChurnRiskLevel.Low;

    /// <summary>Gets the lowest score of a level (0 for <see cref="ChurnRiskLevel.Low"/>).</summary>
    /// <param name="level">The level.</param>
    /// <returns>The cut-off.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not defined.</exception>
    public double CutoffOf(ChurnRiskLevel level) => level switch
    {
        ChurnRiskLevel.Low => 0,
        ChurnRiskLevel.Medium => Medium,
        ChurnRiskLevel.High => High,
        ChurnRiskLevel.Critical => Critical,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown churn level."),
    };
}

/// <summary>How a rule set combines the rules' risks into one score.</summary>
public enum ChurnCombination
{
    /// <summary>Weighted mean over the rules that apply: <c>Σ wᵢ·rᵢ ÷ Σ wᵢ</c>; 0 when none applies.</summary>
    WeightedMean = 0,

    /// <summary>Noisy-or: <c>1 − Π (1 − wᵢ·rᵢ)</c>, weights in 0..1; one strong signal is enough, more signals only add.</summary>
    NoisyOr = 1,
}

/// <summary>A rule with its weight in a <see cref="ChurnRuleSet"/>.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Weight">Its weight, positive (at most 1 for <see cref="ChurnCombination.NoisyOr"/>).</param>
public readonly record struct WeightedChurnRule(IChurnRiskRule Rule, double Weight);
