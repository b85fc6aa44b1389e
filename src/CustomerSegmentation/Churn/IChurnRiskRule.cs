namespace CustomerSegmentation.Churn;

/// <summary>
/// One churn-risk signal: reads a customer's summary and optional signals and returns a contribution with a reason.
/// Implementations must be deterministic and thread safe (the built-in rules are immutable).
/// </summary>
public interface IChurnRiskRule
{
    /// <summary>Gets the rule's name, unique within a rule set, e.g. <c>inactivity</c>.</summary>
    string Name { get; }

    /// <summary>Judges one customer.</summary>
    /// <param name="context">The customer's summary, optional signals, the population statistics and the as-of instant.</param>
    /// <returns>The risk in 0..1 with its reason, or a non-applying contribution when the data is missing.</returns>
    ChurnContribution Evaluate(in ChurnRuleContext context);
}
