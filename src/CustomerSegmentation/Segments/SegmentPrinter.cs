using System.Text;

namespace CustomerSegmentation.Segments;

/// <summary>Prints rules in the expression language; <see cref="SegmentRule.ToString"/> calls it.</summary>
internal static class SegmentPrinter
{
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int AtomLevel = 4;

    public static string Print(SegmentRule rule)
    {
        var sb = new StringBuilder();
        Write(sb, rule, 0);
        return sb.ToString();
    }

    private static int Level(SegmentRule rule) => rule switch
    {
        OrRule => OrLevel,
        AndRule => AndLevel,
        NotRule => NotLevel,
        _ => AtomLevel,
    };

    // Left operands of and/or may be the same operator (left-associative); right operands need a higher level, so
    // a and (b and c) keeps its parentheses and reparses to the same tree.
    private static void Write(StringBuilder sb, SegmentRule rule, int minLevel)
    {
        var level = Level(rule);
        var paren = level < minLevel;
        if (paren)
        {
            sb.Append('(');
        }

        switch (rule)
        {
            case ConstantRule c:
                sb.Append(c.Value ? "true" : "false");
                break;
            case AndRule a:
                Write(sb, a.Left, AndLevel);
                sb.Append(" and ");
                Write(sb, a.Right, AndLevel + 1);
                break;
            case OrRule o:
                Write(sb, o.Left, OrLevel);
                sb.Append(" or ");
                Write(sb, o.Right, OrLevel + 1);
                break;
            case NotRule n:
                sb.Append("not ");
                Write(sb, n.Operand, NotLevel);
                break;
            case ComparisonRule c:
                sb.Append(c.Operand).Append(' ').Append(Operator(c.Comparison)).Append(' ').Append(c.Value);
                break;
            case BetweenRule b:
                sb.Append(b.Operand).Append(" between ").Append(b.Low).Append(" and ").Append(b.High);
                break;
            case InRule i:
                sb.Append(i.Operand).Append(i.Negated ? " not in (" : " in (");
                for (var k = 0; k < i.Values.Length; k++)
                {
                    sb.Append(k == 0 ? string.Empty : ", ").Append(i.Values[k]);
                }

                sb.Append(')');
                break;
            case HasTagRule t:
                sb.Append(t.IncludeDescendants ? SegmentFields.HasTagFunction : SegmentFields.HasExactTagFunction).Append('(').Append(SegmentValue.Quote(t.Tag)).Append(')');
                break;
            case IsSetRule s:
                sb.Append(SegmentFields.IsSetFunction).Append('(').Append(s.Operand).Append(')');
                break;
            default:
                throw new ArgumentException($"Unknown rule type {rule.GetType().Name}.", nameof(rule));
        }

        if (paren)
        {
            sb.Append(')');
        }
    }

    public static string Operator(SegmentComparison comparison) => comparison switch
    {
        SegmentComparison.Equal => "=",
        SegmentComparison.NotEqual => "!=",
        SegmentComparison.Less => "<",
        SegmentComparison.LessOrEqual => "<=",
        SegmentComparison.Greater => ">",
        _ => ">=",
    };
}
