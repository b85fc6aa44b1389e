using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Tags;

/// <summary>
/// Applies a <see cref="TagRuleSet"/> to customers in a <see cref="TagIndex"/>: assigns the tags whose rules hold,
/// removes the tags its rules had given when they no longer hold, never removes or overrides a manual assignment, and
/// explains every decision (rule, condition, facts seen). Evaluating the same inputs at the same instant again changes
/// nothing: evaluation is idempotent.
/// </summary>
/// <remarks>
/// <para>Order matters: rules are evaluated in rule-set order; when two matching rules give the same tag, or two tags
/// of one single-select group, the first wins and the later is <see cref="TagRuleAction.Superseded"/>.</para>
/// <para>New rule assignments are made at the as-of instant. A tag already held from the same rule keeps its original
/// assigned-at.</para>
/// </remarks>
/// <threadsafety>The evaluator is immutable; <see cref="Evaluate"/> writes to the index, which is not thread-safe.</threadsafety>
public sealed class TagRuleEvaluator
{
    /// <summary>Creates an evaluator.</summary>
    /// <param name="ruleSet">The rules.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ruleSet"/> is <see langword="null"/>.</exception>
    public TagRuleEvaluator(TagRuleSet ruleSet, TagRuleEvaluatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        RuleSet = ruleSet;
        Options = options ?? new TagRuleEvaluatorOptions();
    }

    /// <summary>Gets the rules.</summary>
    public TagRuleSet RuleSet { get; }

    /// <summary>Gets the options.</summary>
    public TagRuleEvaluatorOptions Options { get; }

    /// <summary>Explains what the rules say about one customer without touching any index: which rules hold, with the facts seen.</summary>
    /// <param name="input">The customer's input.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>One outcome per rule; matching rules are <see cref="TagRuleAction.Assigned"/> or <see cref="TagRuleAction.Superseded"/> as if the customer had no tags.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public ImmutableArray<TagRuleOutcome> Explain(TagRuleInput input, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (matched, readings, actions) = Decide(input, asOf);
        var outcomes = ImmutableArray.CreateBuilder<TagRuleOutcome>(matched.Length);
        for (var i = 0; i < matched.Length; i++)
        {
            outcomes.Add(Outcome(input, i, matched[i], actions[i] == TagRuleAction.NotMatched && matched[i] ? TagRuleAction.Assigned : actions[i], readings[i]));
        }

