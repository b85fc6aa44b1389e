using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tiers;
using NodaTime;

namespace CustomerSegmentation.DataQuality;

/// <summary>A record to review, with what the policy looks at besides the record itself.</summary>
/// <param name="Customer">The record.</param>
/// <param name="Tier">Its tier in force (from a <see cref="TierLedger"/>), if any.</param>
/// <param name="Stage">Its lifecycle stage id, if any.</param>
/// <param name="Value">Its value for ordering the queue (e.g. CLV or 12-month spend); higher first.</param>
public sealed record ReviewSubject(Customer Customer, Tier? Tier = null, string? Stage = null, decimal Value = 0m)
{
    /// <summary>Gets the contact points the host marked invalid (bounced email, dead number), as stored on the record.</summary>
    public ImmutableArray<string> InvalidContacts { get; init; } = [];
}

/// <summary>Why and since when a record is due for review.</summary>
/// <param name="CustomerId">The record.</param>
/// <param name="Owner">Its owner, or empty when it has none.</param>
/// <param name="Value">The subject's value.</param>
/// <param name="IsDue">Whether it is due.</param>
/// <param name="Interval">The review interval that applies.</param>
/// <param name="IntervalReason">Which rule set the interval (e.g. <c>tier VIP: 30 days</c>).</param>
/// <param name="DueAt">When it became or becomes due by age.</param>
/// <param name="Overdue">How long it has been overdue (zero when due only for a missing field or invalid contact, or not due).</param>
/// <param name="Reasons">The reasons, in words.</param>
public sealed record ReviewStatus(CustomerId CustomerId, string Owner, decimal Value, bool IsDue, Duration Interval, string IntervalReason, Instant DueAt, Duration Overdue, ImmutableArray<string> Reasons);

/// <summary>One owner's part of the review queue.</summary>
/// <param name="Owner">The owner (empty for records without one).</param>
/// <param name="Items">The due records: value descending, then longest overdue, then id.</param>
public sealed record ReviewQueueGroup(string Owner, ImmutableArray<ReviewStatus> Items);

/// <summary>One field changed when a record was reviewed.</summary>
/// <param name="Field">The field (<see cref="ProfileFields"/> name or <c>CustomAttributes[key]</c>).</param>
/// <param name="Before">The old value as text.</param>
/// <param name="After">The new value as text.</param>
public sealed record FieldChange(string Field, string Before, string After);

/// <summary>A review: who, when, what changed.</summary>
/// <param name="CustomerId">The record.</param>
/// <param name="Reviewer">Who reviewed.</param>
/// <param name="At">When.</param>
/// <param name="Changes">The fields changed (empty when the record was confirmed as it was).</param>
/// <param name="Stored">The record as stored, with <see cref="Customer.LastVerifiedAt"/> set to <paramref name="At"/>.</param>
public sealed record ReviewRecord(CustomerId CustomerId, string Reviewer, Instant At, ImmutableArray<FieldChange> Changes, Customer Stored);

