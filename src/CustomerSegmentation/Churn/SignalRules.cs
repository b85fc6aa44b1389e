using System.Collections.Immutable;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>Tier downgrade as a signal: risk 1 when <see cref="ChurnSignals.Tier"/> says the last change was a downgrade, else 0. Does not apply without a tier change.</summary>
public sealed class TierDowngradeRule : IChurnRiskRule
{
    /// <summary>The default name, <c>tier-downgrade</c>.</summary>
    public const string DefaultName = "tier-downgrade";

    /// <summary>Creates the rule.</summary>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException"><paramref name="name"/> is empty.</exception>
    public TierDowngradeRule(string name = DefaultName)
    {
        RequireName(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context) => context.Signals.Tier is not { } t
        ? ChurnContribution.NotApplicable(Name, "no tier change known")
        : t.IsDowngrade
            ? ChurnContribution.Of(Name, 1, $"tier downgraded from {t.Previous} to {t.Current}")
            : ChurnContribution.Of(Name, 0, $"tier changed from {t.Previous} to {t.Current}, not a downgrade");
}

/// <summary>
/// Lifecycle stage as a signal: the risk configured for the customer's stage key (compared ignoring case), 0 for any other
/// stage. Does not apply without a stage. Default stages: <c>at-risk</c> 0.7, <c>dormant</c> 0.9, <c>lost</c> 1.
/// </summary>
public sealed class LifecycleStageRule : IChurnRiskRule
{
    /// <summary>The default name, <c>lifecycle-stage</c>.</summary>
    public const string DefaultName = "lifecycle-stage";

    /// <summary>Creates the rule.</summary>
    /// <param name="stageRisks">Risk per stage key, each in 0..1; the defaults when <see langword="null"/>.</param>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException">A key is empty or a risk is outside 0..1.</exception>
    public LifecycleStageRule(IReadOnlyDictionary<string, double>? stageRisks = null, string name = DefaultName)
    {
        RequireName(name);
        stageRisks ??= new Dictionary<string, double> { ["at-risk"] = 0.7, ["dormant"] = 0.9, ["lost"] = 1.0 };
        Require(stageRisks.All(kv => !string.IsNullOrWhiteSpace(kv.Key) && kv.Value >= 0 && kv.Value <= 1), name, "stage keys must be non-empty and risks in 0..1.");
        Name = name;
        StageRisks = stageRisks.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the risk of each at-risk stage key.</summary>
    public ImmutableDictionary<string, double> StageRisks { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        if (context.Signals.LifecycleStage is not { } stage)
        {
            return ChurnContribution.NotApplicable(Name, "no lifecycle stage known");
        }

        return StageRisks.TryGetValue(stage, out var risk)
            ? ChurnContribution.Of(Name, risk, Inv($"lifecycle stage '{stage}' is an at-risk stage (risk {F(risk)})"))
            : ChurnContribution.Of(Name, 0, $"lifecycle stage '{stage}' is not an at-risk stage");
    }
}

/// <summary>
/// Model-based risk: 1 − P(alive) from a fitted model such as BG/NBD, supplied in <see cref="ChurnSignals.PAlive"/>.
/// Does not apply without it, nor (by default) to customers with fewer than two purchases: BG/NBD lets customers drop
/// out only after a repeat purchase, so its P(alive) is 1 for them by construction and says nothing.
/// </summary>
public sealed class ModelAliveRule : IChurnRiskRule
{
    /// <summary>The default name, <c>model-p-alive</c>.</summary>
    public const string DefaultName = "model-p-alive";

    /// <summary>Creates the rule.</summary>
    /// <param name="requireRepeatPurchase">Whether the rule applies only to customers with two or more purchases; default <see langword="true"/>.</param>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException"><paramref name="name"/> is empty.</exception>
    public ModelAliveRule(bool requireRepeatPurchase = true, string name = DefaultName)
    {
        RequireName(name);
        Name = name;
        RequireRepeatPurchase = requireRepeatPurchase;
    }

    /// <summary>Gets a value indicating whether the rule applies only to customers with two or more purchases.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool RequireRepeatPurchase { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        if (context.Signals.PAlive is not { } p)
        {
            return ChurnContribution.NotApplicable(Name, "no P(alive) from a model");
        }

        return RequireRepeatPurchase && context.Summary.PurchaseCount < 2
            ? ChurnContribution.NotApplicable(Name, Inv($"{Plural(context.Summary.PurchaseCount, "purchase", "purchases")}: the model's P(alive) {F(p, "0.000")} carries no information before a repeat purchase"))
            : ChurnContribution.Of(Name, 1 - p, Inv($"the model gives P(alive) {F(p, "0.000")}, so risk 1 − P(alive) = {F(1 - p, "0.000")}"));
    }
}

/// <summary>
/// Few purchases: customers who bought once and never came back are the classic churn group, and loyalty grows with
/// every repeat purchase. The risk is <c>1 ÷ purchases</c> (1 for a one-time buyer, 0.5 for two, ...). Does not apply
/// to customers without purchases.
/// </summary>
/// <remarks>Not on the issue's list; added because on CDNOW the other rules alone did not beat recency (see docs/churn.md).</remarks>
public sealed class FewPurchasesRule : IChurnRiskRule
{
    /// <summary>The default name, <c>few-purchases</c>.</summary>
    public const string DefaultName = "few-purchases";

    /// <summary>Creates the rule.</summary>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException"><paramref name="name"/> is empty.</exception>
    public FewPurchasesRule(string name = DefaultName)
    {
        RequireName(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        var n = context.Summary.PurchaseCount;
        return n == 0
            ? ChurnContribution.NotApplicable(Name, "no purchase yet")
            : ChurnContribution.Of(Name, Risk(n), n == 1 ? "a one-time buyer: bought once and not again (risk 1 ÷ purchases)" : Inv($"{n} purchases (risk 1 ÷ purchases = {F(Risk(n), "0.00")})"));
    }

    internal static double Risk(int purchases) => 1.0 / purchases;
}
