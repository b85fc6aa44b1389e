using System.Globalization;
using System.Text;

namespace CustomerSegmentation.DataQuality;

/// <summary>
/// Folds names (and other free text such as organisation names) into the form duplicate detection compares:
/// Unicode NFKC (full-width and half-width forms, ligatures and circled digits become their plain forms),
/// lower case, accents removed, white space and punctuation removed.
/// </summary>
/// <remarks>
/// <para>Examples: <c>张 三</c> → <c>张三</c>; <c>ＺＨＡＮＧ　Ｓａｎ</c> → <c>zhangsan</c>; <c>José-Müller</c> → <c>josemuller</c>;
/// <c>O'Brien, Mary</c> → <c>obrienmary</c>.</para>
/// <para>Why each step: NFKC makes the full-width letters and digits of Chinese input methods equal to ASCII ones;
/// case and accents are the commonest differences between two records typed by different people; spaces and
/// punctuation carry no identity (<c>张 三</c> and <c>张三</c> are the same name). Letters of every script are kept:
/// Chinese, Japanese and Korean characters are compared as they are. Transliteration (<c>张三</c> ↔ <c>Zhang San</c>)
/// is not folding: hosts plug it in with <see cref="DuplicateDetectionOptions.NameTransliterator"/>.</para>
/// </remarks>
/// <threadsafety>Stateless; safe to call from any thread.</threadsafety>
public static class NameFolding
{
    // With InvariantGlobalization (the CLI, trimmed apps) string.Normalize leaves non-ASCII text unchanged, so the
    // full-width and accent folding below falls back to a built-in table for Latin letters with diacritics.
    private const string AccentedLetters = "ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćĈĉĊċČčĎďĐđÈÉÊËèéêëĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħÌÍÎÏìíîïĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľĿŀŁłÑñŃńŅņŇňÒÓÔÕÖØòóôõöøŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųŴŵÝýÿŶŷŸŹźŻżŽžǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜ";
    private const string BaseLetters = "AAAAAAaaaaaaAaAaAaCcCcCcCcCcDdDdEEEEeeeeEeEeEeEeEeGgGgGgGgHhHhIIIIiiiiIiIiIiIiIiJjKkLlLlLlLlLlNnNnNnNnOOOOOOooooooOoOoOoRrRrRrSsSsSsSsTtTtTtUUUUuuuuUuUuUuUuUuUuWwYyyYyYZzZzZzAaIiOoUuUuUuUuUu";

    private static readonly bool NormalizationAvailable = "\u00E9".Normalize(NormalizationForm.FormD).Length == 2 && "\uFF21".Normalize(NormalizationForm.FormKC) == "A";

    // Latin letters up to U+024F fold one by one: their NFKC/NFD forms are one base letter and marks, none of them
    // composes with a neighbour, so folding a text of them is the concatenation of the folded characters. The table
    // is built with the same path a whole text would take (ICU or the built-in table), so both give one result.
    private const int SmallLimit = 0x250;

    private static readonly string[] SmallFolds = BuildSmallFolds();

    /// <summary>Folds a text; never throws.</summary>
    /// <param name="text">The text; <see langword="null"/> folds to the empty string.</param>
    /// <returns>The folded text: lower-case letters and digits only.</returns>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (Ascii.IsValid(text))
        {
            return FoldAscii(text);
        }

        if (IsAsciiOrCjk(text))
        {
            // CJK unified ideographs have no compatibility, case or accent forms: only ASCII needs folding.
            return FoldAsciiOrCjk(text);
        }

        if (IsLatinOrCjk(text))
        {
            return FoldLatinOrCjk(text);
        }

        return FoldGeneral(text);
    }

    /// <summary>Folds a text with full Unicode normalisation (or the built-in table without ICU); the reference for the fast paths.</summary>
    internal static string FoldGeneral(string text)
    {
        if (!NormalizationAvailable)
        {
            return FoldWithoutIcu(text);
        }

        var nfkc = text.Normalize(NormalizationForm.FormKC);

        // FormD splits é into e + U+0301 so the accent can be dropped; NFKC first so compatibility forms fold too.
        var decomposed = nfkc.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c) || char.IsSurrogate(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        // Recompose: Hangul and other scripts whose letters FormD split must compare in their usual form.
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string[] BuildSmallFolds()
    {
        var table = new string[SmallLimit];
        for (var c = 0; c < SmallLimit; c++)
        {
            table[c] = char.IsSurrogate((char)c) ? string.Empty : FoldGeneral(((char)c).ToString());
        }

        return table;
    }

    private static bool IsLatinOrCjk(string text)
    {
        foreach (var c in text)
        {
            if (c >= SmallLimit && c is not (>= '\u3400' and <= '\u9FFF'))
            {
                return false;
            }
        }

        return true;
    }

    private static string FoldLatinOrCjk(string text)
    {
        var length = 0;
        foreach (var c in text)
        {
            length += c < SmallLimit ? SmallFolds[c].Length : 1;
        }

        return string.Create(length, text, static (span, t) =>
        {
            var n = 0;
            foreach (var c in t)
            {
                if (c < SmallLimit)
                {
                    var folded = SmallFolds[c];
                    folded.CopyTo(span[n..]);
                    n += folded.Length;
                }
                else
                {
                    span[n++] = c;
                }
            }
        });
    }

    private static bool IsAsciiOrCjk(string text)
    {
        foreach (var c in text)
        {
            if (c >= 0x80 && c is not (>= '\u3400' and <= '\u9FFF'))
            {
                return false;
            }
        }

        return true;
    }

    private static string FoldAsciiOrCjk(string text)
    {
        // Chinese names without spaces or ASCII capitals are already folded: no new string.
        var unchanged = true;
        foreach (var c in text)
        {
            if (c < 0x80 && !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                unchanged = false;
                break;
            }
        }

        return unchanged ? text : FoldAsciiOrCjkCopy(text);
    }

    private static string FoldAsciiOrCjkCopy(string text) => string.Create(text.Length, text, static (span, t) =>
    {
        var n = 0;
        foreach (var c in t)
        {
            if (c >= 0x80 || char.IsAsciiLetterOrDigit(c))
            {
                span[n++] = char.ToLowerInvariant(c);
            }
        }

        span[n..].Fill('\0');
    }).TrimEnd('\0');

    private static string FoldWithoutIcu(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = raw;
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                c = (char)(c - 0xFEE0);
            }

            var i = AccentedLetters.IndexOf(c, StringComparison.Ordinal);
            if (i >= 0)
            {
                c = BaseLetters[i];
            }

            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c) || char.IsSurrogate(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    private static string FoldAscii(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        return string.Create(CountAsciiKept(text), text, static (span, t) =>
        {
            var n = 0;
            foreach (var c in t)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    span[n++] = char.ToLowerInvariant(c);
                }
            }
        });
    }

    private static int CountAsciiKept(string text)
    {
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                n++;
            }
        }

        return n;
    }
}
