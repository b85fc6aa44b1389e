using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.DataQuality;

/// <summary>Where a merged field's value came from.</summary>
public enum MergeSource
{
    /// <summary>The survivor (A).</summary>
    Survivor = 0,

    /// <summary>The absorbed record (B).</summary>
    Absorbed,

    /// <summary>Both (a union).</summary>
    Both,

    /// <summary>Neither had a value.</summary>
    Neither,
}

/// <summary>How one field was merged.</summary>
/// <param name="Field">The field (a <see cref="ProfileFields"/> name, or <c>CustomAttributes[key]</c>).</param>
/// <param name="Rule">The rule applied.</param>
/// <param name="Source">Where the kept value came from.</param>
/// <param name="Explanation">Why, in words.</param>
public sealed record FieldDecision(string Field, FieldMergeRule Rule, MergeSource Source, string Explanation);

/// <summary>A value the merge policy did not keep on the survivor; the merge record keeps it so nothing is lost.</summary>
/// <param name="Field">The field (<see cref="ProfileFields"/> name, <c>CustomAttributes[key]</c>, or <c>Tags</c>).</param>
/// <param name="From">The record that held it.</param>
/// <param name="Value">The value as text.</param>
/// <param name="Reason">Why it was not kept.</param>
public sealed record DroppedValue(string Field, CustomerId From, string Value, string Reason);

/// <summary>The merged record and what the policy decided, before anything is stored (see <see cref="CustomerMerger.Combine"/>).</summary>
/// <param name="Merged">The survivor as it will be stored (its version is the survivor's current one).</param>
/// <param name="Decisions">One decision per field.</param>
/// <param name="Dropped">The values not kept.</param>
public sealed record MergePlan(Customer Merged, ImmutableArray<FieldDecision> Decisions, ImmutableArray<DroppedValue> Dropped);

/// <summary>
/// What a merge did: who and when, both records exactly as they were, the stored result, every field decision, every
/// value dropped, and the tag assignments moved or dropped. Enough to explain the merge and to undo it.
/// </summary>
public sealed record MergeRecord
{
    /// <summary>Gets who merged.</summary>
    public required string Actor { get; init; }

    /// <summary>Gets when.</summary>
    public required Instant At { get; init; }

    /// <summary>Gets the survivor's id (A).</summary>
    public CustomerId SurvivorId => SurvivorBefore.Id;

    /// <summary>Gets the absorbed id (B), now an alias of A.</summary>
    public CustomerId AbsorbedId => AbsorbedBefore.Id;

    /// <summary>Gets the survivor exactly as it was read before the merge.</summary>
    public required Customer SurvivorBefore { get; init; }

    /// <summary>Gets the absorbed record exactly as it was read before the merge.</summary>
    public required Customer AbsorbedBefore { get; init; }

    /// <summary>Gets the survivor as stored by the merge (with its new version; undo requires it unchanged).</summary>
    public required Customer SurvivorAfter { get; init; }

    /// <summary>Gets one decision per field.</summary>
    public required ImmutableArray<FieldDecision> Decisions { get; init; }

    /// <summary>Gets the values the policy did not keep (fields, attributes and tags).</summary>
    public required ImmutableArray<DroppedValue> Dropped { get; init; }

    /// <summary>Gets B's tag assignments as they were (empty without a tag index).</summary>
    public ImmutableArray<TagAssignment> AbsorbedTags { get; init; } = [];

    /// <summary>Gets the assignments moved to A (as now held by A).</summary>
    public ImmutableArray<TagAssignment> MovedTags { get; init; } = [];

    /// <summary>Gets the merge in words, e.g. <c>B002 merged into A001 by 王芳 at …: 3 fields from B002, 1 value dropped, 2 tags moved</c>.</summary>
    public string Summary =>
        $"{AbsorbedId} merged into {SurvivorId} by {Actor} at {At}: {Decisions.Count(d => d.Source is MergeSource.Absorbed or MergeSource.Both)} field(s) took values from {AbsorbedId}, {Dropped.Length} value(s) dropped, {MovedTags.Length} tag(s) moved";
}

/// <summary>The outcome of a merge or an undo.</summary>
public enum MergeStatus
{
    /// <summary>Done.</summary>
    Done = 0,

    /// <summary>A record changed concurrently (or since the merge, for an undo); nothing was written (see <see cref="MergeResult.Message"/>).</summary>
    Conflict,

    /// <summary>A record does not exist.</summary>
    NotFound,

    /// <summary>Both ids resolve to the same customer.</summary>
    SameCustomer,
}

/// <summary>The result of <see cref="CustomerMerger.MergeAsync"/> or <see cref="CustomerMerger.UndoAsync"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Message">What happened, in words (for a conflict: which record, which version was expected and found).</param>
/// <param name="Record">The merge record: the new one after a merge, the undone one after an undo; <see langword="null"/> when nothing was done.</param>
public sealed record MergeResult(MergeStatus Status, string Message, MergeRecord? Record)
{
    /// <summary>Gets a value indicating whether the operation was done.</summary>
    public bool Succeeded => Status == MergeStatus.Done;

    /// <summary>Gets, for a conflict, the customer whose version did not match.</summary>
    public CustomerId? ConflictingCustomer { get; init; }

    /// <summary>Gets, for a conflict, the version expected.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Gets, for a conflict, the version found (0 when the record does not exist).</summary>
    public long? ActualVersion { get; init; }
}
