using System.Collections.Immutable;

namespace CustomerSegmentation.Segments;

/// <summary>
/// Builders for segment rules in C#:
/// <c>SegmentRules.TierAtLeast("B").And(SegmentRules.StageIn("active", "repeat")).And(SegmentRules.HasTag("Industry/IT"))</c>.
/// </summary>
public static class SegmentRules
{
    /// <summary>Gets the rule that holds for every customer.</summary>
    public static SegmentRule True { get; } = new ConstantRule(true);

    /// <summary>Gets the rule that holds for no customer.</summary>
    public static SegmentRule False { get; } = new ConstantRule(false);

    /// <summary>Starts a comparison on a field of the facts.</summary>
    /// <param name="name">The field name (see <see cref="SegmentFields.All"/>).</param>
    /// <returns>A builder for the comparison.</returns>
    public static SegmentOperandBuilder Field(string name) => new(SegmentOperand.Field(name));

    /// <summary>Starts a comparison on a custom attribute.</summary>
    /// <param name="key">The attribute key.</param>
    /// <returns>A builder for the comparison.</returns>
    public static SegmentOperandBuilder Attribute(string key) => new(SegmentOperand.Attribute(key));

    /// <summary>All rules hold (<see langword="true"/> when there are none).</summary>
    /// <param name="rules">The rules, combined left to right.</param>
    /// <returns>The conjunction.</returns>
    public static SegmentRule All(params IEnumerable<SegmentRule> rules) => Combine(rules, True, static (a, b) => new AndRule(a, b));

    /// <summary>Any rule holds (<see langword="false"/> when there are none).</summary>
    /// <param name="rules">The rules, combined left to right.</param>
    /// <returns>The disjunction.</returns>
    public static SegmentRule Any(params IEnumerable<SegmentRule> rules) => Combine(rules, False, static (a, b) => new OrRule(a, b));

    /// <summary>Negates a rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns><c>not rule</c>.</returns>
    public static SegmentRule Not(SegmentRule rule) => new NotRule(rule ?? throw new ArgumentNullException(nameof(rule)));

    /// <summary>The customer holds a tag or one of its descendants.</summary>
    /// <param name="tag">A tag id or a path <c>Group/Name/Child</c>.</param>
    /// <returns><c>has_tag(tag)</c>.</returns>
    public static SegmentRule HasTag(string tag) => new HasTagRule(tag ?? throw new ArgumentNullException(nameof(tag)));

    /// <summary>The customer holds exactly this tag (its descendants do not count).</summary>
    /// <param name="tag">A tag id or a path <c>Group/Name/Child</c>.</param>
    /// <returns><c>has_exact_tag(tag)</c>.</returns>
    public static SegmentRule HasExactTag(string tag) => new HasTagRule(tag ?? throw new ArgumentNullException(nameof(tag)), false);

    /// <summary>The customer's tier is at least this one on the ladder.</summary>
    /// <param name="tier">A tier name.</param>
    /// <returns><c>tier &gt;= "name"</c>.</returns>
    public static SegmentRule TierAtLeast(string tier) => Field(SegmentFields.Tier).AtLeast(tier);

    /// <summary>The customer's lifecycle stage is one of these.</summary>
    /// <param name="stages">Stage ids.</param>
    /// <returns><c>stage in (...)</c>.</returns>
    public static SegmentRule StageIn(params IEnumerable<string> stages) => Field(SegmentFields.Stage).In([.. stages.Select(SegmentValue.Of)]);

    /// <summary>More than this many whole days since the last purchase (customers without purchases are not included).</summary>
    /// <param name="days">The number of days.</param>
    /// <returns><c>days_since_last_purchase &gt; days</c>.</returns>
    public static SegmentRule DaysSinceLastPurchaseOver(int days) => Field(SegmentFields.DaysSinceLastPurchase).GreaterThan(days);

    /// <summary>The churn-risk level is at least this one.</summary>
    /// <param name="level">A level name: <c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>.</param>
    /// <returns><c>churn_level &gt;= "level"</c>.</returns>
    public static SegmentRule ChurnLevelAtLeast(string level) => Field(SegmentFields.ChurnLevel).AtLeast(level);

    private static SegmentRule Combine(IEnumerable<SegmentRule> rules, SegmentRule empty, Func<SegmentRule, SegmentRule, SegmentRule> join)
    {
        ArgumentNullException.ThrowIfNull(rules);
        SegmentRule? result = null;
        foreach (var r in rules)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(rules));
            result = result is null ? r : join(result, r);
        }

        return result ?? empty;
    }
}

