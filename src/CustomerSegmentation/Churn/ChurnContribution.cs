namespace CustomerSegmentation.Churn;

/// <summary>
/// What one <see cref="IChurnRiskRule"/> says about one customer: a risk in 0..1 and a reason that carries its figures,
/// e.g. "no purchase for 120 days; usually buys every 30 days". A rule without the data it needs does not apply.
/// </summary>
/// <param name="Rule">The rule's <see cref="IChurnRiskRule.Name"/>.</param>
/// <param name="Applies">Whether the rule had the data to judge; rules that do not apply take no part in the score.</param>
/// <param name="Risk">The rule's risk in 0..1 (0 when it does not apply).</param>
/// <param name="Reason">Why, with the figures and thresholds used.</param>
public readonly record struct ChurnContribution(string Rule, bool Applies, double Risk, string Reason)
{
    /// <summary>Creates an applying contribution.</summary>
    /// <param name="rule">The rule name.</param>
    /// <param name="risk">The risk, 0..1.</param>
    /// <param name="reason">The reason with figures.</param>
    /// <returns>The contribution.</returns>
    /// <exception cref="ArgumentException"><paramref name="rule"/> or <paramref name="reason"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="risk"/> is not a number in 0..1.</exception>
    public static ChurnContribution Of(string rule, double risk, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!(risk >= 0 && risk <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(risk), risk, "A rule's risk is a number in 0..1.");
        }

        return new ChurnContribution(rule, true, risk, reason);
    }

    /// <summary>Creates a contribution for a rule that lacks the data to judge.</summary>
    /// <param name="rule">The rule name.</param>
    /// <param name="reason">Which data was missing.</param>
    /// <returns>The contribution, with <see cref="Applies"/> false and risk 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="rule"/> or <paramref name="reason"/> is empty.</exception>
    public static ChurnContribution NotApplicable(string rule, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ChurnContribution(rule, false, 0, reason);
    }

    /// <summary>Formats as <c>rule: reason</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Rule}: {Reason}";
}
