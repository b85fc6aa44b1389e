using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using NodaTime;
using static CustomerSegmentation.Engagement.EngagementText;

namespace CustomerSegmentation.Engagement;

/// <summary>The latest feedback text of a customer or group.</summary>
/// <param name="CustomerId">Whose feedback it is.</param>
/// <param name="At">When it was given.</param>
/// <param name="Kind">The interaction's kind (survey, complaint, ...).</param>
/// <param name="Text">The text (<see cref="Interaction.Note"/>).</param>
public readonly record struct FeedbackText(Customers.CustomerId CustomerId, Instant At, InteractionKind Kind, string Text);

/// <summary>
/// Satisfaction and feedback of one customer or one group over a window ending at an as-of instant: CSAT (1..5)
/// count, mean and distribution; NPS (0..10) promoters 9..10, passives 7..8, detractors 0..6 and the NPS score;
/// complaints made in the window, open and resolved as of the instant, and every complaint still open; the last
/// feedback text.
/// </summary>
/// <remarks>
/// The window is the same as the churn rules': an interaction is in it when fewer than <see cref="WindowDays"/> whole
/// calendar days (in <see cref="ZoneId"/>) lie between it and the as-of instant. Interactions after the as-of instant
/// are ignored and counted in <see cref="IgnoredLater"/>. A complaint is open until its
/// <see cref="Interaction.ResolvedAt"/>.
/// </remarks>
public sealed record SatisfactionSummary
{
    /// <summary>Gets the key: the customer id, or the group's name.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the as-of instant (the window's end).</summary>
    public required Instant AsOf { get; init; }

    /// <summary>Gets the window in days.</summary>
    public required int WindowDays { get; init; }

    /// <summary>Gets the zone whose days the window counts.</summary>
    public required string ZoneId { get; init; }

    /// <summary>Gets the number of customers summarised.</summary>
    public int Customers { get; init; }

    /// <summary>Gets the number of CSAT answers in the window.</summary>
    public int CsatCount { get; init; }

    /// <summary>Gets the mean CSAT, or <see langword="null"/> without answers.</summary>
    public double? CsatMean { get; init; }

    /// <summary>Gets the CSAT answers per score: index 0 for score 1 ... index 4 for score 5.</summary>
    public ImmutableArray<int> CsatDistribution { get; init; } = [0, 0, 0, 0, 0];

    /// <summary>Gets the number of NPS answers in the window.</summary>
    public int NpsCount { get; init; }

    /// <summary>Gets the promoters (9..10).</summary>
    public int Promoters { get; init; }

    /// <summary>Gets the passives (7..8).</summary>
    public int Passives { get; init; }

    /// <summary>Gets the detractors (0..6).</summary>
    public int Detractors { get; init; }

    /// <summary>Gets the NPS score, 100 × (promoters − detractors) ÷ answers, in −100..100; <see langword="null"/> without answers.</summary>
    public double? NpsScore { get; init; }

    /// <summary>Gets the complaints made in the window.</summary>
    public int Complaints { get; init; }

    /// <summary>Gets the complaints made in the window and resolved by the as-of instant.</summary>
    public int ComplaintsResolved { get; init; }

    /// <summary>Gets the complaints made in the window and still open at the as-of instant.</summary>
    public int ComplaintsOpen => Complaints - ComplaintsResolved;

    /// <summary>Gets every complaint still open at the as-of instant, whenever it was made.</summary>
    public int OpenComplaintsAllTime { get; init; }

    /// <summary>Gets the latest feedback text at or before the as-of instant (any time, not only the window), if any.</summary>
    public FeedbackText? LastFeedback { get; init; }

    /// <summary>Gets how many interactions after the as-of instant were ignored.</summary>
    public int IgnoredLater { get; init; }

    /// <summary>Gets the summary in words.</summary>
    public string Explanation =>
        Inv($"{Key}: ") +
        (CsatCount == 0 ? "no CSAT" : Inv($"CSAT {CsatMean:0.00} from {CsatCount} answers")) + "; " +
        (NpsCount == 0 ? "no NPS" : Inv($"NPS {NpsScore:0.#} ({Promoters} promoters, {Passives} passives, {Detractors} detractors of {NpsCount})")) +
        Inv($"; complaints {Complaints} ({ComplaintsOpen} open, {ComplaintsResolved} resolved); {OpenComplaintsAllTime} open in all, in the last {WindowDays} days to {AsOf} ({ZoneId})");
}

/// <summary>Computes <see cref="SatisfactionSummary"/> values per customer and per group (segment, tier, owner).</summary>
public static class SatisfactionReport
{
    /// <summary>The group of customers whose group selector gave <see langword="null"/>.</summary>
    public const string Ungrouped = "(ungrouped)";

