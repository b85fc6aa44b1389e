using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tags;

/// <summary>One tag held by one customer: who or what assigned it, when, and until when.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="TagId">The tag.</param>
/// <param name="Source">Manual, or the rule that assigned it.</param>
/// <param name="AssignedAt">When it was assigned.</param>
/// <param name="AssignedBy">Who assigned it (a user name, a process), if recorded.</param>
/// <param name="ExpiresAt">The first instant it no longer holds, or <see langword="null"/> when it does not expire.</param>
public sealed record TagAssignment(CustomerId CustomerId, TagId TagId, TagSource Source, Instant AssignedAt, string? AssignedBy = null, Instant? ExpiresAt = null)
{
    /// <summary>Tells whether the assignment holds at an instant: it does not expire, or expires after it.</summary>
    /// <param name="asOf">The instant.</param>
    /// <returns><see langword="true"/> when it holds.</returns>
    public bool HoldsAt(Instant asOf) => ExpiresAt is not { } e || e > asOf;
}

/// <summary>What happened to an assignment.</summary>
public enum TagChangeKind
{
    /// <summary>A tag was assigned.</summary>
    Assigned = 0,

    /// <summary>A tag replaced the customer's previous tag of a single-select group (<see cref="TagChange.PreviousTagId"/>).</summary>
    Replaced,

    /// <summary>An assignment the customer already held got a new source, assigner or expiry.</summary>
    Updated,

    /// <summary>A tag was removed.</summary>
    Removed,

    /// <summary>An expired assignment was purged.</summary>
    Expired,

    /// <summary>A taxonomy change (merge, retire with successor) moved the assignment from <see cref="TagChange.PreviousTagId"/>.</summary>
    Migrated,
}

/// <summary>One recorded change of a customer's tags, with its reason. Hosts keep these as the tagging history.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="TagId">The tag assigned, updated, removed, or migrated to.</param>
/// <param name="PreviousTagId">The tag replaced or migrated from, if any.</param>
/// <param name="Source">The source of the change (the rule, or manual).</param>
/// <param name="At">When.</param>
/// <param name="By">Who, if recorded.</param>
/// <param name="Reason">Why, in words (e.g. the rule's explanation).</param>
public sealed record TagChange(
    TagChangeKind Kind,
    CustomerId CustomerId,
    TagId TagId,
    TagId? PreviousTagId,
    TagSource Source,
    Instant At,
    string? By,
    string Reason);
