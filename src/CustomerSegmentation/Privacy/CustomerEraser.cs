using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Privacy;

/// <summary>What remains of an erased customer: the pseudonymous id, when, and the keyed hashes of the contact points (never the contact points).</summary>
/// <param name="Pseudonym">The pseudonymous id the activity now lives under.</param>
/// <param name="ErasedAt">When the customer was erased.</param>
/// <param name="ContactKeys">The <see cref="Pseudonymiser"/> pseudonyms of the erased emails and phones.</param>
public sealed record ErasureTombstone(CustomerId Pseudonym, Instant ErasedAt, ImmutableArray<string> ContactKeys);

/// <summary>Keeps erasure tombstones so that a later import of the same email or phone is noticed.</summary>
public interface ITombstoneStore
{
    /// <summary>Adds a tombstone (adding one for the same pseudonym again replaces it).</summary>
    /// <param name="tombstone">The tombstone.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask AddAsync(ErasureTombstone tombstone, CancellationToken cancellationToken = default);

    /// <summary>Finds the tombstones that hold any of the given contact keys.</summary>
    /// <param name="contactKeys">The pseudonyms of a candidate's contact points.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matching tombstones, each once.</returns>
    ValueTask<IReadOnlyList<ErasureTombstone>> FindAsync(IReadOnlyCollection<string> contactKeys, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="ITombstoneStore"/>: in memory, as long as the instance lives.</summary>
/// <threadsafety>Safe for concurrent use.</threadsafety>
public sealed class InMemoryTombstoneStore : ITombstoneStore
{
    private readonly ConcurrentDictionary<CustomerId, ErasureTombstone> _byPseudonym = new();

    /// <summary>Gets the number of tombstones.</summary>
    public int Count => _byPseudonym.Count;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="tombstone"/> is <see langword="null"/>.</exception>
    public ValueTask AddAsync(ErasureTombstone tombstone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tombstone);
        cancellationToken.ThrowIfCancellationRequested();
        _byPseudonym[tombstone.Pseudonym] = tombstone;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="contactKeys"/> is <see langword="null"/>.</exception>
    public ValueTask<IReadOnlyList<ErasureTombstone>> FindAsync(IReadOnlyCollection<string> contactKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contactKeys);
        cancellationToken.ThrowIfCancellationRequested();
        var keys = contactKeys.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<ErasureTombstone> found = [.. _byPseudonym.Values.Where(t => t.ContactKeys.Any(keys.Contains)).OrderBy(t => t.Pseudonym)];
        return ValueTask.FromResult(found);
    }
}

/// <summary>What an erasure did, for the person, the data protection officer and the host's own clean-up.</summary>
/// <param name="Subject">The erased customer's id.</param>
/// <param name="Pseudonym">The pseudonymous id the activity now lives under.</param>
/// <param name="ErasedAt">When.</param>
/// <param name="ProfileFound">Whether a profile was found (an erasure can be re-run to finish a failed one; then only activity may remain).</param>
/// <param name="FieldsRemoved">The personal fields that held a value and were removed (names only).</param>
/// <param name="ContactPointsTombstoned">How many email and phone hashes the tombstone holds.</param>
/// <param name="ActivityRecordsRekeyed">How many activity records moved to the pseudonym.</param>
/// <param name="FieldsKept">The non-personal fields kept on the anonymised profile under the pseudonym.</param>
/// <param name="HostActions">What the host still has to do (data the library does not hold).</param>
public sealed record ErasureReport(
    CustomerId Subject,
    CustomerId Pseudonym,
    Instant ErasedAt,
    bool ProfileFound,
    ImmutableArray<string> FieldsRemoved,
    int ContactPointsTombstoned,
    int ActivityRecordsRekeyed,
    ImmutableArray<string> FieldsKept,
    ImmutableArray<string> HostActions)
{
    /// <summary>Gets the report in words (field names and counts, no values).</summary>
    public string Explanation => string.Create(
        CultureInfo.InvariantCulture,
        $"erased {Subject} at {ErasedAt}: {(ProfileFound ? $"profile removed ({FieldsRemoved.Length} personal field(s): {string.Join(", ", FieldsRemoved)})" : "no profile found (re-run)")}; "
        + $"{ActivityRecordsRekeyed} activity record(s) kept under {Pseudonym}; {ContactPointsTombstoned} contact point hash(es) in the tombstone; "
        + $"kept on the anonymised profile: {(FieldsKept.IsEmpty ? "nothing" : string.Join(", ", FieldsKept))}.");
}

/// <summary>The result of <see cref="CustomerEraser.CheckImportAsync"/>: whether a candidate's email or phone belongs to an erased person.</summary>
/// <param name="Matches">The matching tombstones (empty when none).</param>
/// <param name="MatchedFields">The candidate's contact points that matched, e.g. <c>Emails[0]</c>, <c>Phones[1]</c>.</param>
public sealed record TombstoneCheckResult(ImmutableArray<ErasureTombstone> Matches, ImmutableArray<string> MatchedFields)
{
    /// <summary>Gets a value indicating whether the candidate matches an erased person: the host decides whether to import it (new consent) or not.</summary>
    public bool IsMatch => !Matches.IsEmpty;

