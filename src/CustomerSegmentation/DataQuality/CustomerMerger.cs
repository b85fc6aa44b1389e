using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.DataQuality;

/// <summary>
/// Merges a duplicate record B into a survivor A through the store interfaces, and undoes a merge exactly.
/// </summary>
/// <remarks>
/// <para><b>Merge.</b> Both ids are resolved through the aliases first. A and B are read; the policy combines them
/// (<see cref="Combine"/>); then, in this order: A is written with the version read; B → A is added as an alias; B is
/// deleted with the version read; B's tags move to A in the tag index (if one is given). If A changed since it was read,
/// the first write fails and nothing is written. If B changed (or was merged elsewhere), the later step fails and the
/// steps already done are compensated: the alias is removed and A is written back with its old content. The stores offer
/// no multi-record transaction and a version is never reused, so after a compensated conflict A's content equals the
/// original and its version is two higher; no reader can see a half merge survive.</para>
/// <para><b>Activity, tier and stage history</b> stay stored under B and move to A through the alias:
/// <see cref="AliasResolvingActivityStore"/> streams them as A's, <see cref="MergedHistory"/> combines histories.
/// That keeps the merge append-only stores never rewrite, and makes undo exact.</para>
/// <para><b>Undo</b> requires A unchanged since the merge (its version is the merge's), B still absent and the alias in
/// place; otherwise <see cref="MergeStatus.Conflict"/> with what changed, and nothing is written. It writes A's old content,
/// re-creates B with its old content (B's version starts again at 1: versions are the store's), removes the alias and
/// gives B its tags back. Content means every field but <see cref="Customer.Version"/>.</para>
/// </remarks>
/// <threadsafety>Safe to use from several threads as long as the tag index (not thread-safe for writes) is not shared
/// with other writers; the stores' versions serialise concurrent merges.</threadsafety>
public sealed class CustomerMerger
{
    private readonly ICustomerStore _store;
    private readonly ICustomerAliasStore _aliases;
    private readonly IClock _clock;
    private readonly TagIndex? _tags;

