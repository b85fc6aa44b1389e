using System.Buffers;
using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// The base of the policies that grade by one <see cref="TierMetric"/> through entry bounds
/// (<see cref="ThresholdTierPolicy"/>, <see cref="QuantileTierPolicy"/>, <see cref="ParetoTierPolicy"/>).
/// Besides <see cref="Assign"/> it offers a columnar API (<see cref="AssignLevels(ReadOnlySpan{decimal}, Span{byte}, Span{decimal})"/>)
/// for large populations held as arrays.
/// </summary>
/// <remarks>
/// Customers without a value for the metric get the lowest tier and are left out of any ranking.
/// Because a tier is decided by bounds that never decrease with the level, these policies are monotone:
/// a better metric value never gives a lower tier, and equal values always get the same tier.
/// </remarks>
/// <threadsafety>Immutable; <see cref="Assign"/> and the columnar methods are safe to call concurrently.</threadsafety>
public abstract class SingleMetricTierPolicy : ITierPolicy
{
    private protected SingleMetricTierPolicy(string name, TierLadder ladder, TierMetric metric)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidTierPolicyException(null, "a tier policy needs a name");
        }

        Name = name;
        Ladder = ladder ?? throw new InvalidTierPolicyException(name, "the policy has no tier ladder");
        Metric = metric ?? throw new InvalidTierPolicyException(name, "the policy has no metric");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public TierLadder Ladder { get; }

    /// <summary>Gets the metric graded by.</summary>
    public TierMetric Metric { get; }

    /// <summary>Gets the kind of policy.</summary>
    public abstract TierPolicyKind Kind { get; }

    /// <summary>Gets a value indicating whether the bounds depend on the population (quantile, Pareto) rather than being fixed (threshold).</summary>
    public abstract bool DependsOnPopulation { get; }

    /// <inheritdoc />
    public ImmutableArray<TierAssignment> Assign(IReadOnlyList<TierSubject> population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(population);
        var n = population.Count;
        var values = new decimal?[n];
        var seen = new HashSet<CustomerId>(n);
        var present = 0;
        for (var i = 0; i < n; i++)
        {
            var s = population[i] ?? throw new ArgumentNullException(nameof(population), $"Population element {i} is null.");
            if (!seen.Add(s.CustomerId))
            {
                throw new ArgumentException($"Customer {s.CustomerId} appears twice in the population.", nameof(population));
            }

            values[i] = Metric.Read(s);
            if (values[i].HasValue)
            {
                present++;
            }
        }

        var column = new decimal[present];
        var j = 0;
        foreach (var v in values)
        {
            if (v is { } x)
            {
                column[j++] = x;
            }
        }

        var cuts = ComputeCutPoints(column);
        var rule = Describe(cuts);
        var missingRule = $"no {Metric.Name} value: lowest tier";
        var result = ImmutableArray.CreateBuilder<TierAssignment>(n);
        for (var i = 0; i < n; i++)
        {
            var tier = values[i] is { } v ? Ladder[cuts.LevelOf(v)] : Ladder.Lowest;
            var reason = new TierReason(
                Name,
                Kind,
                tier,
                [new MetricReading(Metric.Name, values[i], Metric.HigherIsBetter)],
                cuts.Bounds,
                values[i].HasValue ? rule : missingRule);
            result.Add(new TierAssignment(population[i].CustomerId, tier, asOf, reason));
        }

        return result.MoveToImmutable();
    }

    /// <summary>Computes the bounds in force for a population's values (every value present; no missing ones).</summary>
    /// <param name="values">The metric values, in any order.</param>
    /// <returns>The bounds; the same for any order of the same values.</returns>
    public TierCutPoints ComputeCutPoints(ReadOnlySpan<decimal> values)
    {
        if (!DependsOnPopulation)
        {
            return ComputeCutPoints(values, []);
        }

        var rented = ArrayPool<decimal>.Shared.Rent(Math.Max(values.Length, 1));
        try
        {
            return ComputeCutPoints(values, rented.AsSpan(0, values.Length));
        }
        finally
        {
            ArrayPool<decimal>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Computes the bounds for a column of values and writes each value's level (0 = lowest tier) into <paramref name="levels"/>.
    /// Allocation-free apart from the returned bounds.
    /// </summary>
    /// <param name="values">The metric values.</param>
    /// <param name="levels">Receives the levels; at least as long as <paramref name="values"/>.</param>
    /// <param name="scratch">Working space for population policies, at least as long as <paramref name="values"/>; may be empty for a threshold policy.</param>
    /// <returns>The bounds used.</returns>
    /// <exception cref="ArgumentException"><paramref name="levels"/> or a needed <paramref name="scratch"/> is too short.</exception>
    public TierCutPoints AssignLevels(ReadOnlySpan<decimal> values, Span<byte> levels, Span<decimal> scratch)
    {
        if (DependsOnPopulation && scratch.Length < values.Length)
        {
            throw new ArgumentException($"scratch holds {scratch.Length} elements, values {values.Length}.", nameof(scratch));
        }

        var cuts = ComputeCutPoints(values, DependsOnPopulation ? scratch[..values.Length] : []);
        cuts.AssignLevels(values, levels);
        return cuts;
    }

    /// <summary>
    /// Like <see cref="AssignLevels(ReadOnlySpan{decimal}, Span{byte}, Span{decimal})"/>, with the level loop split
    /// over up to <paramref name="maxDegreeOfParallelism"/> threads (the bounds are computed on the calling thread).
    /// </summary>
    /// <param name="values">The metric values.</param>
    /// <param name="levels">Receives the levels.</param>
    /// <param name="scratch">Working space for population policies; may be empty for a threshold policy.</param>
    /// <param name="maxDegreeOfParallelism">The most threads, at least 1; <see cref="Environment.ProcessorCount"/> is a good choice.</param>
    /// <returns>The bounds used.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="levels"/> or a needed <paramref name="scratch"/> is too short.</exception>
    public TierCutPoints AssignLevels(ReadOnlyMemory<decimal> values, Memory<byte> levels, Memory<decimal> scratch, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (levels.Length < values.Length)
        {
            throw new ArgumentException($"levels holds {levels.Length} elements, values {values.Length}.", nameof(levels));
        }

        if (DependsOnPopulation && scratch.Length < values.Length)
        {
            throw new ArgumentException($"scratch holds {scratch.Length} elements, values {values.Length}.", nameof(scratch));
        }

        var cuts = ComputeCutPoints(values.Span, DependsOnPopulation ? scratch.Span[..values.Length] : []);
        const int MinChunk = 1 << 16;
        var chunks = Math.Min(maxDegreeOfParallelism, Math.Max(1, values.Length / MinChunk));
        if (chunks == 1)
        {
            cuts.AssignLevels(values.Span, levels.Span);
            return cuts;
        }

        var size = (values.Length + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, c =>
        {
            var start = c * size;
            var length = Math.Min(size, values.Length - start);
            cuts.AssignLevels(values.Span.Slice(start, length), levels.Span.Slice(start, length));
        });
        return cuts;
    }

    /// <summary>Computes the bounds; population policies may reorder <paramref name="scratch"/>, a copy of the values they fill themselves.</summary>
    private protected abstract TierCutPoints ComputeCutPoints(ReadOnlySpan<decimal> values, Span<decimal> scratch);

    /// <summary>Describes the rule for reasons.</summary>
    private protected abstract string Describe(TierCutPoints cuts);

    /// <summary>Turns values into "higher is better" keys in <paramref name="scratch"/>.</summary>
    private protected void CopyKeys(ReadOnlySpan<decimal> values, Span<decimal> scratch)
    {
        if (Metric.HigherIsBetter)
        {
            values.CopyTo(scratch);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            scratch[i] = -values[i];
        }
    }

    /// <summary>Resolves a tier name of the ladder, or throws naming the problem.</summary>
    private protected Tier ResolveTier(string? tierName, string what)
    {
        if (!Ladder.TryGet(tierName, out var tier))
        {
            throw new InvalidTierPolicyException(Name, $"{what} names unknown tier '{tierName}' (tiers: {Ladder})");
        }

        return tier;
    }
}