    /// <summary>Gets the result in words.</summary>
    public string Explanation => IsMatch
        ? $"{string.Join(", ", MatchedFields)} match(es) {Matches.Length} erased person(s) ({string.Join(", ", Matches.Select(m => m.ErasedAt))}); import only with the person's new consent."
        : "no contact point matches an erased person.";
}

/// <summary>
/// Erases a customer (the right to erasure, 删除权 / GDPR art. 17) while keeping population statistics correct: the profile and contact
/// points go, the activity stays under a pseudonymous id, a tombstone of keyed contact hashes stays, and a report says what was done.
/// </summary>
/// <remarks>
/// <para>Steps, each safe to repeat (a failed erasure is finished by running it again):</para>
/// <list type="number">
/// <item>the pseudonym is <see cref="Pseudonymiser.PseudonymousId"/> of the id: stable, so a re-run finds the same one;</item>
/// <item>a tombstone with the keyed hashes of the emails and phones is added to the <see cref="ITombstoneStore"/>;</item>
/// <item>an anonymised profile is stored under the pseudonym: kind, audit instants and the fields the schema does not mark personal (region,
/// industry, company size, channel, owner, non-personal custom attributes); display name empty, no contact points, no birthday, no consent;</item>
/// <item>every activity record (and referral) moves to the pseudonym (<see cref="IActivityRekeyStore.RekeyAsync"/>), in place, so purchase
/// amounts, times and their order are unchanged;</item>
/// <item>the original profile is deleted at the version read;</item>
/// <item>an <see cref="AuditAction.Erasure"/> entry is written.</item>
/// </list>
/// <para>Why statistics stay the same: every population statistic the library computes is a function of the activity grouped by customer,
/// and the erased customer's group keeps all its records under one new id. Revenue totals, RFM cut points, tier counts and model fits
/// therefore come out identical (an FsCheck property checks all four); what changes is only which id a row carries.</para>
/// </remarks>
/// <threadsafety>Safe for concurrent use when the stores are; erase one customer from one thread at a time.</threadsafety>
public sealed class CustomerEraser
{
    private readonly ICustomerStore _customers;
    private readonly IActivityRekeyStore _activity;
    private readonly Pseudonymiser _pseudonymiser;
    private readonly ITombstoneStore _tombstones;
    private readonly IAuditSink _audit;
    private readonly IClock _clock;
    private readonly ProfileSchema _schema;

    /// <summary>Creates the eraser.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="activity">The activity store; it must implement <see cref="IActivityRekeyStore"/>.</param>
    /// <param name="pseudonymiser">The pseudonymiser with the host key.</param>
    /// <param name="tombstones">The tombstone store.</param>
    /// <param name="audit">The audit sink.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="schema">The schema that says which fields are personal; <see cref="ProfileSchema.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="activity"/> does not implement <see cref="IActivityRekeyStore"/>: it cannot honour erasure.</exception>
    public CustomerEraser(ICustomerStore customers, IActivityStore activity, Pseudonymiser pseudonymiser, ITombstoneStore tombstones, IAuditSink audit, IClock clock, ProfileSchema? schema = null)
    {
        _customers = customers ?? throw new ArgumentNullException(nameof(customers));
        ArgumentNullException.ThrowIfNull(activity);
        _activity = activity as IActivityRekeyStore
            ?? throw new ArgumentException($"The activity store {activity.GetType().Name} does not implement IActivityRekeyStore, so it cannot move an erased customer's activity to a pseudonym.", nameof(activity));
        _pseudonymiser = pseudonymiser ?? throw new ArgumentNullException(nameof(pseudonymiser));
        _tombstones = tombstones ?? throw new ArgumentNullException(nameof(tombstones));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _schema = schema ?? ProfileSchema.Default;
    }

