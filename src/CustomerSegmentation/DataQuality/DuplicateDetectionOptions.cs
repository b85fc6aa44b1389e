using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.DataQuality;

/// <summary>Settings of <see cref="DuplicateDetector"/>, with documented defaults; checked when the detector is built.</summary>
public sealed record DuplicateDetectionOptions
{
    /// <summary>Gets the default options.</summary>
    public static DuplicateDetectionOptions Default { get; } = new();

    /// <summary>Gets the lowest name similarity that makes a pair without a shared exact key a candidate.</summary>
    /// <value>0.85: on folded names, typos and spacing variants of the same name score 0.88..0.98 while different
    /// people with a shared family name mostly score below 0.8 (the docs' examples show both).</value>
    public double Threshold { get; init; } = 0.85;

    /// <summary>Gets the lowest name similarity for a pair that shares only a region or a phone prefix (weak blocks), no organisation and no exact key.</summary>
    /// <value>0.95: a province holds many people whose short names are 0.9 similar (王伟 / 王伟芳 score 0.91); folded
    /// spelling variants (full-width, accents, spacing) score 1 and long names with one typo 0.95..0.99. Measured on the
    /// benchmark base: 0.85 within regions made 1.4 candidates per customer.</value>
    public double WeakBlockThreshold { get; init; } = 0.95;

    /// <summary>Gets the region whose rules apply to phone numbers written without a country code.</summary>
    /// <value><see cref="PhoneRegion.None"/>: such numbers are not used as keys (and are listed as unusable).</value>
    public PhoneRegion DefaultPhoneRegion { get; init; } = PhoneRegion.None;

    /// <summary>Gets the custom attribute that holds an external id (the id in another system); empty values make no key.</summary>
    /// <value><c>external_id</c>.</value>
    public string ExternalIdAttribute { get; init; } = "external_id";

    /// <summary>Gets the custom attribute that holds the organisation a contact belongs to; names are compared within an organisation.</summary>
    /// <value><c>organisation</c>. For <see cref="CustomerKind.Organisation"/> records nothing else is needed: their own name is not a block.</value>
    public string OrganisationAttribute { get; init; } = "organisation";

    /// <summary>Gets a value indicating whether names are compared within a region (<see cref="Customer.Region"/>).</summary>
    /// <value><see langword="true"/>.</value>
    public bool BlockByRegion { get; init; } = true;

    /// <summary>Gets how many trailing digits of an E.164 number are dropped to make the phone-prefix block (names are compared within it).</summary>
    /// <value>4: numbers of the same company switchboard range or household line share everything but the last digits. 0 turns phone-prefix blocks off.</value>
    public int PhonePrefixDropDigits { get; init; } = 4;

    /// <summary>Gets the largest fuzzy block compared all pairs against all; larger blocks use a sorted window.</summary>
    /// <value>400 (≈ 80 000 comparisons per block). An organisation with 10 000 contacts then costs
    /// at most 2 × 10 000 × <see cref="WindowSize"/> comparisons (two sorted passes) instead of 50 million.</value>
    public int MaxBlockSize { get; init; } = 400;

    /// <summary>Gets how many neighbours each record is compared with in a large block sorted by folded name (sorted-neighbourhood method).</summary>
    /// <value>12: names that differ after the first few characters sort next to each other.</value>
    public int WindowSize { get; init; } = 12;

    /// <summary>Gets how many records of one fuzzy block may share a folded name before the name counts as common there and pairs nobody by name alone.</summary>
    /// <value>3: two or three equal names in a company or a phone range are likely one person entered twice; the
    /// 40th 张伟 in a province is another person with a common name. Exact keys still pair such records.</value>
    public int MaxNameRepeats { get; init; } = 3;

    /// <summary>Gets the most records an exact key may be shared by and still make pairs; a key shared by more is reported in <see cref="DuplicateReport.SkippedKeys"/>.</summary>
    /// <value>50: a phone on 50 records is a switchboard or a placeholder, not a person; 50 records make 1 225 pairs.</value>
    public int MaxExactGroupSize { get; init; } = 50;

    /// <summary>Gets the evidence weight of a shared email.</summary>
    /// <value>0.9: mailboxes are personal, but families and small firms share one.</value>
    public double EmailWeight { get; init; } = 0.9;

    /// <summary>Gets the evidence weight of a shared phone.</summary>
    /// <value>0.8: landlines and family phones are shared more often than mailboxes.</value>
    public double PhoneWeight { get; init; } = 0.8;

    /// <summary>Gets the evidence weight of a shared external id.</summary>
    /// <value>1: the other system already says they are one customer.</value>
    public double ExternalIdWeight { get; init; } = 1.0;

    /// <summary>Gets the host's transliteration (e.g. Chinese characters to pinyin) applied to the folded name (and folded again), so <c>张三</c> and <c>Zhang San</c> compare equal.</summary>
    /// <value><see langword="null"/>: names are compared in their own script. It must be thread-safe.</value>
    public Func<string, string>? NameTransliterator { get; init; }

    /// <summary>Gets the host's own rules (e.g. <see cref="AttributeKeyRule"/> for a business licence number).</summary>
    /// <value>None.</value>
    public ImmutableArray<IDuplicateRule> Rules { get; init; } = [];

    /// <summary>Checks the options.</summary>
    /// <exception cref="DataQualityConfigurationException">A value is out of range.</exception>
    public void Validate()
    {
        Check(Threshold is > 0 and <= 1, $"{nameof(Threshold)} must be in (0, 1]; got {Threshold}.");
        Check(WeakBlockThreshold is > 0 and <= 1, $"{nameof(WeakBlockThreshold)} must be in (0, 1]; got {WeakBlockThreshold}.");
        Check(Enum.IsDefined(DefaultPhoneRegion), $"{nameof(DefaultPhoneRegion)} {(int)DefaultPhoneRegion} is not a known region.");
        Check(ExternalIdAttribute is not null && OrganisationAttribute is not null, "The attribute names must not be null (use an unused name to turn a key off).");
        Check(PhonePrefixDropDigits is >= 0 and <= 10, $"{nameof(PhonePrefixDropDigits)} must be 0..10; got {PhonePrefixDropDigits}.");
        Check(MaxBlockSize is >= 2 and <= 100_000, $"{nameof(MaxBlockSize)} must be 2..100000; got {MaxBlockSize}.");
        Check(WindowSize is >= 1 and <= 1000, $"{nameof(WindowSize)} must be 1..1000; got {WindowSize}.");
        Check(MaxNameRepeats is >= 2 and <= 100_000, $"{nameof(MaxNameRepeats)} must be 2..100000; got {MaxNameRepeats}.");
        Check(MaxExactGroupSize is >= 2 and <= 100_000, $"{nameof(MaxExactGroupSize)} must be 2..100000; got {MaxExactGroupSize}.");
        foreach (var (name, w) in new[] { (nameof(EmailWeight), EmailWeight), (nameof(PhoneWeight), PhoneWeight), (nameof(ExternalIdWeight), ExternalIdWeight) })
        {
            Check(w is >= 0 and <= 1, $"{name} must be within 0..1; got {w}.");
        }

        Check(!Rules.IsDefault && Rules.All(r => r is not null), $"{nameof(Rules)} must not be default or hold null.");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new DataQualityConfigurationException(message);
        }
    }
}

/// <summary>Thrown when data-quality settings (detection options, a merge policy, a review policy) are invalid; raised when the object is built, not on first use.</summary>
public sealed class DataQualityConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataQualityConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public DataQualityConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DataQualityConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
