using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace CustomerSegmentation.Segments;

/// <summary>
/// Segment definitions as JSON: <c>{"segments": [{"id": "...", "name": "...", "description": "...", "rule": "tier &gt;= \"B\" and ..."}]}</c>.
/// The rule is stored in the expression language, so a file reads like the rules a marketer wrote.
/// </summary>
/// <threadsafety>Stateless; safe to call from several threads.</threadsafety>
public static class SegmentJson
{
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 };

    /// <summary>Writes definitions as indented JSON.</summary>
    /// <param name="definitions">The definitions.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definitions"/> is <see langword="null"/>.</exception>
    public static string Write(IEnumerable<SegmentDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("segments");
            foreach (var d in definitions)
            {
                ArgumentNullException.ThrowIfNull(d, nameof(definitions));
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("name", d.Name);
                if (d.Description is { } description)
                {
                    w.WriteString("description", description);
                }

                w.WriteString("rule", d.Expression);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads definitions; never throws on bad input: every problem is reported with its JSON path (and, for a rule, line and column).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The definitions, or the errors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    public static SegmentJsonResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<string>();
        var result = ImmutableArray.CreateBuilder<SegmentDefinition>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, ReadOptions);
        }
        catch (JsonException e)
        {
            return new SegmentJsonResult([], [$"$: not valid JSON: {e.Message}"]);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("segments", out var segments) || segments.ValueKind != JsonValueKind.Array)
            {
                return new SegmentJsonResult([], ["$: expected an object with a \"segments\" array"]);
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var s in segments.EnumerateArray())
            {
                var path = $"$.segments[{index++}]";
                if (s.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{path}: expected an object");
                    continue;
                }

                var id = Text(s, "id", path, errors, required: true);
                var name = Text(s, "name", path, errors, required: true);
                var description = Text(s, "description", path, errors, required: false);
                var rule = Text(s, "rule", path, errors, required: true);
                foreach (var p in s.EnumerateObject().Where(p => p.Name is not ("id" or "name" or "description" or "rule")))
                {
                    errors.Add($"{path}.{p.Name}: unknown member (expected id, name, description, rule)");
                }

                if (id is not null && !SegmentDefinition.IsValidId(id))
                {
                    errors.Add($"{path}.id: \"{id}\" is not a valid segment id (1..128 letters, digits, '-', '_', '.')");
                    id = null;
                }
                else if (id is not null && !ids.Add(id))
                {
                    errors.Add($"{path}.id: duplicate segment id \"{id}\"");
                    id = null;
                }

                SegmentRule? parsed = null;
                if (rule is not null)
                {
                    var pr = SegmentParser.Parse(rule);
                    parsed = pr.Value;
                    errors.AddRange(pr.Errors.Select(e => $"{path}.rule: {e.Message}"));
                }

                if (id is not null && name is not null && parsed is not null)
                {
                    result.Add(new SegmentDefinition(id, name, parsed, description));
                }
            }
        }

        return new SegmentJsonResult(errors.Count == 0 ? result.ToImmutable() : [], [.. errors]);
    }

    private static string? Text(JsonElement e, string member, string path, List<string> errors, bool required)
    {
        if (!e.TryGetProperty(member, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{path}.{member}: missing");
            }

            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}.{member}: expected a string, found {v.ValueKind}");
            return null;
        }

        return v.GetString();
    }
}

/// <summary>The outcome of <see cref="SegmentJson.Read"/>.</summary>
/// <param name="Definitions">The definitions; empty when there are errors.</param>
/// <param name="Errors">Every problem, each starting with its JSON path.</param>
public sealed record SegmentJsonResult(ImmutableArray<SegmentDefinition> Definitions, ImmutableArray<string> Errors)
{
    /// <summary>Gets whether the JSON was read without errors.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>Returns the definitions or throws.</summary>
    /// <returns>The definitions.</returns>
    /// <exception cref="FormatException">The JSON has errors; the message lists them.</exception>
    public ImmutableArray<SegmentDefinition> GetValueOrThrow() =>
        IsValid ? Definitions : throw new FormatException($"The segment definitions have {Errors.Length} error(s): {string.Join("; ", Errors)}");
}
