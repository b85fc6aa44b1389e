using CustomerSegmentation.Customers;

namespace CustomerSegmentation.DataQuality;

/// <summary>
/// A host's own duplicate rule, e.g. "the same business licence number (营业执照号)": it names the keys of a record,
/// and judges a pair of records that share one.
/// </summary>
/// <remarks>
/// Keys are compared exactly (ordinal) within the rule; normalise them in <see cref="KeysOf"/>. Records sharing a
/// key are compared with <see cref="Compare"/>; return evidence with the weight the key deserves (1 for a key that
/// identifies a customer on its own), or <see langword="null"/> when the pair is not a duplicate after all.
/// Implementations must be thread-safe and deterministic: the detector calls them from several threads and
/// always passes the pair in ordinal id order.
/// </remarks>
public interface IDuplicateRule
{
    /// <summary>Gets the record's keys for this rule (none is fine).</summary>
    /// <param name="customer">The record.</param>
    /// <returns>The keys.</returns>
    IEnumerable<string> KeysOf(Customer customer);

    /// <summary>Judges two records that share at least one key.</summary>
    /// <param name="a">The record whose id sorts first.</param>
    /// <param name="b">The other record.</param>
    /// <returns>The evidence (usually <see cref="DuplicateEvidenceKind.HostRule"/>), or <see langword="null"/>.</returns>
    DuplicateEvidence? Compare(Customer a, Customer b);
}

/// <summary>A ready-made <see cref="IDuplicateRule"/>: records with the same value of a custom attribute are duplicates (e.g. <c>licence_no</c>).</summary>
/// <remarks>The value is folded with <see cref="NameFolding.Fold"/> (so <c>91 3100 00AB</c> equals <c>913100００ab</c>); empty values make no key.</remarks>
public sealed class AttributeKeyRule : IDuplicateRule
{
    /// <summary>Creates the rule.</summary>
    /// <param name="attribute">The custom attribute's name.</param>
    /// <param name="label">The word used in evidence (<c>same licence 9131…</c>); defaults to the attribute name.</param>
    /// <param name="weight">The evidence weight, 0..1; default 1 (the key identifies a customer on its own).</param>
    /// <exception cref="ArgumentException"><paramref name="attribute"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is outside 0..1.</exception>
    public AttributeKeyRule(string attribute, string? label = null, double weight = 1.0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attribute);
        if (!(weight is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The weight must be within 0..1.");
        }

        Attribute = attribute;
        Label = label ?? attribute;
        Weight = weight;
    }

    /// <summary>Gets the custom attribute's name.</summary>
    public string Attribute { get; }

    /// <summary>Gets the word used in evidence.</summary>
    public string Label { get; }

    /// <summary>Gets the evidence weight.</summary>
    public double Weight { get; }

    /// <inheritdoc />
    public IEnumerable<string> KeysOf(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var key = Key(customer);
        return key.Length == 0 ? [] : [key];
    }

    /// <inheritdoc />
    public DuplicateEvidence? Compare(Customer a, Customer b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var key = Key(a);
        return key.Length > 0 && key == Key(b) ? new DuplicateEvidence(DuplicateEvidenceKind.HostRule, Label, key, Weight) : null;
    }

    private string Key(Customer c) =>
        c.CustomAttributes.TryGetValue(Attribute, out var v) && v is not null
            ? NameFolding.Fold(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))
            : string.Empty;
}
