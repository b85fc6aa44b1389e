using CustomerSegmentation.Segments;
using FsCheck;
using FsCheck.Fluent;

namespace CustomerSegmentation.Tests.Segments;

/// <summary>Random rules: any syntax (for print/parse) and rules that bind against <see cref="SegmentScenario.Context"/>.</summary>
public static class SegmentArbitraries
{
    private static readonly string[] NumberFields = [.. SegmentFields.All.Where(f => f.Kind is SegmentFieldKind.Number or SegmentFieldKind.Days).Select(f => f.Name)];
    private static readonly string[] TextFields = ["region", "industry", "kind", "company_size"];
    private static readonly string[] TagRefs = ["it", "Industry/IT", "Industry/IT/软件", "saas", "VIP", "finance", "finance-news", "potential"];

    private static Gen<SegmentComparison> Op => Gen.Elements(Enum.GetValues<SegmentComparison>());

    private static Gen<decimal> SmallNumber => Gen.Choose(-20, 400).Select(i => i % 7 == 0 ? i / 4m : i);

    private static Gen<string> AnyText => Gen.OneOf(
        Gen.Elements("", "B", "Industry/IT", "a\"quote", "back\\slash", "tab\there", "new\nline", "高价值客户", "😀", "\u0001ctl"),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null));

    private static Gen<SegmentValue> AnyValue => Gen.OneOf(
        ArbMap.Default.GeneratorFor<decimal>().Select(SegmentValue.Of),
        AnyText.Select(SegmentValue.Of),
        ArbMap.Default.GeneratorFor<bool>().Select(SegmentValue.Of));

    private static Gen<SegmentOperand> AnyOperand => Gen.OneOf(
        Gen.Elements([.. SegmentFields.All.Select(f => f.Name)]).Select(SegmentOperand.Field),
        AnyText.Select(SegmentOperand.Attribute));

    private static Gen<SegmentRule> AnyLeaf => Gen.OneOf(
        Gen.Elements(SegmentRules.True, SegmentRules.False),
        from o in AnyOperand from op in Op from v in AnyValue select (SegmentRule)new ComparisonRule(o, op, v),
        from o in AnyOperand from a in AnyValue from b in AnyValue select (SegmentRule)new BetweenRule(o, a, b),
        from o in AnyOperand from vs in Gen.NonEmptyListOf(AnyValue) from n in ArbMap.Default.GeneratorFor<bool>()
        select (SegmentRule)new InRule(o, [.. vs.Take(5)], n),
        from t in AnyText from d in ArbMap.Default.GeneratorFor<bool>() select (SegmentRule)new HasTagRule(t, d),
        AnyOperand.Select(o => (SegmentRule)new IsSetRule(o)));

    private static Gen<SegmentRule> ValidLeaf => Gen.OneOf(
        from f in Gen.Elements(NumberFields) from op in Op from v in SmallNumber
        select SegmentRules.Field(f).Compare(op, SegmentValue.Of(v)),
        from f in Gen.Elements(NumberFields) from a in SmallNumber from w in Gen.Choose(0, 100)
        select SegmentRules.Field(f).Between(a, a + w),
        from f in Gen.Elements("p_alive", "churn_score", "satisfaction") from op in Op from v in Gen.Choose(0, 100)
        select SegmentRules.Field(f).Compare(op, SegmentValue.Of(v / 100m)),
        from op in Op from t in Gen.Elements("A", "B", "C") select SegmentRules.Field("tier").Compare(op, SegmentValue.Of(t)),
        from op in Op from t in Gen.Elements("low", "medium", "high", "critical") select SegmentRules.Field("churn_level").Compare(op, SegmentValue.Of(t)),
        from vs in Gen.NonEmptyListOf(Gen.Elements([.. SegmentScenario.Stages])) from n in ArbMap.Default.GeneratorFor<bool>()
        select (SegmentRule)new InRule(SegmentOperand.Field("stage"), [.. vs.Take(3).Select(SegmentValue.Of)], n),
        from f in Gen.Elements(TextFields) from v in Gen.Elements([.. SegmentScenario.Regions, "IT", "Retail", "person", "organisation", "none"])
        from ne in ArbMap.Default.GeneratorFor<bool>()
        select SegmentRules.Field(f).Compare(ne ? SegmentComparison.NotEqual : SegmentComparison.Equal, SegmentValue.Of(v)),
        from v in ArbMap.Default.GeneratorFor<bool>() select SegmentRules.Field("marketing_consent").EqualTo(v),
        from t in Gen.Elements(TagRefs) from d in ArbMap.Default.GeneratorFor<bool>() select d ? SegmentRules.HasTag(t) : SegmentRules.HasExactTag(t),
        from f in Gen.Elements([.. SegmentFields.All.Select(f => f.Name)]) select SegmentRules.Field(f).IsSet(),
        from p in Gen.Elements(SegmentScenario.Plans) select SegmentRules.Attribute("plan").EqualTo(p),
        from op in Op from v in Gen.Choose(-1, 51) select SegmentRules.Attribute("seats").Compare(op, SegmentValue.Of(v)),
        from v in ArbMap.Default.GeneratorFor<bool>() select SegmentRules.Attribute("trial").EqualTo(v),
        from a in Gen.Elements("plan", "seats", "trial", "absent") select SegmentRules.Attribute(a).IsSet());

    private static Gen<SegmentRule> Tree(Gen<SegmentRule> leaf, int depth) => depth == 0
        ? leaf
        : Gen.Frequency(
            (3, leaf),
            (2, from a in Tree(leaf, depth - 1) from b in Tree(leaf, depth - 1) select (SegmentRule)new AndRule(a, b)),
            (2, from a in Tree(leaf, depth - 1) from b in Tree(leaf, depth - 1) select (SegmentRule)new OrRule(a, b)),
            (1, Tree(leaf, depth - 1).Select(a => (SegmentRule)new NotRule(a))));

    /// <summary>Any rule the AST can hold (any strings, any decimals), depth up to 4.</summary>
    public static Arbitrary<SegmentRule> Rules() => Tree(AnyLeaf, 4).ToArbitrary();

    /// <summary>A rule that binds against the scenario context.</summary>
    public static Gen<SegmentRule> ValidRules => Tree(ValidLeaf, 3);
}

/// <summary>A bindable rule (a wrapper so that it gets its own arbitrary).</summary>
public sealed record ValidRule(SegmentRule Rule)
{
    public override string ToString() => Rule.ToString();
}

/// <summary>Arbitraries for valid rules, with seeds for random populations.</summary>
public static class ValidRuleArbitraries
{
    public static Arbitrary<ValidRule> Rules() => SegmentArbitraries.ValidRules.Select(r => new ValidRule(r)).ToArbitrary();
}
