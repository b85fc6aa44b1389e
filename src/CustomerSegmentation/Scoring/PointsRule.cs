using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>
/// A points rule (Zoho-style scoring): adds or subtracts points when a condition on the profile, the activity summary
/// or the interactions holds. The closed set of rules is <see cref="PerPurchaseInWindowRule"/>,
/// <see cref="ProfileFieldEqualsRule"/>, <see cref="PerInteractionRule"/> and <see cref="PerMonthWithoutInteractionRule"/>.
/// </summary>
/// <remarks>
/// <para>A rule's points are computed in three steps, each reported in <see cref="RulePoints"/>: the raw points from the
/// condition; then, when <see cref="DecayHalfLife"/> is set, decay by <c>0.5^(age / half-life)</c> where the age runs
/// from the latest evidence (last purchase, last interaction) to the as-of instant, rounded to 2 decimals (away from
/// zero); then the cap: the result is clamped to [<see cref="MinPoints"/>, <see cref="MaxPoints"/>].</para>
/// </remarks>
public abstract record PointsRule
{
    private protected PointsRule(string name, decimal? minPoints, decimal? maxPoints, Duration? decayHalfLife)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ScoringConfigurationException("PointsRule.Name", "a rule needs a name.");
        }

        if (minPoints > maxPoints)
        {
            throw new ScoringConfigurationException($"rule '{name}'", $"the minimum {minPoints} is above the maximum {maxPoints}.");
        }

        if (decayHalfLife is { } h && h <= Duration.Zero)
        {
            throw new ScoringConfigurationException($"rule '{name}'", "a decay half-life must be positive.");
        }

        Name = name;
        MinPoints = minPoints;
        MaxPoints = maxPoints;
        DecayHalfLife = decayHalfLife;
    }

    /// <summary>Gets the rule's name, unique in its rule set and reported in the result.</summary>
    public string Name { get; }

    /// <summary>Gets the fewest points the rule contributes (a cap on penalties), or <see langword="null"/> for no lower cap.</summary>
    public decimal? MinPoints { get; }

    /// <summary>Gets the most points the rule contributes (a cap on rewards), or <see langword="null"/> for no upper cap.</summary>
    public decimal? MaxPoints { get; }

    /// <summary>Gets the decay half-life, or <see langword="null"/> for no decay.</summary>
    public Duration? DecayHalfLife { get; }

    /// <summary>Evaluates the rule for one customer.</summary>
    /// <param name="summary">The activity summary.</param>
    /// <param name="profile">The profile, if known.</param>
    /// <param name="zone">The time zone of calendar months.</param>
    /// <returns>The rule's points with their explanation.</returns>
    internal RulePoints Evaluate(ActivitySummary summary, Customer? profile, DateTimeZone zone)
    {
        var (raw, evidenceAt, why) = Raw(summary, profile, zone);
        var decayed = raw;
        var decayText = string.Empty;
        if (DecayHalfLife is { } halfLife && raw != 0 && evidenceAt is { } at)
        {
            var age = summary.AsOf - at;
            var factor = Math.Pow(0.5, age.TotalNanoseconds / halfLife.TotalNanoseconds);
            decayed = Math.Round(raw * (decimal)factor, 2, MidpointRounding.AwayFromZero);
            decayText = string.Create(CultureInfo.InvariantCulture, $"; decayed x{factor:0.####} (age {age.TotalDays:0.##} days, half-life {halfLife.TotalDays:0.##} days) to {decayed}");
        }

        var points = decayed;
        var capText = string.Empty;
        if (MinPoints is { } min && points < min)
        {
            points = min;
            capText = string.Create(CultureInfo.InvariantCulture, $"; capped at the minimum {min}");
        }
        else if (MaxPoints is { } max && points > max)
        {
            points = max;
            capText = string.Create(CultureInfo.InvariantCulture, $"; capped at the maximum {max}");
        }

        return new RulePoints(Name, raw, decayed, points, string.Create(CultureInfo.InvariantCulture, $"{why}: {raw:+0.##;-0.##;0}{decayText}{capText} => {points:+0.##;-0.##;0}"));
    }

    /// <summary>Computes the raw points, the instant of the latest evidence (for decay) and the reason.</summary>
    /// <param name="summary">The activity summary.</param>
    /// <param name="profile">The profile, if known.</param>
    /// <param name="zone">The time zone of calendar months.</param>
    /// <returns>The raw points, the evidence instant and the reason.</returns>
    private protected abstract (decimal Raw, Instant? EvidenceAt, string Why) Raw(ActivitySummary summary, Customer? profile, DateTimeZone zone);
}

