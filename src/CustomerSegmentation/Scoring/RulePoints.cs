namespace CustomerSegmentation.Scoring;

/// <summary>What one points rule contributed to a customer's total.</summary>
/// <param name="RuleName">The rule's name.</param>
/// <param name="Raw">The points from the rule's condition, before decay and caps.</param>
/// <param name="Decayed">The points after decay (equal to <paramref name="Raw"/> without decay).</param>
/// <param name="Points">The points contributed, after the rule's caps.</param>
/// <param name="Explanation">The condition's figures, the decay and the cap applied.</param>
public sealed record RulePoints(string RuleName, decimal Raw, decimal Decayed, decimal Points, string Explanation);
