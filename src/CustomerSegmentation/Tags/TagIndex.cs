using System.Collections.Immutable;
using System.Runtime.InteropServices;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tags;

/// <summary>
/// The in-memory home of customers' tag assignments, indexed both ways: per customer a compact list of
/// (tag, source, assigned-at) entries, per tag a posting set of customers (a sorted array while sparse, a bitset once
/// dense). "Customers with tag X or any descendant" is the union of the subtree's posting sets, never a scan of every
/// customer. Single-select groups are enforced on every assignment.
/// </summary>
/// <remarks>
/// <para>Customers get dense ordinals in the order they are first seen. An entry takes 16 bytes; sources and
/// assigners are interned; expiry instants live in a side table because few assignments expire.</para>
/// <para>Instants are stored as nanoseconds since 1970 in a 64-bit integer, so assignment instants must fall between
/// the years 1678 and 2262 (otherwise <see cref="ArgumentOutOfRangeException"/>).</para>
/// <para>Queries take an optional as-of instant: with it, assignments that expired at or before it are left out;
/// without it, every stored assignment counts. <see cref="RemoveExpired"/> purges expired ones.</para>
/// <para>A mutable store rather than a <c>*Builder</c>: it is the structure hosts keep and query, not a step towards an
/// immutable value.</para>
/// </remarks>
/// <threadsafety>Not thread-safe for writes. Any number of concurrent readers are safe while no thread writes.</threadsafety>
public sealed partial class TagIndex
{
    private static readonly Instant Epoch = Instant.FromUnixTimeTicks(0);
    private static readonly Instant MinStorable = Epoch + Duration.FromNanoseconds(long.MinValue + 1);
    private static readonly Instant MaxStorable = Epoch + Duration.FromNanoseconds(long.MaxValue);

    private readonly Dictionary<CustomerId, int> _ordinals;
    private readonly List<CustomerId> _customers;
    private readonly Dictionary<long, long> _expiries = [];
    private readonly List<(TagSource Source, string? By)> _provenances = [];
    private readonly Dictionary<(TagSourceKind Kind, string? RuleId, string? By), int> _provenanceIds = [];
    private TagEntry[][] _rows;
    private int[] _rowCounts;
    private PostingSet?[] _postings;
    private int[] _expiringPerTag;

