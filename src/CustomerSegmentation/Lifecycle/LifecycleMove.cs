using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>What caused a <see cref="LifecycleMove"/>.</summary>
public enum LifecycleTriggerKind
{
    /// <summary>An automatic rule of the model; <see cref="LifecycleTrigger.Id"/> is the rule id.</summary>
    Rule = 0,

    /// <summary>A person or system acting by hand; <see cref="LifecycleTrigger.Id"/> is the actor.</summary>
    Manual = 1,
}

/// <summary>The cause of a move: a rule id or a named actor.</summary>
/// <param name="Kind">Whether a rule or an actor made the move.</param>
/// <param name="Id">The rule id, or the actor's name.</param>
public readonly record struct LifecycleTrigger(LifecycleTriggerKind Kind, string Id)
{
    /// <summary>Creates the trigger of an automatic rule.</summary>
    /// <param name="ruleId">The rule id.</param>
    /// <returns>The trigger.</returns>
    public static LifecycleTrigger Rule(string ruleId) => new(LifecycleTriggerKind.Rule, ruleId);

    /// <summary>Creates the trigger of a manual move.</summary>
    /// <param name="actor">The actor's name.</param>
    /// <returns>The trigger.</returns>
    public static LifecycleTrigger Manual(string actor) => new(LifecycleTriggerKind.Manual, actor);

    /// <summary>Returns <c>rule:id</c> or <c>actor:name</c>.</summary>
    /// <returns>The trigger as text.</returns>
    public override string ToString() => (Kind == LifecycleTriggerKind.Rule ? "rule:" : "actor:") + Id;
}

/// <summary>One figure behind a rule's decision, e.g. <c>days since last purchase 95 &gt; 90</c>.</summary>
/// <param name="Name">What was measured, e.g. <c>days since last purchase</c>.</param>
/// <param name="Actual">The customer's value.</param>
/// <param name="Comparison">The comparison required: <c>&gt;=</c>, <c>&lt;=</c> or <c>&gt;</c>.</param>
/// <param name="Threshold">The threshold from the rule (a resolved window length in days for windows).</param>
/// <param name="Met">Whether the comparison holds.</param>
public readonly record struct LifecycleFigure(string Name, double Actual, string Comparison, double Threshold, bool Met)
{
    /// <summary>Returns e.g. <c>days since last purchase 95 &gt; 90 (met)</c>.</summary>
    /// <returns>The figure as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} {Actual:0.##} {Comparison} {Threshold:0.##} ({(Met ? "met" : "not met")})");
}

/// <summary>A recorded change of stage: from, to, when, what caused it and why.</summary>
/// <param name="From">The stage left.</param>
/// <param name="To">The stage entered.</param>
/// <param name="At">
/// When the move took effect: the evaluation instant for snapshot evaluations, the instant the condition became true
/// for timelines (<see cref="LifecycleTimelineBuilder"/>), or the instant given for manual moves.
/// </param>
/// <param name="Trigger">The rule or actor that made the move.</param>
/// <param name="Reason">Why, in words with the figures (for a manual move, the actor's reason).</param>
public sealed record LifecycleMove(string From, string To, Instant At, LifecycleTrigger Trigger, string Reason)
{
    /// <summary>Gets the figures that made the rule fire (empty for manual moves).</summary>
    public ImmutableArray<LifecycleFigure> Figures { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(LifecycleMove? other) =>
        other is not null && From == other.From && To == other.To && At == other.At && Trigger == other.Trigger
        && Reason == other.Reason && Figures.AsSpan().SequenceEqual(other.Figures.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(From, To, At, Trigger, Reason);

    /// <summary>Returns e.g. <c>2026-03-01T00:00:00Z active → at-risk (rule:at-risk): …</c>.</summary>
    /// <returns>The move as text.</returns>
    public override string ToString() => $"{At} {From} → {To} ({Trigger}): {Reason}";
}
