using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// What the host holds about a customer outside the stores, for <see cref="PersonalDataExporter"/>: tag assignments, tier history,
/// lifecycle moves and scores. Entries about other customers are left out by id (lifecycle moves carry no id: pass this customer's).
/// </summary>
public sealed record PersonalDataSources
{
    /// <summary>Gets the tag assignments.</summary>
    public IEnumerable<TagAssignment> Tags { get; init; } = [];

    /// <summary>Gets the tier changes (e.g. <see cref="TierLedger.History"/>).</summary>
    public IEnumerable<TierChange> TierHistory { get; init; } = [];

    /// <summary>Gets this customer's lifecycle moves (stage history).</summary>
    public IEnumerable<LifecycleMove> LifecycleHistory { get; init; } = [];

    /// <summary>Gets the scores with their explanations (RFM, points, CLV…).</summary>
    public IEnumerable<ValueScore> Scores { get; init; } = [];
}

/// <summary>The outcome of <see cref="PersonalDataExporter.ExportAsync"/>.</summary>
public enum ExportOutcome
{
    /// <summary>The document holds everything the library holds about the customer.</summary>
    Exported = 0,

    /// <summary>No such customer in the caller's scope; nothing was exported.</summary>
    NotFound = 1,

    /// <summary>The caller's role may not read every field of the customer in clear; nothing was exported.</summary>
    Denied = 2,
}

/// <summary>The result of a personal data export.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Subject">The customer.</param>
/// <param name="ExportedAt">When.</param>
/// <param name="Json">The JSON document; empty unless <see cref="ExportOutcome.Exported"/>.</param>
/// <param name="Explanation">The outcome in words (no values).</param>
public sealed record PersonalDataExport(ExportOutcome Outcome, CustomerId Subject, Instant ExportedAt, string Json, string Explanation);

