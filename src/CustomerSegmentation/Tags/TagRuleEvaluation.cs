using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Tags;

/// <summary>What an evaluation did with one rule for one customer.</summary>
public enum TagRuleAction
{
    /// <summary>The condition did not hold and the customer had no tag from the rule.</summary>
    NotMatched = 0,

    /// <summary>The condition held and the tag was assigned.</summary>
    Assigned,

    /// <summary>The condition held; the tag was assigned and replaced the customer's rule-given tag of the single-select group.</summary>
    Replaced,

    /// <summary>The condition held and the customer already had the tag from this rule: nothing changed.</summary>
    Kept,

    /// <summary>The condition held and the customer had the tag from another rule: the source moved to this rule.</summary>
    TookOver,

    /// <summary>The condition held but a manual assignment holds (the same tag, or another tag of the single-select group): nothing changed.</summary>
    KeptManual,

    /// <summary>The condition held but an earlier rule already gives this tag, or another tag of the single-select group.</summary>
    Superseded,

    /// <summary>The condition no longer holds (or the rule is disabled): the tag the rule had given was removed.</summary>
    Removed,
}

/// <summary>The explanation of one rule for one customer: whether it held, the facts it saw, and what happened.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="RuleId">The rule.</param>
/// <param name="TagId">The tag the rule applies.</param>
/// <param name="Matched">Whether the condition held.</param>
/// <param name="Action">What happened.</param>
/// <param name="Condition">The condition, in words.</param>
/// <param name="Readings">The facts the condition read, with the values seen.</param>
/// <param name="Reason">One sentence with all of the above.</param>
public sealed record TagRuleOutcome(
    CustomerId CustomerId,
    string RuleId,
    TagId TagId,
    bool Matched,
    TagRuleAction Action,
    string Condition,
    ImmutableArray<FactReading> Readings,
    string Reason);

/// <summary>The result of evaluating a rule set over customers.</summary>
public sealed record TagRuleEvaluationResult
{
    /// <summary>Gets the number of customers evaluated.</summary>
    public required int CustomersEvaluated { get; init; }

    /// <summary>Gets the changes made to the index, in order.</summary>
    public required ImmutableArray<TagChange> Changes { get; init; }

    /// <summary>Gets the explanations: one per rule that matched or whose tag was removed (and per non-match too when <see cref="TagRuleEvaluatorOptions.ExplainNonMatches"/> is set).</summary>
    public required ImmutableArray<TagRuleOutcome> Outcomes { get; init; }
}

/// <summary>Options of a <see cref="TagRuleEvaluator"/>; defaults are documented per property.</summary>
public sealed record TagRuleEvaluatorOptions
{
    /// <summary>Gets the extra fact providers, asked in order after the input's own facts and before the built-in facts.</summary>
    /// <value>Default none.</value>
    public ImmutableArray<ITagFactProvider> FactProviders { get; init; } = [];

    /// <summary>Gets the zone that defines calendar days for day-count facts.</summary>
    /// <value>Default <see cref="NodaTime.DateTimeZone.Utc"/>.</value>
    public NodaTime.DateTimeZone Zone { get; init; } = NodaTime.DateTimeZone.Utc;

    /// <summary>Gets a value indicating whether rule-sourced tags of rules not in the set are removed too (use after deleting rules).</summary>
    /// <value>Default <see langword="false"/>: an evaluation only touches tags of its own rules, so several rule sets can share an index.</value>
    public bool RemoveTagsOfUnknownRules { get; init; }

    /// <summary>Gets a value indicating whether outcomes are recorded for rules that did not match (and changed nothing).</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool ExplainNonMatches { get; init; }

    /// <summary>Gets a value indicating whether outcomes are recorded at all (turn off for very large batches where only the changes matter).</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool RecordOutcomes { get; init; } = true;
}
