using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>An auto-tagging rule: when <see cref="Condition"/> holds for a customer, the customer gets <see cref="TagId"/>.</summary>
/// <remarks>Rules are evaluated in rule-set order; in a single-select group the first matching rule wins.</remarks>
public sealed record TagRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="id">The stable id, recorded as the assignment's source.</param>
    /// <param name="tagId">The tag to apply.</param>
    /// <param name="condition">The predicate.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, or <paramref name="tagId"/> is the default value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public TagRule(string id, TagId tagId, ITagCondition condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(condition);
        if (tagId == default)
        {
            throw new ArgumentException("The tag id must not be the default value.", nameof(tagId));
        }

        Id = id;
        TagId = tagId;
        Condition = condition;
    }

    /// <summary>Gets the id.</summary>
    public string Id { get; }

    /// <summary>Gets the tag applied.</summary>
    public TagId TagId { get; init; }

    /// <summary>Gets the condition.</summary>
    public ITagCondition Condition { get; init; }

    /// <summary>Gets a description for people, if any.</summary>
    public string? Description { get; init; }

    /// <summary>Gets a value indicating whether the rule takes part; a disabled rule's tags are removed like those of a rule that no longer holds.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;
}

/// <summary>Thrown when a rule set is built from rules that do not fit the taxonomy, or rules JSON is invalid.</summary>
public sealed class TagRuleException : Exception
{
    /// <summary>Creates an exception.</summary>
    public TagRuleException()
        : this("The tag rules are invalid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TagRuleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TagRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the offending rules.</summary>
    /// <param name="message">The message.</param>
    /// <param name="ruleIds">The rules.</param>
    public TagRuleException(string message, IEnumerable<string> ruleIds)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(ruleIds);
        RuleIds = [.. ruleIds];
    }

    /// <summary>Gets the offending rules.</summary>
    public ImmutableArray<string> RuleIds { get; } = [];
}

/// <summary>
/// An ordered, validated set of rules over one taxonomy version. Rules naming a merged tag, or a retired tag with a
/// successor, apply the successor (see <see cref="EffectiveTagOf"/>).
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class TagRuleSet
{
    private readonly int[] _tagOrdinals;
    private readonly Dictionary<string, int> _byId;

    private TagRuleSet(TagTaxonomy taxonomy, ImmutableArray<TagRule> rules, int[] tagOrdinals, Dictionary<string, int> byId)
    {
        Taxonomy = taxonomy;
        Rules = rules;
        _tagOrdinals = tagOrdinals;
        _byId = byId;
    }

    /// <summary>Gets the taxonomy the rules were checked against.</summary>
    public TagTaxonomy Taxonomy { get; }

    /// <summary>Gets the rules in evaluation order.</summary>
    public ImmutableArray<TagRule> Rules { get; }

    /// <summary>Builds a rule set.</summary>
    /// <param name="taxonomy">The taxonomy.</param>
    /// <param name="rules">The rules in priority order.</param>
    /// <returns>The rule set.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="TagRuleException">Two rules share an id, or a rule names an unknown tag or a retired tag without successor.</exception>
    public static TagRuleSet Create(TagTaxonomy taxonomy, IEnumerable<TagRule> rules)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToImmutableArray();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordinals = new int[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            var rule = list[i] ?? throw new ArgumentNullException(nameof(rules), "A rule in the list is null.");
            if (!byId.TryAdd(rule.Id, i))
            {
                throw new TagRuleException($"Two rules have the id '{rule.Id}'.", [rule.Id]);
            }

            if (!taxonomy.Contains(rule.TagId))
            {
                throw new TagRuleException($"Rule '{rule.Id}' applies the unknown tag '{rule.TagId}'.", [rule.Id]);
            }

            var effective = taxonomy.GetTag(taxonomy.ResolveCurrent(rule.TagId));
            if (!effective.IsActive)
            {
                throw new TagRuleException($"Rule '{rule.Id}' applies tag '{rule.TagId}', which is {effective.Status} without an active successor.", [rule.Id]);
            }

            ordinals[i] = taxonomy.OrdinalOf(effective.Id);
        }

        return new TagRuleSet(taxonomy, list, ordinals, byId);
    }

    /// <summary>Checks the same rules against another taxonomy version (e.g. after a merge).</summary>
    /// <param name="taxonomy">The new taxonomy.</param>
    /// <returns>The rule set over it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taxonomy"/> is <see langword="null"/>.</exception>
    /// <exception cref="TagRuleException">A rule no longer fits.</exception>
    public TagRuleSet WithTaxonomy(TagTaxonomy taxonomy) => Create(taxonomy, Rules);

    /// <summary>Gets the tag a rule actually applies: its own, or the successor a merge or retirement named.</summary>
    /// <param name="ruleId">The rule.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="KeyNotFoundException">No rule has this id.</exception>
    public TagId EffectiveTagOf(string ruleId) =>
        _byId.TryGetValue(ruleId, out var i) ? Taxonomy.Tags[_tagOrdinals[i]].Id : throw new KeyNotFoundException($"No rule '{ruleId}'.");

    internal int TagOrdinal(int ruleIndex) => _tagOrdinals[ruleIndex];

    internal bool Contains(string ruleId) => _byId.ContainsKey(ruleId);

    internal int IndexOf(string ruleId) => _byId.TryGetValue(ruleId, out var i) ? i : -1;
}
