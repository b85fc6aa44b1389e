using CustomerSegmentation.Tags;

namespace CustomerSegmentation.Segments;

/// <summary>A rule checked against a binding context: names resolved, comparisons normalised. Population-independent.</summary>
internal abstract class BoundRule(SegmentRule source)
{
    public SegmentRule Source { get; } = source;
}

internal sealed class BoundConstant(SegmentRule source, bool value) : BoundRule(source)
{
    public bool Value { get; } = value;
}

internal sealed class BoundAnd(SegmentRule source, BoundRule[] operands) : BoundRule(source)
{
    public BoundRule[] Operands { get; } = operands;
}

internal sealed class BoundOr(SegmentRule source, BoundRule[] operands) : BoundRule(source)
{
    public BoundRule[] Operands { get; } = operands;
}

internal sealed class BoundNot(SegmentRule source, BoundRule operand) : BoundRule(source)
{
    public BoundRule Operand { get; } = operand;
}

/// <summary>A number or days field (or a numeric attribute) inside [Low, High] (either end open when null), or, when
/// <see cref="Outside"/>, set and outside it.</summary>
internal sealed class BoundRange(SegmentRule source, SegmentOperand operand, decimal? low, bool lowInclusive, decimal? high, bool highInclusive, bool outside)
    : BoundRule(source)
{
    public SegmentOperand Operand { get; } = operand;

    public decimal? Low { get; } = low;

    public bool LowInclusive { get; } = lowInclusive;

    public decimal? High { get; } = high;

    public bool HighInclusive { get; } = highInclusive;

    public bool Outside { get; } = outside;
}

/// <summary>A ranked or boolean field (tier level, churn level, 0/1) whose value is one of <see cref="Allowed"/>.</summary>
internal sealed class BoundLevels(SegmentRule source, SegmentOperand operand, bool[] allowed, string[] names) : BoundRule(source)
{
    public SegmentOperand Operand { get; } = operand;

    public bool[] Allowed { get; } = allowed;

    /// <summary>Names of the levels, for explanations.</summary>
    public string[] Names { get; } = names;
}

/// <summary>A text field (or text attribute) equal to one of <see cref="Values"/>, or, when negated, set and none of them.</summary>
internal sealed class BoundTexts(SegmentRule source, SegmentOperand operand, string[] values, bool negated) : BoundRule(source)
{
    public SegmentOperand Operand { get; } = operand;

    public string[] Values { get; } = values;

    public bool Negated { get; } = negated;
}

/// <summary>Holds any of these tags (a tag and its descendants for <c>has_tag</c>).</summary>
internal sealed class BoundTags(SegmentRule source, TagId[] tags) : BoundRule(source)
{
    public TagId[] Tags { get; } = tags;
}

/// <summary>The field or attribute has a value (for an attribute: of <see cref="Slot"/>, or of any kind when null).</summary>
internal sealed class BoundIsSet(SegmentRule source, SegmentOperand operand, SegmentValueKind? slot) : BoundRule(source)
{
    public SegmentOperand Operand { get; } = operand;

    public SegmentValueKind? Slot { get; } = slot;
}
