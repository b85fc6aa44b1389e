using System.Collections.Immutable;

namespace CustomerSegmentation.Segments;

/// <summary>What a comparison names: a field of the facts (<c>tier</c>) or a custom attribute (<c>attr("plan")</c>).</summary>
/// <param name="Name">The field name (see <see cref="SegmentFields"/>) or the attribute key.</param>
/// <param name="IsAttribute"><see langword="true"/> for a custom attribute.</param>
public sealed record SegmentOperand(string Name, bool IsAttribute = false)
{
    /// <summary>Names a field of the facts.</summary>
    /// <param name="name">The field name, e.g. <c>days_since_last_purchase</c>.</param>
    /// <returns>The operand.</returns>
    public static SegmentOperand Field(string name) => new(name ?? throw new ArgumentNullException(nameof(name)));

    /// <summary>Names a custom attribute of the customer.</summary>
    /// <param name="key">The attribute key.</param>
    /// <returns>The operand.</returns>
    public static SegmentOperand Attribute(string key) => new(key ?? throw new ArgumentNullException(nameof(key)), true);

    /// <summary>Formats the operand as the language writes it.</summary>
    /// <returns><c>tier</c> or <c>attr("plan")</c>.</returns>
    public override string ToString() => IsAttribute ? $"{SegmentFields.AttributeFunction}({SegmentValue.Quote(Name)})" : Name;
}

/// <summary>A comparison operator.</summary>
public enum SegmentComparison
{
    /// <summary><c>=</c> (also written <c>==</c>).</summary>
    Equal = 0,

    /// <summary><c>!=</c>.</summary>
    NotEqual = 1,

    /// <summary><c>&lt;</c>.</summary>
    Less = 2,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual = 3,

    /// <summary><c>&gt;</c>.</summary>
    Greater = 4,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual = 5,
}

/// <summary>
/// A segment rule: an immutable syntax tree with structural equality, built in C# (<see cref="SegmentRules"/>) or parsed
/// from the expression language (<see cref="SegmentParser"/>). <see cref="ToString"/> prints it back in the language.
/// </summary>
/// <remarks>A rule is only syntax: the fields, tags, tiers and stages it names are checked when it is bound (<see cref="SegmentSet.Create"/>).</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public abstract record SegmentRule
{
    private protected SegmentRule()
    {
    }

    /// <summary>Combines with another rule: both must hold.</summary>
    /// <param name="other">The other rule.</param>
    /// <returns><c>this and other</c>.</returns>
    public SegmentRule And(SegmentRule other) => new AndRule(this, other ?? throw new ArgumentNullException(nameof(other)));

    /// <summary>Combines with another rule: either may hold.</summary>
    /// <param name="other">The other rule.</param>
    /// <returns><c>this or other</c>.</returns>
    public SegmentRule Or(SegmentRule other) => new OrRule(this, other ?? throw new ArgumentNullException(nameof(other)));

    /// <summary>Negates the rule.</summary>
    /// <returns><c>not this</c>.</returns>
    public SegmentRule Not() => new NotRule(this);

    /// <summary>Prints the rule in the expression language, with the fewest parentheses that keep its structure.</summary>
    /// <returns>Text that <see cref="SegmentParser.Parse"/> reads back to an equal rule.</returns>
    public sealed override string ToString() => SegmentPrinter.Print(this);
}

/// <summary><c>true</c> or <c>false</c>: every customer, or none.</summary>
/// <param name="Value">The constant.</param>
public sealed record ConstantRule(bool Value) : SegmentRule;

/// <summary><c>left and right</c>.</summary>
/// <param name="Left">The first operand, evaluated first.</param>
/// <param name="Right">The second operand.</param>
public sealed record AndRule(SegmentRule Left, SegmentRule Right) : SegmentRule;

/// <summary><c>left or right</c>.</summary>
/// <param name="Left">The first operand, evaluated first.</param>
/// <param name="Right">The second operand.</param>
public sealed record OrRule(SegmentRule Left, SegmentRule Right) : SegmentRule;

/// <summary><c>not operand</c>.</summary>
/// <param name="Operand">The negated rule.</param>
public sealed record NotRule(SegmentRule Operand) : SegmentRule;

/// <summary><c>operand op value</c>, e.g. <c>days_since_last_purchase &gt; 60</c> or <c>tier &gt;= "B"</c>.</summary>
/// <param name="Operand">The field or attribute.</param>
/// <param name="Comparison">The operator.</param>
/// <param name="Value">The literal on the right.</param>
public sealed record ComparisonRule(SegmentOperand Operand, SegmentComparison Comparison, SegmentValue Value) : SegmentRule;

/// <summary><c>operand between low and high</c>: both ends included.</summary>
/// <param name="Operand">The field or attribute.</param>
/// <param name="Low">The lowest value included.</param>
/// <param name="High">The highest value included.</param>
public sealed record BetweenRule(SegmentOperand Operand, SegmentValue Low, SegmentValue High) : SegmentRule;

/// <summary><c>operand in (v1, v2, ...)</c> or <c>operand not in (...)</c>.</summary>
/// <param name="Operand">The field or attribute.</param>
/// <param name="Values">The values, in the order written (at least one).</param>
/// <param name="Negated"><see langword="true"/> for <c>not in</c>: a value is set and is none of these.</param>
public sealed record InRule(SegmentOperand Operand, ImmutableArray<SegmentValue> Values, bool Negated = false) : SegmentRule
{
    /// <summary>Tells whether two rules are equal: same operand, same values in the same order, same negation.</summary>
    /// <param name="other">The other rule.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(InRule? other) =>
        other is not null && Operand.Equals(other.Operand) && Negated == other.Negated
        && Values.AsSpan().SequenceEqual(other.Values.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = HashCode.Combine(Operand, Negated, Values.Length);
        foreach (var v in Values)
        {
            h = HashCode.Combine(h, v);
        }

        return h;
    }
}

/// <summary><c>has_tag("X")</c> (the tag or any descendant) or <c>has_exact_tag("X")</c> (that tag only).</summary>
/// <param name="Tag">The tag reference: a tag id, or a path <c>Group/Name/Child</c> of group and tag names or aliases.</param>
/// <param name="IncludeDescendants"><see langword="true"/> for <c>has_tag</c>.</param>
public sealed record HasTagRule(string Tag, bool IncludeDescendants = true) : SegmentRule;

/// <summary><c>is_set(operand)</c>: the field or attribute has a value.</summary>
/// <param name="Operand">The field or attribute.</param>
public sealed record IsSetRule(SegmentOperand Operand) : SegmentRule;
