using System.Text.Json;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// The <c>run</c> configuration file: one JSON object whose optional members reuse each concept's own JSON format.
/// <c>rfm</c> {bins}, <c>tiers</c> (TierPolicyJson), <c>lifecycle</c> (LifecycleModel JSON), <c>churn</c> (ChurnRuleSet
/// JSON), <c>tags</c> {taxonomy, rules} (TagJson), <c>model</c> (the <c>clv --params-out</c> JSON plus optional timeUnit,
/// clvSteps, clvStepDays, discountRate, margin) and <c>segments</c> (SegmentJson definitions, bound against the other members and
/// evaluated by a <see cref="SegmentSetEvaluator"/>).
/// </summary>
internal sealed record RunConfig(SegmentationEngineOptions Options, string? SegmentsJson, int SegmentDefinitions)
{
    private static readonly HashSet<string> Known = ["rfm", "tiers", "lifecycle", "churn", "tags", "model", "segments"];

    /// <summary>Reads a config file; throws <see cref="RunConfigException"/> naming the file and the member on any problem.</summary>
    public static RunConfig Load(string? path, int threads)
    {
        var options = new SegmentationEngineOptions { MaxDegreeOfParallelism = threads };
        if (path is null)
        {
            return new RunConfig(options, null, 0);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new RunConfigException($"{path}: not valid JSON: {ex.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RunConfigException($"{path}: the config must be a JSON object");
            }

            foreach (var p in root.EnumerateObject())
            {
                if (!Known.Contains(p.Name))
                {
                    throw new RunConfigException($"{path}: unknown member '{p.Name}' (known: {string.Join(", ", Known)})");
                }
            }

            string? segments = null;
            var definitions = 0;
            try
            {
                if (root.TryGetProperty("rfm", out var rfm) && rfm.TryGetProperty("bins", out var bins))
                {
                    options = options with { RfmBins = bins.GetInt32() };
                }

                if (root.TryGetProperty("tiers", out var tiers))
                {
                    options = options with { TierPolicy = TierPolicyJson.Parse(tiers.GetRawText()) };
                }

                if (root.TryGetProperty("lifecycle", out var lifecycle))
                {
                    options = options with { Lifecycle = LifecycleModel.FromJson(lifecycle.GetRawText()) };
                }

                if (root.TryGetProperty("churn", out var churn))
                {
                    options = options with { ChurnRules = ChurnRuleSet.FromJson(churn.GetRawText()) };
                }

                if (root.TryGetProperty("tags", out var tags))
                {
                    var taxonomy = TagJson.ReadTaxonomy(Member(tags, "taxonomy", "tags").GetRawText());
                    options = options with { Tags = new TagRuleEvaluator(TagJson.ReadRuleSet(Member(tags, "rules", "tags").GetRawText(), taxonomy)) };
                }

                if (root.TryGetProperty("model", out var model))
                {
                    options = options with { ValueModel = ReadModel(model) };
                }

                if (root.TryGetProperty("segments", out var seg))
                {
                    if (seg.ValueKind != JsonValueKind.Array)
                    {
                        throw new RunConfigException("segments: must be an array of segment definitions");
                    }

                    segments = seg.GetRawText();
                    definitions = seg.GetArrayLength();
                    options = options with { Segments = ReadSegments(segments, options) };
                }

                _ = new SegmentationEngine(options);
            }
            catch (RunConfigException ex)
            {
                throw new RunConfigException($"{path}: {ex.Message}");
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException
                or InvalidTierPolicyException or LifecycleModelException or ChurnConfigurationException or TagTaxonomyException or SegmentationConfigurationException)
            {
                throw new RunConfigException($"{path}: {ex.Message}");
            }

            return new RunConfig(options, segments, definitions);
        }
    }

    /// <summary>Reads the <c>segments</c> array (SegmentJson) and binds it against the engine options read so far.</summary>
    private static SegmentSetEvaluator ReadSegments(string json, SegmentationEngineOptions options)
    {
        // SegmentJson reads { "segments": [...] }: wrapping the config's array keeps its paths ($.segments[i]...) true.
        var read = SegmentJson.Read($"{{ \"segments\": {json} }}");
        if (!read.IsValid)
        {
            throw new RunConfigException(string.Join("; ", read.Errors.Select(e => NameSegment(e, json))));
        }

        if (read.Definitions.Length > 64)
        {
            throw new RunConfigException($"segments: {read.Definitions.Length} definitions; the engine handles at most 64");
        }

        try
        {
            return SegmentSetEvaluator.Create(read.Definitions, options);
        }
        catch (SegmentDefinitionException ex)
        {
            throw new RunConfigException($"segments: {string.Join("; ", ex.Errors.Select(e => $"segment '{e.SegmentId}': {e.Message}"))}");
        }
    }

    /// <summary>Adds the segment's id to an error whose path is <c>$.segments[i]...</c>, when that element has a string id.</summary>
    private static string NameSegment(string error, string json)
    {
        const string Prefix = "$.segments[";
        var close = error.IndexOf(']', StringComparison.Ordinal);
        if (!error.StartsWith(Prefix, StringComparison.Ordinal) || close < 0 || !int.TryParse(error.AsSpan(Prefix.Length, close - Prefix.Length), out var index))
        {
            return error;
        }

        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var element = doc.RootElement[index];
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? $"segment '{id.GetString()}': {error}"
            : error;
    }

    private static JsonElement Member(JsonElement e, string name, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new RunConfigException($"{where}: missing member '{name}'");

    private static ValueModelSettings ReadModel(JsonElement model)
    {
        var unit = model.TryGetProperty("timeUnit", out var u)
            ? u.GetString() switch
            {
                "weeks" => BtydTimeUnit.Weeks,
                "days" => BtydTimeUnit.Days,
                var s => throw new RunConfigException($"model.timeUnit: '{s}' is neither 'weeks' nor 'days'"),
            }
            : BtydTimeUnit.Weeks;
        var bg = Member(model, "bgnbd", "model");
        var purchases = new BgNbdModel(new BgNbdParameters(Num(bg, "r"), Num(bg, "alpha"), Num(bg, "a"), Num(bg, "b")), unit);
        GammaGammaModel? spend = null;
        if (model.TryGetProperty("gammaGamma", out var gg))
        {
            spend = new GammaGammaModel(new GammaGammaParameters(Num(gg, "p"), Num(gg, "q"), Num(gg, "gamma")));
        }

        var clv = ClvOptions.Default;
        clv = model.TryGetProperty("clvSteps", out var steps) ? clv with { Steps = steps.GetInt32() } : clv;
        clv = model.TryGetProperty("clvStepDays", out var days) ? clv with { StepDays = days.GetInt32() } : clv;
        clv = model.TryGetProperty("discountRate", out var rate) ? clv with { DiscountRatePerStep = rate.GetDouble() } : clv;
        clv = model.TryGetProperty("margin", out var margin) ? clv with { Margin = margin.GetDouble() } : clv;
        return new ValueModelSettings(purchases, spend, clv);
    }

    private static double Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new RunConfigException($"model: '{name}' must be a number");
}

/// <summary>A problem in the <c>run</c> configuration file (exit code 2).</summary>
internal sealed class RunConfigException(string message) : Exception(message);
