using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// Reads and writes tier policies as JSON (System.Text.Json). The schema is documented in <c>docs/tiers.md</c>:
/// <code>
/// { "kind": "threshold", "name": "spend", "tiers": ["潜力", "标准", "VIP"], "metric": "netSpend",
///   "boundary": "inclusive", "thresholds": { "标准": 1000, "VIP": 10000 } }
/// </code>
/// Kinds are <c>threshold</c> (<c>thresholds</c>, optional <c>boundary</c>), <c>quantile</c> and <c>pareto</c>
/// (<c>shares</c>), and <c>matrix</c> (<c>rows</c>, <c>columns</c>: nested policies; <c>cells</c>: one array of tier names
/// per row level, lowest first). <c>metric</c> is a built-in metric name or <c>{ "name": "host:points", "higherIsBetter": true }</c>.
/// Unknown properties are rejected so that typos do not pass silently.
/// </summary>
public static class TierPolicyJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads a policy.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="resolveMetric">Resolves metric names that are not built in (custom metrics); may be <see langword="null"/>.</param>
    /// <returns>The validated policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidTierPolicyException">The JSON is malformed, does not follow the schema, or describes an invalid policy; the message names the problem and where.</exception>
    public static ITierPolicy Parse(string json, Func<string, TierMetric?>? resolveMetric = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidTierPolicyException(null, $"the JSON is malformed: {e.Message}", e);
        }

        using (doc)
        {
            return ReadPolicy(doc.RootElement, "$", resolveMetric);
        }
    }

    /// <summary>Writes a built-in policy (threshold, quantile, Pareto, matrix of those) with built-in metrics.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>Indented JSON that <see cref="Parse"/> reads back to an equivalent policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy, or a metric it uses, is custom and has no JSON form.</exception>
    public static string Serialize(ITierPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            Write(w, policy);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter w, ITierPolicy policy)
    {
        w.WriteStartObject();
        w.WriteString("name", policy.Name);
        w.WriteString("kind", policy switch
        {
            ThresholdTierPolicy => "threshold",
            QuantileTierPolicy => "quantile",
            ParetoTierPolicy => "pareto",
            MatrixTierPolicy => "matrix",
            _ => throw new ArgumentException($"Policy '{policy.Name}' ({policy.GetType().Name}) is not a built-in policy and has no JSON form.", nameof(policy)),
        });
        w.WriteStartArray("tiers");
        foreach (var t in policy.Ladder)
        {
            w.WriteStringValue(t.Name);
        }

        w.WriteEndArray();
        if (policy is SingleMetricTierPolicy single)
        {
            var m = single.Metric;
            if (!m.IsBuiltIn)
            {
                throw new ArgumentException($"Metric '{m.Name}' of policy '{policy.Name}' is custom and has no JSON form.", nameof(policy));
            }

            if (m.Name.StartsWith("host:", StringComparison.Ordinal) && !m.HigherIsBetter)
            {
                w.WriteStartObject("metric");
                w.WriteString("name", m.Name);
                w.WriteBoolean("higherIsBetter", false);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("metric", m.Name);
            }
        }

        switch (policy)
        {
            case ThresholdTierPolicy t:
                w.WriteString("boundary", t.Boundary == ThresholdBoundary.Inclusive ? "inclusive" : "exclusive");
                w.WriteStartObject("thresholds");
                foreach (var th in t.Thresholds)
                {
                    w.WriteNumber(th.Tier, th.Value);
                }

                w.WriteEndObject();
                break;
            case QuantileTierPolicy q:
                WriteShares(w, q.Shares);
                break;
            case ParetoTierPolicy p:
                WriteShares(w, p.Shares);
                break;
            case MatrixTierPolicy x:
                w.WritePropertyName("rows");
                Write(w, x.Rows);
                w.WritePropertyName("columns");
                Write(w, x.Columns);
                w.WriteStartArray("cells");
                foreach (var row in x.Cells)
                {
                    w.WriteStartArray();
                    foreach (var cell in row)
                    {
                        w.WriteStringValue(cell);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteShares(Utf8JsonWriter w, IEnumerable<TierShare> shares)
    {
        w.WriteStartObject("shares");
        foreach (var s in shares.Skip(1))
        {
            w.WriteNumber(s.Tier, s.Share);
        }

        w.WriteEndObject();
    }

    private static ITierPolicy ReadPolicy(JsonElement e, string path, Func<string, TierMetric?>? resolveMetric)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Fail(null, path, $"expected an object, found {e.ValueKind}");
        }

        var name = ReadString(e, "name", path, null);
        var kind = ReadString(e, "kind", path, name);
        string[] allowed = kind switch
        {
            "threshold" => ["name", "kind", "tiers", "metric", "thresholds", "boundary"],
            "quantile" or "pareto" => ["name", "kind", "tiers", "metric", "shares"],
            "matrix" => ["name", "kind", "tiers", "rows", "columns", "cells"],
            _ => throw Fail(name, $"{path}.kind", $"unknown kind '{kind}' (expected threshold, quantile, pareto or matrix)"),
        };
        foreach (var p in e.EnumerateObject())
        {
            if (!allowed.Contains(p.Name, StringComparer.Ordinal))
            {
                throw Fail(name, $"{path}.{p.Name}", $"unknown property for a {kind} policy (allowed: {string.Join(", ", allowed)})");
            }
        }

        TierLadder ladder;
        try
        {
            ladder = new TierLadder(ReadStringArray(Required(e, "tiers", path, name), $"{path}.tiers", name));
        }
        catch (InvalidTierPolicyException x) when (x.PolicyName is null)
        {
            throw Fail(name, $"{path}.tiers", x.Problem);
        }

        return kind switch
        {
            "threshold" => new ThresholdTierPolicy(
                name,
                ladder,
                ReadMetric(Required(e, "metric", path, name), $"{path}.metric", name, resolveMetric),
                ReadNumbers(Required(e, "thresholds", path, name), $"{path}.thresholds", name).Select(kv => new TierThreshold(kv.Key, kv.Value)),
                ReadBoundary(e, path, name)),
            "quantile" => new QuantileTierPolicy(
                name,
                ladder,
                ReadMetric(Required(e, "metric", path, name), $"{path}.metric", name, resolveMetric),
                ReadNumbers(Required(e, "shares", path, name), $"{path}.shares", name).Select(kv => new TierShare(kv.Key, kv.Value))),
            "pareto" => new ParetoTierPolicy(
                name,
                ladder,
                ReadMetric(Required(e, "metric", path, name), $"{path}.metric", name, resolveMetric),
                ReadNumbers(Required(e, "shares", path, name), $"{path}.shares", name).Select(kv => new TierShare(kv.Key, kv.Value))),
            _ => new MatrixTierPolicy(
                name,
                ladder,
                ReadPolicy(Required(e, "rows", path, name), $"{path}.rows", resolveMetric),
                ReadPolicy(Required(e, "columns", path, name), $"{path}.columns", resolveMetric),
                ReadCells(Required(e, "cells", path, name), $"{path}.cells", name)),
        };
    }

    private static ThresholdBoundary ReadBoundary(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty("boundary", out var b))
        {
            return ThresholdBoundary.Inclusive;
        }

        return b.ValueKind == JsonValueKind.String ? b.GetString() switch
        {
            "inclusive" => ThresholdBoundary.Inclusive,
            "exclusive" => ThresholdBoundary.Exclusive,
            var other => throw Fail(name, $"{path}.boundary", $"unknown boundary '{other}' (expected inclusive or exclusive)"),
        }
        : throw Fail(name, $"{path}.boundary", "expected a string");
    }

    private static TierMetric ReadMetric(JsonElement e, string path, string policy, Func<string, TierMetric?>? resolve)
    {
        string? metricName;
        var higherIsBetter = true;
        if (e.ValueKind == JsonValueKind.String)
        {
            metricName = e.GetString();
        }
        else if (e.ValueKind == JsonValueKind.Object)
        {
            metricName = ReadString(e, "name", path, policy);
            if (e.TryGetProperty("higherIsBetter", out var h))
            {
                higherIsBetter = h.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Fail(policy, $"{path}.higherIsBetter", "expected true or false"),
                };
            }

            foreach (var p in e.EnumerateObject())
            {
                if (p.Name is not ("name" or "higherIsBetter"))
                {
                    throw Fail(policy, $"{path}.{p.Name}", "unknown property for a metric (allowed: name, higherIsBetter)");
                }
            }
        }
        else
        {
            throw Fail(policy, path, "expected a metric name or { \"name\": …, \"higherIsBetter\": … }");
        }

        if (TierMetric.TryParse(metricName, higherIsBetter, out var metric))
        {
            return metric;
        }

        return (metricName is null ? null : resolve?.Invoke(metricName))
            ?? throw Fail(policy, path, $"unknown metric '{metricName}' (built in: netSpend, grossSpend, averageSpend, purchaseCount, distinctPurchaseDays, referralsMade, recencyDays, window:<name>, windowCount:<name>, host:<key>)");
    }

    private static List<KeyValuePair<string, decimal>> ReadNumbers(JsonElement e, string path, string policy)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Fail(policy, path, "expected an object of tier name → number");
        }

        var list = new List<KeyValuePair<string, decimal>>();
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDecimal(out var d))
            {
                throw Fail(policy, $"{path}.{p.Name}", "expected a number");
            }

            list.Add(new(p.Name, d));
        }

        return list;
    }

    private static string[][] ReadCells(JsonElement e, string path, string policy)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw Fail(policy, path, "expected an array of rows");
        }

        return [.. e.EnumerateArray().Select((row, i) => ReadStringArray(row, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), policy))];
    }

    private static string[] ReadStringArray(JsonElement e, string path, string? policy)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw Fail(policy, path, "expected an array of strings");
        }

        return [.. e.EnumerateArray().Select((x, i) => x.ValueKind == JsonValueKind.String
            ? x.GetString()!
            : throw Fail(policy, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), "expected a string"))];
    }

    private static string ReadString(JsonElement e, string property, string path, string? policy)
    {
        var p = Required(e, property, path, policy);
        return p.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(p.GetString())
            ? p.GetString()!
            : throw Fail(policy, $"{path}.{property}", "expected a non-empty string");
    }

    private static JsonElement Required(JsonElement e, string property, string path, string? policy) =>
        e.TryGetProperty(property, out var p) ? p : throw Fail(policy, $"{path}.{property}", "is missing");

    private static InvalidTierPolicyException Fail(string? policy, string path, string problem) => new(policy, $"{path}: {problem}");
}
