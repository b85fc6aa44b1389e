using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Segments;
using NodaTime;

namespace CustomerSegmentation.Tests.Segments;

/// <summary>
/// An independent, slow interpreter of rules over <see cref="CustomerFacts"/> objects, written from the documented
/// semantics (missing values fail every comparison; tiers and churn levels by rank; has_tag includes descendants).
/// The columnar evaluator must agree with it on every customer.
/// </summary>
internal static class SegmentReference
{
    private static readonly string[] ChurnNames = ["low", "medium", "high", "critical"];

    public static bool Holds(SegmentRule rule, CustomerFacts f, Instant asOf) => rule switch
    {
        ConstantRule c => c.Value,
        AndRule a => Holds(a.Left, f, asOf) && Holds(a.Right, f, asOf),
        OrRule o => Holds(o.Left, f, asOf) || Holds(o.Right, f, asOf),
        NotRule n => !Holds(n.Operand, f, asOf),
        ComparisonRule c => Value(c.Operand, f, asOf, c.Value.Kind) is { } v && Compare(c.Operand, v, c.Value) is { } cmp && c.Comparison switch
        {
            SegmentComparison.Equal => cmp == 0,
            SegmentComparison.NotEqual => cmp != 0,
            SegmentComparison.Less => cmp < 0,
            SegmentComparison.LessOrEqual => cmp <= 0,
            SegmentComparison.Greater => cmp > 0,
            _ => cmp >= 0,
        },
        BetweenRule b => Value(b.Operand, f, asOf, b.Low.Kind) is { } v && Compare(b.Operand, v, b.Low) >= 0 && Compare(b.Operand, v, b.High) <= 0,
        InRule i => Value(i.Operand, f, asOf, i.Values[0].Kind) is { } v && i.Values.Any(x => Compare(i.Operand, v, x) == 0) != i.Negated,
        HasTagRule t => f.Tags.Any(h => h.HoldsAt(asOf) && (t.IncludeDescendants
            ? SegmentScenario.Taxonomy.IsSelfOrDescendantOf(h.TagId, Resolve(t.Tag))
            : h.TagId == Resolve(t.Tag))),
        IsSetRule s => Value(s.Operand, f, asOf, null) is not null,
        _ => throw new ArgumentException(rule.GetType().Name),
    };

    private static CustomerSegmentation.Tags.TagId Resolve(string reference) => reference switch
    {
        "Industry/IT" => "it",
        "Industry/IT/软件" => "software",
        "VIP" => "vip",
        _ => reference,
    };

    private static int? Compare(SegmentOperand operand, object actual, SegmentValue literal) => actual switch
    {
        double d => d.CompareTo((double)literal.Number),
        int i => ((decimal)i).CompareTo(literal.Number),
        bool b => b == literal.Boolean ? 0 : 1,
        string s when !operand.IsAttribute && operand.Name == "tier" => SegmentScenario.Ladder[s].Level.CompareTo(SegmentScenario.Ladder[literal.Text].Level),
        string s when !operand.IsAttribute && operand.Name == "churn_level" => Array.IndexOf(ChurnNames, s).CompareTo(Array.IndexOf(ChurnNames, literal.Text)),
        string s => string.Equals(s, literal.Text, StringComparison.Ordinal) ? 0 : 1,
        _ => null,
    };

    private static int? Days(Instant? at, Instant asOf) => at is { } t ? ActivitySummary.DaysBetween(t, asOf) : null;

    private static double? Real(decimal? v) => v is { } x ? (double)x : null;

    /// <summary>The value as the documented field catalogue defines it; for attributes, only a value of the literal's kind counts.</summary>
    private static object? Value(SegmentOperand operand, CustomerFacts f, Instant asOf, SegmentValueKind? kind)
    {
        var a = f.Activity;
        var c = f.Customer;
        if (operand.IsAttribute)
        {
            if (!c.CustomAttributes.TryGetValue(operand.Name, out var raw))
            {
                return null;
            }

            return (raw, kind) switch
            {
                (string s, SegmentValueKind.Text or null) => s,
                (bool b, SegmentValueKind.Boolean or null) => b,
                (int or long or double or decimal, SegmentValueKind.Number or null) => Convert.ToDouble(raw, CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        return operand.Name switch
        {
            "days_since_last_purchase" => Days(a?.LastPurchaseAt, asOf),
            "days_since_first_purchase" => Days(a?.FirstPurchaseAt, asOf),
            "days_since_last_interaction" => Days(a?.LastInteractionAt, asOf),
            "days_since_created" => Days(c.CreatedAt, asOf),
            "purchase_count" => a?.PurchaseCount,
            "purchase_days" => a?.DistinctPurchaseDays,
            "complaints" => a?.Complaints,
            "referrals" => a?.ReferralsMade,
            "nps" => a?.LastNps,
            "net_spend" => Real(a?.NetSpend),
            "gross_spend" => Real(a?.GrossSpend),
            "average_spend" => Real(a?.AverageSpend),
            "satisfaction" => a?.MeanSatisfaction,
            "r" => f.Rfm?.R,
            "f" => f.Rfm?.F,
            "m" => f.Rfm?.M,
            "rfm_score" => Real(f.Rfm?.WeightedScore),
            "rfm_segment" => f.Rfm?.Segment,
            "clv" => Real(f.Clv),
            "p_alive" => f.PAlive,
            "churn_score" => f.ChurnScore,
            "churn_level" => f.ChurnLevel is { } l ? ChurnNames[(int)l] : null,
            "tier" => f.Tier?.Name,
            "stage" => f.Stage,
            "kind" => c.Kind == CustomerKind.Person ? "person" : "organisation",
            "region" => c.Region,
            "industry" => c.Industry,
            "company_size" => c.CompanySize,
            "channel" => c.AcquisitionChannel,
            "owner" => c.Owner,
            "marketing_consent" => c.MarketingConsent,
            _ => throw new ArgumentException(operand.Name),
        };
    }
}
