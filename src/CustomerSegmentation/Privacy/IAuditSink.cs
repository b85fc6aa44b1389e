using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Privacy;

/// <summary>Receives audit entries: reads of personal fields, changes, merges, exports, erasures and denied attempts.</summary>
/// <remarks>
/// One member, like a log sink: an implementation that writes to a database or a log should buffer and never throw for a full buffer
/// (a lost audit entry is the host's policy decision). Entries never hold personal values (see <see cref="AuditEntry"/>).
/// The in-memory default is <see cref="InMemoryAuditSink"/>.
/// </remarks>
public interface IAuditSink
{
    /// <summary>Records one entry.</summary>
    /// <param name="entry">The entry.</param>
    void Write(AuditEntry entry);
}

/// <summary>What an <see cref="AuditEntry"/> records.</summary>
public enum AuditAction
{
    /// <summary>Personal fields were shown in clear to a caller.</summary>
    Read = 0,

    /// <summary>Fields were changed.</summary>
    Change = 1,

    /// <summary>Two customers were merged (data quality).</summary>
    Merge = 2,

    /// <summary>Everything held about a customer, or a view, was exported.</summary>
    Export = 3,

    /// <summary>A customer was erased.</summary>
    Erasure = 4,

    /// <summary>An import matched an erasure tombstone.</summary>
    TombstoneMatch = 5,
}

/// <summary>
/// One audit entry: who (<see cref="Actor"/>), when (<see cref="At"/>), what (<see cref="Action"/>, <see cref="Fields"/> by name), about whom
/// (<see cref="Subject"/>), whether it was allowed, and a library-written <see cref="Detail"/> that names fields, roles and counts but never a value.
/// </summary>
/// <param name="Actor">The actor's id (<see cref="AccessCaller.Actor"/>).</param>
/// <param name="At">When it happened.</param>
/// <param name="Action">What was done or attempted.</param>
/// <param name="Subject">The customer concerned (an id, not a personal value: ids are <see cref="FieldSensitivity.Internal"/>).</param>
/// <param name="Fields">The names of the fields concerned.</param>
/// <param name="Allowed"><see langword="false"/> for a denied attempt.</param>
/// <param name="Detail">Why, in words, without personal values.</param>
public sealed record AuditEntry(string Actor, Instant At, AuditAction Action, CustomerId Subject, ImmutableArray<string> Fields, bool Allowed, string Detail)
{
    /// <summary>Returns one line: instant, actor, action, outcome, subject, fields and detail.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{At} {Actor} {Action}{(Allowed ? string.Empty : " DENIED")} {Subject} [{string.Join(", ", Fields.IsDefault ? [] : Fields)}] {Detail}";
}

/// <summary>The default <see cref="IAuditSink"/>: keeps entries in memory, in the order written.</summary>
/// <threadsafety>Safe for concurrent use.</threadsafety>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly Lock _gate = new();
    private readonly List<AuditEntry> _entries = [];

    /// <summary>Gets a snapshot of the entries, in the order written.</summary>
    public ImmutableArray<AuditEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    public void Write(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }
}
