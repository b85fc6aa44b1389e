using System.Text;

namespace CustomerSegmentation.Customers;

/// <summary>Shared checks for free text from user data; never throw.</summary>
internal static class TextRules
{
    /// <summary>Finds the first control character or unpaired surrogate.</summary>
    /// <returns><see langword="null"/> when the text is clean, otherwise the code and reason.</returns>
    public static (string Code, string Reason)? FindBadCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return (ValidationCodes.ControlCharacter, $"holds the control character U+{(int)c:X4} at position {i}");
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return (ValidationCodes.InvalidUnicode, $"holds an unpaired surrogate U+{(int)c:X4} at position {i}");
            }

            if (char.IsLowSurrogate(c))
            {
                return (ValidationCodes.InvalidUnicode, $"holds an unpaired surrogate U+{(int)c:X4} at position {i}");
            }
        }

        return null;
    }

    /// <summary>Trims white space and puts clean text in Unicode normalisation form C.</summary>
    /// <remarks>Call only on text that <see cref="FindBadCharacter"/> accepted (normalising ill-formed text throws).</remarks>
    public static string Normalize(string text)
    {
        var trimmed = text.Trim();
        return trimmed.IsNormalized(NormalizationForm.FormC) ? trimmed : trimmed.Normalize(NormalizationForm.FormC).Trim();
    }

    /// <summary>Checks free text: not blank, no control characters, well-formed, at most <paramref name="maxLength"/> after trimming.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The longest normalised text allowed, in UTF-16 code units.</param>
    /// <param name="normalized">The trimmed NFC text when valid, otherwise the input.</param>
    /// <returns><see langword="null"/> when valid, otherwise the code and reason.</returns>
    public static (string Code, string Reason)? Check(string text, int maxLength, out string normalized)
    {
        normalized = text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return (ValidationCodes.Empty, "is empty or white space only");
        }

        // Reject huge input before looking at every character: nothing longer than this can become short enough.
        if (text.Length > (maxLength * 4) + 64)
        {
            return (ValidationCodes.TooLong, $"has {text.Length} characters, more than the {maxLength} allowed");
        }

        if (FindBadCharacter(text) is { } bad)
        {
            return bad;
        }

        var n = Normalize(text);
        if (n.Length > maxLength)
        {
            return (ValidationCodes.TooLong, $"has {n.Length} characters, more than the {maxLength} allowed");
        }

        normalized = n;
        return null;
    }
}