/// <summary>Points per purchase in a window of the summary, e.g. +10 per purchase in the last 90 days (window <c>last90</c>).</summary>
/// <remarks>The summaries must be built with a window of that name (<see cref="ActivitySummaryOptions.Windows"/>). Decay runs from the last purchase.</remarks>
public sealed record PerPurchaseInWindowRule : PointsRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="pointsPerPurchase">Points per purchase; negative to subtract.</param>
    /// <param name="window">The summary window's name, e.g. <c>last90</c>.</param>
    /// <param name="minPoints">Lower cap, or <see langword="null"/>.</param>
    /// <param name="maxPoints">Upper cap, or <see langword="null"/>.</param>
    /// <param name="decayHalfLife">Decay half-life, or <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">The name or window is empty, the caps are reversed, or the half-life is not positive.</exception>
    public PerPurchaseInWindowRule(string name, decimal pointsPerPurchase, string window, decimal? minPoints = null, decimal? maxPoints = null, Duration? decayHalfLife = null)
        : base(name, minPoints, maxPoints, decayHalfLife)
    {
        if (string.IsNullOrWhiteSpace(window))
        {
            throw new ScoringConfigurationException($"rule '{name}'", "the window name is required, e.g. 'last90'.");
        }

        PointsPerPurchase = pointsPerPurchase;
        Window = window;
    }

    /// <summary>Gets the points per purchase.</summary>
    public decimal PointsPerPurchase { get; }

    /// <summary>Gets the summary window's name.</summary>
    public string Window { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The summary has no window of this name.</exception>
    private protected override (decimal Raw, Instant? EvidenceAt, string Why) Raw(ActivitySummary summary, Customer? profile, DateTimeZone zone)
    {
        foreach (var w in summary.Windows)
        {
            if (string.Equals(w.Name, Window, StringComparison.Ordinal))
            {
                return (PointsPerPurchase * w.PurchaseCount, summary.LastPurchaseAt,
                    string.Create(CultureInfo.InvariantCulture, $"{w.PurchaseCount} purchases in window '{Window}' x {PointsPerPurchase}"));
            }
        }

        throw new ArgumentException($"The summary of customer {summary.CustomerId} has no window '{Window}' needed by rule '{Name}'; build the summaries with that window.", nameof(summary));
    }
}

/// <summary>Points when a profile field equals a value (case-insensitive), e.g. +20 if the industry is finance.</summary>
/// <remarks>
/// Fields: <c>industry</c>, <c>region</c>, <c>companySize</c>, <c>acquisitionChannel</c>, <c>owner</c>, <c>kind</c>
/// (<c>Person</c>/<c>Organisation</c>), or <c>custom:NAME</c> for a custom attribute (compared by its invariant text).
/// Without a profile the rule gives 0. Decay does not apply to profile rules.
/// </remarks>
public sealed record ProfileFieldEqualsRule : PointsRule
{
    private static readonly string[] KnownFields = ["industry", "region", "companySize", "acquisitionChannel", "owner", "kind"];

    /// <summary>Creates the rule.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="points">Points when the field equals the value; negative to subtract.</param>
    /// <param name="field">The field, see the remarks.</param>
    /// <param name="value">The value compared case-insensitively.</param>
    /// <param name="minPoints">Lower cap, or <see langword="null"/>.</param>
    /// <param name="maxPoints">Upper cap, or <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">The name is empty, the field is unknown, the value is null, or the caps are reversed.</exception>
    public ProfileFieldEqualsRule(string name, decimal points, string field, string value, decimal? minPoints = null, decimal? maxPoints = null)
        : base(name, minPoints, maxPoints, null)
    {
        var known = KnownFields.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
        if (known is null && !(field is not null && field.StartsWith("custom:", StringComparison.Ordinal) && field.Length > "custom:".Length))
        {
            throw new ScoringConfigurationException($"rule '{name}'", $"unknown profile field '{field}'; use one of {string.Join(", ", KnownFields)} or custom:NAME.");
        }

        if (value is null)
        {
            throw new ScoringConfigurationException($"rule '{name}'", "the value to compare is required.");
        }

        Points = points;
        Field = known ?? field!;
        Value = value;
    }

    /// <summary>Gets the points when the field matches.</summary>
    public decimal Points { get; }

    /// <summary>Gets the field's name.</summary>
    public string Field { get; }

    /// <summary>Gets the value compared.</summary>
    public string Value { get; }