/// <summary>
/// The periodic review policy (定期审核): a review interval per tier, lifecycle stage or attribute value, fields that must
/// be filled in, and the review queue as of an instant.
/// </summary>
/// <remarks>
/// <para>A record is due when (1) its last verification (<see cref="Customer.LastVerifiedAt"/>, or
/// <see cref="Customer.CreatedAt"/> if never verified) is at least the interval old, (2) a required field is empty, or
/// (3) a contact point is marked invalid by the host or does not parse as an email or phone.</para>
/// <para>The interval: the shortest of the intervals whose rule matches (attribute value, tier, stage), so the strictest
/// rule wins when a VIP is also in a "new" stage; <see cref="DefaultInterval"/> when none matches. Intervals are
/// durations: <see cref="Monthly"/> is 30 days, <see cref="Quarterly"/> 91 days, because a review deadline counts days,
/// not calendar months in some time zone.</para>
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ReviewPolicy
{
    /// <summary>30 days.</summary>
    public static readonly Duration Monthly = Duration.FromDays(30);

    /// <summary>91 days.</summary>
    public static readonly Duration Quarterly = Duration.FromDays(91);

    private readonly ImmutableArray<(string Kind, string Key, string Value, Duration Interval)> _rules;

    /// <summary>Creates a policy with a default interval and no other rules.</summary>
    /// <param name="defaultInterval">The interval when no rule matches; must be positive. Default <see cref="Quarterly"/>.</param>
    /// <exception cref="DataQualityConfigurationException">The interval is not positive.</exception>
    public ReviewPolicy(Duration? defaultInterval = null)
        : this(defaultInterval ?? Quarterly, [], [], PhoneRegion.None)
    {
    }

    private ReviewPolicy(Duration defaultInterval, ImmutableArray<(string, string, string, Duration)> rules, ImmutableArray<string> required, PhoneRegion region)
    {
        if (defaultInterval <= Duration.Zero)
        {
            throw new DataQualityConfigurationException($"The review interval must be positive; got {defaultInterval}.");
        }

        DefaultInterval = defaultInterval;
        _rules = rules;
        RequiredFields = required;
        DefaultPhoneRegion = region;
    }

    /// <summary>Gets the interval when no rule matches.</summary>
    public Duration DefaultInterval { get; }

    /// <summary>Gets the fields that must not be empty (<see cref="ProfileFields"/> names or custom attribute keys).</summary>
    public ImmutableArray<string> RequiredFields { get; }

    /// <summary>Gets the region used to check phone numbers written without a country code.</summary>
    public PhoneRegion DefaultPhoneRegion { get; }

    /// <summary>Returns a policy with an interval for a tier (by name, ordinal).</summary>
    /// <param name="tierName">The tier's name, e.g. <c>VIP</c>.</param>
    /// <param name="interval">The interval; positive.</param>
    /// <returns>The new policy.</returns>
    /// <exception cref="DataQualityConfigurationException">The interval is not positive or the name is empty.</exception>
    public ReviewPolicy ForTier(string tierName, Duration interval) => Add("tier", tierName, string.Empty, interval);

    /// <summary>Returns a policy with an interval for a lifecycle stage.</summary>
    /// <param name="stageId">The stage id.</param>
    /// <param name="interval">The interval; positive.</param>
    /// <returns>The new policy.</returns>
    /// <exception cref="DataQualityConfigurationException">The interval is not positive or the id is empty.</exception>
    public ReviewPolicy ForStage(string stageId, Duration interval) => Add("stage", stageId, string.Empty, interval);

    /// <summary>Returns a policy with an interval for records whose custom attribute has a value (compared as invariant text).</summary>
    /// <param name="attribute">The attribute key.</param>
    /// <param name="value">The value.</param>
    /// <param name="interval">The interval; positive.</param>
    /// <returns>The new policy.</returns>
    /// <exception cref="DataQualityConfigurationException">The interval is not positive or the key is empty.</exception>
    public ReviewPolicy ForAttribute(string attribute, string value, Duration interval) => Add("attribute", attribute, value ?? string.Empty, interval);

    /// <summary>Returns a policy that also requires fields.</summary>
    /// <param name="fields">The fields.</param>
    /// <returns>The new policy.</returns>
    /// <exception cref="DataQualityConfigurationException">A field name is empty.</exception>
    public ReviewPolicy Require(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Any(string.IsNullOrWhiteSpace))
        {
            throw new DataQualityConfigurationException("A required field name must not be empty.");
        }

        return new ReviewPolicy(DefaultInterval, _rules, RequiredFields.AddRange(fields.Except(RequiredFields, StringComparer.Ordinal)), DefaultPhoneRegion);
    }

    /// <summary>Returns a policy that checks phones without a country code with a region's rules.</summary>
    /// <param name="region">The region.</param>
    /// <returns>The new policy.</returns>
    public ReviewPolicy WithPhoneRegion(PhoneRegion region) => new(DefaultInterval, _rules, RequiredFields, region);

    /// <summary>Evaluates one record as of an instant.</summary>
    /// <param name="subject">The record.</param>
    /// <param name="asOf">The instant.</param>
    /// <returns>Whether it is due and why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is <see langword="null"/>.</exception>
    public ReviewStatus Evaluate(ReviewSubject subject, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var c = subject.Customer;
        var (interval, intervalReason) = IntervalFor(subject);
        var reference = c.LastVerifiedAt ?? c.CreatedAt;
        var dueAt = reference + interval;
        var reasons = ImmutableArray.CreateBuilder<string>();
        var overdue = Duration.Zero;
        if (asOf >= dueAt)
        {
            overdue = asOf - dueAt;
            reasons.Add(c.LastVerifiedAt is null
                ? string.Create(CultureInfo.InvariantCulture, $"never verified; created {reference}, {intervalReason}, due since {dueAt}")
                : string.Create(CultureInfo.InvariantCulture, $"last verified {reference}, {intervalReason}, due since {dueAt}"));
        }

        foreach (var field in RequiredFields)
        {
            if (IsEmpty(c, field))
            {
                reasons.Add($"required field {field} is empty");
            }
        }

        foreach (var email in c.Emails.IsDefault ? [] : c.Emails)
        {
            if (subject.InvalidContacts.Contains(email))
            {
                reasons.Add($"email '{email}' is marked invalid");
            }
            else if (EmailAddress.Parse(email) is { IsValid: false } bad)
            {
                reasons.Add($"email '{email}' is not valid: {bad.Error}");
            }
        }

        foreach (var phone in c.Phones.IsDefault ? [] : c.Phones)
        {
            if (subject.InvalidContacts.Contains(phone))
            {
                reasons.Add($"phone '{phone}' is marked invalid");
            }
            else if (PhoneNumber.Parse(phone, DefaultPhoneRegion) is { IsValid: false } bad)
            {
                reasons.Add($"phone '{phone}' is not valid: {bad.Error}");
            }
        }

        return new ReviewStatus(c.Id, c.Owner ?? string.Empty, subject.Value, reasons.Count > 0, interval, intervalReason, dueAt, overdue, reasons.ToImmutable());
    }

    /// <summary>Builds the review queue: the due records per owner (owners in ordinal order, no owner last), each owner's records by value descending, then longest overdue, then id.</summary>
    /// <param name="subjects">The records.</param>
    /// <param name="asOf">The instant.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subjects"/> is <see langword="null"/>.</exception>
    public ImmutableArray<ReviewQueueGroup> Queue(IEnumerable<ReviewSubject> subjects, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        return [.. subjects
            .Select(s => Evaluate(s, asOf))
            .Where(s => s.IsDue)
            .GroupBy(s => s.Owner, StringComparer.Ordinal)
            .OrderBy(g => g.Key.Length == 0 ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReviewQueueGroup(g.Key, [.. g.OrderByDescending(s => s.Value).ThenByDescending(s => s.Overdue).ThenBy(s => s.CustomerId)]))];
    }

    /// <summary>
    /// Marks a record reviewed: stores <paramref name="reviewed"/> (the record as the reviewer left it) with
    /// <see cref="Customer.LastVerifiedAt"/> and <see cref="Customer.UpdatedAt"/> set to <paramref name="at"/>, with the version it was read at.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="before">The record as read.</param>
    /// <param name="reviewed">The record after the reviewer's corrections (the same id).</param>
    /// <param name="reviewer">Who reviewed.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The review record.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The ids differ or <paramref name="reviewer"/> is empty.</exception>
    /// <exception cref="ConcurrencyConflictException">The record changed since <paramref name="before"/> was read; nothing was written.</exception>
    public static async ValueTask<ReviewRecord> MarkReviewedAsync(ICustomerStore store, Customer before, Customer reviewed, string reviewer, Instant at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(reviewed);
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewer);
        if (before.Id != reviewed.Id)
        {
            throw new ArgumentException($"The reviewed record {reviewed.Id} is not {before.Id}.", nameof(reviewed));
        }

        var changes = CustomerFields.Diff(before, reviewed);
        var stored = await store.UpsertAsync(reviewed with { LastVerifiedAt = at, UpdatedAt = at }, before.Version, cancellationToken).ConfigureAwait(false);
        return new ReviewRecord(before.Id, reviewer, at, changes, stored);
    }

    private (Duration Interval, string Reason) IntervalFor(ReviewSubject s)
    {
        (Duration, string)? best = null;
        foreach (var (kind, key, value, interval) in _rules)
        {
            var match = kind switch
            {
                "tier" => s.Tier is { } t && string.Equals(t.Name, key, StringComparison.Ordinal),
                "stage" => string.Equals(s.Stage, key, StringComparison.Ordinal),
                _ => s.Customer.CustomAttributes.TryGetValue(key, out var v) && string.Equals(Convert.ToString(v, CultureInfo.InvariantCulture), value, StringComparison.Ordinal),
            };
            if (match && (best is null || interval < best.Value.Item1))
            {
                var what = kind == "attribute" ? $"attribute {key}={value}" : $"{kind} {key}";
                best = (interval, string.Create(CultureInfo.InvariantCulture, $"{what}: every {interval.TotalDays:0.##} days"));
            }
        }

        return best ?? (DefaultInterval, string.Create(CultureInfo.InvariantCulture, $"default: every {DefaultInterval.TotalDays:0.##} days"));
    }

    private ReviewPolicy Add(string kind, string key, string value, Duration interval)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new DataQualityConfigurationException($"The {kind} of a review rule must not be empty.");
        }

        if (interval <= Duration.Zero)
        {
            throw new DataQualityConfigurationException($"The review interval for {kind} '{key}' must be positive; got {interval}.");
        }

        return new ReviewPolicy(DefaultInterval, _rules.Add((kind, key, value, interval)), RequiredFields, DefaultPhoneRegion);
    }

    private static bool IsEmpty(Customer c, string field) => field switch
    {
        ProfileFields.DisplayName => string.IsNullOrWhiteSpace(c.DisplayName),
        ProfileFields.Emails => c.Emails.IsDefaultOrEmpty,
        ProfileFields.Phones => c.Phones.IsDefaultOrEmpty,
        ProfileFields.Region => string.IsNullOrWhiteSpace(c.Region),
        ProfileFields.Industry => string.IsNullOrWhiteSpace(c.Industry),
        ProfileFields.CompanySize => string.IsNullOrWhiteSpace(c.CompanySize),
        ProfileFields.AcquisitionChannel => string.IsNullOrWhiteSpace(c.AcquisitionChannel),
        ProfileFields.Owner => string.IsNullOrWhiteSpace(c.Owner),
        ProfileFields.Birthday => c.Birthday is null,
        _ => !c.CustomAttributes.TryGetValue(field, out var v) || v is null || (v is string s && string.IsNullOrWhiteSpace(s)),
    };
}

