using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>
/// Settings of a <see cref="FollowUpPolicy"/> (and of the shared-pool release review): which interactions count as
/// a follow-up, the business calendar, the default zone and what a low satisfaction answer is. Checked when the policy
/// is built.
/// </summary>
public sealed record FollowUpOptions
{
    /// <summary>Gets the default options.</summary>
    public static FollowUpOptions Default { get; } = new();

    /// <summary>Gets the interaction kinds that count as a follow-up.</summary>
    /// <value>Default call, visit, email, meeting and message; complaints and survey answers come from the customer and do not count.</value>
    public ImmutableArray<InteractionKind> FollowUpKinds { get; init; } =
        [InteractionKind.Call, InteractionKind.Visit, InteractionKind.Email, InteractionKind.Meeting, InteractionKind.Message];

    /// <summary>Gets the channels that count (ordinal, e.g. <c>phone</c>, <c>wechat</c>); empty for any channel, including none.</summary>
    /// <value>Default empty.</value>
    public ImmutableArray<string> FollowUpChannels { get; init; } = [];

    /// <summary>Gets the business calendar for working-day delays.</summary>
    /// <value>Default <see cref="BusinessCalendar.MondayToFriday"/>.</value>
    public IBusinessCalendar Calendar { get; init; } = BusinessCalendar.MondayToFriday;

    /// <summary>Gets the zone of customers without their own <see cref="EngagementSubject.Zone"/>; local dates (today, due dates) are reckoned in it.</summary>
    /// <value>Default UTC.</value>
    public DateTimeZone DefaultZone { get; init; } = DateTimeZone.Utc;

    /// <summary>Gets the CSAT score below which an answer is low (the churn rule's threshold): scores 1 and 2 by default.</summary>
    /// <value>Default 3; in 2..5.</value>
    public int LowCsatBelow { get; init; } = 3;

    /// <summary>Gets the highest NPS answer that is a detractor (low satisfaction).</summary>
    /// <value>Default 6 (detractors 0..6, as in the churn rule); in 0..9.</value>
    public int DetractorMax { get; init; } = 6;

    /// <summary>Tells whether an interaction counts as a follow-up (kind and channel).</summary>
    /// <param name="interaction">The interaction.</param>
    /// <returns><see langword="true"/> when it counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interaction"/> is <see langword="null"/>.</exception>
    public bool CountsAsFollowUp(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return FollowUpKinds.Contains(interaction.Kind)
            && (FollowUpChannels.IsEmpty || (interaction.Channel is { } c && FollowUpChannels.Contains(c, StringComparer.Ordinal)));
    }

    /// <summary>Tells whether an interaction carries a low satisfaction answer (CSAT below <see cref="LowCsatBelow"/> or NPS at most <see cref="DetractorMax"/>).</summary>
    /// <param name="interaction">The interaction.</param>
    /// <returns><see langword="true"/> for a low answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interaction"/> is <see langword="null"/>.</exception>
    public bool IsLowSatisfaction(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return interaction.Satisfaction < LowCsatBelow || interaction.Nps <= DetractorMax;
    }

    internal void Validate()
    {
        EngagementText.Require(!FollowUpKinds.IsDefaultOrEmpty, "follow-up options: FollowUpKinds must name at least one interaction kind.");
        EngagementText.Require(FollowUpKinds.All(Enum.IsDefined), "follow-up options: FollowUpKinds holds an undefined interaction kind.");
        EngagementText.Require(!FollowUpChannels.IsDefault && FollowUpChannels.All(c => !string.IsNullOrWhiteSpace(c)), "follow-up options: a follow-up channel is blank.");
        EngagementText.Require(Calendar is not null, "follow-up options: Calendar is null.");
        EngagementText.Require(DefaultZone is not null, "follow-up options: DefaultZone is null.");
        EngagementText.Require(LowCsatBelow is >= 2 and <= 5, EngagementText.Inv($"follow-up options: LowCsatBelow must be in 2..5 (got {LowCsatBelow})."));
        EngagementText.Require(DetractorMax is >= 0 and <= 9, EngagementText.Inv($"follow-up options: DetractorMax must be in 0..9 (got {DetractorMax})."));
    }
}
