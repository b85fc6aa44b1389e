using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>One customer who would move under a candidate policy.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="From">The tier now, or <see langword="null"/> when the customer has none.</param>
/// <param name="To">The tier under the candidate.</param>
/// <param name="Reason">The candidate's reason.</param>
public sealed record TierMove(CustomerId CustomerId, Tier? From, Tier To, TierReason Reason);

/// <summary>
/// What a candidate policy would do to a population: the migration matrix, the customers who would move, and the
/// distribution (counts and value per tier) before and after. Nothing is changed by computing it.
/// </summary>
/// <param name="AsOf">The instant evaluated.</param>
/// <param name="Candidate">The candidate policy's name.</param>
/// <param name="Before">The distribution now.</param>
/// <param name="After">The distribution under the candidate.</param>
/// <param name="Moves">The customers whose tier name would change (or who would get a first tier), in population order.</param>
public sealed record TierMigrationReport(Instant AsOf, string Candidate, TierDistribution Before, TierDistribution After, ImmutableArray<TierMove> Moves)
{
    /// <summary>Gets the migration matrix: <c>Matrix[from][to]</c> counts customers, <c>from</c> being a level of
    /// <see cref="Before"/>'s ladder or <c>Before.Ladder.Count</c> for customers without a tier, <c>to</c> a level of
    /// <see cref="After"/>'s ladder.</summary>
    public required ImmutableArray<ImmutableArray<int>> Matrix { get; init; }

    /// <summary>Gets the number of customers moving from one tier to another.</summary>
    /// <param name="from">A tier name of the current ladder, or <see langword="null"/> for customers without a tier.</param>
    /// <param name="to">A tier name of the candidate's ladder.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException">A name is not of its ladder.</exception>
    public int Count(string? from, string to)
    {
        var row = from is null ? Before.Ladder.Count : Before.Ladder[from].Level;
        return Matrix[row][After.Ladder[to].Level];
    }
}

/// <summary>What-if simulation: evaluates a candidate policy against a population without changing anything.</summary>
public static class TierWhatIf
{
    /// <summary>Compares the tiers a current policy gives with those a candidate would give.</summary>
    /// <param name="current">The policy in force.</param>
    /// <param name="candidate">The policy considered.</param>
    /// <param name="population">The customers.</param>
    /// <param name="asOf">The instant evaluated.</param>
    /// <param name="valueMetric">The value to total per tier, e.g. <see cref="TierMetric.NetSpend"/>.</param>
    /// <returns>The migration report.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice in the population.</exception>
    public static TierMigrationReport Compare(ITierPolicy current, ITierPolicy candidate, IReadOnlyList<TierSubject> population, Instant asOf, TierMetric valueMetric)
    {
        ArgumentNullException.ThrowIfNull(current);
        var now = current.Assign(population, asOf).ToDictionary(a => a.CustomerId, a => a.Tier);
        return Build(current.Ladder, id => now.TryGetValue(id, out var t) ? t : null, candidate, population, asOf, valueMetric);
    }

    /// <summary>Compares the stabilised tiers of a ledger with those a candidate would give (without hysteresis).</summary>
    /// <param name="ledger">The tiers in force.</param>
    /// <param name="candidate">The policy considered.</param>
    /// <param name="population">The customers; those not in the ledger count as without a tier.</param>
    /// <param name="asOf">The instant evaluated.</param>
    /// <param name="valueMetric">The value to total per tier.</param>
    /// <returns>The migration report.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice in the population.</exception>
    public static TierMigrationReport Compare(TierLedger ledger, ITierPolicy candidate, IReadOnlyList<TierSubject> population, Instant asOf, TierMetric valueMetric)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Build(ledger.Stabilizer.Ladder, ledger.CurrentTier, candidate, population, asOf, valueMetric);
    }

    private static TierMigrationReport Build(TierLadder fromLadder, Func<CustomerId, Tier?> from, ITierPolicy candidate, IReadOnlyList<TierSubject> population, Instant asOf, TierMetric valueMetric)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(valueMetric);
        var after = candidate.Assign(population, asOf);
        var matrix = new int[fromLadder.Count + 1, candidate.Ladder.Count];
        var moves = ImmutableArray.CreateBuilder<TierMove>();
        foreach (var a in after)
        {
            var was = from(a.CustomerId);
            matrix[was?.Level ?? fromLadder.Count, a.Tier.Level]++;
            if (was is not { } w || !string.Equals(w.Name, a.Tier.Name, StringComparison.Ordinal))
            {
                moves.Add(new TierMove(a.CustomerId, was, a.Tier, a.Reason));
            }
        }

        var rows = ImmutableArray.CreateBuilder<ImmutableArray<int>>(fromLadder.Count + 1);
        for (var r = 0; r <= fromLadder.Count; r++)
        {
            var row = new int[candidate.Ladder.Count];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = matrix[r, c];
            }

            rows.Add([.. row]);
        }

        return new TierMigrationReport(
            asOf,
            candidate.Name,
            TierDistribution.Of(fromLadder, from, population, valueMetric),
            TierDistribution.Of(candidate.Ladder, after, population, valueMetric),
            moves.ToImmutable())
        {
            Matrix = rows.MoveToImmutable(),
        };
    }
}
