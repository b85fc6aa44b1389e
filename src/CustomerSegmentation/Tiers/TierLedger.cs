using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>A population as of an instant, for <see cref="TierLedger.Replay"/>.</summary>
/// <param name="AsOf">The instant.</param>
/// <param name="Population">The customers and their metrics at that instant.</param>
public sealed record TierSnapshot(Instant AsOf, IReadOnlyList<TierSubject> Population);

/// <summary>The outcome of applying one evaluation to a ledger.</summary>
/// <param name="Ledger">The new ledger.</param>
/// <param name="Changes">The changes made, in assignment order.</param>
public sealed record TierLedgerStep(TierLedger Ledger, ImmutableArray<TierChange> Changes);

/// <summary>
/// The stabilised tiers and histories of a population: an immutable value; applying evaluations gives a new ledger.
/// Customers missing from an evaluation keep their state.
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class TierLedger
{
    private TierLedger(TierStabilizer stabilizer, ImmutableDictionary<CustomerId, CustomerTierState> states)
    {
        Stabilizer = stabilizer;
        States = states;
    }

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="stabilizer">The stability rules and ladder.</param>
    /// <returns>The ledger.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stabilizer"/> is <see langword="null"/>.</exception>
    public static TierLedger Empty(TierStabilizer stabilizer)
    {
        ArgumentNullException.ThrowIfNull(stabilizer);
        return new TierLedger(stabilizer, ImmutableDictionary<CustomerId, CustomerTierState>.Empty);
    }

    /// <summary>Gets the stability rules and ladder.</summary>
    public TierStabilizer Stabilizer { get; }

    /// <summary>Gets every customer's state.</summary>
    public ImmutableDictionary<CustomerId, CustomerTierState> States { get; }

    /// <summary>Gets a customer's tier in force, if any.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns>The tier, or <see langword="null"/> when the customer has none yet.</returns>
    public Tier? CurrentTier(CustomerId customerId) => States.TryGetValue(customerId, out var s) ? s.Current : null;

    /// <summary>Gets a customer's history, oldest first (empty when the customer has none).</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns>The changes.</returns>
    public ImmutableList<TierChange> History(CustomerId customerId) => States.TryGetValue(customerId, out var s) ? s.History : [];

    /// <summary>Applies a policy's assignments.</summary>
    /// <param name="assignments">At most one assignment per customer.</param>
    /// <returns>The new ledger and the changes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assignments"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice, or see <see cref="TierStabilizer.Step"/>.</exception>
    public TierLedgerStep Apply(IEnumerable<TierAssignment> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var states = States.ToBuilder();
        var seen = new HashSet<CustomerId>();
        var changes = ImmutableArray.CreateBuilder<TierChange>();
        foreach (var a in assignments)
        {
            ArgumentNullException.ThrowIfNull(a, nameof(assignments));
            if (!seen.Add(a.CustomerId))
            {
                throw new ArgumentException($"Customer {a.CustomerId} is assigned twice in one evaluation.", nameof(assignments));
            }

            var step = Stabilizer.Step(states.TryGetValue(a.CustomerId, out var s) ? s : null, a);
            states[a.CustomerId] = step.State;
            if (step.Change is { } c)
            {
                changes.Add(c);
            }
        }

        return new TierLedgerStep(new TierLedger(Stabilizer, states.ToImmutable()), changes.ToImmutable());
    }

    /// <summary>Evaluates a policy on a population and applies the result.</summary>
    /// <param name="policy">The policy; its ladder must be the stabilizer's.</param>
    /// <param name="population">The customers.</param>
    /// <param name="asOf">The instant.</param>
    /// <returns>The new ledger and the changes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> or <paramref name="population"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy's ladder is not the stabilizer's, or see <see cref="Apply"/>.</exception>
    public TierLedgerStep Evaluate(ITierPolicy policy, IReadOnlyList<TierSubject> population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!policy.Ladder.Equals(Stabilizer.Ladder))
        {
            throw new ArgumentException($"The policy's ladder {policy.Ladder} is not the ledger's {Stabilizer.Ladder}.", nameof(policy));
        }

        return Apply(policy.Assign(population, asOf));
    }

    /// <summary>Replays a series of population snapshots from an empty ledger.</summary>
    /// <param name="stabilizer">The stability rules.</param>
    /// <param name="policy">The policy evaluated at every snapshot.</param>
    /// <param name="snapshots">The snapshots, oldest first.</param>
    /// <returns>The final ledger: the same as evaluating the snapshots one by one.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="Evaluate"/>.</exception>
    public static TierLedger Replay(TierStabilizer stabilizer, ITierPolicy policy, IEnumerable<TierSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var ledger = Empty(stabilizer);
        foreach (var s in snapshots)
        {
            ledger = ledger.Evaluate(policy, s.Population, s.AsOf).Ledger;
        }

        return ledger;
    }
}