    /// <summary>Summarises each customer's interactions.</summary>
    /// <param name="interactions">Interactions of any customers.</param>
    /// <param name="asOf">The window's end.</param>
    /// <param name="windowDays">The window in days, at least 1.</param>
    /// <param name="zone">The zone whose days the window counts; default UTC.</param>
    /// <returns>One summary per customer with an interaction, by customer id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interactions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowDays"/> is below 1.</exception>
    public static ImmutableArray<SatisfactionSummary> PerCustomer(IEnumerable<Interaction> interactions, Instant asOf, int windowDays, DateTimeZone? zone = null) =>
        PerGroup(interactions, c => c.Value, asOf, windowDays, zone);

    /// <summary>Summarises the interactions of each group of customers.</summary>
    /// <param name="interactions">Interactions of any customers.</param>
    /// <param name="groupOf">Each customer's group; <see langword="null"/> puts it in <see cref="Ungrouped"/>.</param>
    /// <param name="asOf">The window's end.</param>
    /// <param name="windowDays">The window in days, at least 1.</param>
    /// <param name="zone">The zone whose days the window counts; default UTC.</param>
    /// <returns>One summary per group, ordinal by key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interactions"/> or <paramref name="groupOf"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowDays"/> is below 1.</exception>
    public static ImmutableArray<SatisfactionSummary> PerGroup(IEnumerable<Interaction> interactions, Func<Customers.CustomerId, string?> groupOf, Instant asOf, int windowDays, DateTimeZone? zone = null)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(groupOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        var z = zone ?? DateTimeZone.Utc;
        return [.. interactions.GroupBy(i => groupOf(i.CustomerId) ?? Ungrouped, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Summarize(g.Key, g, asOf, windowDays, z))];
    }

    /// <summary>Summarises one set of interactions (a customer or a group) under a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="interactions">The interactions.</param>
    /// <param name="asOf">The window's end.</param>
    /// <param name="windowDays">The window in days, at least 1.</param>
    /// <param name="zone">The zone whose days the window counts; default UTC.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="interactions"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowDays"/> is below 1.</exception>
    public static SatisfactionSummary Summarize(string key, IEnumerable<Interaction> interactions, Instant asOf, int windowDays, DateTimeZone? zone = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        var z = zone ?? DateTimeZone.Utc;
        var csat = new int[5];
        int csatN = 0, csatSum = 0, npsN = 0, promoters = 0, passives = 0, detractors = 0, complaints = 0, resolved = 0, openAll = 0, ignored = 0;
        FeedbackText? last = null;
        var customers = new HashSet<Customers.CustomerId>();
        foreach (var i in interactions)
        {
            ArgumentNullException.ThrowIfNull(i, nameof(interactions));
            if (i.At > asOf)
            {
                ignored++;
                continue;
            }

            customers.Add(i.CustomerId);
            var isResolved = i.ResolvedAt is { } r && r <= asOf;
            if (i.Kind == InteractionKind.Complaint && !isResolved)
            {
                openAll++;
            }

            if (i.Note is { } text && (last is null || i.At > last.Value.At || (i.At == last.Value.At && string.CompareOrdinal(text, last.Value.Text) > 0)))
            {
                last = new FeedbackText(i.CustomerId, i.At, i.Kind, text);
            }

            if (ActivitySummary.DaysBetween(i.At, asOf, z) >= windowDays)
            {
                continue;
            }

            if (i.Satisfaction is { } s)
            {
                csat[s - 1]++;
                csatN++;
                csatSum += s;
            }

            if (i.Nps is { } n)
            {
                npsN++;
                if (n >= 9)
                {
                    promoters++;
                }
                else if (n >= 7)
                {
                    passives++;
                }
                else
                {
                    detractors++;
                }
            }

            if (i.Kind == InteractionKind.Complaint)
            {
                complaints++;
                if (isResolved)
                {
                    resolved++;
                }
            }
        }

        return new SatisfactionSummary
        {
            Key = key,
            AsOf = asOf,
            WindowDays = windowDays,
            ZoneId = z.Id,
            Customers = customers.Count,
            CsatCount = csatN,
            CsatMean = csatN == 0 ? null : (double)csatSum / csatN,
            CsatDistribution = [.. csat],
            NpsCount = npsN,
            Promoters = promoters,
            Passives = passives,
            Detractors = detractors,
            NpsScore = npsN == 0 ? null : 100.0 * (promoters - detractors) / npsN,
            Complaints = complaints,
            ComplaintsResolved = resolved,
            OpenComplaintsAllTime = openAll,
            LastFeedback = last,
            IgnoredLater = ignored,
        };
    }
}