        return outcomes.MoveToImmutable();
    }

    /// <summary>Evaluates the rules for each input and updates the index.</summary>
    /// <param name="index">The index; its taxonomy must be the rule set's.</param>
    /// <param name="inputs">One input per customer (customers not listed are not touched).</param>
    /// <param name="asOf">The as-of instant; new assignments are made at it.</param>
    /// <param name="by">The assigner recorded on new assignments, e.g. <c>nightly-tagging</c>.</param>
    /// <returns>The changes and the explanations.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The index works with another taxonomy version than the rule set (rebuild it with <see cref="TagRuleSet.WithTaxonomy"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is outside the storable range.</exception>
    public TagRuleEvaluationResult Evaluate(TagIndex index, IEnumerable<TagRuleInput> inputs, Instant asOf, string? by = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!ReferenceEquals(index.Taxonomy, RuleSet.Taxonomy) && index.Taxonomy.Version != RuleSet.Taxonomy.Version)
        {
            throw new ArgumentException(
                $"The index holds taxonomy version {index.Taxonomy.Version}, the rules were checked against version {RuleSet.Taxonomy.Version}.", nameof(index));
        }

        var asOfNanos = TagIndex.ToNanos(asOf, nameof(asOf));
        var taxonomy = index.Taxonomy;
        var changes = ImmutableArray.CreateBuilder<TagChange>();
        var outcomes = ImmutableArray.CreateBuilder<TagRuleOutcome>();
        var rules = RuleSet.Rules;
        var count = 0;
        foreach (var input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            count++;
            var (matched, readings, actions) = Decide(input, asOf);
            var id = input.Customer.Id;
            var c = index.OrdinalOf(id);
            var wanted = false;
            for (var i = 0; i < matched.Length; i++)
            {
                wanted |= matched[i];
            }

            if (c < 0 && !wanted)
            {
                AddNonMatches(outcomes, input, matched, readings, actions);
                continue;
            }

            c = index.GetOrAddCustomer(id);

            // Desired: tag ordinal -> rule, and single-select group -> rule (first matching rule wins).
            var desiredTags = new Dictionary<int, int>();
            var desiredGroups = new HashSet<int>();
            for (var i = 0; i < matched.Length; i++)
            {
                if (matched[i] && actions[i] == TagRuleAction.NotMatched)
                {
                    var t = RuleSet.TagOrdinal(i);
                    desiredTags[t] = i;
                    desiredGroups.Add(taxonomy.GroupOrdinalOfTag(t));
                }
            }

            // Remove the rule-given tags that no rule wants any more (a wanted tag of the same single-select group replaces it below).
            foreach (var entry in index.EntriesOf(c).ToArray())
            {
                var source = index.SourceOf(entry);
                if (source.IsManual || desiredTags.ContainsKey(entry.Tag))
                {
                    continue;
                }

                var ruleIndex = RuleSet.IndexOf(source.RuleId!);
                if (ruleIndex < 0 && !Options.RemoveTagsOfUnknownRules)
                {
                    continue;
                }

                var group = taxonomy.GroupOrdinalOfTag(entry.Tag);
                if (taxonomy.IsSingleSelectGroup(group) && desiredGroups.Contains(group))
                {
                    continue;
                }

                var tagId = taxonomy.Tags[entry.Tag].Id;
                string reason;
                if (ruleIndex >= 0)
                {
                    actions[ruleIndex] = TagRuleAction.Removed;
                    var outcome = Outcome(input, ruleIndex, false, TagRuleAction.Removed, readings[ruleIndex]) with { TagId = tagId };
                    reason = outcome.Reason;
                    if (Options.RecordOutcomes)
                    {
                        outcomes.Add(outcome);
                    }
                }
                else
                {
                    reason = $"rule '{source.RuleId}' is not in the rule set; removed '{taxonomy.Tags[entry.Tag].Name}' ({tagId})";
                }

                index.RemoveEntryAt(c, index.IndexOfTag(c, entry.Tag));
                changes.Add(new TagChange(TagChangeKind.Removed, id, tagId, null, source, asOf, by, reason));
            }

            for (var i = 0; i < matched.Length; i++)
            {
                if (!matched[i])
                {
                    if (actions[i] == TagRuleAction.NotMatched && Options.RecordOutcomes && Options.ExplainNonMatches)
                    {
                        outcomes.Add(Outcome(input, i, false, TagRuleAction.NotMatched, readings[i]));
                    }

                    continue;
                }

                if (actions[i] == TagRuleAction.Superseded)
                {
                    if (Options.RecordOutcomes)
                    {
                        outcomes.Add(Outcome(input, i, true, TagRuleAction.Superseded, readings[i]));
                    }

                    continue;
                }

                var pending = Outcome(input, i, true, TagRuleAction.Assigned, readings[i]);
                var result = index.AssignCore(c, RuleSet.TagOrdinal(i), TagSource.Rule(rules[i].Id), asOfNanos, by, null, pending.Reason);
                var action = result.Outcome switch
                {
                    TagAssignmentOutcome.Assigned => TagRuleAction.Assigned,
                    TagAssignmentOutcome.Replaced => TagRuleAction.Replaced,
                    TagAssignmentOutcome.Updated => TagRuleAction.TookOver,
                    TagAssignmentOutcome.KeptManual => TagRuleAction.KeptManual,
                    _ => TagRuleAction.Kept,
                };
                changes.AddRange(result.Changes);
                if (Options.RecordOutcomes)
                {
                    outcomes.Add(action == TagRuleAction.Assigned ? pending : Outcome(input, i, true, action, readings[i]));
                }
            }
        }

        return new TagRuleEvaluationResult { CustomersEvaluated = count, Changes = changes.ToImmutable(), Outcomes = outcomes.ToImmutable() };
    }

    private void AddNonMatches(ImmutableArray<TagRuleOutcome>.Builder outcomes, TagRuleInput input, bool[] matched, ImmutableArray<FactReading>[] readings, TagRuleAction[] actions)
    {
        if (!Options.RecordOutcomes || !Options.ExplainNonMatches)
        {
            return;
        }

        for (var i = 0; i < matched.Length; i++)
        {
            outcomes.Add(Outcome(input, i, false, actions[i], readings[i]));
        }
    }

    private (bool[] Matched, ImmutableArray<FactReading>[] Readings, TagRuleAction[] Actions) Decide(TagRuleInput input, Instant asOf)
    {
        var rules = RuleSet.Rules;
        var taxonomy = RuleSet.Taxonomy;
        var context = new TagEvaluationContext(input, asOf, Options.Zone, Options.FactProviders);
        var matched = new bool[rules.Length];
        var readings = new ImmutableArray<FactReading>[rules.Length];
        var actions = new TagRuleAction[rules.Length];
        var takenTags = new HashSet<int>();
        var takenGroups = new HashSet<int>();
        for (var i = 0; i < rules.Length; i++)
        {
            readings[i] = [];
            if (!rules[i].Enabled)
            {
                continue;
            }

            context.BeginRule();
            matched[i] = rules[i].Condition.Evaluate(context);
            readings[i] = context.TakeReadings();
            if (!matched[i])
            {
                continue;
            }

            var t = RuleSet.TagOrdinal(i);
            var g = taxonomy.GroupOrdinalOfTag(t);
            var single = taxonomy.IsSingleSelectGroup(g);
            if (takenTags.Contains(t) || (single && takenGroups.Contains(g)))
            {
                actions[i] = TagRuleAction.Superseded;
                continue;
            }

            takenTags.Add(t);
            if (single)
            {
                takenGroups.Add(g);
            }
        }

        return (matched, readings, actions);
    }

    private TagRuleOutcome Outcome(TagRuleInput input, int ruleIndex, bool matched, TagRuleAction action, ImmutableArray<FactReading> readings)
    {
        var rule = RuleSet.Rules[ruleIndex];
        var tag = RuleSet.Taxonomy.Tags[RuleSet.TagOrdinal(ruleIndex)];
        var saw = readings.IsEmpty ? "no facts" : string.Join(", ", readings);
        var holds = !rule.Enabled ? "is disabled" : matched ? "holds" : "does not hold";
        var what = action switch
        {
            TagRuleAction.Assigned => $"assigned '{tag.Name}' ({tag.Id})",
            TagRuleAction.Replaced => $"assigned '{tag.Name}' ({tag.Id}), replacing the rule-given tag of its single-select group",
            TagRuleAction.Kept => $"'{tag.Name}' ({tag.Id}) already held from this rule",
            TagRuleAction.TookOver => $"'{tag.Name}' ({tag.Id}) already held from another rule; now sourced from this one",
            TagRuleAction.KeptManual => $"'{tag.Name}' ({tag.Id}) not assigned: a manual assignment holds",
            TagRuleAction.Superseded => $"'{tag.Name}' ({tag.Id}) not assigned: an earlier rule gives this tag or another of its single-select group",
            TagRuleAction.Removed => $"removed '{tag.Name}' ({tag.Id})",
            _ => "no tag",
        };
        var reason = $"rule '{rule.Id}' ({rule.Condition.Description}) {holds}; saw {saw}; {what}";
        return new TagRuleOutcome(input.Customer.Id, rule.Id, tag.Id, matched, action, rule.Condition.Description, readings, reason);
    }
}
