using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Privacy;

/// <summary>One requested change of a field: a built-in field name (<see cref="ProfileFields"/>) or a custom attribute key, and the new value.</summary>
/// <param name="Field">The field.</param>
/// <param name="Value">
/// The new value: a <see cref="string"/> (or <see langword="null"/>) for text fields, a sequence of strings (or one string) for
/// <see cref="ProfileFields.Emails"/> and <see cref="ProfileFields.Phones"/>, a <see cref="Birthday"/>, a <see cref="bool"/> for consent, an
/// <see cref="Instant"/> for <see cref="ProfileFields.LastVerifiedAt"/>, a <see cref="CustomerKind"/>; for a custom attribute any supported value,
/// <see langword="null"/> removes it.
/// </param>
public sealed record FieldChange(string Field, object? Value);

/// <summary>The outcome of <see cref="CustomerAccess.WriteAsync"/>.</summary>
public enum FieldWriteOutcome
{
    /// <summary>Every change was written.</summary>
    Written = 0,

    /// <summary>The caller may not write at least one of the fields; nothing was written.</summary>
    Denied = 1,

    /// <summary>No such customer in the caller's scope (missing and out-of-scope customers look the same); nothing was written.</summary>
    NotFound = 2,

    /// <summary>A new value is not valid (see <see cref="FieldWriteResult.Problems"/>); nothing was written.</summary>
    Invalid = 3,

    /// <summary>The stored version is not the expected one: someone else saved first; nothing was written.</summary>
    Conflict = 4,
}

/// <summary>The result of a write through <see cref="CustomerAccess.WriteAsync"/>: what happened, the caller's view afterwards, and why.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="View">The caller's view of the customer after the write (or as it is, when nothing was written); <see langword="null"/> for <see cref="FieldWriteOutcome.NotFound"/>.</param>
/// <param name="DeniedFields">The fields the caller may not write (for <see cref="FieldWriteOutcome.Denied"/>).</param>
/// <param name="Problems">The validation problems of the new values (for <see cref="FieldWriteOutcome.Invalid"/>); their reasons never quote personal values.</param>
/// <param name="Explanation">The outcome in words, naming fields and the role, never values.</param>
public sealed record FieldWriteResult(FieldWriteOutcome Outcome, CustomerView? View, ImmutableArray<string> DeniedFields, ImmutableArray<ValidationProblem> Problems, string Explanation)
{
    /// <summary>Gets a value indicating whether the changes were written.</summary>
    public bool IsWritten => Outcome == FieldWriteOutcome.Written;
}

