using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.DataQuality;

/// <summary>How a merge chooses a field's value between the survivor (A) and the absorbed record (B).</summary>
public enum FieldMergeRule
{
    /// <summary>A's value, even when empty; B's differing value is recorded as dropped.</summary>
    KeepSurvivor = 0,

    /// <summary>The value of the record changed last (<see cref="Customer.UpdatedAt"/>; A on a tie) if not empty, otherwise the other's; a differing value not kept is recorded as dropped.</summary>
    NewestNonEmpty,

    /// <summary>Both: contact points A's first then B's new ones (equal after normalisation counts once), custom attributes by key with the per-key rule on a clash. Only for <see cref="ProfileFields.Emails"/>, <see cref="ProfileFields.Phones"/> and <see cref="ProfileFields.CustomAttributes"/>.</summary>
    Union,
}

/// <summary>
/// The field-level merge policy: one <see cref="FieldMergeRule"/> per profile field, and per custom attribute key for clashes inside the union.
/// </summary>
/// <remarks>
/// <para>Defaults, and why:</para>
/// <list type="bullet">
/// <item><see cref="ProfileFields.DisplayName"/>, <see cref="ProfileFields.Kind"/>: keep the survivor's; the person merging chose A as the record to keep.</item>
/// <item><see cref="ProfileFields.MarketingConsent"/>: keep the survivor's; a merge must never widen consent someone did not give on this record.</item>
/// <item><see cref="ProfileFields.LastVerifiedAt"/>: keep the survivor's; verifying B did not verify A's fields.</item>
/// <item><see cref="ProfileFields.Region"/>, <see cref="ProfileFields.Industry"/>, <see cref="ProfileFields.CompanySize"/>, <see cref="ProfileFields.AcquisitionChannel"/>, <see cref="ProfileFields.Owner"/>, <see cref="ProfileFields.Birthday"/>: newest non-empty; the more recently edited record is likelier current, and a blank never wins.</item>
/// <item><see cref="ProfileFields.Emails"/>, <see cref="ProfileFields.Phones"/>, <see cref="ProfileFields.CustomAttributes"/>: union; a contact point is never lost. A custom attribute key both have with different values keeps the survivor's (<see cref="WithAttribute"/> changes that per key).</item>
/// <item><see cref="ProfileFields.CreatedAt"/> is always the earlier of the two (the customer existed since then); <see cref="ProfileFields.UpdatedAt"/> is the merge instant. Neither is configurable.</item>
/// </list>
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class MergePolicy
{
    private static readonly ImmutableDictionary<string, FieldMergeRule> Defaults = new Dictionary<string, FieldMergeRule>(StringComparer.Ordinal)
    {
        [ProfileFields.DisplayName] = FieldMergeRule.KeepSurvivor,
        [ProfileFields.Kind] = FieldMergeRule.KeepSurvivor,
        [ProfileFields.MarketingConsent] = FieldMergeRule.KeepSurvivor,
        [ProfileFields.LastVerifiedAt] = FieldMergeRule.KeepSurvivor,
        [ProfileFields.Region] = FieldMergeRule.NewestNonEmpty,
        [ProfileFields.Industry] = FieldMergeRule.NewestNonEmpty,
        [ProfileFields.CompanySize] = FieldMergeRule.NewestNonEmpty,
        [ProfileFields.AcquisitionChannel] = FieldMergeRule.NewestNonEmpty,
        [ProfileFields.Owner] = FieldMergeRule.NewestNonEmpty,
        [ProfileFields.Birthday] = FieldMergeRule.NewestNonEmpty,
        [ProfileFields.Emails] = FieldMergeRule.Union,
        [ProfileFields.Phones] = FieldMergeRule.Union,
        [ProfileFields.CustomAttributes] = FieldMergeRule.Union,
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private readonly ImmutableDictionary<string, FieldMergeRule> _fields;
    private readonly ImmutableDictionary<string, FieldMergeRule> _attributes;

    private MergePolicy(ImmutableDictionary<string, FieldMergeRule> fields, ImmutableDictionary<string, FieldMergeRule> attributes)
    {
        _fields = fields;
        _attributes = attributes;
    }

    /// <summary>Gets the default policy (see the remarks).</summary>
    public static MergePolicy Default { get; } = new(Defaults, ImmutableDictionary<string, FieldMergeRule>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Gets the fields a policy covers, in a fixed order.</summary>
    public static ImmutableArray<string> Fields { get; } = [.. Defaults.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Gets the rule for a field.</summary>
    /// <param name="field">A name from <see cref="Fields"/> (the <see cref="ProfileFields"/> constants).</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException">The field is not one of <see cref="Fields"/>.</exception>
    public FieldMergeRule RuleFor(string field) =>
        _fields.TryGetValue(field ?? throw new ArgumentNullException(nameof(field)), out var r)
            ? r
            : throw new ArgumentException($"'{field}' is not a mergeable field; use one of {string.Join(", ", Fields)}.", nameof(field));

    /// <summary>Gets the rule for a custom attribute key both records hold with different values.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see cref="FieldMergeRule.KeepSurvivor"/> unless set with <see cref="WithAttribute"/>.</returns>
    public FieldMergeRule RuleForAttribute(string key) => _attributes.TryGetValue(key, out var r) ? r : FieldMergeRule.KeepSurvivor;

    /// <summary>Returns a policy with an explicit rule for a field.</summary>
    /// <param name="field">A name from <see cref="Fields"/>.</param>
    /// <param name="rule">The rule.</param>
    /// <returns>The new policy.</returns>
    /// <exception cref="ArgumentException">The field is unknown.</exception>
    /// <exception cref="DataQualityConfigurationException"><see cref="FieldMergeRule.Union"/> for a single-valued field, or an undefined rule.</exception>
    public MergePolicy With(string field, FieldMergeRule rule)
    {
        _ = RuleFor(field);
        if (!Enum.IsDefined(rule))
        {
            throw new DataQualityConfigurationException($"Merge rule {(int)rule} for '{field}' is not defined.");
        }

        if (rule == FieldMergeRule.Union && field is not (ProfileFields.Emails or ProfileFields.Phones or ProfileFields.CustomAttributes))
        {
            throw new DataQualityConfigurationException($"'{field}' holds one value: Union applies only to Emails, Phones and CustomAttributes.");
        }

        return new MergePolicy(_fields.SetItem(field, rule), _attributes);
    }

    /// <summary>Returns a policy with a rule for clashes of one custom attribute key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="rule"><see cref="FieldMergeRule.KeepSurvivor"/> or <see cref="FieldMergeRule.NewestNonEmpty"/>.</param>
    /// <returns>The new policy.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <exception cref="DataQualityConfigurationException"><paramref name="rule"/> is <see cref="FieldMergeRule.Union"/> or undefined.</exception>
    public MergePolicy WithAttribute(string key, FieldMergeRule rule)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (rule is not (FieldMergeRule.KeepSurvivor or FieldMergeRule.NewestNonEmpty))
        {
            throw new DataQualityConfigurationException($"A custom attribute holds one value: its clash rule must be KeepSurvivor or NewestNonEmpty, not {rule}.");
        }

        return new MergePolicy(_fields, _attributes.SetItem(key, rule));
    }
}
