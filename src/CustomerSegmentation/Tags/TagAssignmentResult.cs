using System.Collections.Immutable;

namespace CustomerSegmentation.Tags;

/// <summary>How an assignment request ended.</summary>
public enum TagAssignmentOutcome
{
    /// <summary>The tag was assigned.</summary>
    Assigned = 0,

    /// <summary>The tag was assigned and replaced the customer's previous tag of its single-select group.</summary>
    Replaced,

    /// <summary>The customer already held the tag; its source, assigner or expiry changed.</summary>
    Updated,

    /// <summary>The customer already held the tag with the same source and expiry; nothing changed (the original instant and assigner stay).</summary>
    Unchanged,

    /// <summary>A rule's assignment was not made because a manual assignment holds (the same tag, or another tag of the single-select group).</summary>
    KeptManual,

    /// <summary>The request was invalid (see <see cref="TagAssignmentResult.Errors"/>); nothing changed.</summary>
    Rejected,
}

/// <summary>The result of an assignment request: the outcome, the changes made and, when rejected, why.</summary>
public sealed record TagAssignmentResult
{
    /// <summary>Gets the outcome.</summary>
    public required TagAssignmentOutcome Outcome { get; init; }

    /// <summary>Gets the changes made, in order (a replacement records the new assignment with its previous tag).</summary>
    public ImmutableArray<TagChange> Changes { get; init; } = [];

    /// <summary>Gets why the request was rejected; empty otherwise.</summary>
    public ImmutableArray<string> Errors { get; init; } = [];

    /// <summary>Gets the assignment that now holds: the new one, or the manual one that was kept.</summary>
    public TagAssignment? Assignment { get; init; }

    /// <summary>Gets a value indicating whether the request was valid (it may still have changed nothing).</summary>
    public bool IsValid => Outcome != TagAssignmentOutcome.Rejected;

    /// <summary>Gets a value indicating whether anything changed.</summary>
    public bool Changed => !Changes.IsEmpty;
}