/// <summary>Field-by-field text views of a customer, for review records.</summary>
internal static class CustomerFields
{
    public static ImmutableArray<FieldChange> Diff(Customer a, Customer b)
    {
        var before = Describe(a);
        var after = Describe(b);
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(k => new FieldChange(k, before.GetValueOrDefault(k, string.Empty), after.GetValueOrDefault(k, string.Empty)))
            .Where(c => c.Before != c.After)];
    }

    public static Dictionary<string, string> Describe(Customer c)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProfileFields.Kind] = c.Kind.ToString(),
            [ProfileFields.DisplayName] = c.DisplayName,
            [ProfileFields.Emails] = string.Join(", ", c.Emails.IsDefault ? [] : c.Emails),
            [ProfileFields.Phones] = string.Join(", ", c.Phones.IsDefault ? [] : c.Phones),
            [ProfileFields.Region] = c.Region ?? string.Empty,
            [ProfileFields.Industry] = c.Industry ?? string.Empty,
            [ProfileFields.CompanySize] = c.CompanySize ?? string.Empty,
            [ProfileFields.AcquisitionChannel] = c.AcquisitionChannel ?? string.Empty,
            [ProfileFields.Owner] = c.Owner ?? string.Empty,
            [ProfileFields.Birthday] = c.Birthday?.ToString() ?? string.Empty,
            [ProfileFields.MarketingConsent] = c.MarketingConsent ? "true" : "false",
        };
        foreach (var (k, v) in c.CustomAttributes)
        {
            d[$"{ProfileFields.CustomAttributes}[{k}]"] = v is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : v?.ToString() ?? string.Empty;
        }

        return d;
    }
}