    /// <summary>Creates an empty index over a taxonomy.</summary>
    /// <param name="taxonomy">The taxonomy whose tags may be assigned.</param>
    /// <param name="expectedCustomers">How many customers to make room for up front (growing is by doubling).</param>
    /// <exception cref="ArgumentNullException"><paramref name="taxonomy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedCustomers"/> is negative.</exception>
    public TagIndex(TagTaxonomy taxonomy, int expectedCustomers = 0)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCustomers);
        Taxonomy = taxonomy;
        _ordinals = new Dictionary<CustomerId, int>(expectedCustomers);
        _customers = new List<CustomerId>(expectedCustomers);
        _rows = new TagEntry[Math.Max(expectedCustomers, 16)][];
        _rowCounts = new int[_rows.Length];
        _postings = new PostingSet?[taxonomy.TagCount];
        _expiringPerTag = new int[taxonomy.TagCount];
        _provenanceIds[(TagSourceKind.Manual, null, null)] = 0;
        _provenances.Add((TagSource.Manual, null));
    }

    /// <summary>Gets the taxonomy the index works with; <see cref="Apply"/> moves it to a new version.</summary>
    public TagTaxonomy Taxonomy { get; private set; }

    /// <summary>Gets the number of customers the index has seen (customers never leave; their tags may all be removed).</summary>
    public int CustomerCount => _customers.Count;

    /// <summary>Gets the number of stored assignments (expired ones included until purged).</summary>
    public long AssignmentCount { get; private set; }

    /// <summary>Gets the customers the index has seen, in the order first seen.</summary>
    public IReadOnlyList<CustomerId> Customers => _customers;

    /// <summary>Assigns a tag to a customer. In a single-select group, the customer's other tag of the group is replaced
    /// (recorded as <see cref="TagChangeKind.Replaced"/>), except that a rule never replaces or overrides a manual assignment.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="tagId">The tag; must be active.</param>
    /// <param name="source">Manual, or the assigning rule.</param>
    /// <param name="at">When the assignment is made.</param>
    /// <param name="by">Who makes it, if recorded.</param>
    /// <param name="expiresAt">When it stops holding, if ever; must be after <paramref name="at"/>.</param>
    /// <returns>The outcome; an unknown, retired or merged tag or a bad expiry is <see cref="TagAssignmentOutcome.Rejected"/> with the reason.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> or <paramref name="tagId"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An instant is outside the storable range (years 1678..2262).</exception>
    public TagAssignmentResult Assign(CustomerId customerId, TagId tagId, TagSource source, Instant at, string? by = null, Instant? expiresAt = null)
    {
        RequireIds(customerId, tagId);
        var atNanos = ToNanos(at, nameof(at));
        if (expiresAt is { } e)
        {
            ToNanos(e, nameof(expiresAt));
        }

        var t = Taxonomy.OrdinalOf(tagId);
        string? error = null;
        if (t < 0)
        {
            error = $"Tag '{tagId}' is not in the taxonomy (version {Taxonomy.Version}).";
        }
        else if (Taxonomy.Tags[t] is { IsActive: false } inactive)
        {
            error = inactive.SuccessorId is { } s
                ? $"Tag '{tagId}' is {inactive.Status.ToString().ToUpperInvariant()} and takes no new assignments; assign its successor '{Taxonomy.ResolveCurrent(s)}'."
                : $"Tag '{tagId}' is {inactive.Status.ToString().ToUpperInvariant()} and takes no new assignments.";
        }
        else if (expiresAt is { } x && x <= at)
        {
            error = $"The expiry {x} is not after the assignment instant {at}.";
        }

        if (error is not null)
        {
            return new TagAssignmentResult { Outcome = TagAssignmentOutcome.Rejected, Errors = [error] };
        }

        var c = GetOrAddCustomer(customerId);
        return AssignCore(c, t, source, atNanos, by, expiresAt, source.IsManual ? "assigned manually" : $"assigned by rule '{source.RuleId}'");
    }

    /// <summary>Assigns a tag as described by an assignment (e.g. one read back from storage), keeping its instants, source and assigner.</summary>
    /// <param name="assignment">The assignment.</param>
    /// <returns>The outcome, as for <see cref="Assign(CustomerId, TagId, TagSource, Instant, string?, Instant?)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assignment"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An id is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An instant is outside the storable range.</exception>
    public TagAssignmentResult Assign(TagAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return Assign(assignment.CustomerId, assignment.TagId, assignment.Source, assignment.AssignedAt, assignment.AssignedBy, assignment.ExpiresAt);
    }

    /// <summary>Removes a tag from a customer, whatever its source.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="tagId">The tag.</param>
    /// <param name="at">When.</param>
    /// <param name="by">Who, if recorded.</param>
    /// <returns>The recorded change, or <see langword="null"/> when the customer did not hold the tag.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> or <paramref name="tagId"/> is the default value.</exception>
    public TagChange? Remove(CustomerId customerId, TagId tagId, Instant at, string? by = null)
    {
        RequireIds(customerId, tagId);
        var c = OrdinalOf(customerId);
        var t = Taxonomy.OrdinalOf(tagId);
        if (c < 0 || t < 0 || IndexOfTag(c, t) is var i && i < 0)
        {
            return null;
        }

        var source = _provenances[_rows[c][i].Provenance].Source;
        RemoveEntryAt(c, i);
        return new TagChange(TagChangeKind.Removed, customerId, tagId, null, source, at, by, "removed manually");
    }

    /// <summary>Purges every assignment that expired at or before an instant.</summary>
    /// <param name="asOf">The instant.</param>
    /// <returns>One <see cref="TagChangeKind.Expired"/> change per purged assignment.</returns>
    public ImmutableArray<TagChange> RemoveExpired(Instant asOf)
    {
        var changes = ImmutableArray.CreateBuilder<TagChange>();
        foreach (var (key, expiry) in _expiries.ToArray())
        {
            if (FromNanos(expiry) > asOf)
            {
                continue;
            }

            var c = (int)(key >> 32);
            var t = (int)(key & 0xFFFF_FFFF);
            var i = IndexOfTag(c, t);
            var source = _provenances[_rows[c][i].Provenance].Source;
            RemoveEntryAt(c, i);
            changes.Add(new TagChange(TagChangeKind.Expired, _customers[c], Taxonomy.Tags[t].Id, null, source, asOf, null, $"expired at {FromNanos(expiry)}"));
        }

        return changes.ToImmutable();
    }

    internal int OrdinalOf(CustomerId customerId) => _ordinals.TryGetValue(customerId, out var c) ? c : -1;

    internal CustomerId CustomerAt(int ordinal) => _customers[ordinal];

    internal int GetOrAddCustomer(CustomerId customerId)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_ordinals, customerId, out var exists);
        if (exists)
        {
            return slot;
        }

        var c = _customers.Count;
        slot = c;
        _customers.Add(customerId);
        if (c == _rows.Length)
        {
            Array.Resize(ref _rows, c * 2);
            Array.Resize(ref _rowCounts, c * 2);
        }

        _rows[c] = [];
        return c;
    }

    internal ReadOnlySpan<TagEntry> EntriesOf(int customer) => _rows[customer].AsSpan(0, _rowCounts[customer]);

    internal TagSource SourceOf(in TagEntry entry) => _provenances[entry.Provenance].Source;

    internal int IndexOfTag(int customer, int tag)
    {
        var row = EntriesOf(customer);
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i].Tag == tag)
            {
                return i;
            }
        }

        return -1;
    }

    internal TagAssignmentResult AssignCore(int c, int t, TagSource source, long atNanos, string? by, Instant? expiresAt, string reason)
    {
        var prov = Intern(source, by);
        var customerId = _customers[c];
        var tagId = Taxonomy.Tags[t].Id;
        var at = FromNanos(atNanos);
        var i = IndexOfTag(c, t);
        if (i >= 0)
        {
            ref var existing = ref _rows[c][i];
            var existingSource = _provenances[existing.Provenance].Source;
            if (existingSource.IsManual && !source.IsManual)
            {
                return new TagAssignmentResult { Outcome = TagAssignmentOutcome.KeptManual, Assignment = Materialise(c, existing) };
            }

            var key = Key(c, t);
            Instant? oldExpiry = _expiries.TryGetValue(key, out var ex) ? FromNanos(ex) : null;
            if (existingSource == source && oldExpiry == expiresAt)
            {
                return new TagAssignmentResult { Outcome = TagAssignmentOutcome.Unchanged, Assignment = Materialise(c, existing) };
            }

            existing.Provenance = prov;
            SetExpiry(c, t, expiresAt);
            return new TagAssignmentResult
            {
                Outcome = TagAssignmentOutcome.Updated,
                Assignment = Materialise(c, existing),
                Changes = [new TagChange(TagChangeKind.Updated, customerId, tagId, null, source, at, by, reason)],
            };
        }

        var group = Taxonomy.GroupOrdinalOfTag(t);
        TagId? previous = null;
        if (Taxonomy.IsSingleSelectGroup(group))
        {
            var row = EntriesOf(c);
            for (var j = 0; j < row.Length; j++)
            {
                if (Taxonomy.GroupOrdinalOfTag(row[j].Tag) != group)
                {
                    continue;
                }

                if (_provenances[row[j].Provenance].Source.IsManual && !source.IsManual)
                {
                    return new TagAssignmentResult { Outcome = TagAssignmentOutcome.KeptManual, Assignment = Materialise(c, row[j]) };
                }

                previous = Taxonomy.Tags[row[j].Tag].Id;
                RemoveEntryAt(c, j);
                break;
            }
        }

        var entry = new TagEntry { Tag = t, Provenance = prov, AssignedAt = atNanos };
        AddEntry(c, entry);
        SetExpiry(c, t, expiresAt);
        var kind = previous is null ? TagChangeKind.Assigned : TagChangeKind.Replaced;
        var why = previous is { } p ? $"{reason}; replaces '{p}' (single-select group '{Taxonomy.Groups[group].Id}')" : reason;
        return new TagAssignmentResult
        {
            Outcome = previous is null ? TagAssignmentOutcome.Assigned : TagAssignmentOutcome.Replaced,
            Assignment = Materialise(c, entry),
            Changes = [new TagChange(kind, customerId, tagId, previous, source, at, by, why)],
        };
    }

    internal void RemoveEntryAt(int c, int i)
    {
        var row = _rows[c];
        var t = row[i].Tag;
        var count = _rowCounts[c];
        row[i] = row[count - 1];
        _rowCounts[c] = count - 1;
        _postings[t]!.Remove(c, _customers.Count);
        SetExpiry(c, t, null);
        AssignmentCount--;
    }

    internal TagAssignment Materialise(int c, in TagEntry entry)
    {
        var (source, by) = _provenances[entry.Provenance];
        Instant? expiry = _expiries.TryGetValue(Key(c, entry.Tag), out var e) ? FromNanos(e) : null;
        return new TagAssignment(_customers[c], Taxonomy.Tags[entry.Tag].Id, source, FromNanos(entry.AssignedAt), by, expiry);
    }

    internal static long ToNanos(Instant instant, string paramName) =>
        instant < MinStorable || instant > MaxStorable
            ? throw new ArgumentOutOfRangeException(paramName, instant, "Tag assignment instants must fall between the years 1678 and 2262.")
            : (instant - Epoch).ToInt64Nanoseconds();

    internal static Instant FromNanos(long nanos) => Epoch + Duration.FromNanoseconds(nanos);

    private static long Key(int c, int t) => ((long)c << 32) | (uint)t;

    private static void RequireIds(CustomerId customerId, TagId tagId)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        if (tagId == default)
        {
            throw new ArgumentException("The tag id must not be the default value.", nameof(tagId));
        }
    }

    private void AddEntry(int c, TagEntry entry)
    {
        var count = _rowCounts[c];
        if (count == _rows[c].Length)
        {
            Array.Resize(ref _rows[c], Math.Max(2, count * 2));
        }

        _rows[c][count] = entry;
        _rowCounts[c] = count + 1;
        (_postings[entry.Tag] ??= new PostingSet()).Add(c, _customers.Count);
        AssignmentCount++;
    }

    private void SetExpiry(int c, int t, Instant? expiresAt)
    {
        var key = Key(c, t);
        var had = _expiries.Remove(key);
        if (had)
        {
            _expiringPerTag[t]--;
        }

        if (expiresAt is { } e)
        {
            _expiries[key] = ToNanos(e, nameof(expiresAt));
            _expiringPerTag[t]++;
        }
    }

    private int Intern(TagSource source, string? by)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_provenanceIds, (source.Kind, source.RuleId, by), out var exists);
        if (!exists)
        {
            slot = _provenances.Count;
            _provenances.Add((source, by));
        }

        return slot;
    }
}

/// <summary>One stored assignment: 16 bytes.</summary>
internal struct TagEntry
{
    public int Tag;
    public int Provenance;
    public long AssignedAt;
}
