using System.Text;

namespace CustomerSegmentation.Tags;

/// <summary>
/// How tag and group names are compared: trimmed, Unicode-normalised to form C, then compared ordinally ignoring case
/// (culture-invariant simple case folding). Chinese and other caseless scripts compare exactly.
/// </summary>
internal static class TagText
{
    /// <summary>The longest name or alias accepted, in UTF-16 code units.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The comparer for name keys produced by <see cref="Key"/>.</summary>
    public static StringComparer KeyComparer => StringComparer.OrdinalIgnoreCase;

    public static bool IsValidId(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Tells whether a display name is acceptable: not empty after trimming, not too long, no control characters, well-formed UTF-16.</summary>
    public static bool IsValidName(string? name)
    {
        if (!IsValidId(name, MaxNameLength))
        {
            return false;
        }

        for (var i = 0; i < name!.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]))
            {
                if (i + 1 >= name.Length || !char.IsLowSurrogate(name[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(name[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The comparison key of a name: trimmed and normalised to form C (compare keys with <see cref="KeyComparer"/>).</summary>
    public static string Key(string name)
    {
        var trimmed = name.Trim();
        return trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC);
    }

    public static bool SameName(string a, string b) => KeyComparer.Equals(Key(a), Key(b));
}
