using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;

namespace CustomerSegmentation.Segments;

/// <summary>Checks a rule against a binding context and normalises it; collects every error instead of stopping at the first.</summary>
internal sealed class SegmentBinder(SegmentBindingContext context)
{
    internal static readonly string[] ChurnLevelNames = ["low", "medium", "high", "critical"];

    private readonly List<string> _errors = [];

    public static (BoundRule? Rule, ImmutableArray<string> Errors) Bind(SegmentRule rule, SegmentBindingContext context)
    {
        var binder = new SegmentBinder(context);
        var bound = binder.BindRule(rule);
        return (binder._errors.Count == 0 ? bound : null, [.. binder._errors]);
    }

    private BoundRule BindRule(SegmentRule rule) => rule switch
    {
        ConstantRule c => new BoundConstant(c, c.Value),
        AndRule a => new BoundAnd(a, [.. Flatten<AndRule>(a, static r => (r.Left, r.Right)).Select(BindRule)]),
        OrRule o => new BoundOr(o, [.. Flatten<OrRule>(o, static r => (r.Left, r.Right)).Select(BindRule)]),
        NotRule n => new BoundNot(n, BindRule(n.Operand)),
        ComparisonRule c => BindComparison(c, c.Operand, [c.Value], c.Comparison),
        BetweenRule b => BindComparison(b, b.Operand, [b.Low, b.High], null),
        InRule i => BindComparison(i, i.Operand, i.Values, null),
        HasTagRule t => BindTag(t),
        IsSetRule s => BindIsSet(s),
        null => throw new ArgumentNullException(nameof(rule)),
        _ => throw new ArgumentException($"Unknown rule type {rule.GetType().Name}.", nameof(rule)),
    };

    // a and b and c parses as ((a and b) and c): flattening gives one n-ary node, so deep chains do not recurse.
    private static List<SegmentRule> Flatten<T>(T root, Func<T, (SegmentRule Left, SegmentRule Right)> split)
        where T : SegmentRule
    {
        var result = new List<SegmentRule>();
        var stack = new Stack<SegmentRule>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var r = stack.Pop();
            if (r is T t)
            {
                var (left, right) = split(t);
                stack.Push(right);
                stack.Push(left);
            }
            else
            {
                result.Add(r);
            }
        }

