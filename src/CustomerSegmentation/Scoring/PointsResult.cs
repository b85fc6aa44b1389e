using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>A customer's points: each rule's contribution and the total after the rule set's caps.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="AsOf">The as-of instant.</param>
/// <param name="RuleSet">The rule set's name.</param>
/// <param name="Rules">Each rule's points, in rule order.</param>
/// <param name="Sum">The sum of the rules' points before the total caps.</param>
/// <param name="Total">The total after the rule set's caps.</param>
public sealed record PointsResult(CustomerId CustomerId, Instant AsOf, string RuleSet, ImmutableArray<RulePoints> Rules, decimal Sum, decimal Total)
{
    /// <summary>Gets the explanation: each rule's line and the total.</summary>
    public string Explanation =>
        string.Join("; ", Rules.Select(r => $"{r.RuleName}: {r.Explanation}"))
        + string.Create(CultureInfo.InvariantCulture, $"; sum {Sum}{(Sum == Total ? string.Empty : $", capped to {Total}")}; total {Total}.");
}
