using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>
/// One customer's place in a lifecycle: the current stage, since when, and the full history of moves. Immutable:
/// evaluations and manual moves return a new value with the moves appended.
/// </summary>
/// <remarks>
/// A lifecycle starts in the model's initial stage at <see cref="StartedAt"/>; <see cref="History"/> holds every move
/// in time order, so the stage as of any past instant is reconstructed from it (<see cref="StageAt(Instant)"/>).
/// </remarks>
public sealed record CustomerLifecycle
{
    /// <summary>Creates a lifecycle; prefer <see cref="LifecycleModel.Start(CustomerId, Instant)"/>.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="initialStage">The stage the customer started in.</param>
    /// <param name="startedAt">When the customer entered the initial stage.</param>
    /// <param name="history">The moves since, in time order; each must leave the stage the previous one entered.</param>
    /// <exception cref="ArgumentException">The id is the default value, the stage is not a valid id, or the history is out of order or not connected.</exception>
    public CustomerLifecycle(CustomerId customerId, string initialStage, Instant startedAt, ImmutableArray<LifecycleMove> history = default)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        if (!LifecycleStage.IsValidId(initialStage))
        {
            throw new ArgumentException($"'{initialStage}' is not a valid stage id.", nameof(initialStage));
        }

        history = history.IsDefault ? [] : history;
        var stage = initialStage;
        var at = startedAt;
        foreach (var move in history)
        {
            ArgumentNullException.ThrowIfNull(move, nameof(history));
            if (move.From != stage || move.At < at)
            {
                throw new ArgumentException($"The history is not connected or not in time order at the move {move}.", nameof(history));
            }

            stage = move.To;
            at = move.At;
        }

        CustomerId = customerId;
        InitialStage = initialStage;
        StartedAt = startedAt;
        History = history;
        Stage = stage;
        EnteredAt = at;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the stage the customer started in.</summary>
    public string InitialStage { get; }

    /// <summary>Gets when the customer entered the initial stage.</summary>
    public Instant StartedAt { get; }

    /// <summary>Gets every move in time order (moves at the same instant in the order they were made).</summary>
    public ImmutableArray<LifecycleMove> History { get; }

    /// <summary>Gets the current stage: the target of the last move, or the initial stage.</summary>
    public string Stage { get; }

    /// <summary>Gets when the customer entered the current stage.</summary>
    public Instant EnteredAt { get; }

    /// <summary>Gets the stage as of an instant, reconstructed from the history (moves at exactly <paramref name="at"/> count).</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The stage, or <see langword="null"/> before <see cref="StartedAt"/>.</returns>
    public string? StageAt(Instant at)
    {
        if (at < StartedAt)
        {
            return null;
        }

        var stage = InitialStage;
        foreach (var move in History)
        {
            if (move.At > at)
            {
                break;
            }

            stage = move.To;
        }

        return stage;
    }

    /// <summary>Gets how long the customer has been in the current stage as of an instant.</summary>
    /// <param name="asOf">The instant, not before <see cref="EnteredAt"/>.</param>
    /// <returns>The time since <see cref="EnteredAt"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before <see cref="EnteredAt"/>.</exception>
    public Duration TimeInStage(Instant asOf)
    {
        if (asOf < EnteredAt)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"The instant is before the customer entered '{Stage}' at {EnteredAt}.");
        }

        return asOf - EnteredAt;
    }

    /// <summary>Returns a lifecycle with one more move at the end of the history.</summary>
    /// <param name="move">The move; it must leave <see cref="Stage"/> and not be before <see cref="EnteredAt"/>.</param>
    /// <returns>The new lifecycle.</returns>
    /// <exception cref="ArgumentException">The move does not leave the current stage or is earlier than the last change.</exception>
    public CustomerLifecycle Append(LifecycleMove move)
    {
        ArgumentNullException.ThrowIfNull(move);
        if (move.From != Stage || move.At < EnteredAt)
        {
            throw new ArgumentException($"The move {move} does not leave '{Stage}' or is before {EnteredAt}.", nameof(move));
        }

        return new CustomerLifecycle(this, History.Add(move), move.To, move.At);
    }

    private CustomerLifecycle(CustomerLifecycle original, ImmutableArray<LifecycleMove> history, string stage, Instant enteredAt)
    {
        CustomerId = original.CustomerId;
        InitialStage = original.InitialStage;
        StartedAt = original.StartedAt;
        History = history;
        Stage = stage;
        EnteredAt = enteredAt;
    }

    /// <inheritdoc />
    public bool Equals(CustomerLifecycle? other) =>
        other is not null && CustomerId == other.CustomerId && InitialStage == other.InitialStage
        && StartedAt == other.StartedAt && History.SequenceEqual(other.History);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CustomerId, InitialStage, StartedAt, History.Length, Stage);
}
