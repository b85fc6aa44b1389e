using System.Collections.Immutable;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>What starts a cadence rule's clock.</summary>
public enum FollowUpTrigger
{
    /// <summary>Regular follow-up: the delay after the last follow-up (or, never followed up, after the customer became known).</summary>
    Interval = 0,

    /// <summary>The delay after the first purchase, while no follow-up happened at or after it (new customers).</summary>
    AfterFirstPurchase = 1,

    /// <summary>The delay after the latest complaint, while no follow-up happened at or after it.</summary>
    AfterComplaint = 2,

    /// <summary>The delay after the latest low satisfaction answer (CSAT below the threshold or an NPS detractor), while no follow-up happened at or after it.</summary>
    AfterLowSatisfaction = 3,
}

/// <summary>A delay in calendar days or in working days of the policy's <see cref="IBusinessCalendar"/>.</summary>
/// <param name="Amount">How many days; not negative (at least 1 for an interval).</param>
/// <param name="InWorkingDays">Whether the days are working days.</param>
public readonly record struct CadenceDelay(int Amount, bool InWorkingDays)
{
    /// <summary>Gets a delay of calendar days.</summary>
    /// <param name="days">The days.</param>
    /// <returns>The delay.</returns>
    public static CadenceDelay Days(int days) => new(days, false);

    /// <summary>Gets a delay of working days: the n-th working day after the start date.</summary>
    /// <param name="days">The working days.</param>
    /// <returns>The delay.</returns>
    public static CadenceDelay WorkingDays(int days) => new(days, true);

    /// <summary>Returns the delay as text: <c>14 days</c>, <c>2 working days</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => InWorkingDays ? (Amount == 1 ? "1 working day" : Inv($"{Amount} working days")) : EngagementText.Days(Amount);
}