    /// <summary>Creates a merger.</summary>
    /// <param name="store">The customer store itself (not an <see cref="AliasResolvingCustomerStore"/>).</param>
    /// <param name="aliases">The aliases.</param>
    /// <param name="clock">The clock for the merge instant.</param>
    /// <param name="policy">The default merge policy; <see cref="MergePolicy.Default"/> when <see langword="null"/>.</param>
    /// <param name="tags">The tag index whose assignments move, if any.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    public CustomerMerger(ICustomerStore store, ICustomerAliasStore aliases, IClock clock, MergePolicy? policy = null, TagIndex? tags = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _aliases = aliases ?? throw new ArgumentNullException(nameof(aliases));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Policy = policy ?? MergePolicy.Default;
        _tags = tags;
    }

    /// <summary>Gets the default merge policy.</summary>
    public MergePolicy Policy { get; }

    /// <summary>Combines two records with a policy; stores nothing.</summary>
    /// <param name="survivor">A.</param>
    /// <param name="absorbed">B.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="at">The merge instant (the merged record's <see cref="Customer.UpdatedAt"/>).</param>
    /// <returns>The merged record, the decisions and the dropped values.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static MergePlan Combine(Customer survivor, Customer absorbed, MergePolicy policy, Instant at)
    {
        ArgumentNullException.ThrowIfNull(survivor);
        ArgumentNullException.ThrowIfNull(absorbed);
        ArgumentNullException.ThrowIfNull(policy);
        var decisions = ImmutableArray.CreateBuilder<FieldDecision>();
        var dropped = ImmutableArray.CreateBuilder<DroppedValue>();
        var bNewer = absorbed.UpdatedAt > survivor.UpdatedAt;

        T Pick<T>(string field, T a, T b, Func<T, bool> isEmpty, Func<T, string> text)
        {
            var rule = policy.RuleFor(field);
            bool takeB;
            string why;
            if (rule == FieldMergeRule.KeepSurvivor)
            {
                takeB = false;
                why = "the survivor's value is kept";
            }
            else if (isEmpty(a) && isEmpty(b))
            {
                decisions.Add(new FieldDecision(field, rule, MergeSource.Neither, "neither record has a value"));
                return a;
            }
            else if (isEmpty(b))
            {
                takeB = false;
                why = $"{absorbed.Id} has no value";
            }
            else if (isEmpty(a))
            {
                takeB = true;
                why = $"{survivor.Id} has no value";
            }
            else
            {
                takeB = bNewer;
                why = bNewer ? $"{absorbed.Id} was changed later ({absorbed.UpdatedAt})" : $"{survivor.Id} was changed later or at the same time ({survivor.UpdatedAt})";
            }

            var (kept, other, otherId) = takeB ? (b, a, survivor.Id) : (a, b, absorbed.Id);
            if (!isEmpty(other) && !EqualityComparer<T>.Default.Equals(kept, other))
            {
                dropped.Add(new DroppedValue(field, otherId, text(other), $"{rule}: {why}"));
            }

            decisions.Add(new FieldDecision(field, rule, takeB ? MergeSource.Absorbed : MergeSource.Survivor, why));
            return kept;
        }

        static bool NoText(string? s) => string.IsNullOrWhiteSpace(s);
        static string Text(string? s) => s ?? string.Empty;
        var name = Pick(ProfileFields.DisplayName, survivor.DisplayName, absorbed.DisplayName, NoText, Text);
        var kind = Pick(ProfileFields.Kind, survivor.Kind, absorbed.Kind, _ => false, k => k.ToString());
        var consent = Pick(ProfileFields.MarketingConsent, survivor.MarketingConsent, absorbed.MarketingConsent, _ => false, c => c ? "true" : "false");
        var verified = Pick(ProfileFields.LastVerifiedAt, survivor.LastVerifiedAt, absorbed.LastVerifiedAt, v => v is null, v => v?.ToString() ?? string.Empty);
        var region = Pick(ProfileFields.Region, survivor.Region, absorbed.Region, NoText, Text);
        var industry = Pick(ProfileFields.Industry, survivor.Industry, absorbed.Industry, NoText, Text);
        var size = Pick(ProfileFields.CompanySize, survivor.CompanySize, absorbed.CompanySize, NoText, Text);
        var channel = Pick(ProfileFields.AcquisitionChannel, survivor.AcquisitionChannel, absorbed.AcquisitionChannel, NoText, Text);
        var owner = Pick(ProfileFields.Owner, survivor.Owner, absorbed.Owner, NoText, Text);
        var birthday = Pick(ProfileFields.Birthday, survivor.Birthday, absorbed.Birthday, b => b is null, b => b?.ToString() ?? string.Empty);
        var emails = Contacts(ProfileFields.Emails, survivor.Emails, absorbed.Emails, EmailKey);
        var phones = Contacts(ProfileFields.Phones, survivor.Phones, absorbed.Phones, PhoneKey);
        var attributes = Attributes();

        var merged = new Customer(survivor.Id, kind, name, survivor.CreatedAt < absorbed.CreatedAt ? survivor.CreatedAt : absorbed.CreatedAt)
        {
            Emails = emails,
            Phones = phones,
            Region = region,
            Industry = industry,
            CompanySize = size,
            AcquisitionChannel = channel,
            Owner = owner,
            Birthday = birthday,
            MarketingConsent = consent,
            CustomAttributes = attributes,
            UpdatedAt = at,
            LastVerifiedAt = verified,
            Version = survivor.Version,
        };
        decisions.Add(new FieldDecision(ProfileFields.CreatedAt, FieldMergeRule.KeepSurvivor, survivor.CreatedAt <= absorbed.CreatedAt ? MergeSource.Survivor : MergeSource.Absorbed, "the earlier creation instant: the customer existed since then"));
        return new MergePlan(merged, decisions.ToImmutable(), dropped.ToImmutable());

        ImmutableArray<string> Contacts(string field, ImmutableArray<string> a, ImmutableArray<string> b, Func<string, string> key)
        {
            a = a.IsDefault ? [] : a;
            b = b.IsDefault ? [] : b;
            var rule = policy.RuleFor(field);
            if (rule != FieldMergeRule.Union)
            {
                return Pick(field, a, b, x => x.IsEmpty, x => string.Join(", ", x));
            }

            var result = ImmutableArray.CreateBuilder<string>();
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            var fromB = 0;
            foreach (var (value, owner, isB) in a.Select(v => (v, survivor.Id, false)).Concat(b.Select(v => (v, absorbed.Id, true))))
            {
                var k = key(value);
                if (seen.TryGetValue(k, out var first))
                {
                    dropped.Add(new DroppedValue(field, owner, value, $"Union: the same as '{first}' after normalisation"));
                    continue;
                }

                seen[k] = value;
                result.Add(value);
                fromB += isB ? 1 : 0;
            }

            decisions.Add(new FieldDecision(field, rule, fromB > 0 ? (a.IsEmpty ? MergeSource.Absorbed : MergeSource.Both) : a.IsEmpty ? MergeSource.Neither : MergeSource.Survivor, $"union: {a.Length} from {survivor.Id}, {fromB} new from {absorbed.Id}"));
            return result.ToImmutable();
        }

        ImmutableDictionary<string, object> Attributes()
        {
            var a = survivor.CustomAttributes ?? ImmutableDictionary<string, object>.Empty;
            var b = absorbed.CustomAttributes ?? ImmutableDictionary<string, object>.Empty;
            var rule = policy.RuleFor(ProfileFields.CustomAttributes);
            if (rule != FieldMergeRule.Union)
            {
                return Pick(ProfileFields.CustomAttributes, a, b, x => x.Count == 0, x => string.Join(", ", x.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Describe(p.Value)}")));
            }

            var result = a.ToBuilder();
            var fromB = 0;
            foreach (var (k, bv) in b.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var field = $"{ProfileFields.CustomAttributes}[{k}]";
                if (!a.TryGetValue(k, out var av))
                {
                    result[k] = bv;
                    fromB++;
                    continue;
                }

                if (Equals(av, bv))
                {
                    continue;
                }

                var keyRule = policy.RuleForAttribute(k);
                var takeB = keyRule == FieldMergeRule.NewestNonEmpty && bNewer;
                if (takeB)
                {
                    result[k] = bv;
                    fromB++;
                }

                dropped.Add(new DroppedValue(field, takeB ? survivor.Id : absorbed.Id, Describe(takeB ? av : bv), takeB ? $"{keyRule}: {absorbed.Id} was changed later" : $"{keyRule}: the survivor's value '{Describe(av)}' is kept"));
                decisions.Add(new FieldDecision(field, keyRule, takeB ? MergeSource.Absorbed : MergeSource.Survivor, "both records hold the key with different values"));
            }

            decisions.Add(new FieldDecision(ProfileFields.CustomAttributes, rule, fromB > 0 ? MergeSource.Both : MergeSource.Survivor, $"union: {a.Count} key(s) from {survivor.Id}, {fromB} taken from {absorbed.Id}"));
            return result.ToImmutable();
        }
    }

    /// <summary>Merges B into A.</summary>
    /// <param name="survivorId">A (an alias resolves to its survivor).</param>
    /// <param name="absorbedId">B.</param>
    /// <param name="actor">Who merges (kept in the record).</param>
    /// <param name="policy">A policy for this merge; the merger's when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call (before the first write).</param>
    /// <returns>Done with the record, or why nothing was merged.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is empty.</exception>
    public async ValueTask<MergeResult> MergeAsync(CustomerId survivorId, CustomerId absorbedId, string actor, MergePolicy? policy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var aId = await _aliases.ResolveAsync(survivorId, cancellationToken).ConfigureAwait(false);
        var bId = await _aliases.ResolveAsync(absorbedId, cancellationToken).ConfigureAwait(false);
        if (aId == bId)
        {
            return new MergeResult(MergeStatus.SameCustomer, $"{survivorId} and {absorbedId} are already the same customer ({aId}).", null);
        }

        var a = await _store.GetAsync(aId, cancellationToken).ConfigureAwait(false);
        var b = await _store.GetAsync(bId, cancellationToken).ConfigureAwait(false);
        if (a is null || b is null)
        {
            return new MergeResult(MergeStatus.NotFound, $"Customer {(a is null ? aId : bId)} does not exist.", null);
        }

        var at = _clock.GetCurrentInstant();
        var plan = Combine(a, b, policy ?? Policy, at);
        cancellationToken.ThrowIfCancellationRequested();

        Customer stored;
        try
        {
            stored = await _store.UpsertAsync(plan.Merged, a.Version, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException e)
        {
            return Conflict(e, "the survivor changed since it was read; nothing was written");
        }

        if (!await _aliases.TryAddAsync(bId, aId, CancellationToken.None).ConfigureAwait(false))
        {
            var restored = await RestoreAsync(a, stored.Version).ConfigureAwait(false);
            return new MergeResult(MergeStatus.Conflict, $"{bId} was merged elsewhere meanwhile; {restored}", null) { ConflictingCustomer = bId };
        }

        try
        {
            if (!await _store.DeleteAsync(bId, b.Version, CancellationToken.None).ConfigureAwait(false))
            {
                throw new ConcurrencyConflictException(bId, b.Version, 0);
            }
        }
        catch (ConcurrencyConflictException e)
        {
            await _aliases.TryRemoveAsync(bId, aId, CancellationToken.None).ConfigureAwait(false);
            var restored = await RestoreAsync(a, stored.Version).ConfigureAwait(false);
            return Conflict(e, $"the absorbed record changed since it was read; {restored}");
        }

        var dropped = plan.Dropped.ToBuilder();
        var (absorbedTags, movedTags) = MoveTags(bId, aId, actor, at, dropped);
        var record = new MergeRecord
        {
            Actor = actor,
            At = at,
            SurvivorBefore = a,
            AbsorbedBefore = b,
            SurvivorAfter = stored,
            Decisions = plan.Decisions,
            Dropped = dropped.ToImmutable(),
            AbsorbedTags = absorbedTags,
            MovedTags = movedTags,
        };
        return new MergeResult(MergeStatus.Done, record.Summary, record);
    }

    /// <summary>Undoes a merge: A and B get back their content from before the merge.</summary>
    /// <param name="record">The merge record.</param>
    /// <param name="cancellationToken">Cancels the call (before the first write).</param>
    /// <returns>Done, or a conflict saying what changed since the merge (nothing written).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public async ValueTask<MergeResult> UndoAsync(MergeRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var aId = record.SurvivorId;
        var bId = record.AbsorbedId;
        var current = await _store.GetAsync(aId, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Version != record.SurvivorAfter.Version)
        {
            return new MergeResult(MergeStatus.Conflict, $"{aId} changed since the merge (version {record.SurvivorAfter.Version} expected, {current?.Version ?? 0} found); nothing was written.", record)
            {
                ConflictingCustomer = aId,
                ExpectedVersion = record.SurvivorAfter.Version,
                ActualVersion = current?.Version ?? 0,
            };
        }

        if (await _store.GetAsync(bId, cancellationToken).ConfigureAwait(false) is { } recreated)
        {
            return new MergeResult(MergeStatus.Conflict, $"{bId} exists again (version {recreated.Version}); nothing was written.", record)
            {
                ConflictingCustomer = bId,
                ExpectedVersion = 0,
                ActualVersion = recreated.Version,
            };
        }

        if (await _aliases.GetTargetAsync(bId, cancellationToken).ConfigureAwait(false) != aId)
        {
            return new MergeResult(MergeStatus.Conflict, $"{bId} is no longer an alias of {aId}; nothing was written.", record) { ConflictingCustomer = bId };
        }

        cancellationToken.ThrowIfCancellationRequested();
        Customer restoredA;
        try
        {
            restoredA = await _store.UpsertAsync(record.SurvivorBefore, current.Version, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException e)
        {
            return Conflict(e, "the survivor changed during the undo; nothing was written") with { Record = record };
        }

        try
        {
            await _store.UpsertAsync(record.AbsorbedBefore, 0, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException e)
        {
            var restored = await RestoreAsync(record.SurvivorAfter, restoredA.Version).ConfigureAwait(false);
            return Conflict(e, $"{bId} was re-created during the undo; {restored}") with { Record = record };
        }

        await _aliases.TryRemoveAsync(bId, aId, CancellationToken.None).ConfigureAwait(false);
        if (_tags is not null)
        {
            foreach (var moved in record.MovedTags)
            {
                _tags.Remove(aId, moved.TagId, record.At, record.Actor);
            }

            foreach (var original in record.AbsorbedTags)
            {
                _tags.Assign(original);
            }
        }

        return new MergeResult(MergeStatus.Done, $"merge of {bId} into {aId} at {record.At} undone", record);
    }

    private static MergeResult Conflict(ConcurrencyConflictException e, string what) =>
        new(MergeStatus.Conflict, $"{e.CustomerId}: version {e.ExpectedVersion} expected, {e.ActualVersion} found: {what}.", null)
        {
            ConflictingCustomer = e.CustomerId,
            ExpectedVersion = e.ExpectedVersion,
            ActualVersion = e.ActualVersion,
        };

    private static string EmailKey(string text) => EmailAddress.Parse(text).TryGetValue(out var e) ? "e:" + e.Value : "raw:" + text.Trim();

    private static string PhoneKey(string text) => PhoneNumber.Parse(text).TryGetValue(out var p) ? "p:" + p.E164 : "raw:" + NameFolding.Fold(text);

    private static string Describe(object? value) => value switch
    {
        null => string.Empty,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private async ValueTask<string> RestoreAsync(Customer original, long currentVersion)
    {
        try
        {
            await _store.UpsertAsync(original, currentVersion, CancellationToken.None).ConfigureAwait(false);
            return $"{original.Id} was written back with its old content; nothing else was written";
        }
        catch (ConcurrencyConflictException e)
        {
            return $"{original.Id} could not be written back (version {e.ActualVersion} found): someone changed it after the merge wrote it";
        }
    }

    private (ImmutableArray<TagAssignment> Absorbed, ImmutableArray<TagAssignment> Moved) MoveTags(CustomerId from, CustomerId to, string actor, Instant at, ImmutableArray<DroppedValue>.Builder dropped)
    {
        if (_tags is null)
        {
            return ([], []);
        }

        var absorbed = _tags.TagsOf(from);
        var moved = ImmutableArray.CreateBuilder<TagAssignment>();
        foreach (var assignment in absorbed)
        {
            _tags.Remove(from, assignment.TagId, at, actor);
        }

        foreach (var assignment in absorbed)
        {
            var reason = TagClash(to, assignment);
            if (reason is null)
            {
                var result = _tags.Assign(assignment with { CustomerId = to });
                if (result.IsValid && result.Assignment is { } held)
                {
                    moved.Add(held);
                    continue;
                }

                reason = string.Join(" ", result.Errors);
            }

            dropped.Add(new DroppedValue("Tags", from, assignment.TagId.ToString(), reason));
        }

        return (absorbed, moved.ToImmutable());
    }

    private string? TagClash(CustomerId survivor, TagAssignment assignment)
    {
        var tags = _tags!;
        if (tags.Find(survivor, assignment.TagId) is { } own)
        {
            return $"the survivor already holds the tag (since {own.AssignedAt})";
        }

        if (!tags.Taxonomy.Contains(assignment.TagId))
        {
            return "the tag is not in the taxonomy";
        }

        var group = tags.Taxonomy.GroupOf(assignment.TagId);
        if (group.IsSingleSelect && tags.TagsOf(survivor, group.Id) is { Length: > 0 } held)
        {
            return $"group '{group.Name}' takes one tag and the survivor's '{held[0].TagId}' is kept";
        }

        return null;
    }
}
