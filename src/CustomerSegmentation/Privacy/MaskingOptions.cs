using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Privacy;

/// <summary>Options of a <see cref="PersonalDataMasker"/>; every value is checked when it is set.</summary>
public sealed record MaskingOptions
{
    /// <summary>The characters allowed as <see cref="MaskCharacter"/>: <c>*</c>, <c>#</c>, <c>•</c>, <c>×</c> and <c>○</c>.</summary>
    /// <remarks>They are neither letters, digits, white space nor the separators the maskers keep (<c>@ + . - ,</c>), and each is
    /// legal in the local part of an email address, so masked addresses stay addresses and masking stays idempotent.</remarks>
    public const string AllowedMaskCharacters = "*#•×○";

    private readonly char _maskCharacter = '*';
    private readonly int _residentIdKeepFirst = 3;
    private readonly int _residentIdKeepLast = 4;
    private readonly ImmutableDictionary<string, PersonalDataKind> _attributeKinds = ImmutableDictionary<string, PersonalDataKind>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Gets the default options.</summary>
    public static MaskingOptions Default { get; } = new();

    /// <summary>Gets the character that replaces hidden characters.</summary>
    /// <value>Default <c>*</c>; one of <see cref="AllowedMaskCharacters"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The character is not one of <see cref="AllowedMaskCharacters"/>.</exception>
    public char MaskCharacter
    {
        get => _maskCharacter;
        init => _maskCharacter = AllowedMaskCharacters.Contains(value, StringComparison.Ordinal)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaskCharacter), value, $"The mask character must be one of '{AllowedMaskCharacters}'.");
    }

    /// <summary>Gets the region whose rules read phone numbers written without a country code.</summary>
    /// <value>Default <see cref="PhoneRegion.China"/>.</value>
    public PhoneRegion DefaultPhoneRegion { get; init; } = PhoneRegion.China;

    /// <summary>Gets how many leading characters of a resident ID stay visible (the province and city code).</summary>
    /// <value>Default 3 (<c>110***********1234</c>); 0..6.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..6.</exception>
    public int ResidentIdKeepFirst
    {
        get => _residentIdKeepFirst;
        init => _residentIdKeepFirst = value is >= 0 and <= 6 ? value : throw new ArgumentOutOfRangeException(nameof(ResidentIdKeepFirst), value, "Keep 0..6 leading characters of a resident ID.");
    }

    /// <summary>Gets how many trailing characters of a resident ID stay visible.</summary>
    /// <value>Default 4; 0..4.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..4.</exception>
    public int ResidentIdKeepLast
    {
        get => _residentIdKeepLast;
        init => _residentIdKeepLast = value is >= 0 and <= 4 ? value : throw new ArgumentOutOfRangeException(nameof(ResidentIdKeepLast), value, "Keep 0..4 trailing characters of a resident ID.");
    }

    /// <summary>Gets how each custom attribute key is masked (e.g. <c>homeAddress</c> → <see cref="PersonalDataKind.Address"/>); keys not listed are <see cref="PersonalDataKind.FreeText"/>.</summary>
    /// <value>Default empty.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public ImmutableDictionary<string, PersonalDataKind> AttributeKinds
    {
        get => _attributeKinds;
        init => _attributeKinds = (value ?? throw new ArgumentNullException(nameof(AttributeKinds))).WithComparers(StringComparer.Ordinal);
    }

    /// <summary>Returns these options with one custom attribute masked as <paramref name="kind"/>.</summary>
    /// <param name="key">The custom attribute key.</param>
    /// <param name="kind">How to mask it.</param>
    /// <returns>The new options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public MaskingOptions WithAttributeKind(string key, PersonalDataKind kind)
    {
        ArgumentNullException.ThrowIfNull(key);
        return this with { AttributeKinds = AttributeKinds.SetItem(key, kind) };
    }
}
