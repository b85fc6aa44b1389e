using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// A tier policy: grades a population of customers onto a <see cref="TierLadder"/>. Built-in policies are
/// <see cref="ThresholdTierPolicy"/>, <see cref="QuantileTierPolicy"/>, <see cref="ParetoTierPolicy"/> and
/// <see cref="MatrixTierPolicy"/>; hosts may write their own.
/// </summary>
/// <remarks>
/// A policy is total: every customer of the population gets exactly one tier of <see cref="Ladder"/>, with a
/// <see cref="TierReason"/> that names the policy, the figures and the thresholds in force. A policy never changes
/// anything; stability over time (hysteresis, history) is <see cref="TierStabilizer"/>'s job.
/// </remarks>
public interface ITierPolicy
{
    /// <summary>Gets the policy's name, used in reasons and errors.</summary>
    string Name { get; }

    /// <summary>Gets the tiers the policy assigns, lowest first.</summary>
    TierLadder Ladder { get; }

    /// <summary>Assigns a tier to every customer of a population.</summary>
    /// <param name="population">The customers, each at most once. Population policies (quantile, Pareto) rank within it.</param>
    /// <param name="asOf">The instant the assignment is for; recorded in each assignment.</param>
    /// <returns>One assignment per customer, in population order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="population"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A customer appears twice.</exception>
    ImmutableArray<TierAssignment> Assign(IReadOnlyList<TierSubject> population, Instant asOf);
}
