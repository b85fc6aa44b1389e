using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <content>Loading a rule set from JSON; the schema is documented in <c>docs/scoring.md</c>.</content>
public sealed partial record PointsRuleSet
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>
    /// Loads a rule set from JSON: <c>{"name": "...", "minTotal": 0, "maxTotal": 100, "zone": "Asia/Shanghai", "rules": [ {"type": "perPurchaseInWindow", "name": "...", "points": 10, "window": "last90", "max": 50, "decayHalfLifeDays": 30}, ... ]}</c>.
    /// Rule types: <c>perPurchaseInWindow</c> (points, window), <c>profileFieldEquals</c> (points, field, value),
    /// <c>perInteraction</c> (points, interaction: call, visit, email, meeting, message, complaint, survey), <c>perMonthWithoutInteraction</c> (points).
    /// Every rule takes optional <c>min</c>, <c>max</c>; purchase and interaction rules take optional <c>decayHalfLifeDays</c>.
    /// Unknown properties are errors, so a misspelt name fails loudly.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The rule set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ScoringConfigurationException">The JSON is malformed, a property is unknown or of the wrong type, a required property is missing, or a rule is invalid; the message names the rule.</exception>
    public static PointsRuleSet FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        RuleSetDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<RuleSetDto>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ScoringConfigurationException(e.Path is { Length: > 0 } p ? p : "$", $"invalid points rule set JSON: {e.Message}", e);
        }

        if (dto is null)
        {
            throw new ScoringConfigurationException("$", "the JSON is null; expected an object with name and rules.");
        }

        if (dto.Rules is null)
        {
            throw new ScoringConfigurationException("$.rules", "the rules array is required.");
        }

        DateTimeZone? zone = null;
        if (dto.Zone is not null)
        {
            zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(dto.Zone)
                ?? throw new ScoringConfigurationException("$.zone", $"unknown time zone '{dto.Zone}'; use an IANA id such as 'Asia/Shanghai' or 'UTC'.");
        }

        var rules = new List<PointsRule>(dto.Rules.Count);
        for (var i = 0; i < dto.Rules.Count; i++)
        {
            rules.Add(ToRule(dto.Rules[i], string.Create(CultureInfo.InvariantCulture, $"$.rules[{i}]")));
        }

        return new PointsRuleSet(dto.Name ?? throw new ScoringConfigurationException("$.name", "the rule set's name is required."), rules, dto.MinTotal, dto.MaxTotal, zone);
    }

    private static PointsRule ToRule(RuleDto? r, string path)
    {
        if (r is null)
        {
            throw new ScoringConfigurationException(path, "a rule is null.");
        }

        var name = r.Name ?? throw new ScoringConfigurationException(path + ".name", "the rule's name is required.");
        var points = r.Points ?? throw new ScoringConfigurationException(path + ".points", $"rule '{name}' needs points.");
        Duration? decay = r.DecayHalfLifeDays is { } d
            ? (d > 0 ? Duration.FromDays(d) : throw new ScoringConfigurationException(path + ".decayHalfLifeDays", $"rule '{name}': the half-life must be positive."))
            : null;
        switch (r.Type)
        {
            case "perPurchaseInWindow":
                return new PerPurchaseInWindowRule(name, points, r.Window ?? throw new ScoringConfigurationException(path + ".window", $"rule '{name}' needs a window name."), r.Min, r.Max, decay);
            case "profileFieldEquals":
                NoDecay(r, path, name);
                return new ProfileFieldEqualsRule(
                    name,
                    points,
                    r.Field ?? throw new ScoringConfigurationException(path + ".field", $"rule '{name}' needs a field."),
                    r.Value ?? throw new ScoringConfigurationException(path + ".value", $"rule '{name}' needs a value."),
                    r.Min,
                    r.Max);
            case "perInteraction":
                if (r.Interaction is null || !Enum.TryParse<InteractionKind>(r.Interaction, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(r.Interaction, CultureInfo.InvariantCulture, out _))
                {
                    throw new ScoringConfigurationException(path + ".interaction", $"rule '{name}' needs an interaction kind ({string.Join(", ", Enum.GetNames<InteractionKind>())}), got '{r.Interaction}'.");
                }

                return new PerInteractionRule(name, points, kind, r.Min, r.Max, decay);
            case "perMonthWithoutInteraction":
                NoDecay(r, path, name);
                return new PerMonthWithoutInteractionRule(name, points, r.Min, r.Max);
            default:
                throw new ScoringConfigurationException(path + ".type", $"rule '{name}' has unknown type '{r.Type}'; use perPurchaseInWindow, profileFieldEquals, perInteraction or perMonthWithoutInteraction.");
        }
    }

    private static void NoDecay(RuleDto r, string path, string name)
    {
        if (r.DecayHalfLifeDays is not null)
        {
            throw new ScoringConfigurationException(path + ".decayHalfLifeDays", $"rule '{name}' of type {r.Type} does not decay.");
        }
    }

    private sealed class RuleSetDto
    {
        public string? Name { get; set; }

        public decimal? MinTotal { get; set; }

        public decimal? MaxTotal { get; set; }

        public string? Zone { get; set; }

        public List<RuleDto?>? Rules { get; set; }
    }

    private sealed class RuleDto
    {
        public string? Type { get; set; }

        public string? Name { get; set; }

        public decimal? Points { get; set; }

        public decimal? Min { get; set; }

        public decimal? Max { get; set; }

        public double? DecayHalfLifeDays { get; set; }

        public string? Window { get; set; }

        public string? Field { get; set; }

        public string? Value { get; set; }

        public string? Interaction { get; set; }
    }
}
