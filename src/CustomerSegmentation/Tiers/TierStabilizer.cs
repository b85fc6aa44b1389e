using System.Globalization;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// Applies <see cref="TierStabilityOptions"/> to a customer's sequence of evaluations: upgrades at once, downgrades only
/// outside the margin, after the grace period, the minimum time in tier and at review dates, as configured. Every change
/// is recorded with its reason.
/// </summary>
/// <remarks>
/// <see cref="Step"/> is a pure function of the previous state and the new assignment, so <see cref="Replay(IEnumerable{TierAssignment})"/> of a
/// series gives exactly the history that applying it step by step gives, in one go or split at any point.
/// </remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class TierStabilizer
{
    /// <summary>Creates and validates a stabilizer.</summary>
    /// <param name="ladder">The ladder of the policy whose assignments are applied.</param>
    /// <param name="options">The stability rules; <see cref="TierStabilityOptions.Immediate"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ladder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidTierPolicyException">The options are invalid.</exception>
    public TierStabilizer(TierLadder ladder, TierStabilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        options ??= TierStabilityOptions.Immediate;
        options.Validate();
        Ladder = ladder;
        Options = options;
    }

    /// <summary>Gets the ladder.</summary>
    public TierLadder Ladder { get; }

    /// <summary>Gets the stability rules.</summary>
    public TierStabilityOptions Options { get; }

    /// <summary>Applies one evaluation to a customer's state.</summary>
    /// <param name="state">The state so far, or <see langword="null"/> for a customer without a tier yet.</param>
    /// <param name="assignment">The policy's assignment for the customer.</param>
    /// <returns>The new state and the change made, if any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assignment"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The assignment is about another customer, its tier is not of <see cref="Ladder"/>,
    /// or it is older than the state's latest evaluation.</exception>
    public TierStep Step(CustomerTierState? state, TierAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (!Ladder.Contains(assignment.Tier))
        {
            throw new ArgumentException($"Tier '{assignment.Tier}' (level {assignment.Tier.Level}) is not of the ladder {Ladder}.", nameof(assignment));
        }

        var t = assignment.AsOf;
        var raw = assignment.Tier;
        if (state is null)
        {
            var first = new TierChange(assignment.CustomerId, null, raw, t, TierChangeKind.Initial, "first assignment", assignment.Reason);
            return new TierStep(new CustomerTierState(assignment.CustomerId, raw, t, t, null, "assigned", [first]), first);
        }

        if (state.CustomerId != assignment.CustomerId)
        {
            throw new ArgumentException($"The assignment is about {assignment.CustomerId}, the state about {state.CustomerId}.", nameof(assignment));
        }

        if (t < state.LastEvaluatedAt)
        {
            throw new ArgumentException($"The assignment as of {t} is older than the latest evaluation {state.LastEvaluatedAt}.", nameof(assignment));
        }

        var current = state.Current;
        if (raw > current)
        {
            var up = new TierChange(state.CustomerId, current, raw, t, TierChangeKind.Upgrade, "upgrades apply at once", assignment.Reason);
            return new TierStep(new CustomerTierState(state.CustomerId, raw, t, t, null, "upgraded", state.History.Add(up)), up);
        }

        if (raw == current)
        {
            return Stay(state, t, null, "confirmed");
        }

        // The evaluation says lower. Inside the band (bound of the current tier relaxed by the margin) nothing moves.
        var value = assignment.Reason.Readings.Length == 1 ? assignment.Reason.Readings[0].Value : null;
        var margin = Options.DowngradeMargin;
        if (value is { } v && assignment.Reason.BoundOf(current) is { } bound && bound.IsMetBy(v, margin))
        {
            return Stay(state, t, null, Invariant($"{assignment.Reason.Readings[0]} is inside the band of {bound} minus margin {margin}: stays"));
        }

        // A real drop. With a margin the target is the highest lower tier the value holds inside its own band.
        var target = raw;
        if (value is { } tv)
        {
            for (var level = current.Level - 1; level > raw.Level; level--)
            {
                if (assignment.Reason.BoundOf(Ladder[level]) is { } b && b.IsMetBy(tv, margin))
                {
                    target = Ladder[level];
                    break;
                }
            }
        }

        var belowSince = state.BelowSince ?? t;
        var pendingFor = t - belowSince;
        var inTier = t - state.Since;
        var waits = new List<string>(3);
        if (pendingFor < Options.GracePeriod)
        {
            waits.Add(Invariant($"grace period {Days(Options.GracePeriod)} not over (below since {belowSince}, {Days(pendingFor)})"));
        }

        if (inTier < Options.MinimumTimeInTier)
        {
            waits.Add(Invariant($"minimum time in '{current}' {Days(Options.MinimumTimeInTier)} not reached ({Days(inTier)})"));
        }

        if (Options.ReviewSchedule is { } schedule && !schedule.HasReviewBetween(state.LastEvaluatedAt, t))
        {
            waits.Add("no review date since the previous evaluation");
        }

        var drop = value is null
            ? "no metric value"
            : assignment.Reason.BoundOf(current) is { } cb ? Invariant($"{assignment.Reason.Readings[0]} is outside the band of {cb} minus margin {margin}") : $"the policy gives '{raw}'";
        if (waits.Count > 0)
        {
            return Stay(state, t, belowSince, $"downgrade to '{target}' pending: {drop}; {string.Join("; ", waits)}");
        }

        var why = Invariant($"{drop} since {belowSince} ({Days(pendingFor)}; grace {Days(Options.GracePeriod)})");
        if (Options.ReviewSchedule is not null)
        {
            why += Invariant($"; review {Options.ReviewSchedule.LatestAtOrBefore(t)}");
        }

        var down = new TierChange(state.CustomerId, current, target, t, TierChangeKind.Downgrade, why, assignment.Reason);
        return new TierStep(new CustomerTierState(state.CustomerId, target, t, t, null, "downgraded", state.History.Add(down)), down);
    }

    /// <summary>Replays one customer's evaluations from no tier.</summary>
    /// <param name="series">The customer's assignments, oldest first.</param>
    /// <returns>The final state, or <see langword="null"/> for an empty series.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="series"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="Step"/>.</exception>
    public CustomerTierState? Replay(IEnumerable<TierAssignment> series) => Replay(null, series);

    /// <summary>Continues a customer's state with further evaluations.</summary>
    /// <param name="state">The state to start from, or <see langword="null"/>.</param>
    /// <param name="series">The following assignments, oldest first.</param>
    /// <returns>The final state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="series"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="Step"/>.</exception>
    public CustomerTierState? Replay(CustomerTierState? state, IEnumerable<TierAssignment> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        foreach (var a in series)
        {
            state = Step(state, a).State;
        }

        return state;
    }

    private static TierStep Stay(CustomerTierState state, Instant t, Instant? belowSince, string status) =>
        new(state with { LastEvaluatedAt = t, BelowSince = belowSince, Status = status }, null);

    private static string Days(Duration d) => Invariant($"{d.TotalDays:0.##} days");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
