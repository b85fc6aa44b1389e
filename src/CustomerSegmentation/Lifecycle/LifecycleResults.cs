using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>The outcome of evaluating one customer's automatic rules as of an instant: the new lifecycle, the moves made and why.</summary>
/// <param name="Lifecycle">The lifecycle after the evaluation (the same value when nothing moved).</param>
/// <param name="Moves">The moves made, in order (several when rules chain at one instant, e.g. prospect → new → repeat).</param>
/// <param name="AsOf">The evaluation instant.</param>
/// <param name="Explanation">Why: the reasons of the moves, or why each rule of the final stage did not fire.</param>
public sealed record LifecycleEvaluation(CustomerLifecycle Lifecycle, ImmutableArray<LifecycleMove> Moves, Instant AsOf, string Explanation)
{
    /// <summary>Gets a value indicating whether the customer moved.</summary>
    public bool Changed => !Moves.IsDefaultOrEmpty;

    /// <summary>Gets the stage after the evaluation.</summary>
    public string Stage => Lifecycle.Stage;

    /// <inheritdoc />
    public bool Equals(LifecycleEvaluation? other) =>
        other is not null && Lifecycle.Equals(other.Lifecycle) && Moves.SequenceEqual(other.Moves) && AsOf == other.AsOf && Explanation == other.Explanation;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Lifecycle, Moves.Length, AsOf);
}

/// <summary>The outcome of a manual move: the new lifecycle, or why the model does not allow it.</summary>
public sealed record LifecycleMoveResult
{
    private LifecycleMoveResult(CustomerLifecycle? lifecycle, LifecycleMove? move, string from, string to, ImmutableArray<string> allowed, string? error)
    {
        Lifecycle = lifecycle;
        Move = move;
        From = from;
        To = to;
        AllowedTargets = allowed;
        Error = error;
    }

    /// <summary>Gets a value indicating whether the move was made.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>Gets the lifecycle with the move appended, or <see langword="null"/> when the move is not allowed.</summary>
    public CustomerLifecycle? Lifecycle { get; }

    /// <summary>Gets the recorded move, or <see langword="null"/> when the move is not allowed.</summary>
    public LifecycleMove? Move { get; }

    /// <summary>Gets the customer's stage before the move.</summary>
    public string From { get; }

    /// <summary>Gets the stage asked for.</summary>
    public string To { get; }

    /// <summary>Gets the stages the model allows from <see cref="From"/>.</summary>
    public ImmutableArray<string> AllowedTargets { get; }

    /// <summary>Gets why the move is not allowed, or <see langword="null"/> on success.</summary>
    public string? Error { get; }

    /// <summary>Gets the new lifecycle or throws.</summary>
    /// <returns>The lifecycle with the move appended.</returns>
    /// <exception cref="IllegalLifecycleMoveException">The move is not allowed.</exception>
    public CustomerLifecycle GetValueOrThrow() => Lifecycle ?? throw new IllegalLifecycleMoveException(From, To, AllowedTargets);

    internal static LifecycleMoveResult Success(CustomerLifecycle lifecycle, LifecycleMove move, ImmutableArray<string> allowed) =>
        new(lifecycle, move, move.From, move.To, allowed, null);

    internal static LifecycleMoveResult Illegal(string from, string to, ImmutableArray<string> allowed) =>
        new(null, null, from, to, allowed, IllegalMessage(from, to, allowed));

    internal static string IllegalMessage(string from, string to, ImmutableArray<string> allowed) =>
        $"The move {from} → {to} is not allowed; allowed from '{from}': "
        + (allowed.IsDefaultOrEmpty ? "none" : string.Join(", ", allowed)) + ".";
}