/// <summary>Builds the comparisons on one field or attribute; see <see cref="SegmentRules.Field"/>.</summary>
/// <param name="Operand">The field or attribute.</param>
public readonly record struct SegmentOperandBuilder(SegmentOperand Operand)
{
    /// <summary><c>operand op value</c>.</summary>
    /// <param name="comparison">The operator.</param>
    /// <param name="value">The literal.</param>
    /// <returns>The rule.</returns>
    public SegmentRule Compare(SegmentComparison comparison, SegmentValue value) => new ComparisonRule(Operand, comparison, value);

    /// <summary><c>operand = value</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public SegmentRule EqualTo(decimal value) => Compare(SegmentComparison.Equal, SegmentValue.Of(value));

    /// <summary><c>operand = "value"</c>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The rule.</returns>
    public SegmentRule EqualTo(string value) => Compare(SegmentComparison.Equal, SegmentValue.Of(value));

    /// <summary><c>operand = true/false</c>.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The rule.</returns>
    public SegmentRule EqualTo(bool value) => Compare(SegmentComparison.Equal, SegmentValue.Of(value));

    /// <summary><c>operand != value</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public SegmentRule NotEqualTo(decimal value) => Compare(SegmentComparison.NotEqual, SegmentValue.Of(value));

    /// <summary><c>operand != "value"</c>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The rule.</returns>
    public SegmentRule NotEqualTo(string value) => Compare(SegmentComparison.NotEqual, SegmentValue.Of(value));

    /// <summary><c>operand &gt; value</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public SegmentRule GreaterThan(decimal value) => Compare(SegmentComparison.Greater, SegmentValue.Of(value));

    /// <summary><c>operand &gt;= value</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public SegmentRule AtLeast(decimal value) => Compare(SegmentComparison.GreaterOrEqual, SegmentValue.Of(value));

    /// <summary><c>operand &gt;= "value"</c> (tiers and churn levels by rank).</summary>
    /// <param name="value">The tier or level name.</param>
    /// <returns>The rule.</returns>
    public SegmentRule AtLeast(string value) => Compare(SegmentComparison.GreaterOrEqual, SegmentValue.Of(value));

    /// <summary><c>operand &lt; value</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public SegmentRule LessThan(decimal value) => Compare(SegmentComparison.Less, SegmentValue.Of(value));

    /// <summary><c>operand &lt;= value</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public SegmentRule AtMost(decimal value) => Compare(SegmentComparison.LessOrEqual, SegmentValue.Of(value));

    /// <summary><c>operand &lt;= "value"</c> (tiers and churn levels by rank).</summary>
    /// <param name="value">The tier or level name.</param>
    /// <returns>The rule.</returns>
    public SegmentRule AtMost(string value) => Compare(SegmentComparison.LessOrEqual, SegmentValue.Of(value));

    /// <summary><c>operand between low and high</c>, both included.</summary>
    /// <param name="low">The lowest value.</param>
    /// <param name="high">The highest value.</param>
    /// <returns>The rule.</returns>
    public SegmentRule Between(decimal low, decimal high) => new BetweenRule(Operand, SegmentValue.Of(low), SegmentValue.Of(high));

    /// <summary><c>operand between "low" and "high"</c> (tiers and churn levels by rank).</summary>
    /// <param name="low">The lowest tier or level.</param>
    /// <param name="high">The highest tier or level.</param>
    /// <returns>The rule.</returns>
    public SegmentRule Between(string low, string high) => new BetweenRule(Operand, SegmentValue.Of(low), SegmentValue.Of(high));

    /// <summary><c>operand in (...)</c>.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException">No values are given.</exception>
    public SegmentRule In(params IEnumerable<SegmentValue> values) => MakeIn(values, false);

    /// <summary><c>operand in ("a", "b")</c>.</summary>
    /// <param name="values">The texts.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException">No values are given.</exception>
    public SegmentRule In(params IEnumerable<string> values) => MakeIn(values.Select(SegmentValue.Of), false);

    /// <summary><c>operand not in (...)</c>.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException">No values are given.</exception>
    public SegmentRule NotIn(params IEnumerable<SegmentValue> values) => MakeIn(values, true);

    /// <summary><c>is_set(operand)</c>.</summary>
    /// <returns>The rule.</returns>
    public SegmentRule IsSet() => new IsSetRule(Operand);

    private SegmentRule MakeIn(IEnumerable<SegmentValue> values, bool negated)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("'in' needs at least one value.", nameof(values));
        }

        return new InRule(Operand, list, negated);
    }
}