        return result;
    }

    private BoundRule Error(SegmentRule rule, string message)
    {
        _errors.Add(message);
        return new BoundConstant(rule, false);
    }

    private BoundRule BindComparison(SegmentRule rule, SegmentOperand operand, ImmutableArray<SegmentValue> values, SegmentComparison? op)
    {
        if (values.IsDefaultOrEmpty)
        {
            return Error(rule, $"'in' needs at least one value in {rule}");
        }

        SegmentFieldKind kind;
        if (operand.IsAttribute)
        {
            var literal = values[0].Kind;
            if (values.Any(v => v.Kind != literal))
            {
                return Error(rule, $"{operand} is compared with values of different kinds in {rule}");
            }

            if (!CheckAttribute(rule, operand, literal))
            {
                return new BoundConstant(rule, false);
            }

            kind = literal switch
            {
                SegmentValueKind.Number => SegmentFieldKind.Number,
                SegmentValueKind.Text => SegmentFieldKind.Text,
                _ => SegmentFieldKind.Boolean,
            };
        }
        else if (SegmentFields.Find(operand.Name) is { } field)
        {
            kind = field.Kind;
        }
        else
        {
            return Error(rule, $"unknown field '{operand.Name}' in {rule}");
        }

        return kind switch
        {
            SegmentFieldKind.Number or SegmentFieldKind.Days => BindNumber(rule, operand, values, op),
            SegmentFieldKind.Tier => BindTier(rule, operand, values, op),
            SegmentFieldKind.ChurnLevel => BindRanked(rule, operand, values, op, ChurnLevelNames, "churn_level is ranked by name (low < medium < high < critical)",
                v => $"unknown churn level {v} in {rule}; the levels are low < medium < high < critical"),
            SegmentFieldKind.Boolean => BindBoolean(rule, operand, values, op),
            _ => BindText(rule, operand, values, op, kind),
        };
    }

    private bool CheckAttribute(SegmentRule rule, SegmentOperand operand, SegmentValueKind literal)
    {
        if (context.Schema is not { } schema)
        {
            return true;
        }

        if (!schema.TryGetField(operand.Name, out var declared) || !declared.IsCustomAttribute)
        {
            if (schema.AllowUndeclaredAttributes)
            {
                return true;
            }

            Error(rule, $"unknown attribute \"{operand.Name}\" in {rule}: the profile schema does not declare it and does not allow undeclared attributes");
            return false;
        }

        SegmentValueKind? expected = declared.Kind switch
        {
            FieldKind.Number => SegmentValueKind.Number,
            FieldKind.Boolean => SegmentValueKind.Boolean,
            FieldKind.Text or FieldKind.Choice or FieldKind.Identifier => SegmentValueKind.Text,
            _ => null,
        };
        if (expected is null)
        {
            Error(rule, $"attribute \"{operand.Name}\" is declared as {declared.Kind}, which segments cannot compare (numbers, text and booleans only), in {rule}");
            return false;
        }

        if (expected != literal)
        {
            Error(rule, $"attribute \"{operand.Name}\" is declared as {declared.Kind}: compare it with {Expect(expected.Value)}, not with a {Describe(literal)}, in {rule}");
            return false;
        }

        return true;
    }

    private static string Expect(SegmentValueKind kind) => kind switch
    {
        SegmentValueKind.Number => "a number",
        SegmentValueKind.Text => "a string",
        _ => "true or false",
    };

    private static string Describe(SegmentValueKind kind) => kind switch
    {
        SegmentValueKind.Number => "number",
        SegmentValueKind.Text => "string",
        _ => "boolean",
    };

    private BoundRule WrongKind(SegmentRule rule, SegmentOperand operand, string what, string expected, SegmentValue value) =>
        Error(rule, $"{operand} is {what}: compare it with {expected}, not with {value}, in {rule}");

    private BoundRule BindNumber(SegmentRule rule, SegmentOperand operand, ImmutableArray<SegmentValue> values, SegmentComparison? op)
    {
        if (OtherThan(values, SegmentValueKind.Number) is { } bad)
        {
            return WrongKind(rule, operand, "a number", "a number", bad);
        }

        switch (rule)
        {
            case BetweenRule:
                var (lo, hi) = (values[0].Number, values[1].Number);
                return lo > hi
                    ? Error(rule, $"empty range in {rule}: {values[0]} is above {values[1]}")
                    : new BoundRange(rule, operand, lo, true, hi, true, false);
            case InRule i:
                var ranges = i.Values.Select(v => (BoundRule)new BoundRange(rule, operand, v.Number, true, v.Number, true, i.Negated)).ToArray();
                return ranges.Length == 1 ? ranges[0] : i.Negated ? new BoundAnd(rule, ranges) : new BoundOr(rule, ranges);
        }

        var n = values[0].Number;
        return op switch
        {
            SegmentComparison.Equal => new BoundRange(rule, operand, n, true, n, true, false),
            SegmentComparison.NotEqual => new BoundRange(rule, operand, n, true, n, true, true),
            SegmentComparison.Less => new BoundRange(rule, operand, null, false, n, false, false),
            SegmentComparison.LessOrEqual => new BoundRange(rule, operand, null, false, n, true, false),
            SegmentComparison.Greater => new BoundRange(rule, operand, n, false, null, false, false),
            _ => new BoundRange(rule, operand, n, true, null, false, false),
        };
    }

    private BoundRule BindTier(SegmentRule rule, SegmentOperand operand, ImmutableArray<SegmentValue> values, SegmentComparison? op)
    {
        if (context.Tiers is not { } ladder)
        {
            return Error(rule, $"{rule} uses tier, but the binding context has no tier ladder");
        }

        var names = ladder.Select(t => t.Name).ToArray();
        return BindRanked(rule, operand, values, op, names, $"tier is ranked by name on the ladder {ladder}",
            v => $"unknown tier {v} in {rule}; the ladder is {ladder}", ladder.TryGet);
    }

    private BoundRule BindRanked(
        SegmentRule rule, SegmentOperand operand, ImmutableArray<SegmentValue> values, SegmentComparison? op, string[] names, string rankedBy,
        Func<SegmentValue, string> unknown, TierLookup? lookup = null)
    {
        if (OtherThan(values, SegmentValueKind.Text) is { } bad)
        {
            return Error(rule, $"{rankedBy}, not by {Describe(bad.Kind)}: write a name in quotes instead of {bad} in {rule}");
        }

        var levels = new int[values.Length];
        var ok = true;
        for (var k = 0; k < values.Length; k++)
        {
            levels[k] = lookup is not null
                ? lookup(values[k].Text, out var tier) ? tier.Level : -1
                : Array.FindIndex(names, n => string.Equals(n, values[k].Text, StringComparison.OrdinalIgnoreCase));
            if (levels[k] < 0)
            {
                Error(rule, unknown(values[k]));
                ok = false;
            }
        }

        if (!ok)
        {
            return new BoundConstant(rule, false);
        }

        var allowed = new bool[names.Length];
        switch (rule)
        {
            case BetweenRule:
                if (levels[0] > levels[1])
                {
                    return Error(rule, $"empty range in {rule}: {values[0]} ranks above {values[1]}");
                }

                for (var l = levels[0]; l <= levels[1]; l++)
                {
                    allowed[l] = true;
                }

                break;
            case InRule i:
                foreach (var l in levels)
                {
                    allowed[l] = true;
                }

                if (i.Negated)
                {
                    Invert(allowed);
                }

                break;
            default:
                var at = levels[0];
                for (var l = 0; l < allowed.Length; l++)
                {
                    allowed[l] = op switch
                    {
                        SegmentComparison.Equal => l == at,
                        SegmentComparison.NotEqual => l != at,
                        SegmentComparison.Less => l < at,
                        SegmentComparison.LessOrEqual => l <= at,
                        SegmentComparison.Greater => l > at,
                        _ => l >= at,
                    };
                }

                break;
        }

        return new BoundLevels(rule, operand, allowed, names);
    }

    private delegate bool TierLookup(string? name, out Tiers.Tier tier);

    private static SegmentValue? OtherThan(ImmutableArray<SegmentValue> values, SegmentValueKind kind)
    {
        foreach (var v in values)
        {
            if (v.Kind != kind)
            {
                return v;
            }
        }

        return null;
    }

    private static void Invert(bool[] allowed)
    {
        for (var l = 0; l < allowed.Length; l++)
        {
            allowed[l] = !allowed[l];
        }
    }

    private BoundRule BindBoolean(SegmentRule rule, SegmentOperand operand, ImmutableArray<SegmentValue> values, SegmentComparison? op)
    {
        if (OtherThan(values, SegmentValueKind.Boolean) is { } bad)
        {
            return WrongKind(rule, operand, "a yes/no field", "true or false", bad);
        }

        if (rule is BetweenRule || op is not (null or SegmentComparison.Equal or SegmentComparison.NotEqual))
        {
            return Error(rule, $"{operand} is a yes/no field: it can be compared with =, !=, in and not in, not with {OperatorOf(rule, op)} in {rule}");
        }

        var allowed = new bool[2];
        foreach (var v in values)
        {
            allowed[v.Boolean ? 1 : 0] = true;
        }

        if (op == SegmentComparison.NotEqual || rule is InRule { Negated: true })
        {
            Invert(allowed);
        }

        return new BoundLevels(rule, operand, allowed, ["false", "true"]);
    }

    private static string OperatorOf(SegmentRule rule, SegmentComparison? op) => rule is BetweenRule ? "'between'" : $"'{SegmentPrinter.Operator(op ?? SegmentComparison.Equal)}'";

    private BoundRule BindText(SegmentRule rule, SegmentOperand operand, ImmutableArray<SegmentValue> values, SegmentComparison? op, SegmentFieldKind kind)
    {
        var what = kind == SegmentFieldKind.Stage ? "a lifecycle stage" : "text";
        if (OtherThan(values, SegmentValueKind.Text) is { } bad)
        {
            return WrongKind(rule, operand, what, "a string", bad);
        }

        if (rule is BetweenRule || op is not (null or SegmentComparison.Equal or SegmentComparison.NotEqual))
        {
            return Error(rule, $"{operand} is {what}: it can be compared with =, !=, in and not in, not with {OperatorOf(rule, op)} in {rule}");
        }

        var ok = true;
        if (kind == SegmentFieldKind.Stage)
        {
            if (context.Stages.IsDefaultOrEmpty)
            {
                return Error(rule, $"{rule} uses stage, but the binding context has no lifecycle stages");
            }

            foreach (var v in values.Where(v => !context.Stages.Contains(v.Text, StringComparer.Ordinal)))
            {
                Error(rule, $"unknown stage {v} in {rule}; the lifecycle model has: {string.Join(", ", context.Stages)}");
                ok = false;
            }
        }
        else if (!operand.IsAttribute && operand.Name == SegmentFields.RfmSegment && !context.RfmSegments.IsDefaultOrEmpty)
        {
            foreach (var v in values.Where(v => !context.RfmSegments.Contains(v.Text, StringComparer.Ordinal)))
            {
                Error(rule, $"unknown RFM segment {v} in {rule}; the segment table has: {string.Join(", ", context.RfmSegments)}");
                ok = false;
            }
        }

        if (!ok)
        {
            return new BoundConstant(rule, false);
        }

        var negated = op == SegmentComparison.NotEqual || rule is InRule { Negated: true };
        return new BoundTexts(rule, operand, [.. values.Select(v => v.Text).Distinct(StringComparer.Ordinal)], negated);
    }

    private BoundRule BindIsSet(IsSetRule rule)
    {
        var operand = rule.Operand;
        if (!operand.IsAttribute)
        {
            return SegmentFields.Find(operand.Name) is null ? Error(rule, $"unknown field '{operand.Name}' in {rule}") : new BoundIsSet(rule, operand, null);
        }

        SegmentValueKind? slot = null;
        if (context.Schema is { } schema && schema.TryGetField(operand.Name, out var declared) && declared.IsCustomAttribute)
        {
            slot = declared.Kind switch
            {
                FieldKind.Number => SegmentValueKind.Number,
                FieldKind.Boolean => SegmentValueKind.Boolean,
                _ => SegmentValueKind.Text,
            };
        }
        else if (context.Schema is { AllowUndeclaredAttributes: false })
        {
            return Error(rule, $"unknown attribute \"{operand.Name}\" in {rule}: the profile schema does not declare it and does not allow undeclared attributes");
        }

        return new BoundIsSet(rule, operand, slot);
    }

    private BoundRule BindTag(HasTagRule rule)
    {
        if (context.Taxonomy is not { } taxonomy)
        {
            return Error(rule, $"{rule} names a tag, but the binding context has no taxonomy");
        }

        var found = ResolveTag(taxonomy, rule.Tag, out var problem);
        if (found is not { } id)
        {
            return Error(rule, problem!.Replace("{clause}", rule.ToString(), StringComparison.Ordinal));
        }

        id = taxonomy.ResolveCurrent(id);
        TagId[] tags = rule.IncludeDescendants ? [id, .. taxonomy.DescendantsOf(id).Select(t => t.Id)] : [id];
        return new BoundTags(rule, tags);
    }

    /// <summary>A tag id; else a path "Group/Name/.../Name" (group by id or name, each name a descendant of the one before); else a name unique across groups.</summary>
    internal static TagId? ResolveTag(TagTaxonomy taxonomy, string reference, out string? problem)
    {
        problem = null;
        var quoted = SegmentValue.Quote(reference);
        if (TagId.IsValid(reference) && taxonomy.Contains(new TagId(reference)))
        {
            return new TagId(reference);
        }

        var parts = reference.Split('/');
        if (parts.Length >= 2)
        {
            var group = taxonomy.Groups.FirstOrDefault(g => string.Equals(g.Id.Value, parts[0], StringComparison.Ordinal))
                ?? taxonomy.Groups.FirstOrDefault(g => string.Equals(g.Name.Trim(), parts[0].Trim(), StringComparison.OrdinalIgnoreCase));
            if (group is null)
            {
                problem = $"unknown tag {quoted} in {{clause}}: no tag has this id and no tag group is named \"{parts[0]}\"";
                return null;
            }

            Tag? current = null;
            foreach (var name in parts.Skip(1))
            {
                var next = name.Length == 0 ? null : taxonomy.FindByName(group.Id, name);
                if (next is null || (current is not null && !taxonomy.IsSelfOrDescendantOf(next.Id, current.Id)))
                {
                    problem = next is null
                        ? $"unknown tag {quoted} in {{clause}}: group \"{group.Name}\" has no tag named \"{name}\""
                        : $"unknown tag {quoted} in {{clause}}: \"{name}\" is not below \"{current!.Name}\" in group \"{group.Name}\"";
                    return null;
                }

                current = next;
            }

            return current!.Id;
        }

        var byName = taxonomy.FindAllByName(reference);
        if (byName.Length == 1)
        {
            return byName[0].Id;
        }

        problem = byName.Length == 0
            ? $"unknown tag {quoted} in {{clause}}: no tag has this id or name"
            : $"ambiguous tag {quoted} in {{clause}}: groups {string.Join(", ", byName.Select(t => taxonomy.GroupOf(t.Id).Name))} each have one; write \"Group/{reference}\"";
        return null;
    }
}
