using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

public sealed partial class LifecycleModel
{
    private const long TicksPerDay = NodaConstants.TicksPerDay;

    /// <summary>
    /// Evaluates a customer's automatic rules against their activity summary, as of the summary's
    /// <see cref="ActivitySummary.AsOf"/> instant (a snapshot evaluation).
    /// </summary>
    /// <param name="lifecycle">The customer's lifecycle so far.</param>
    /// <param name="summary">The customer's activity as of the evaluation instant.</param>
    /// <returns>
    /// The new lifecycle and the moves made, each stamped with <see cref="ActivitySummary.AsOf"/> and explained with
    /// its figures. Deterministic; evaluating the result again with the same summary makes no move.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The summary belongs to another customer, is as of an instant before the lifecycle's last change, or the
    /// lifecycle is in a stage this model does not have.
    /// </exception>
    public LifecycleEvaluation Evaluate(CustomerLifecycle lifecycle, ActivitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.CustomerId != lifecycle.CustomerId)
        {
            throw new ArgumentException($"The summary is of customer {summary.CustomerId}, the lifecycle of {lifecycle.CustomerId}.", nameof(summary));
        }

        return EvaluateAt(
            lifecycle,
            summary.AsOf,
            summary.PurchaseCount,
            summary.LastPurchaseAt is { } last ? last.ToUnixTimeTicks() : LifecycleColumns.None,
            summary.MedianGap is { } gap ? gap.BclCompatibleTicks : LifecycleColumns.None);
    }

    /// <summary>Moves a customer by hand, if the model allows the move.</summary>
    /// <param name="lifecycle">The customer's lifecycle.</param>
    /// <param name="to">The stage to move to.</param>
    /// <param name="actor">Who moves the customer, e.g. a user name or a system.</param>
    /// <param name="reason">Why, in words.</param>
    /// <param name="at">When the move takes effect, not before the lifecycle's last change.</param>
    /// <returns>The new lifecycle, or an unsuccessful result listing the allowed targets when the move is not allowed (also for an unknown target stage).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is empty or white space, or the lifecycle is in a stage this model does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is before the lifecycle's last change.</exception>
    public LifecycleMoveResult TryMove(CustomerLifecycle lifecycle, string to, string actor, string reason, Instant at)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var from = StageIndexOf(lifecycle);
        if (at < lifecycle.EnteredAt)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"The move is before the lifecycle's last change at {lifecycle.EnteredAt}.");
        }

        var allowed = _allowedTargets[from];
        if (!IsAllowed(lifecycle.Stage, to))
        {
            return LifecycleMoveResult.Illegal(lifecycle.Stage, to, allowed);
        }

        var move = new LifecycleMove(lifecycle.Stage, to, at, LifecycleTrigger.Manual(actor), reason);
        return LifecycleMoveResult.Success(lifecycle.Append(move), move, allowed);
    }

    /// <summary>Moves a customer by hand, throwing when the model does not allow the move.</summary>
    /// <param name="lifecycle">The customer's lifecycle.</param>
    /// <param name="to">The stage to move to.</param>
    /// <param name="actor">Who moves the customer.</param>
    /// <param name="reason">Why, in words.</param>
    /// <param name="at">When the move takes effect, not before the lifecycle's last change.</param>
    /// <returns>The lifecycle with the move appended.</returns>
    /// <exception cref="IllegalLifecycleMoveException">The move is not an allowed transition; the exception lists the allowed targets.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> or <paramref name="reason"/> is empty or white space, or the lifecycle is in a stage this model does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="at"/> is before the lifecycle's last change.</exception>
    public CustomerLifecycle Move(CustomerLifecycle lifecycle, string to, string actor, string reason, Instant at) =>
        TryMove(lifecycle, to, actor, reason, at).GetValueOrThrow();

    internal LifecycleEvaluation EvaluateAt(CustomerLifecycle lifecycle, Instant asOf, int count, long lastTicks, long gapTicks)
    {
        var stage = StageIndexOf(lifecycle);
        if (asOf < lifecycle.EnteredAt)
        {
            throw new ArgumentException($"The evaluation instant {asOf} is before the lifecycle's last change at {lifecycle.EnteredAt}.", nameof(asOf));
        }

        var asOfTicks = asOf.ToUnixTimeTicks();
        var asOfDay = DayOf(asOfTicks);
        var enteredTicks = lifecycle.EnteredAt.ToUnixTimeTicks();
        var lastDay = lastTicks == LifecycleColumns.None ? 0 : DayOf(lastTicks);
        ImmutableArray<LifecycleMove>.Builder? moves = null;
        for (var step = 0; step <= Stages.Length; step++)
        {
            var r = FindRule(stage, enteredTicks, DayOf(enteredTicks), count, lastTicks, lastDay, gapTicks, asOfDay);
            if (r < 0)
            {
                break;
            }

            ref readonly var c = ref _compiled[r];
            var rule = Rules[c.RuleIndex];
            var figures = Explain(rule, enteredTicks, count, lastTicks, gapTicks, asOfDay);
            var move = new LifecycleMove(Stages[stage].Id, rule.To, asOf, LifecycleTrigger.Rule(rule.Id), Describe(rule, figures)) { Figures = figures };
            (moves ??= ImmutableArray.CreateBuilder<LifecycleMove>()).Add(move);
            lifecycle = lifecycle.Append(move);
            stage = c.To;
            enteredTicks = asOfTicks;
        }

        if (moves is not null)
        {
            return new LifecycleEvaluation(lifecycle, moves.ToImmutable(), asOf, string.Join(" ", moves.Select(m => $"{m.From} → {m.To}: {m.Reason}.")));
        }

        var why = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Stays in '{lifecycle.Stage}'");
        var any = false;
        for (var i = _ruleStart[stage]; i < _ruleStart[stage + 1]; i++)
        {
            var rule = Rules[_compiled[i].RuleIndex];
            var figures = Explain(rule, enteredTicks, count, lastTicks, gapTicks, asOfDay);
            why.Append(any ? "; " : ": ").Append(rule.Id).Append(" not met (")
                .AppendJoin(", ", figures.Where(f => !f.Met)).Append(')');
            any = true;
        }

        why.Append(any ? "." : ": no automatic rule leaves this stage.");
        return new LifecycleEvaluation(lifecycle, [], asOf, why.ToString());
    }

    internal int StageIndexOf(CustomerLifecycle lifecycle) =>
        _stageIndex.TryGetValue(lifecycle.Stage, out var i) ? i
        : throw new ArgumentException($"The lifecycle is in the stage '{lifecycle.Stage}', which this model does not have.", nameof(lifecycle));

    /// <summary>The calendar day (days since 1970-01-01 in <see cref="Zone"/>) of an instant given in Unix ticks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int DayOf(long unixTicks)
    {
        var local = _fixedOffset
            ? unixTicks + _offsetTicks
            : unixTicks + Zone.GetUtcOffset(Instant.FromUnixTimeTicks(unixTicks)).Ticks;
        var day = Math.DivRem(local, TicksPerDay, out var rem);
        return (int)(rem < 0 ? day - 1 : day);
    }

    /// <summary>The instant a calendar day of <see cref="Zone"/> starts.</summary>
    internal Instant StartOfDay(long day)
    {
        if (_fixedOffset)
        {
            return Instant.FromUnixTimeTicks((day * TicksPerDay) - _offsetTicks);
        }

        var date = LocalDate.FromDateOnly(DateOnly.FromDayNumber(checked((int)(UnixEpochDayNumber + day))));
        return date.AtStartOfDayInZone(Zone).ToInstant();
    }

    private const int UnixEpochDayNumber = 719162;

    /// <summary>The first rule (index into <see cref="_compiled"/>) of <paramref name="stage"/> whose conditions hold, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int FindRule(int stage, long enteredTicks, int enteredDay, int count, long lastTicks, int lastDay, long gapTicks, int asOfDay)
    {
        var end = _ruleStart[stage + 1];
        for (var i = _ruleStart[stage]; i < end; i++)
        {
            ref readonly var r = ref _compiled[i];
            if (count < r.MinPurchases || count > r.MaxPurchases)
            {
                continue;
            }

            if (r.CheckWithin || r.CheckNoPurchase || r.RequiresSince)
            {
                if (lastTicks == LifecycleColumns.None)
                {
                    continue;
                }

                var recency = asOfDay - lastDay;
                if (r.CheckWithin && recency > r.Within.ResolveDays(gapTicks))
                {
                    continue;
                }

                if (r.CheckNoPurchase && !(recency > r.NoPurchase.ResolveDays(gapTicks)))
                {
                    continue;
                }

                if (r.RequiresSince && lastTicks <= enteredTicks)
                {
                    continue;
                }
            }

            if (r.MinDaysInStage >= 0 && asOfDay - enteredDay <= r.MinDaysInStage)
            {
                continue;
            }

            return i;
        }

        return -1;
    }

    private ImmutableArray<LifecycleFigure> Explain(LifecycleRule rule, long enteredTicks, int count, long lastTicks, long gapTicks, int asOfDay)
    {
        var figures = ImmutableArray.CreateBuilder<LifecycleFigure>();
        var has = lastTicks != LifecycleColumns.None;
        double recency = has ? asOfDay - DayOf(lastTicks) : double.NaN;
        if (rule.MinPurchases is { } min)
        {
            figures.Add(new LifecycleFigure("purchases", count, ">=", min, count >= min));
        }

        if (rule.MaxPurchases is { } max)
        {
            figures.Add(new LifecycleFigure("purchases", count, "<=", max, count <= max));
        }

        if (rule.PurchasedWithin is { } within)
        {
            var w = within.ResolveDays(gapTicks);
            figures.Add(new LifecycleFigure("days since last purchase", recency, "<=", w, has && recency <= w));
        }

        if (rule.NoPurchaseFor is { } none)
        {
            var w = none.ResolveDays(gapTicks);
            figures.Add(new LifecycleFigure("days since last purchase", recency, ">", w, has && recency > w));
        }

        if (rule.MinDaysInStage is { } days)
        {
            double inStage = asOfDay - DayOf(enteredTicks);
            figures.Add(new LifecycleFigure("days in stage", inStage, ">", days, inStage > days));
        }

        if (rule.RequiresPurchaseSinceEntered)
        {
            var since = has ? (lastTicks - enteredTicks) / (double)TicksPerDay : double.NaN;
            figures.Add(new LifecycleFigure("days from entering stage to last purchase", since, ">", 0, has && lastTicks > enteredTicks));
        }

        return figures.ToImmutable();
    }

    private static string Describe(LifecycleRule rule, ImmutableArray<LifecycleFigure> figures)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"rule '{rule.Id}': ").AppendJoin(", ", figures.Select(f => f.ToString()));
        if (rule.PurchasedWithin is { } w)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; purchase window {w}");
        }

        if (rule.NoPurchaseFor is { } n)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; no-purchase window {n}");
        }

        return sb.ToString();
    }

    internal readonly struct CompiledRule
    {
        public CompiledRule(int ruleIndex, byte to, LifecycleRule rule)
        {
            RuleIndex = ruleIndex;
            To = to;
            MinPurchases = rule.MinPurchases ?? int.MinValue;
            MaxPurchases = rule.MaxPurchases ?? int.MaxValue;
            CheckWithin = rule.PurchasedWithin is not null;
            Within = rule.PurchasedWithin ?? default;
            CheckNoPurchase = rule.NoPurchaseFor is not null;
            NoPurchase = rule.NoPurchaseFor ?? default;
            MinDaysInStage = rule.MinDaysInStage ?? -1;
            RequiresSince = rule.RequiresPurchaseSinceEntered;
        }

        public int RuleIndex { get; }

        public byte To { get; }

        public int MinPurchases { get; }

        public int MaxPurchases { get; }

        public bool CheckWithin { get; }

        public LifecycleWindow Within { get; }

        public bool CheckNoPurchase { get; }

        public LifecycleWindow NoPurchase { get; }

        public int MinDaysInStage { get; }

        public bool RequiresSince { get; }
    }
}
