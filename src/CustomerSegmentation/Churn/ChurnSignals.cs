using System.Collections.Immutable;
using CustomerSegmentation.Activity;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Optional per-customer signals that the <see cref="ActivitySummary"/> does not hold: a model's P(alive), a tier change,
/// the lifecycle stage, the expected value, and the interaction records for windowed complaint and satisfaction rules.
/// </summary>
/// <remarks>
/// <para>Every member is optional; a rule whose signal is absent does not apply. The hosting application (or the
/// BG/NBD, tier and lifecycle capabilities) fills them; this type depends on none of them.</para>
/// <para>Interactions after the assessment's as-of instant are ignored, and the rules that read them say how many.</para>
/// </remarks>
public sealed record ChurnSignals
{
    private readonly double? _pAlive;

    /// <summary>Gets signals with nothing set.</summary>
    public static ChurnSignals None { get; } = new();

    /// <summary>Gets the probability, 0..1, that the customer is still alive according to a fitted model such as BG/NBD.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value outside 0..1 or not a number.</exception>
    public double? PAlive
    {
        get => _pAlive;
        init
        {
            if (value is { } p && !(p >= 0 && p <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), p, "P(alive) is a probability in 0..1.");
            }

            _pAlive = value;
        }
    }

    /// <summary>Gets the customer's last tier change, if known.</summary>
    public TierChange? Tier { get; init; }

    /// <summary>Gets the lifecycle stage key, e.g. <c>at-risk</c>, if known.</summary>
    public string? LifecycleStage { get; init; }

    /// <summary>Gets the expected future value (e.g. a CLV) used to rank the watch list; historical net spend is used when absent.</summary>
    public decimal? ExpectedValue { get; init; }

    /// <summary>Gets the customer's interaction records, if the host supplies them; windowed rules then count per window.</summary>
    public ImmutableArray<Interaction>? Interactions { get; init; }
}

/// <summary>A customer's tier change as a churn signal.</summary>
/// <param name="Previous">The tier name before the change.</param>
/// <param name="Current">The tier name now.</param>
/// <param name="IsDowngrade">Whether <paramref name="Current"/> ranks below <paramref name="Previous"/> (the tier capability decides).</param>
public sealed record TierChange(string Previous, string Current, bool IsDowngrade);
