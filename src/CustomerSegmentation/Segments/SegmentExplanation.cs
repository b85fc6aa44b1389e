using System.Collections.Immutable;
using System.Text;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Segments;

/// <summary>The value of one clause for one customer.</summary>
/// <param name="Clause">The clause.</param>
/// <param name="Value">Whether it holds.</param>
/// <param name="Observed">What the customer's value is (<c>days_since_last_purchase = 75</c>); <see langword="null"/> for and/or/not.</param>
/// <param name="Operands">The operands of an and/or/not, each with its value.</param>
public sealed record SegmentClauseOutcome(SegmentRule Clause, bool Value, string? Observed, ImmutableArray<SegmentClauseOutcome> Operands);

/// <summary>Why a customer is in or out of a segment.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="AsOf">The instant.</param>
/// <param name="IsMember">Whether the customer is in.</param>
/// <param name="Deciding">The clauses that decided: for a member every clause that had to hold; for a non-member the
/// first failing clause of each <c>and</c> (left to right) and every failing operand of an <c>or</c>.</param>
/// <param name="Root">Every clause with its value.</param>
/// <param name="Text">One sentence: <c>out of lapsing-it: days_since_last_purchase &gt; 60 is false (days_since_last_purchase = 12)</c>.</param>
public sealed record SegmentExplanation(
    SegmentDefinition Segment, CustomerId CustomerId, Instant AsOf, bool IsMember, ImmutableArray<SegmentClauseOutcome> Deciding, SegmentClauseOutcome Root, string Text)
{
    internal static SegmentExplanation Build(SegmentDefinition segment, CustomerId customer, Instant asOf, EvalNode node, int ordinal)
    {
        var root = Outcome(node, ordinal);
        var deciding = ImmutableArray.CreateBuilder<SegmentClauseOutcome>();
        Decide(root, deciding);
        var sb = new StringBuilder();
        sb.Append(root.Value ? "in " : "out of ").Append(segment.Id).Append(": ");
        for (var i = 0; i < deciding.Count; i++)
        {
            var d = deciding[i];
            sb.Append(i == 0 ? string.Empty : "; ").Append(d.Clause).Append(d.Value ? " is true" : " is false");
            if (d.Observed is { } o)
            {
                sb.Append(" (").Append(o).Append(')');
            }
        }

        return new SegmentExplanation(segment, customer, asOf, root.Value, deciding.ToImmutable(), root, sb.ToString());
    }

    private static SegmentClauseOutcome Outcome(EvalNode node, int ordinal)
    {
        var children = node.Children.Select(c => Outcome(c, ordinal)).ToImmutableArray();
        var value = node switch
        {
            AndNode => children.All(c => c.Value),
            OrNode => children.Any(c => c.Value),
            NotNode => !children[0].Value,
            _ => node.Test(ordinal),
        };
        return new SegmentClauseOutcome(node.Source, value, children.IsEmpty ? node.Observe(ordinal) : null, children);
    }

    private static void Decide(SegmentClauseOutcome o, ImmutableArray<SegmentClauseOutcome>.Builder into)
    {
        if (o.Operands.IsEmpty)
        {
            into.Add(o);
            return;
        }

        switch (o.Clause)
        {
            case NotRule:
                Decide(o.Operands[0], into);
                return;
            case AndRule when !o.Value:
            case OrRule when o.Value:
                // The first operand with the deciding value settles an and that fails or an or that holds.
                Decide(o.Operands.First(c => c.Value == o.Value), into);
                return;
            default:
                foreach (var c in o.Operands)
                {
                    Decide(c, into);
                }

                return;
        }
    }
}