/// <summary>
/// One rule of a follow-up cadence: which customers it covers (tiers and/or stages; empty = all), what starts its
/// clock and the delay. In a <see cref="FollowUpPolicy"/> the first rule that covers a customer and whose trigger has
/// happened sets the due date; the host orders the rules (event rules such as complaints usually first).
/// </summary>
public sealed record CadenceRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="id">The rule id shown in every decision.</param>
    /// <param name="trigger">What starts the clock.</param>
    /// <param name="delay">The delay.</param>
    /// <param name="tiers">The tier names covered (ordinal); empty or <see langword="null"/> for every tier, including none.</param>
    /// <param name="stages">The lifecycle stage ids covered (ordinal); empty or <see langword="null"/> for every stage, including none.</param>
    /// <exception cref="EngagementConfigurationException">The id is blank, the trigger unknown, the delay negative (or 0 for an interval), or a tier or stage is blank.</exception>
    public CadenceRule(string id, FollowUpTrigger trigger, CadenceDelay delay, IEnumerable<string>? tiers = null, IEnumerable<string>? stages = null)
    {
        EngagementText.Require(!string.IsNullOrWhiteSpace(id), "cadence rule: the id must not be blank.");
        EngagementText.Require(Enum.IsDefined(trigger), Inv($"cadence rule '{id}': {(int)trigger} is not a trigger."));
        EngagementText.Require(delay.Amount >= 0, Inv($"cadence rule '{id}': the delay must not be negative (got {delay.Amount})."));
        EngagementText.Require(trigger != FollowUpTrigger.Interval || delay.Amount >= 1, Inv($"cadence rule '{id}': an interval must be at least 1 day."));
        Id = id;
        Trigger = trigger;
        Delay = delay;
        Tiers = [.. (tiers ?? []).Distinct(StringComparer.Ordinal)];
        Stages = [.. (stages ?? []).Distinct(StringComparer.Ordinal)];
        EngagementText.Require(Tiers.All(t => !string.IsNullOrWhiteSpace(t)), Inv($"cadence rule '{id}': a tier name is blank."));
        EngagementText.Require(Stages.All(t => !string.IsNullOrWhiteSpace(t)), Inv($"cadence rule '{id}': a stage id is blank."));
    }

    /// <summary>Gets the rule id.</summary>
    public string Id { get; }

    /// <summary>Gets what starts the clock.</summary>
    public FollowUpTrigger Trigger { get; }

    /// <summary>Gets the delay.</summary>
    public CadenceDelay Delay { get; }

    /// <summary>Gets the tiers covered; empty covers every customer.</summary>
    public ImmutableArray<string> Tiers { get; }

    /// <summary>Gets the stages covered; empty covers every customer.</summary>
    public ImmutableArray<string> Stages { get; }

    /// <summary>Regular follow-up every <paramref name="days"/> days.</summary>
    /// <param name="id">The rule id.</param>
    /// <param name="days">The interval in calendar days, at least 1.</param>
    /// <param name="tiers">Tiers covered.</param>
    /// <param name="stages">Stages covered.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="EngagementConfigurationException">See the constructor.</exception>
    public static CadenceRule Every(string id, int days, IEnumerable<string>? tiers = null, IEnumerable<string>? stages = null) =>
        new(id, FollowUpTrigger.Interval, CadenceDelay.Days(days), tiers, stages);

    /// <summary>A first follow-up <paramref name="delay"/> after the first purchase.</summary>
    /// <param name="id">The rule id.</param>
    /// <param name="delay">The delay.</param>
    /// <param name="tiers">Tiers covered.</param>
    /// <param name="stages">Stages covered.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="EngagementConfigurationException">See the constructor.</exception>
    public static CadenceRule AfterFirstPurchase(string id, CadenceDelay delay, IEnumerable<string>? tiers = null, IEnumerable<string>? stages = null) =>
        new(id, FollowUpTrigger.AfterFirstPurchase, delay, tiers, stages);

    /// <summary>A follow-up <paramref name="delay"/> after a complaint.</summary>
    /// <param name="id">The rule id.</param>
    /// <param name="delay">The delay, typically in working days.</param>
    /// <param name="tiers">Tiers covered.</param>
    /// <param name="stages">Stages covered.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="EngagementConfigurationException">See the constructor.</exception>
    public static CadenceRule AfterComplaint(string id, CadenceDelay delay, IEnumerable<string>? tiers = null, IEnumerable<string>? stages = null) =>
        new(id, FollowUpTrigger.AfterComplaint, delay, tiers, stages);

    /// <summary>A follow-up <paramref name="delay"/> after a low satisfaction answer.</summary>
    /// <param name="id">The rule id.</param>
    /// <param name="delay">The delay, typically in working days.</param>
    /// <param name="tiers">Tiers covered.</param>
    /// <param name="stages">Stages covered.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="EngagementConfigurationException">See the constructor.</exception>
    public static CadenceRule AfterLowSatisfaction(string id, CadenceDelay delay, IEnumerable<string>? tiers = null, IEnumerable<string>? stages = null) =>
        new(id, FollowUpTrigger.AfterLowSatisfaction, delay, tiers, stages);

    /// <summary>Tells whether the rule covers a customer of this tier and stage.</summary>
    /// <param name="tier">The tier, if known.</param>
    /// <param name="stage">The stage, if known.</param>
    /// <returns><see langword="true"/> when both filters accept.</returns>
    public bool Covers(string? tier, string? stage) =>
        (Tiers.IsEmpty || (tier is not null && Tiers.Contains(tier, StringComparer.Ordinal)))
        && (Stages.IsEmpty || (stage is not null && Stages.Contains(stage, StringComparer.Ordinal)));

    /// <summary>Describes the rule, e.g. <c>'tier-a': every 14 days (tier A)</c>.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        var what = Trigger switch
        {
            FollowUpTrigger.Interval => Inv($"every {Delay}"),
            FollowUpTrigger.AfterFirstPurchase => Inv($"{Delay} after the first purchase"),
            FollowUpTrigger.AfterComplaint => Inv($"{Delay} after a complaint"),
            _ => Inv($"{Delay} after a low satisfaction score"),
        };
        var scope = new List<string>();
        if (!Tiers.IsEmpty)
        {
            scope.Add((Tiers.Length == 1 ? "tier " : "tiers ") + string.Join("/", Tiers));
        }

        if (!Stages.IsEmpty)
        {
            scope.Add((Stages.Length == 1 ? "stage " : "stages ") + string.Join("/", Stages));
        }

        return Inv($"'{Id}': {what}{(scope.Count == 0 ? string.Empty : " (" + string.Join(", ", scope) + ")")}");
    }
}