    /// <summary>Erases a customer.</summary>
    /// <param name="actor">Who erases (for the audit entry), e.g. the data protection officer's login.</param>
    /// <param name="id">The customer.</param>
    /// <param name="cancellationToken">Cancels the call between steps; run it again to finish.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is empty, or <paramref name="id"/> is the default value.</exception>
    /// <exception cref="ConcurrencyConflictException">The profile changed between reading and deleting it; run the erasure again.</exception>
    public async ValueTask<ErasureReport> EraseAsync(string actor, CustomerId id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (id == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(id));
        }

        var now = _clock.GetCurrentInstant();
        var pseudonym = _pseudonymiser.PseudonymousId(id);
        var customer = await _customers.GetAsync(id, cancellationToken).ConfigureAwait(false);
        ImmutableArray<string> removed = [], kept = [];
        var keys = ImmutableArray<string>.Empty;
        if (customer is not null)
        {
            keys = ContactKeys(customer);
            await _tombstones.AddAsync(new ErasureTombstone(pseudonym, now, keys), cancellationToken).ConfigureAwait(false);
            (var anonymised, removed, kept) = Anonymise(customer, pseudonym, now);
            if (await _customers.GetAsync(pseudonym, cancellationToken).ConfigureAwait(false) is null)
            {
                await _customers.UpsertAsync(anonymised, 0, cancellationToken).ConfigureAwait(false);
            }
        }

        var moved = await _activity.RekeyAsync(id, pseudonym, cancellationToken).ConfigureAwait(false);
        if (customer is not null)
        {
            await _customers.DeleteAsync(id, customer.Version, cancellationToken).ConfigureAwait(false);
        }

        var report = new ErasureReport(id, pseudonym, now, customer is not null, removed, keys.Length, moved, kept, HostActions(id, pseudonym));
        _audit.Write(new AuditEntry(actor, now, AuditAction.Erasure, id, removed, true, string.Create(CultureInfo.InvariantCulture, $"{removed.Length} personal field(s) removed, {moved} activity record(s) moved to a pseudonym, {keys.Length} contact hash(es) tombstoned")));
        return report;
    }

    /// <summary>Checks an import candidate against the tombstones: does one of its emails or phones belong to an erased person? Matches are audited.</summary>
    /// <param name="actor">Who imports.</param>
    /// <param name="candidate">The candidate customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matches; the host decides what to do (the library never imports or rejects on its own).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidate"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is empty.</exception>
    public async ValueTask<TombstoneCheckResult> CheckImportAsync(string actor, Customer candidate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentNullException.ThrowIfNull(candidate);
        var byKey = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string field)
        {
            if (!byKey.TryGetValue(key, out var list))
            {
                byKey[key] = list = [];
            }

            list.Add(field);
        }

