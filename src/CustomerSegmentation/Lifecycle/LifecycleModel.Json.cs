using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

public sealed partial class LifecycleModel
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Loads and validates a model from JSON (schema in <c>docs/lifecycle.md</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="LifecycleModelException">The JSON is malformed, has unknown properties, names an unknown time zone, or describes an invalid model.</exception>
    public static LifecycleModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<ModelDto>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new LifecycleModelException([$"The JSON is not a lifecycle model: {e.Message}"], e);
        }

        if (dto is null)
        {
            throw new LifecycleModelException(["The JSON is null."]);
        }

        var errors = new List<string>();
        var zone = DateTimeZone.Utc;
        if (dto.Zone is { } zoneId && zoneId != "UTC")
        {
            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)!;
            if (zone is null)
            {
                errors.Add($"The time zone '{zoneId}' is not a TZDB zone id.");
            }
        }

        var builder = new LifecycleModelBuilder { InitialStage = dto.InitialStage, Zone = zone ?? DateTimeZone.Utc };
        foreach (var s in dto.Stages ?? [])
        {
            builder.AddStage(s.Id!, s.Name, s.ExcludedFromFunnel);
        }

        foreach (var t in dto.Transitions ?? [])
        {
            builder.Allow(t.From!, [.. t.To ?? []]);
        }

        foreach (var r in dto.Rules ?? [])
        {
            try
            {
                builder.AddRule(new LifecycleRule(r.Id!, [.. r.From ?? []], r.To!)
                {
                    MinPurchases = r.When?.MinPurchases,
                    MaxPurchases = r.When?.MaxPurchases,
                    MinDaysInStage = r.When?.MinDaysInStage,
                    RequiresPurchaseSinceEntered = r.When?.PurchaseSinceEntered ?? false,
                    PurchasedWithin = ToWindow(r.When?.PurchasedWithin),
                    NoPurchaseFor = ToWindow(r.When?.NoPurchaseFor),
                    Description = r.Description,
                });
            }
            catch (ArgumentException e)
            {
                errors.Add($"The rule '{r.Id}' has a bad window: {e.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new LifecycleModelException(errors);
        }

        return builder.Build();
    }

    /// <summary>Writes the model as JSON that <see cref="FromJson(string)"/> reads back into an equivalent model.</summary>
    /// <returns>The indented JSON text.</returns>
    public string ToJson()
    {
        var dto = new ModelDto
        {
            InitialStage = InitialStage,
            Zone = Zone.Id,
            Stages = [.. Stages.Select(s => new StageDto { Id = s.Id, Name = s.DisplayName, ExcludedFromFunnel = s.ExcludedFromFunnel })],
            Transitions = [.. Transitions.GroupBy(t => t.From, StringComparer.Ordinal).Select(g => new TransitionDto { From = g.Key, To = [.. g.Select(t => t.To)] })],
            Rules = [.. Rules.Select(r => new RuleDto
            {
                Id = r.Id,
                From = [.. r.From],
                To = r.To,
                Description = r.Description,
                When = new ConditionDto
                {
                    MinPurchases = r.MinPurchases,
                    MaxPurchases = r.MaxPurchases,
                    MinDaysInStage = r.MinDaysInStage,
                    PurchaseSinceEntered = r.RequiresPurchaseSinceEntered ? true : null,
                    PurchasedWithin = FromWindow(r.PurchasedWithin),
                    NoPurchaseFor = FromWindow(r.NoPurchaseFor),
                },
            })],
        };
        return JsonSerializer.Serialize(dto, JsonOptions);
    }

    private static LifecycleWindow? ToWindow(WindowDto? w)
    {
        if (w is null)
        {
            return null;
        }

        if (w.MedianGapMultiple is { } multiple)
        {
            return LifecycleWindow.OfMedianGap(multiple, w.FallbackDays ?? w.Days ?? 0, w.MinDays, w.MaxDays);
        }

        if (w.FallbackDays is not null || w.MinDays is not null || w.MaxDays is not null)
        {
            throw new ArgumentException("fallbackDays, minDays and maxDays need medianGapMultiple.", nameof(w));
        }

        return LifecycleWindow.OfDays(w.Days ?? 0);
    }

    private static WindowDto? FromWindow(LifecycleWindow? w) => w switch
    {
        null => null,
        { Kind: LifecycleWindowKind.Days } d => new WindowDto { Days = d.Days },
        { } r => new WindowDto { MedianGapMultiple = r.Multiple, FallbackDays = r.Days, MinDays = r.MinDays, MaxDays = r.MaxDays },
    };

    private sealed class ModelDto
    {
        public string? InitialStage { get; set; }

        public string? Zone { get; set; }

        public ImmutableArray<StageDto>? Stages { get; set; }

        public ImmutableArray<TransitionDto>? Transitions { get; set; }

        public ImmutableArray<RuleDto>? Rules { get; set; }
    }

    private sealed class StageDto
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool ExcludedFromFunnel { get; set; }
    }

    private sealed class TransitionDto
    {
        public string? From { get; set; }

        public ImmutableArray<string>? To { get; set; }
    }

    private sealed class RuleDto
    {
        public string? Id { get; set; }

        public ImmutableArray<string>? From { get; set; }

        public string? To { get; set; }

        public ConditionDto? When { get; set; }

        public string? Description { get; set; }
    }

    private sealed class ConditionDto
    {
        public int? MinPurchases { get; set; }

        public int? MaxPurchases { get; set; }

        public WindowDto? PurchasedWithin { get; set; }

        public WindowDto? NoPurchaseFor { get; set; }

        public int? MinDaysInStage { get; set; }

        public bool? PurchaseSinceEntered { get; set; }
    }

    private sealed class WindowDto
    {
        public int? Days { get; set; }

        public double? MedianGapMultiple { get; set; }

        public int? FallbackDays { get; set; }

        public int? MinDays { get; set; }

        public int? MaxDays { get; set; }
    }
}
