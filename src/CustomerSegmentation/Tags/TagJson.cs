using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CustomerSegmentation.Customers;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Tags;

/// <summary>
/// Reads and writes taxonomies, rules and assignments as JSON with System.Text.Json. The schemas are documented in
/// <c>docs/tags.md</c>; each document carries a <c>schema</c> name with a version suffix.
/// </summary>
/// <remarks>
/// Writing is lossless: reading what was written gives an equal taxonomy, equal rules (except C#
/// <see cref="PredicateCondition"/>s, which cannot be written) and equal assignments. Text is written unescaped where
/// JSON allows (Chinese stays readable). Instants are ISO-8601 in UTC with up to nine fractional digits.
/// </remarks>
public static class TagJson
{
    /// <summary>The schema name of a taxonomy document.</summary>
    public const string TaxonomySchema = "customer-segmentation/tag-taxonomy/v1";

    /// <summary>The schema name of a rules document.</summary>
    public const string RulesSchema = "customer-segmentation/tag-rules/v1";

    /// <summary>The schema name of an assignments document.</summary>
    public const string AssignmentsSchema = "customer-segmentation/tag-assignments/v1";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a taxonomy.</summary>
    /// <param name="taxonomy">The taxonomy.</param>
    /// <returns>The JSON document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="taxonomy"/> is <see langword="null"/>.</exception>
    public static string WriteTaxonomy(TagTaxonomy taxonomy)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        return Write(w =>
        {
            w.WriteString("schema", TaxonomySchema);
            w.WriteNumber("version", taxonomy.Version);
            w.WriteStartArray("groups");
            foreach (var g in taxonomy.Groups)
            {
                w.WriteStartObject();
                w.WriteString("id", g.Id.Value);
                w.WriteString("name", g.Name);
                w.WriteString("selection", g.IsSingleSelect ? "single" : "multiple");
                WriteOptional(w, "description", g.Description);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("tags");
            foreach (var t in taxonomy.Tags)
            {
                w.WriteStartObject();
                w.WriteString("id", t.Id.Value);
                w.WriteString("group", t.GroupId.Value);
                w.WriteString("name", t.Name);
                WriteOptional(w, "parent", t.ParentId?.Value);
                WriteOptional(w, "colour", t.Colour?.ToString());
                WriteOptional(w, "description", t.Description);
                if (!t.Aliases.IsEmpty)
                {
                    w.WriteStartArray("aliases");
                    foreach (var a in t.Aliases)
                    {
                        w.WriteStringValue(a);
                    }

                    w.WriteEndArray();
                }

                if (t.Status != TagStatus.Active)
                {
                    w.WriteString("status", t.Status == TagStatus.Retired ? "retired" : "merged");
                }

                WriteOptional(w, "successor", t.SuccessorId?.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>Reads a taxonomy and validates it like <see cref="TagTaxonomyBuilder.Build"/>.</summary>
    /// <param name="json">The JSON document.</param>
    /// <returns>The taxonomy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The text is not JSON, or not a taxonomy document (wrong schema, missing or mistyped field).</exception>
    /// <exception cref="TagTaxonomyException">The document describes an inconsistent taxonomy.</exception>
    public static TagTaxonomy ReadTaxonomy(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        RequireSchema(root, TaxonomySchema);
        var builder = new TagTaxonomyBuilder { Version = Required(root, "version", JsonValueKind.Number).GetInt64() };
        foreach (var g in Array(root, "groups"))
        {
            var selection = RequiredString(g, "selection") switch
            {
                "single" => TagSelection.Single,
                "multiple" => TagSelection.Multiple,
                var other => throw new JsonException($"Group selection must be 'single' or 'multiple', got '{other}'."),
            };
            builder.AddGroup(new TagGroup(GroupId(RequiredString(g, "id")), RequiredString(g, "name"), selection) { Description = OptionalString(g, "description") });
        }

        foreach (var t in Array(root, "tags"))
        {
            var status = OptionalString(t, "status") switch
            {
                null or "active" => TagStatus.Active,
                "retired" => TagStatus.Retired,
                "merged" => TagStatus.Merged,
                var other => throw new JsonException($"Tag status must be 'active', 'retired' or 'merged', got '{other}'."),
            };
            var colour = OptionalString(t, "colour");
            builder.AddTag(new Tag(Id(RequiredString(t, "id")), GroupId(RequiredString(t, "group")), RequiredString(t, "name"))
            {
                ParentId = OptionalString(t, "parent") is { } p ? Id(p) : (TagId?)null,
                Colour = colour is null ? null : TagColour.TryParse(colour, out var c) ? c : throw new JsonException($"'{colour}' is not a #RRGGBB colour."),
                Description = OptionalString(t, "description"),
                Aliases = t.TryGetProperty("aliases", out var aliases) ? [.. Strings(aliases, "aliases")] : [],
                Status = status,
                SuccessorId = OptionalString(t, "successor") is { } s ? Id(s) : (TagId?)null,
            });
        }

        return builder.Build();
    }

    /// <summary>Writes rules.</summary>
    /// <param name="rules">The rules.</param>
    /// <returns>The JSON document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">A rule's condition is a C# predicate or another type JSON cannot express.</exception>
    public static string WriteRules(IEnumerable<TagRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToList();
        return Write(w =>
        {
            w.WriteString("schema", RulesSchema);
            w.WriteStartArray("rules");
            foreach (var r in list)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("tag", r.TagId.Value);
                WriteOptional(w, "description", r.Description);
                if (!r.Enabled)
                {
                    w.WriteBoolean("enabled", false);
                }

                w.WritePropertyName("when");
                WriteCondition(w, r.Condition, r.Id);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>Reads rules (not yet checked against a taxonomy; see <see cref="ReadRuleSet"/>).</summary>
    /// <param name="json">The JSON document.</param>
    /// <returns>The rules in document order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="TagRuleException">The text is not a valid rules document; the message names the rule and the problem.</exception>
    public static ImmutableArray<TagRule> ReadRules(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            RequireSchema(root, RulesSchema);
            var rules = ImmutableArray.CreateBuilder<TagRule>();
            var n = 0;
            foreach (var r in Array(root, "rules"))
            {
                var id = OptionalString(r, "id") ?? throw new JsonException($"Rule #{n + 1} has no 'id'.");
                try
                {
                    rules.Add(new TagRule(id, Id(RequiredString(r, "tag")), ReadCondition(Required(r, "when", JsonValueKind.Object)))
                    {
                        Description = OptionalString(r, "description"),
                        Enabled = !r.TryGetProperty("enabled", out var e) || e.ValueKind != JsonValueKind.False,
                    });
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
                {
                    throw new TagRuleException($"Rule '{id}': {ex.Message}", [id]);
                }

                n++;
            }

            return rules.ToImmutable();
        }
        catch (JsonException ex)
        {
            throw new TagRuleException("The rules document is invalid: " + ex.Message, ex);
        }
    }

    /// <summary>Reads rules and checks them against a taxonomy.</summary>
    /// <param name="json">The JSON document.</param>
    /// <param name="taxonomy">The taxonomy.</param>
    /// <returns>The rule set.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="TagRuleException">The document is invalid or the rules do not fit the taxonomy.</exception>
    public static TagRuleSet ReadRuleSet(string json, TagTaxonomy taxonomy) => TagRuleSet.Create(taxonomy, ReadRules(json));

    /// <summary>Writes assignments.</summary>
    /// <param name="assignments">The assignments, e.g. <see cref="TagIndex.Assignments"/>.</param>
    /// <returns>The JSON document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assignments"/> is <see langword="null"/>.</exception>
    public static string WriteAssignments(IEnumerable<TagAssignment> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        return Write(w =>
        {
            w.WriteString("schema", AssignmentsSchema);
            w.WriteStartArray("assignments");
            foreach (var a in assignments)
            {
                w.WriteStartObject();
                w.WriteString("customer", a.CustomerId.Value);
                w.WriteString("tag", a.TagId.Value);
                w.WriteString("source", a.Source.IsManual ? "manual" : "rule");
                WriteOptional(w, "rule", a.Source.RuleId);
                w.WriteString("assignedAt", InstantPattern.ExtendedIso.Format(a.AssignedAt));
                WriteOptional(w, "assignedBy", a.AssignedBy);
                WriteOptional(w, "expiresAt", a.ExpiresAt is { } e ? InstantPattern.ExtendedIso.Format(e) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>Reads assignments (load them with <see cref="TagIndex.Assign(TagAssignment)"/>).</summary>
    /// <param name="json">The JSON document.</param>
    /// <returns>The assignments in document order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The text is not a valid assignments document.</exception>
    public static ImmutableArray<TagAssignment> ReadAssignments(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        RequireSchema(root, AssignmentsSchema);
        var result = ImmutableArray.CreateBuilder<TagAssignment>();
        foreach (var a in Array(root, "assignments"))
        {
            var customer = RequiredString(a, "customer");
            if (!CustomerId.IsValid(customer))
            {
                throw new JsonException($"'{customer}' is not a customer id.");
            }

            var source = RequiredString(a, "source") switch
            {
                "manual" => TagSource.Manual,
                "rule" => TagSource.Rule(OptionalString(a, "rule") ?? throw new JsonException("A rule assignment needs 'rule'.")),
                var other => throw new JsonException($"Source must be 'manual' or 'rule', got '{other}'."),
            };
            result.Add(new TagAssignment(
                new CustomerId(customer),
                Id(RequiredString(a, "tag")),
                source,
                ParseInstant(RequiredString(a, "assignedAt")),
                OptionalString(a, "assignedBy"),
                OptionalString(a, "expiresAt") is { } e ? ParseInstant(e) : null));
        }

        return result.ToImmutable();
    }

    private static void WriteCondition(Utf8JsonWriter w, ITagCondition condition, string ruleId)
    {
        w.WriteStartObject();
        switch (condition)
        {
            case FactCondition f:
                w.WriteString("fact", f.Fact);
                w.WriteString("op", FactCondition.Symbol(f.Operator));
                if (f.Operator is FactOperator.Between or FactOperator.In or FactOperator.NotIn)
                {
                    w.WriteStartArray("values");
                    foreach (var o in f.Operands)
                    {
                        WriteValue(w, o);
                    }

                    w.WriteEndArray();
                }
                else if (!f.Operands.IsEmpty)
                {
                    w.WritePropertyName("value");
                    WriteValue(w, f.Operands[0]);
                }

                break;
            case AllCondition all:
                w.WriteStartArray("all");
                foreach (var c in all.Conditions)
                {
                    WriteCondition(w, c, ruleId);
                }

                w.WriteEndArray();
                break;
            case AnyCondition any:
                w.WriteStartArray("any");
                foreach (var c in any.Conditions)
                {
                    WriteCondition(w, c, ruleId);
                }

                w.WriteEndArray();
                break;
            case NotCondition not:
                w.WritePropertyName("not");
                WriteCondition(w, not.Condition, ruleId);
                break;
            default:
                throw new NotSupportedException($"Rule '{ruleId}': the condition '{condition.Description}' ({condition.GetType().Name}) cannot be written as JSON.");
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, FactValue v)
    {
        switch (v.Kind)
        {
            case FactKind.Text:
                w.WriteStringValue(v.Text);
                break;
            case FactKind.Number:
                w.WriteNumberValue(v.Number!.Value);
                break;
            case FactKind.Boolean:
                w.WriteBooleanValue(v.Boolean!.Value);
                break;
            case FactKind.Date:
                w.WriteStartObject();
                w.WriteString("date", v.ToString());
                w.WriteEndObject();
                break;
            default:
                w.WriteStartObject();
                w.WriteString("instant", v.ToString());
                w.WriteEndObject();
                break;
        }
    }

    private static ITagCondition ReadCondition(JsonElement e)
    {
        if (e.TryGetProperty("all", out var all))
        {
            return new AllCondition(Elements(all, "all").Select(ReadCondition).ToList());
        }

        if (e.TryGetProperty("any", out var any))
        {
            return new AnyCondition(Elements(any, "any").Select(ReadCondition).ToList());
        }

        if (e.TryGetProperty("not", out var not))
        {
            return new NotCondition(ReadCondition(not.ValueKind == JsonValueKind.Object ? not : throw new JsonException("'not' must be an object.")));
        }

        var fact = OptionalString(e, "fact") ?? throw new JsonException("A condition needs 'fact' (or 'all', 'any', 'not').");
        var op = RequiredString(e, "op") switch
        {
            "==" or "eq" => FactOperator.Equal,
            "!=" or "ne" => FactOperator.NotEqual,
            ">" or "gt" => FactOperator.GreaterThan,
            ">=" or "ge" => FactOperator.GreaterOrEqual,
            "<" or "lt" => FactOperator.LessThan,
            "<=" or "le" => FactOperator.LessOrEqual,
            "between" => FactOperator.Between,
            "in" => FactOperator.In,
            "notIn" => FactOperator.NotIn,
            "contains" => FactOperator.Contains,
            "exists" => FactOperator.Exists,
            "missing" => FactOperator.Missing,
            var other => throw new JsonException($"Unknown operator '{other}' on '{fact}'."),
        };
        var operands = new List<FactValue>();
        if (e.TryGetProperty("value", out var value))
        {
            operands.Add(ReadValue(value));
        }

        if (e.TryGetProperty("values", out var values))
        {
            operands.AddRange(Elements(values, "values").Select(ReadValue));
        }

        return new FactCondition(fact, op, operands);
    }

    private static FactValue ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => FactValue.FromText(e.GetString()!),
        JsonValueKind.Number => FactValue.FromNumber(e.GetDecimal()),
        JsonValueKind.True => FactValue.FromBoolean(true),
        JsonValueKind.False => FactValue.FromBoolean(false),
        JsonValueKind.Object when e.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String =>
            LocalDatePattern.Iso.Parse(d.GetString()!) is { Success: true } date ? FactValue.FromDate(date.Value) : throw new JsonException($"'{d.GetString()}' is not a yyyy-MM-dd date."),
        JsonValueKind.Object when e.TryGetProperty("instant", out var i) && i.ValueKind == JsonValueKind.String => FactValue.FromInstant(ParseInstant(i.GetString()!)),
        _ => throw new JsonException($"A value must be a string, number, boolean, {{\"date\":...}} or {{\"instant\":...}}, got {e.ValueKind}."),
    };

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void RequireSchema(JsonElement root, string schema)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The document must be a JSON object.");
        }

        var actual = OptionalString(root, "schema");
        if (!string.Equals(actual, schema, StringComparison.Ordinal))
        {
            throw new JsonException($"Expected schema '{schema}', got '{actual ?? "(none)"}'.");
        }
    }

    private static JsonElement Required(JsonElement e, string name, JsonValueKind kind) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == kind ? v : throw new JsonException($"Missing or mistyped '{name}' (expected {kind}).");

    private static string RequiredString(JsonElement e, string name) => Required(e, name, JsonValueKind.String).GetString()!;

    private static string? OptionalString(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new JsonException($"'{name}' must be a string.");

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string name) => Required(e, name, JsonValueKind.Array).EnumerateArray();

    private static IEnumerable<JsonElement> Elements(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new JsonException($"'{name}' must be an array.");

    private static IEnumerable<string> Strings(JsonElement e, string name) =>
        Elements(e, name).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw new JsonException($"'{name}' must hold strings."));

    private static TagId Id(string s) => TagId.IsValid(s) ? new TagId(s) : throw new JsonException($"'{s}' is not a tag id.");

    private static TagGroupId GroupId(string s) => TagGroupId.IsValid(s) ? new TagGroupId(s) : throw new JsonException($"'{s}' is not a group id.");

    private static Instant ParseInstant(string s) =>
        InstantPattern.ExtendedIso.Parse(s) is { Success: true } r ? r.Value : throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"'{s}' is not an ISO-8601 instant."));
}