    /// <inheritdoc />
    private protected override (decimal Raw, Instant? EvidenceAt, string Why) Raw(ActivitySummary summary, Customer? profile, DateTimeZone zone)
    {
        if (profile is null)
        {
            return (0m, null, $"no profile, so {Field} is unknown");
        }

        var actual = Field switch
        {
            "industry" => profile.Industry,
            "region" => profile.Region,
            "companySize" => profile.CompanySize,
            "acquisitionChannel" => profile.AcquisitionChannel,
            "owner" => profile.Owner,
            "kind" => profile.Kind.ToString(),
            _ => profile.CustomAttributes.TryGetValue(Field["custom:".Length..], out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null,
        };
        var matches = string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase);
        return (matches ? Points : 0m, null, $"{Field} is '{actual ?? "(none)"}', {(matches ? "equals" : "not")} '{Value}'");
    }
}

/// <summary>Points per interaction of one kind, e.g. −15 per complaint.</summary>
/// <remarks>Decay runs from the last interaction of any kind (the summary keeps no per-kind instant).</remarks>
public sealed record PerInteractionRule : PointsRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="pointsEach">Points per interaction; negative to subtract.</param>
    /// <param name="kind">The interaction kind counted.</param>
    /// <param name="minPoints">Lower cap, or <see langword="null"/>.</param>
    /// <param name="maxPoints">Upper cap, or <see langword="null"/>.</param>
    /// <param name="decayHalfLife">Decay half-life, or <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">The name is empty, the kind is undefined, the caps are reversed, or the half-life is not positive.</exception>
    public PerInteractionRule(string name, decimal pointsEach, InteractionKind kind, decimal? minPoints = null, decimal? maxPoints = null, Duration? decayHalfLife = null)
        : base(name, minPoints, maxPoints, decayHalfLife)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ScoringConfigurationException($"rule '{name}'", $"unknown interaction kind {(int)kind}.");
        }

        PointsEach = pointsEach;
        Kind = kind;
    }

    /// <summary>Gets the points per interaction.</summary>
    public decimal PointsEach { get; }

    /// <summary>Gets the interaction kind counted.</summary>
    public InteractionKind Kind { get; }

    /// <inheritdoc />
    private protected override (decimal Raw, Instant? EvidenceAt, string Why) Raw(ActivitySummary summary, Customer? profile, DateTimeZone zone)
    {
        var count = summary.InteractionsByKind.TryGetValue(Kind, out var n) ? n : 0;
        return (PointsEach * count, summary.LastInteractionAt, string.Create(CultureInfo.InvariantCulture, $"{count} interactions of kind {Kind} x {PointsEach}"));
    }
}

/// <summary>Points per whole calendar month without any interaction up to the as-of instant, e.g. −5 per month.</summary>
/// <remarks>
/// The months run from the last interaction or, without any interaction, from the profile's creation; without either the
/// rule gives 0. Months are whole calendar months in the rule set's time zone. Decay does not apply.
/// </remarks>
public sealed record PerMonthWithoutInteractionRule : PointsRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="pointsPerMonth">Points per month; usually negative.</param>
    /// <param name="minPoints">Lower cap, or <see langword="null"/>.</param>
    /// <param name="maxPoints">Upper cap, or <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">The name is empty or the caps are reversed.</exception>
    public PerMonthWithoutInteractionRule(string name, decimal pointsPerMonth, decimal? minPoints = null, decimal? maxPoints = null)
        : base(name, minPoints, maxPoints, null)
    {
        PointsPerMonth = pointsPerMonth;
    }

    /// <summary>Gets the points per month.</summary>
    public decimal PointsPerMonth { get; }

    /// <inheritdoc />
    private protected override (decimal Raw, Instant? EvidenceAt, string Why) Raw(ActivitySummary summary, Customer? profile, DateTimeZone zone)
    {
        var (since, what) = summary.LastInteractionAt is { } last ? ((Instant?)last, "the last interaction")
            : profile is not null ? ((Instant?)profile.CreatedAt, "the profile's creation (no interactions)")
            : ((Instant?)null, "nothing (no interactions, no profile)");
        if (since is not { } from)
        {
            return (0m, null, $"0 months since {what}");
        }

        var months = from >= summary.AsOf ? 0 : Period.Between(from.InZone(zone).LocalDateTime, summary.AsOf.InZone(zone).LocalDateTime, PeriodUnits.Months).Months;
        return (PointsPerMonth * months, null, string.Create(CultureInfo.InvariantCulture, $"{months} whole months since {what} x {PointsPerMonth}"));
    }
}