/// <summary>
/// The right of access and portability (查阅复制权 / GDPR art. 15 and 20): everything the library holds about one customer as one JSON
/// document: profile (every field, unmasked), activity, tags, tier and lifecycle history, and scores with their explanations.
/// </summary>
/// <remarks>
/// <para>The export is scoped and permission-checked like every other read: the customer must be in the caller's <see cref="DataScope"/>, and
/// the caller's role must have at least <see cref="FieldPermission.Read"/> on every field the customer has (so a role that sees a field
/// masked or not at all cannot use the export to see it). Give the people who answer access requests (e.g. a data protection officer) such
/// a role. Every export, and every denied attempt, is audited.</para>
/// <para>Document shape: <c>{"subject", "exportedAt", "exportedBy", "profile": {...}, "activity": [...], "tags": [...], "tierHistory": [...],
/// "lifecycleHistory": [...], "scores": [...]}</c>. Activity lists the customer's own records (purchases, interactions, referrals made).</para>
/// </remarks>
/// <threadsafety>Safe for concurrent use when the stores are.</threadsafety>
public sealed class PersonalDataExporter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ICustomerStore _customers;
    private readonly IActivityStore _activity;
    private readonly AccessPolicy _policy;
    private readonly IAuditSink _audit;
    private readonly IClock _clock;

    /// <summary>Creates the exporter.</summary>
    /// <param name="customers">The customer store.</param>
    /// <param name="activity">The activity store.</param>
    /// <param name="policy">The access policy.</param>
    /// <param name="audit">The audit sink.</param>
    /// <param name="clock">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public PersonalDataExporter(ICustomerStore customers, IActivityStore activity, AccessPolicy policy, IAuditSink audit, IClock clock)
    {
        _customers = customers ?? throw new ArgumentNullException(nameof(customers));
        _activity = activity ?? throw new ArgumentNullException(nameof(activity));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Exports everything held about a customer.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The customer.</param>
    /// <param name="sources">What the host holds outside the stores; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The document, or why there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="caller"/> is <see langword="null"/>.</exception>
    public async ValueTask<PersonalDataExport> ExportAsync(AccessCaller caller, CustomerId id, PersonalDataSources? sources = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = _clock.GetCurrentInstant();
        var customer = await _customers.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (customer is null || !caller.Scope.Includes(customer))
        {
            _audit.Write(new AuditEntry(caller.Actor, now, AuditAction.Export, id, [], false, customer is null ? "no such customer" : $"outside the data scope '{caller.Scope.Description}'"));
            return new(ExportOutcome.NotFound, id, now, string.Empty, $"No customer {id} in the caller's scope; nothing was exported.");
        }

        var view = CustomerView.Create(_policy, PersonalDataMasker.Default, caller.Role, customer);
        var present = PresentFields(customer);
        ImmutableArray<string> notReadable = [.. present.Where(f => _policy.PermissionFor(caller.Role, f) < FieldPermission.Read)];
        if (!notReadable.IsEmpty)
        {
            _audit.Write(new AuditEntry(caller.Actor, now, AuditAction.Export, id, notReadable, false, $"role {caller.Role} may not read {string.Join(", ", notReadable)} in clear"));
            return new(ExportOutcome.Denied, id, now, string.Empty, $"Denied: role {caller.Role} may not read {string.Join(", ", notReadable)} in clear; nothing was exported.");
        }

        var records = new List<ActivityRecord>();
        await foreach (var r in _activity.StreamForCustomerAsync(id, cancellationToken).ConfigureAwait(false))
        {
            records.Add(r);
        }

        sources ??= new PersonalDataSources();
        var json = Write(customer, view, records, sources, caller.Actor, now);
        _audit.Write(new AuditEntry(caller.Actor, now, AuditAction.Export, id, present, true, $"personal data export: {present.Length} field(s), {records.Count} activity record(s)"));
        return new(ExportOutcome.Exported, id, now, json, $"Exported {present.Length} field(s) and {records.Count} activity record(s) of {id}.");
    }

    private static ImmutableArray<string> PresentFields(Customer c)
    {
        var fields = new List<string> { ProfileFields.Id, ProfileFields.Kind, ProfileFields.DisplayName, ProfileFields.MarketingConsent, ProfileFields.CreatedAt, ProfileFields.UpdatedAt };
        if (!c.Emails.IsDefaultOrEmpty)
        {
            fields.Add(ProfileFields.Emails);
        }

        if (!c.Phones.IsDefaultOrEmpty)
        {
            fields.Add(ProfileFields.Phones);
        }

        foreach (var (name, has) in (ReadOnlySpan<(string, bool)>)[
            (ProfileFields.Region, c.Region is not null), (ProfileFields.Industry, c.Industry is not null), (ProfileFields.CompanySize, c.CompanySize is not null),
            (ProfileFields.AcquisitionChannel, c.AcquisitionChannel is not null), (ProfileFields.Owner, c.Owner is not null), (ProfileFields.Birthday, c.Birthday is not null),
            (ProfileFields.LastVerifiedAt, c.LastVerifiedAt is not null)])
        {
            if (has)
            {
                fields.Add(name);
            }
        }

        fields.AddRange((c.CustomAttributes ?? ImmutableDictionary<string, object>.Empty).Keys.Order(StringComparer.Ordinal));
        return [.. fields];
    }

    private static string Write(Customer c, CustomerView view, List<ActivityRecord> records, PersonalDataSources sources, string actor, Instant now)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("subject", c.Id.Value);
            w.WriteString("exportedAt", Format(now));
            w.WriteString("exportedBy", actor);
            w.WriteStartObject("profile");
            foreach (var f in view.Fields)
            {
                if (f.Name is ProfileFields.Emails or ProfileFields.Phones)
                {
                    w.WriteStartArray(f.Name);
                    foreach (var v in f.Values)
                    {
                        w.WriteStringValue(v);
                    }

                    w.WriteEndArray();
                }
                else if (f.Value is { } v)
                {
                    w.WriteString(f.Name, v);
                }
                else
                {
                    w.WriteNull(f.Name);
                }
            }

            w.WriteNumber("Version", c.Version);
            w.WriteEndObject();

            w.WriteStartArray("activity");
            foreach (var r in records)
            {
                w.WriteStartObject();
                w.WriteString("at", Format(r.At));
                switch (r)
                {
                    case Purchase p:
                        w.WriteString("type", p.IsRefund ? "refund" : "purchase");
                        w.WriteString("amount", p.Amount.Amount.ToString(CultureInfo.InvariantCulture));
                        w.WriteString("currency", p.Amount.Currency.Code);
                        WriteOptional(w, "orderId", p.OrderId);
                        w.WriteNumber("quantity", p.Quantity);
                        break;
                    case Interaction i:
                        w.WriteString("type", "interaction");
                        w.WriteString("kind", i.Kind.ToString());
                        if (i.Satisfaction is { } s)
                        {
                            w.WriteNumber("satisfaction", s);
                        }

                        if (i.Nps is { } n)
                        {
                            w.WriteNumber("nps", n);
                        }

                        WriteOptional(w, "channel", i.Channel);
                        break;
                    case Referral f:
                        w.WriteString("type", "referral");
                        w.WriteString("referred", f.Referred.Value);
                        break;
                    default:
                        w.WriteString("type", r.GetType().Name);
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("tags");
            foreach (var t in sources.Tags.Where(t => t is not null && t.CustomerId == c.Id))
            {
                w.WriteStartObject();
                w.WriteString("tag", t.TagId.Value);
                w.WriteString("source", t.Source.Kind.ToString());
                WriteOptional(w, "rule", t.Source.RuleId);
                w.WriteString("assignedAt", Format(t.AssignedAt));
                WriteOptional(w, "assignedBy", t.AssignedBy);
                WriteOptional(w, "expiresAt", t.ExpiresAt is { } e ? Format(e) : null);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("tierHistory");
            foreach (var t in sources.TierHistory.Where(t => t is not null && t.CustomerId == c.Id))
            {
                w.WriteStartObject();
                w.WriteString("at", Format(t.At));
                WriteOptional(w, "from", t.From?.Name);
                w.WriteString("to", t.To.Name);
                w.WriteString("kind", t.Kind.ToString());
                w.WriteString("explanation", t.Explanation);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("lifecycleHistory");
            foreach (var m in sources.LifecycleHistory.Where(m => m is not null))
            {
                w.WriteStartObject();
                w.WriteString("at", Format(m.At));
                w.WriteString("from", m.From);
                w.WriteString("to", m.To);
                w.WriteString("trigger", m.Trigger.ToString());
                w.WriteString("reason", m.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("scores");
            foreach (var s in sources.Scores.Where(s => s is not null && s.CustomerId == c.Id))
            {
                w.WriteStartObject();
                w.WriteString("scorer", s.Scorer);
                w.WriteBoolean("isScored", s.IsScored);
                WriteOptional(w, "value", s.Value?.ToString(CultureInfo.InvariantCulture));
                WriteOptional(w, "label", s.Label);
                w.WriteString("explanation", s.Explanation);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Format(Instant at) => InstantPattern.ExtendedIso.Format(at);

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
