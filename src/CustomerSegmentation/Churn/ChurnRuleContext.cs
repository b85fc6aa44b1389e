using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Churn;

/// <summary>Everything a <see cref="IChurnRiskRule"/> may read about one customer at one as-of instant.</summary>
public readonly struct ChurnRuleContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="summary">The customer's activity summary.</param>
    /// <param name="asOf">The instant of the assessment.</param>
    /// <param name="population">Statistics of the population assessed together, e.g. its gap distribution.</param>
    /// <param name="signals">Optional signals from other capabilities and hosts; <see cref="ChurnSignals.None"/> when <see langword="null"/>.</param>
    /// <param name="zone">The zone that defines calendar days; UTC when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> or <paramref name="population"/> is <see langword="null"/>.</exception>
    public ChurnRuleContext(ActivitySummary summary, Instant asOf, ChurnPopulation population, ChurnSignals? signals = null, DateTimeZone? zone = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(population);
        Summary = summary;
        AsOf = asOf;
        Population = population;
        Signals = signals ?? ChurnSignals.None;
        Zone = zone ?? DateTimeZone.Utc;
    }

    /// <summary>Gets the customer's summary.</summary>
    public ActivitySummary Summary { get; }

    /// <summary>Gets the as-of instant.</summary>
    public Instant AsOf { get; }

    /// <summary>Gets the population statistics.</summary>
    public ChurnPopulation Population { get; }

    /// <summary>Gets the optional signals (never <see langword="null"/>).</summary>
    public ChurnSignals Signals { get; }

    /// <summary>Gets the zone that defines calendar days.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Gets the whole days from <paramref name="at"/> to <see cref="AsOf"/> in <see cref="Zone"/>.</summary>
    /// <param name="at">An earlier instant.</param>
    /// <returns>The days (0 on the same day).</returns>
    public int DaysSince(Instant at) => ActivitySummary.DaysBetween(at, AsOf, Zone);

    /// <summary>Gets the interactions of the signals that happened at or before <see cref="AsOf"/>, and how many later ones were ignored.</summary>
    /// <param name="ignoredLater">How many interactions lay after the as-of instant and were ignored.</param>
    /// <returns>The interactions at or before the as-of instant, or <see langword="null"/> when the signals carry none.</returns>
    public IEnumerable<Interaction>? InteractionsAsOf(out int ignoredLater)
    {
        ignoredLater = 0;
        if (Signals.Interactions is not { } all)
        {
            return null;
        }

        var asOf = AsOf;
        var id = Summary.CustomerId;
        foreach (var i in all)
        {
            if (i.CustomerId == id && i.At > asOf)
            {
                ignoredLater++;
            }
        }

        return all.Where(i => i.CustomerId == id && i.At <= asOf);
    }
}
