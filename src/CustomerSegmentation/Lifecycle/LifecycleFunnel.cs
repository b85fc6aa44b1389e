using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>Conversion from one stage to another over a funnel's period.</summary>
/// <param name="From">The stage left.</param>
/// <param name="To">The stage entered.</param>
/// <param name="Exposed">Customers who were in <paramref name="From"/> at the start of the period or entered it during the period.</param>
/// <param name="Converted">Customers among them who moved <c>From → To</c> during the period (at least once).</param>
public readonly record struct LifecycleConversion(string From, string To, int Exposed, int Converted)
{
    /// <summary>Gets <see cref="Converted"/> / <see cref="Exposed"/>, or <see langword="null"/> when nobody was exposed.</summary>
    public double? Rate => Exposed == 0 ? null : (double)Converted / Exposed;
}

/// <summary>The number of moves between two stages during a funnel's period.</summary>
/// <param name="From">The stage left.</param>
/// <param name="To">The stage entered.</param>
/// <param name="Moves">Moves made (a customer may make the same move more than once).</param>
public readonly record struct LifecycleFlow(string From, string To, int Moves);

/// <summary>
/// A funnel over a period (<see cref="From"/>, <see cref="To"/>]: stage counts at both ends, moves between stages and
/// conversion rates, for the customers the funnel includes.
/// </summary>
/// <remarks>
/// Counts obey <c>AtEnd[s] = AtStart[s] + Joined (for the initial stage) + moves into s − moves out of s</c>.
/// </remarks>
public sealed record LifecycleFunnelReport
{
    /// <summary>Gets the start of the period: counts are as of this instant, moves exactly at it are before the period.</summary>
    public required Instant From { get; init; }

    /// <summary>Gets the end of the period: moves up to and including it count.</summary>
    public required Instant To { get; init; }

    /// <summary>Gets the customers included: started by <see cref="To"/> and never in an excluded stage during the period.</summary>
    public required int Customers { get; init; }

    /// <summary>Gets the customers left out because they were in an excluded stage (e.g. invalid) at some instant of the period.</summary>
    public required int Excluded { get; init; }

    /// <summary>Gets the included customers who started during the period (in the initial stage).</summary>
    public required int Joined { get; init; }

    /// <summary>Gets the included customers per stage at the start (every stage of the model, zeros included).</summary>
    public required ImmutableDictionary<string, int> AtStart { get; init; }

    /// <summary>Gets the included customers per stage at the end (every stage of the model, zeros included).</summary>
    public required ImmutableDictionary<string, int> AtEnd { get; init; }

    /// <summary>Gets the moves during the period per transition, for every allowed transition in model order (zeros included).</summary>
    public required ImmutableArray<LifecycleFlow> Flows { get; init; }

    /// <summary>Gets the conversion for every allowed transition, in model order.</summary>
    public required ImmutableArray<LifecycleConversion> Conversions { get; init; }

    /// <summary>Gets the conversion between two stages.</summary>
    /// <param name="from">The stage left.</param>
    /// <param name="to">The stage entered.</param>
    /// <returns>The conversion (zero counts when the transition is not in the model).</returns>
    public LifecycleConversion Conversion(string from, string to)
    {
        foreach (var c in Conversions)
        {
            if (c.From == from && c.To == to)
            {
                return c;
            }
        }

        return new LifecycleConversion(from, to, 0, 0);
    }
}

/// <summary>Computes funnels over customers' lifecycle histories.</summary>
public static class LifecycleFunnel
{
    /// <summary>Computes the funnel of a population over the period (<paramref name="from"/>, <paramref name="to"/>].</summary>
    /// <param name="model">The model the lifecycles follow.</param>
    /// <param name="lifecycles">The customers' lifecycles (histories at least up to <paramref name="to"/>).</param>
    /// <param name="from">The start of the period.</param>
    /// <param name="to">The end of the period, not before <paramref name="from"/>.</param>
    /// <returns>The funnel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="lifecycles"/> is <see langword="null"/> or holds <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="ArgumentException">A lifecycle uses a stage the model does not have.</exception>
    public static LifecycleFunnelReport Compute(LifecycleModel model, IEnumerable<CustomerLifecycle> lifecycles, Instant from, Instant to)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(lifecycles);
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The period ends before it starts.");
        }

        var n = model.Stages.Length;
        var atStart = new int[n];
        var atEnd = new int[n];
        var flows = new int[n * n];
        var exposed = new int[n];
        var converted = new int[n * n];
        var excludedStage = model.Stages.Select(s => s.ExcludedFromFunnel).ToArray();
        int customers = 0, excluded = 0, joined = 0;
        var seenExposed = new bool[n];
        var seenConverted = new HashSet<int>();
        foreach (var lifecycle in lifecycles)
        {
            ArgumentNullException.ThrowIfNull(lifecycle, nameof(lifecycles));
            if (lifecycle.StartedAt > to)
            {
                continue;
            }

            var start = lifecycle.StageAt(from);
            var end = model.IndexOf(lifecycle.StageAt(to)!);
            var touchesExcluded = excludedStage[end] || (start is not null && excludedStage[model.IndexOf(start)]);
            foreach (var m in lifecycle.History)
            {
                if (m.At > from && m.At <= to && (excludedStage[model.IndexOf(m.From)] || excludedStage[model.IndexOf(m.To)]))
                {
                    touchesExcluded = true;
                }
            }

            if (touchesExcluded)
            {
                excluded++;
                continue;
            }

            customers++;
            atEnd[end]++;
            Array.Clear(seenExposed);
            seenConverted.Clear();
            if (start is null)
            {
                joined++;
                seenExposed[model.IndexOf(lifecycle.InitialStage)] = true;
            }
            else
            {
                var s = model.IndexOf(start);
                atStart[s]++;
                seenExposed[s] = true;
            }

            foreach (var m in lifecycle.History)
            {
                if (m.At <= from || m.At > to)
                {
                    continue;
                }

                int f = model.IndexOf(m.From), t = model.IndexOf(m.To);
                flows[(f * n) + t]++;
                seenExposed[t] = true;
                seenConverted.Add((f * n) + t);
            }

            for (var i = 0; i < n; i++)
            {
                if (seenExposed[i])
                {
                    exposed[i]++;
                }
            }

            foreach (var key in seenConverted)
            {
                converted[key]++;
            }
        }

        var flowList = ImmutableArray.CreateBuilder<LifecycleFlow>();
        var conversions = ImmutableArray.CreateBuilder<LifecycleConversion>();
        foreach (var tr in model.Transitions)
        {
            int f = model.IndexOf(tr.From), t = model.IndexOf(tr.To);
            flowList.Add(new LifecycleFlow(tr.From, tr.To, flows[(f * n) + t]));
            conversions.Add(new LifecycleConversion(tr.From, tr.To, exposed[f], converted[(f * n) + t]));
        }

        return new LifecycleFunnelReport
        {
            From = from,
            To = to,
            Customers = customers,
            Excluded = excluded,
            Joined = joined,
            AtStart = Counts(model, atStart),
            AtEnd = Counts(model, atEnd),
            Flows = flowList.ToImmutable(),
            Conversions = conversions.ToImmutable(),
        };
    }

    private static ImmutableDictionary<string, int> Counts(LifecycleModel model, int[] counts)
    {
        var b = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < counts.Length; i++)
        {
            b[model.Stages[i].Id] = counts[i];
        }

        return b.ToImmutable();
    }
}