        var emails = candidate.Emails.IsDefault ? [] : candidate.Emails;
        var phones = candidate.Phones.IsDefault ? [] : candidate.Phones;
        for (var i = 0; i < emails.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(emails[i]))
            {
                Add(_pseudonymiser.PseudonymiseEmail(emails[i]), $"{ProfileFields.Emails}[{i}]");
            }
        }

        for (var i = 0; i < phones.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(phones[i]))
            {
                Add(_pseudonymiser.PseudonymisePhone(phones[i]), $"{ProfileFields.Phones}[{i}]");
            }
        }

        var matches = await _tombstones.FindAsync(byKey.Keys, cancellationToken).ConfigureAwait(false);
        ImmutableArray<string> fields = [.. matches.SelectMany(t => t.ContactKeys).Distinct(StringComparer.Ordinal).Where(byKey.ContainsKey).SelectMany(k => byKey[k]).Distinct().Order(StringComparer.Ordinal)];
        var result = new TombstoneCheckResult([.. matches], fields);
        if (result.IsMatch)
        {
            _audit.Write(new AuditEntry(actor, _clock.GetCurrentInstant(), AuditAction.TombstoneMatch, candidate.Id, fields, true, $"import candidate matches {matches.Count} erasure tombstone(s); the host decides"));
        }

        return result;
    }

    private static ImmutableArray<string> HostActions(CustomerId id, CustomerId pseudonym) =>
    [
        $"Re-key or delete what you hold outside the stores under {id}: tag assignments, tier ledgers, lifecycle histories, scores and segment memberships (records: `with {{ CustomerId = {pseudonym} }}`; activity copies: ActivityRekeying.Rekey).",
        "Remove the person from backups, search indexes, caches, message queues and data warehouse copies as your retention policy says (backups: on restore, erase again from the audit log's erasure entries).",
        "Tell processors you shared the data with (mail and SMS providers, couriers) to erase it too.",
        "Keep the pseudonymisation key secret and separate from the data: with it, a known email or phone can be matched to the tombstone.",
    ];

    private ImmutableArray<string> ContactKeys(Customer c)
    {
        var keys = new List<string>();
        foreach (var e in c.Emails.IsDefault ? [] : c.Emails)
        {
            if (!string.IsNullOrWhiteSpace(e))
            {
                keys.Add(_pseudonymiser.PseudonymiseEmail(e));
            }
        }

        foreach (var p in c.Phones.IsDefault ? [] : c.Phones)
        {
            if (!string.IsNullOrWhiteSpace(p))
            {
                keys.Add(_pseudonymiser.PseudonymisePhone(p));
            }
        }

        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private (Customer Anonymised, ImmutableArray<string> Removed, ImmutableArray<string> Kept) Anonymise(Customer c, CustomerId pseudonym, Instant now)
    {
        bool Keeps(string field) => _schema.TryGetField(field, out var f) && f.Sensitivity < FieldSensitivity.Personal;
        string? Keep(string field, string? value) => Keeps(field) ? value : null;
        var attributes = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        var removed = new List<string>();
        var kept = new List<string>();
        void Note(string field, bool hasValue)
        {
            if (hasValue)
            {
                (Keeps(field) ? kept : removed).Add(field);
            }
        }

        Note(ProfileFields.DisplayName, !string.IsNullOrEmpty(c.DisplayName));
        Note(ProfileFields.Emails, !c.Emails.IsDefaultOrEmpty);
        Note(ProfileFields.Phones, !c.Phones.IsDefaultOrEmpty);
        Note(ProfileFields.Region, c.Region is not null);
        Note(ProfileFields.Industry, c.Industry is not null);
        Note(ProfileFields.CompanySize, c.CompanySize is not null);
        Note(ProfileFields.AcquisitionChannel, c.AcquisitionChannel is not null);
        Note(ProfileFields.Owner, c.Owner is not null);
        Note(ProfileFields.Birthday, c.Birthday is not null);
        Note(ProfileFields.MarketingConsent, c.MarketingConsent);
        foreach (var (key, value) in (c.CustomAttributes ?? ImmutableDictionary<string, object>.Empty).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (_schema.TryGetField(key, out var f) && f.IsCustomAttribute && f.Sensitivity < FieldSensitivity.Personal)
            {
                attributes[key] = value;
                kept.Add(key);
            }
            else
            {
                removed.Add(key);
            }
        }

        // the personal fields are not copied; non-personal ones (per schema) stay so that segment and team counts do not change
        var anonymised = new Customer(pseudonym, c.Kind, string.Empty, c.CreatedAt)
        {
            Region = Keep(ProfileFields.Region, c.Region),
            Industry = Keep(ProfileFields.Industry, c.Industry),
            CompanySize = Keep(ProfileFields.CompanySize, c.CompanySize),
            AcquisitionChannel = Keep(ProfileFields.AcquisitionChannel, c.AcquisitionChannel),
            Owner = Keep(ProfileFields.Owner, c.Owner),
            CustomAttributes = attributes.ToImmutable(),
            UpdatedAt = now < c.CreatedAt ? c.CreatedAt : now,
        };
        return (anonymised, [.. removed], [.. kept]);
    }
}
