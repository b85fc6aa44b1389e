using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Tiers;

/// <summary>The customers and value held by one tier.</summary>
/// <param name="Tier">The tier.</param>
/// <param name="Count">The number of customers.</param>
/// <param name="ValueTotal">The total of the value metric over them (customers without a value add nothing).</param>
public readonly record struct TierDistributionRow(Tier Tier, int Count, decimal ValueTotal);

/// <summary>A tier distribution report for a population: counts and metric totals per tier.</summary>
/// <param name="Ladder">The ladder.</param>
/// <param name="ValueMetric">The metric totalled, e.g. <c>netSpend</c>.</param>
/// <param name="Rows">One row per tier, lowest first (tiers without customers included).</param>
/// <param name="UntieredCount">Customers of the population without a tier (e.g. not yet in a ledger).</param>
/// <param name="UntieredValueTotal">Their value total.</param>
public sealed record TierDistribution(TierLadder Ladder, string ValueMetric, ImmutableArray<TierDistributionRow> Rows, int UntieredCount, decimal UntieredValueTotal)
{
    /// <summary>Gets the number of customers counted.</summary>
    public int TotalCount => Rows.Sum(r => r.Count) + UntieredCount;

    /// <summary>Gets the value total over the population.</summary>
    public decimal TotalValue => Rows.Sum(r => r.ValueTotal) + UntieredValueTotal;

    /// <summary>Gets the row of a tier.</summary>
    /// <param name="tierName">The tier's name.</param>
    /// <returns>The row.</returns>
    /// <exception cref="ArgumentException">The ladder has no such tier.</exception>
    public TierDistributionRow this[string tierName] => Rows[Ladder[tierName].Level];

    /// <summary>Builds the report of a policy's assignments.</summary>
    /// <param name="ladder">The ladder the assignments use.</param>
    /// <param name="assignments">The assignments.</param>
    /// <param name="population">The customers (for the value metric); customers without an assignment count as untiered.</param>
    /// <param name="valueMetric">The metric to total, e.g. <see cref="TierMetric.NetSpend"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An assignment's tier is not of the ladder.</exception>
    public static TierDistribution Of(TierLadder ladder, IEnumerable<TierAssignment> assignments, IReadOnlyList<TierSubject> population, TierMetric valueMetric)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var byCustomer = new Dictionary<CustomerId, Tier>();
        foreach (var a in assignments)
        {
            byCustomer[a.CustomerId] = a.Tier;
        }

        return Of(ladder, id => byCustomer.TryGetValue(id, out var t) ? t : null, population, valueMetric);
    }

    internal static TierDistribution Of(TierLadder ladder, Func<CustomerId, Tier?> tierOf, IReadOnlyList<TierSubject> population, TierMetric valueMetric)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(valueMetric);
        var counts = new int[ladder.Count];
        var totals = new decimal[ladder.Count];
        int untiered = 0;
        var untieredTotal = 0m;
        foreach (var s in population)
        {
            var value = valueMetric.Read(s) ?? 0m;
            if (tierOf(s.CustomerId) is { } t)
            {
                if (!ladder.Contains(t))
                {
                    throw new ArgumentException($"Tier '{t}' is not of the ladder {ladder}.", nameof(tierOf));
                }

                counts[t.Level]++;
                totals[t.Level] += value;
            }
            else
            {
                untiered++;
                untieredTotal += value;
            }
        }

        var rows = ImmutableArray.CreateBuilder<TierDistributionRow>(ladder.Count);
        for (var i = 0; i < ladder.Count; i++)
        {
            rows.Add(new TierDistributionRow(ladder[i], counts[i], totals[i]));
        }

        return new TierDistribution(ladder, valueMetric.Name, rows.MoveToImmutable(), untiered, untieredTotal);
    }
}