/// <summary>
/// Field-level access to customers: views for a caller (hidden fields absent, masked fields masked, the data scope applied) and writes that
/// check the caller's permission on every field before anything is written. Every read of personal fields in clear, every change and every
/// denied attempt goes to the <see cref="IAuditSink"/>.
/// </summary>
/// <remarks>
/// <para>A write is all or nothing: if the caller may not write one of the fields, the result is <see cref="FieldWriteOutcome.Denied"/>
/// with the fields named, and the store is not touched. The new values are validated with the schema (<see cref="CustomerValidator"/>);
/// a problem in a changed field gives <see cref="FieldWriteOutcome.Invalid"/>. The written customer must still be in the caller's scope,
/// so an owner cannot give a customer away by changing <see cref="Customer.Owner"/>. <see cref="Customer.UpdatedAt"/> is set from the clock.</para>
/// <para>The caller only ever receives <see cref="CustomerView"/>s and results that name fields: never the stored <see cref="Customer"/>.</para>
/// </remarks>
/// <threadsafety>Safe for concurrent use when the store, sink and clock are.</threadsafety>
public sealed class CustomerAccess
{
    private readonly ICustomerStore _store;
    private readonly IAuditSink _audit;
    private readonly IClock _clock;
    private readonly CustomerValidator _validator;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The customer store.</param>
    /// <param name="policy">The access policy.</param>
    /// <param name="audit">The audit sink.</param>
    /// <param name="clock">The clock for audit instants and <see cref="Customer.UpdatedAt"/>.</param>
    /// <param name="masker">The masker; <see cref="PersonalDataMasker.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    public CustomerAccess(ICustomerStore store, AccessPolicy policy, IAuditSink audit, IClock clock, PersonalDataMasker? masker = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Masker = masker ?? PersonalDataMasker.Default;
        _validator = new CustomerValidator(policy.Schema);
    }

    /// <summary>Gets the access policy.</summary>
    public AccessPolicy Policy { get; }

    /// <summary>Gets the masker.</summary>
    public PersonalDataMasker Masker { get; }

    /// <summary>Makes the caller's view of a customer the host already holds, applying the scope and auditing personal fields shown in clear.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="customer">The customer.</param>
    /// <returns>The view, or <see langword="null"/> when the customer is outside the caller's scope (audited as a denied read).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CustomerView? View(AccessCaller caller, Customer customer)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(customer);
        if (!caller.Scope.Includes(customer))
        {
            Audit(caller, AuditAction.Read, customer.Id, [], false, $"outside the data scope '{caller.Scope.Description}'");
            return null;
        }

        var view = CustomerView.Create(Policy, Masker, caller.Role, customer);
        var clear = view.Fields
            .Where(f => !f.IsMasked && !f.Values.IsDefaultOrEmpty && Policy.SensitivityOf(f.Name) == FieldSensitivity.Personal)
            .Select(f => f.Name)
            .ToImmutableArray();
        if (!clear.IsEmpty)
        {
            Audit(caller, AuditAction.Read, customer.Id, clear, true, $"{clear.Length} personal field(s) shown in clear to role {caller.Role}");
        }

        return view;
    }

    /// <summary>Reads a customer from the store and makes the caller's view of it.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The customer's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The view, or <see langword="null"/> when the customer does not exist or is outside the caller's scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="caller"/> is <see langword="null"/>.</exception>
    public async ValueTask<CustomerView?> GetViewAsync(AccessCaller caller, CustomerId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var customer = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return customer is null ? null : View(caller, customer);
    }

    /// <summary>Writes field changes for a caller: all of them or none.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The customer's id.</param>
    /// <param name="expectedVersion">The version the caller's view was made from (<see cref="CustomerView.Version"/>).</param>
    /// <param name="changes">The changes; at least one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened and the caller's view afterwards.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="caller"/>, <paramref name="changes"/> or a change is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="changes"/> is empty.</exception>
    public async ValueTask<FieldWriteResult> WriteAsync(AccessCaller caller, CustomerId id, long expectedVersion, IReadOnlyList<FieldChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            throw new ArgumentException("At least one change is needed.", nameof(changes));
        }

        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            ArgumentNullException.ThrowIfNull(change.Field, nameof(changes));
        }

        ImmutableArray<string> names = [.. changes.Select(c => c.Field).Distinct(StringComparer.Ordinal)];
        var stored = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null || !caller.Scope.Includes(stored))
        {
            Audit(caller, AuditAction.Change, id, names, false, stored is null ? "no such customer" : $"outside the data scope '{caller.Scope.Description}'");
            return new(FieldWriteOutcome.NotFound, null, [], [], $"No customer {id} in the caller's scope; nothing was written.");
        }

        ImmutableArray<string> denied = [.. names.Where(n => Policy.PermissionFor(caller.Role, n) != FieldPermission.Write)];
        if (!denied.IsEmpty)
        {
            var detail = $"role {caller.Role} may not write {string.Join(", ", denied)}";
            Audit(caller, AuditAction.Change, id, denied, false, detail);
            return new(FieldWriteOutcome.Denied, CustomerView.Create(Policy, Masker, caller.Role, stored), denied, [], $"Denied: {detail}; nothing was written.");
        }

        var now = _clock.GetCurrentInstant();
        var (updated, typeProblems) = Apply(stored, changes);
        var problems = typeProblems.Count > 0
            ? [.. typeProblems]
            : _validator.Validate(updated, now).Problems.Where(p => names.Any(n => Concerns(p.Field, n))).ToImmutableArray();
        if (!problems.IsEmpty)
        {
            Audit(caller, AuditAction.Change, id, names, false, $"{problems.Length} validation problem(s)");
            return new(FieldWriteOutcome.Invalid, CustomerView.Create(Policy, Masker, caller.Role, stored), [], problems, $"Invalid: {problems.Length} problem(s) in {string.Join(", ", problems.Select(p => p.Field).Distinct())}; nothing was written.");
        }

        updated = updated with { UpdatedAt = now < stored.CreatedAt ? stored.CreatedAt : now };
        if (!caller.Scope.Includes(updated))
        {
            Audit(caller, AuditAction.Change, id, names, false, $"the change would move the customer out of the data scope '{caller.Scope.Description}'");
            return new(FieldWriteOutcome.Denied, CustomerView.Create(Policy, Masker, caller.Role, stored), names, [], "Denied: the change would move the customer out of the caller's data scope; nothing was written.");
        }

        Customer written;
        try
        {
            written = await _store.UpsertAsync(updated, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException ex)
        {
            Audit(caller, AuditAction.Change, id, names, false, $"version conflict: expected {ex.ExpectedVersion}, stored {ex.ActualVersion}");
            return new(FieldWriteOutcome.Conflict, CustomerView.Create(Policy, Masker, caller.Role, stored), [], [], $"Conflict: expected version {ex.ExpectedVersion}, stored {ex.ActualVersion}; nothing was written.");
        }

        Audit(caller, AuditAction.Change, id, names, true, $"{names.Length} field(s) written by role {caller.Role}, version {written.Version}");
        return new(FieldWriteOutcome.Written, CustomerView.Create(Policy, Masker, caller.Role, written), [], [], $"Written: {string.Join(", ", names)} (version {written.Version}).");
    }

    private static bool Concerns(string problemField, string field) =>
        string.Equals(problemField, field, StringComparison.Ordinal)
        || problemField.StartsWith(field + "[", StringComparison.Ordinal)
        || string.Equals(problemField, $"{ProfileFields.CustomAttributes}[{field}]", StringComparison.Ordinal);

    private static (Customer Updated, List<ValidationProblem> Problems) Apply(Customer c, IReadOnlyList<FieldChange> changes)
    {
        var problems = new List<ValidationProblem>();
        foreach (var (field, value) in changes)
        {
            ValidationProblem Wrong(string expected) => new(field, ValidationCodes.WrongType, $"{field} takes {expected}, not a {value?.GetType().Name ?? "null"}.");
            switch (field)
            {
                case ProfileFields.DisplayName:
                    if (value is string name)
                    {
                        c = c with { DisplayName = name };
                    }
                    else
                    {
                        problems.Add(Wrong("text"));
                    }

                    break;
                case ProfileFields.Region or ProfileFields.Industry or ProfileFields.CompanySize or ProfileFields.AcquisitionChannel or ProfileFields.Owner:
                    if (value is null or string)
                    {
                        var s = (string?)value;
                        c = field switch
                        {
                            ProfileFields.Region => c with { Region = s },
                            ProfileFields.Industry => c with { Industry = s },
                            ProfileFields.CompanySize => c with { CompanySize = s },
                            ProfileFields.AcquisitionChannel => c with { AcquisitionChannel = s },
                            _ => c with { Owner = s },
                        };
                    }
                    else
                    {
                        problems.Add(Wrong("text or null"));
                    }

                    break;
                case ProfileFields.Emails or ProfileFields.Phones:
                    ImmutableArray<string>? list = value switch
                    {
                        null => [],
                        string one => [one],
                        IEnumerable<string> many => [.. many],
                        _ => null,
                    };
                    if (list is { } l)
                    {
                        c = field == ProfileFields.Emails ? c with { Emails = l } : c with { Phones = l };
                    }
                    else
                    {
                        problems.Add(Wrong("a list of strings"));
                    }

                    break;
                case ProfileFields.Birthday:
                    if (value is null or Birthday)
                    {
                        c = c with { Birthday = (Birthday?)value };
                    }
                    else
                    {
                        problems.Add(Wrong("a Birthday or null"));
                    }

                    break;
                case ProfileFields.MarketingConsent:
                    if (value is bool consent)
                    {
                        c = c with { MarketingConsent = consent };
                    }
                    else
                    {
                        problems.Add(Wrong("a bool"));
                    }

                    break;
                case ProfileFields.LastVerifiedAt:
                    if (value is null or Instant)
                    {
                        c = c with { LastVerifiedAt = (Instant?)value };
                    }
                    else
                    {
                        problems.Add(Wrong("an Instant or null"));
                    }

                    break;
                case ProfileFields.Kind:
                    if (value is CustomerKind kind)
                    {
                        c = c with { Kind = kind };
                    }
                    else
                    {
                        problems.Add(Wrong("a CustomerKind"));
                    }

                    break;
                default:
                    var attributes = c.CustomAttributes ?? ImmutableDictionary<string, object>.Empty;
                    c = c with { CustomAttributes = value is null ? attributes.Remove(field) : attributes.SetItem(field, value) };
                    break;
            }
        }

        return (c, problems);
    }

    private void Audit(AccessCaller caller, AuditAction action, CustomerId subject, ImmutableArray<string> fields, bool allowed, string detail) =>
        _audit.Write(new AuditEntry(caller.Actor, _clock.GetCurrentInstant(), action, subject, fields, allowed, detail));
}
