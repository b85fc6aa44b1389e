using System.Collections.Immutable;
using System.Text.Json;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <content>Loading a rule set from JSON (schema in <c>docs/churn.md</c>).</content>
public sealed partial class ChurnRuleSet
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>
    /// Loads a rule set from JSON: <c>{"combination": "weightedMean"|"noisyOr", "levels": {"medium","high","critical"},
    /// "rules": [{"type": ..., "name"?, "weight"?, ...options}]}</c>. Types: <c>inactivity</c>, <c>frequencyDrop</c>,
    /// <c>spendDrop</c>, <c>fewPurchases</c>, <c>engagementStop</c>, <c>complaints</c>, <c>lowSatisfaction</c>, <c>tierDowngrade</c>,
    /// <c>lifecycleStage</c>, <c>modelPAlive</c>. Omitted options take the rules' defaults; unknown members are errors.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The validated rule set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ChurnConfigurationException">The text is not valid JSON or not a valid rule set; the message names the place.</exception>
    public static ChurnRuleSet FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ChurnConfigurationException($"Churn rule set JSON is malformed: {e.Message}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            Expect(root, JsonValueKind.Object, "$");
            Only(root, "$", "combination", "levels", "rules");
            var combination = ChurnCombination.WeightedMean;
            if (root.TryGetProperty("combination", out var c))
            {
                combination = String(c, "$.combination") switch
                {
                    "weightedMean" => ChurnCombination.WeightedMean,
                    "noisyOr" => ChurnCombination.NoisyOr,
                    var other => throw new ChurnConfigurationException($"$.combination: unknown value '{other}' (weightedMean or noisyOr)."),
                };
            }

            var levels = ChurnLevelCutoffs.Default;
            if (root.TryGetProperty("levels", out var l))
            {
                Expect(l, JsonValueKind.Object, "$.levels");
                Only(l, "$.levels", "medium", "high", "critical");
                levels = new ChurnLevelCutoffs(Num(l, "medium", "$.levels", 0.2), Num(l, "high", "$.levels", 0.4), Num(l, "critical", "$.levels", 0.6));
            }

            if (!root.TryGetProperty("rules", out var rules))
            {
                throw new ChurnConfigurationException("$.rules: a rule set needs a 'rules' array.");
            }

            Expect(rules, JsonValueKind.Array, "$.rules");
            var list = ImmutableArray.CreateBuilder<WeightedChurnRule>();
            var index = 0;
            foreach (var r in rules.EnumerateArray())
            {
                var path = Inv($"$.rules[{index++}]");
                Expect(r, JsonValueKind.Object, path);
                if (!r.TryGetProperty("type", out var t))
                {
                    throw new ChurnConfigurationException($"{path}: a rule needs a 'type'.");
                }

                var type = String(t, path + ".type");
                var name = r.TryGetProperty("name", out var n) ? String(n, path + ".name") : null;
                var weight = Num(r, "weight", path, 1);
                var rule = type switch
                {
                    "inactivity" => Only(r, path, "startMultiple", "halfMultiple", "populationQuantile", "defaultGapDays", "priorGaps") ?? new InactivityRule(Num(r, "startMultiple", path, 1), Num(r, "halfMultiple", path, 3), Num(r, "populationQuantile", path, 0.5), Num(r, "defaultGapDays", path, 90), Num(r, "priorGaps", path, 5), name ?? InactivityRule.DefaultName),
                    "frequencyDrop" or "spendDrop" => Only(r, path, "minDrop", "fullDrop", "recentWindow", "baselineWindows", "minBaselinePurchases") ?? new WindowDropRule(type == "spendDrop" ? WindowMeasure.Spend : WindowMeasure.Frequency, Num(r, "minDrop", path, 0.25), Num(r, "fullDrop", path, 1), r.TryGetProperty("recentWindow", out var rw) ? String(rw, path + ".recentWindow") : null, Strings(r, "baselineWindows", path), Int(r, "minBaselinePurchases", path, 2), name),
                    "engagementStop" => Only(r, path, "quietDays", "fullRiskDays") ?? new EngagementStopRule(Int(r, "quietDays", path, 60), Int(r, "fullRiskDays", path, 180), name ?? EngagementStopRule.DefaultName),
                    "complaints" => Only(r, path, "windowDays", "fullRiskCount") ?? new ComplaintRule(Int(r, "windowDays", path, 90), Int(r, "fullRiskCount", path, 2), name ?? ComplaintRule.DefaultName),
                    "lowSatisfaction" => Only(r, path, "windowDays", "csatThreshold", "detractorMax") ?? new LowSatisfactionRule(Int(r, "windowDays", path, 180), Num(r, "csatThreshold", path, 3), Int(r, "detractorMax", path, 6), name ?? LowSatisfactionRule.DefaultName),
                    "fewPurchases" => Only(r, path) ?? new FewPurchasesRule(name ?? FewPurchasesRule.DefaultName),
                    "tierDowngrade" => Only(r, path) ?? new TierDowngradeRule(name ?? TierDowngradeRule.DefaultName),
                    "lifecycleStage" => Only(r, path, "stageRisks") ?? new LifecycleStageRule(StageRisks(r, path), name ?? LifecycleStageRule.DefaultName),
                    "modelPAlive" => Only(r, path, "requireRepeatPurchase") ?? (IChurnRiskRule)new ModelAliveRule(Bool(r, "requireRepeatPurchase", path, true), name ?? ModelAliveRule.DefaultName),
                    _ => throw new ChurnConfigurationException($"{path}.type: unknown rule type '{type}'."),
                };
                list.Add(new WeightedChurnRule(rule, weight));
            }

            return new ChurnRuleSet(list.ToImmutable(), combination, levels);
        }
    }

    private static void Expect(JsonElement e, JsonValueKind kind, string path)
    {
        if (e.ValueKind != kind)
        {
            throw new ChurnConfigurationException($"{path}: expected {kind.ToString().ToLowerInvariant()}, found {e.ValueKind.ToString().ToLowerInvariant()}.");
        }
    }

    // Returns null so that it can lead a ?? chain; throws on a member that the rule type does not know.
    private static IChurnRiskRule? Only(JsonElement e, string path, params string[] allowed)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (!allowed.Contains(p.Name) && !(path.StartsWith("$.rules[", StringComparison.Ordinal) && p.Name is "type" or "name" or "weight"))
            {
                throw new ChurnConfigurationException($"{path}: unknown member '{p.Name}'.");
            }
        }

        return null;
    }

    private static string String(JsonElement e, string path)
    {
        Expect(e, JsonValueKind.String, path);
        return e.GetString()!;
    }

    private static double Num(JsonElement e, string member, string path, double fallback)
    {
        if (!e.TryGetProperty(member, out var v))
        {
            return fallback;
        }

        Expect(v, JsonValueKind.Number, $"{path}.{member}");
        return v.GetDouble();
    }

    private static bool Bool(JsonElement e, string member, string path, bool fallback)
    {
        if (!e.TryGetProperty(member, out var v))
        {
            return fallback;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ChurnConfigurationException($"{path}.{member}: expected true or false."),
        };
    }

    private static int Int(JsonElement e, string member, string path, int fallback)
    {
        if (!e.TryGetProperty(member, out var v))
        {
            return fallback;
        }

        Expect(v, JsonValueKind.Number, $"{path}.{member}");
        return v.TryGetInt32(out var i) ? i : throw new ChurnConfigurationException($"{path}.{member}: expected a whole number.");
    }

    private static List<string>? Strings(JsonElement e, string member, string path)
    {
        if (!e.TryGetProperty(member, out var v))
        {
            return null;
        }

        Expect(v, JsonValueKind.Array, $"{path}.{member}");
        return [.. v.EnumerateArray().Select((x, i) => String(x, Inv($"{path}.{member}[{i}]")))];
    }

    private static Dictionary<string, double>? StageRisks(JsonElement e, string path)
    {
        if (!e.TryGetProperty("stageRisks", out var v))
        {
            return null;
        }

        Expect(v, JsonValueKind.Object, path + ".stageRisks");
        var d = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in v.EnumerateObject())
        {
            Expect(p.Value, JsonValueKind.Number, $"{path}.stageRisks.{p.Name}");
            d[p.Name] = p.Value.GetDouble();
        }

        return d;
    }
}
