namespace CustomerSegmentation.DataQuality;

/// <summary>
/// The Jaro-Winkler similarity of two strings, 0 (nothing in common) to 1 (equal), compared per UTF-16 code unit.
/// </summary>
/// <remarks>
/// <para>Jaro: characters match when equal and at most <c>max(|a|, |b|) / 2 − 1</c> positions apart; with <c>m</c>
/// matches and <c>t</c> half the number of matched characters out of order,
/// <c>jaro = (m/|a| + m/|b| + (m − t)/m) / 3</c>. Winkler adds <c>ℓ · p · (1 − jaro)</c> for a common prefix of
/// <c>ℓ ≤ 4</c> characters with <c>p = 0.1</c>, because people mistype the end of a name more often than its start.</para>
/// <para>Why this measure: it is made for short person names (it was designed for the US census), rewards the
/// shared prefix that Chinese family names give (<c>张三</c> / <c>张三丰</c>), costs O(|a|·|b|) at worst on strings of a
/// few characters, and needs no training. Two empty strings are equal (1); one empty string gives 0.</para>
/// <para>The greedy matching is evaluated with the arguments in the order given; duplicate detection always passes
/// the pair in ordinal id order so a pair gets one score whatever the input order.</para>
/// </remarks>
/// <threadsafety>Stateless; safe to call from any thread.</threadsafety>
public static class JaroWinkler
{
    /// <summary>The Winkler prefix scale <c>p</c>: 0.1, the published value (at most 0.25 keeps the result within 0..1).</summary>
    public const double PrefixScale = 0.1;

    /// <summary>The longest common prefix the Winkler bonus counts: 4 characters.</summary>
    public const int MaxPrefix = 4;

    /// <summary>Computes the similarity.</summary>
    /// <param name="a">The first string.</param>
    /// <param name="b">The second string.</param>
    /// <returns>The similarity in 0..1.</returns>
    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1.0 : 0.0;
        }

        if (a.SequenceEqual(b))
        {
            return 1.0;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        int matches, halfTranspositions;
        if (a.Length <= 64 && b.Length <= 64)
        {
            (matches, halfTranspositions) = MatchBits(a, b, window);
        }
        else
        {
            (matches, halfTranspositions) = MatchFlags(a, b, window);
        }

        if (matches == 0)
        {
            return 0.0;
        }

        double m = matches;
        var jaro = ((m / a.Length) + (m / b.Length) + ((m - (halfTranspositions / 2.0)) / m)) / 3.0;
        var prefix = 0;
        var maxPrefix = Math.Min(MaxPrefix, Math.Min(a.Length, b.Length));
        while (prefix < maxPrefix && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return Math.Min(1.0, jaro + (prefix * PrefixScale * (1.0 - jaro)));
    }

    /// <summary>
    /// An upper bound of <see cref="Similarity"/> from the lengths and the common prefix only: at most
    /// <c>min(|a|, |b|)</c> characters can match and none out of order. Duplicate detection skips a pair whose bound is
    /// below the threshold without matching characters.
    /// </summary>
    internal static bool CanReach(ReadOnlySpan<char> a, ReadOnlySpan<char> b, double threshold)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return true;
        }

        double m = Math.Min(a.Length, b.Length);
        var jaro = ((m / a.Length) + (m / b.Length) + 1.0) / 3.0;
        var prefix = 0;
        var maxPrefix = (int)Math.Min(MaxPrefix, m);
        while (prefix < maxPrefix && a[prefix] == b[prefix])
        {
            prefix++;
        }

        // The margin keeps a pair whose exact similarity equals the bound from being lost to rounding.
        return Math.Min(1.0, jaro + (prefix * PrefixScale * (1.0 - jaro))) >= threshold - 1e-9;
    }

    // Strings of at most 64 code units: the matched flags are two bit masks, the same greedy matching as MatchFlags.
    private static (int Matches, int HalfTranspositions) MatchBits(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int window)
    {
        ulong matchedA = 0, matchedB = 0;
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            var c = a[i];
            for (var j = from; j <= to; j++)
            {
                if (((matchedB >> j) & 1) == 0 && c == b[j])
                {
                    matchedA |= 1UL << i;
                    matchedB |= 1UL << j;
                    matches++;
                    break;
                }
            }
        }

        var halfTranspositions = 0;
        while (matchedA != 0)
        {
            if (a[System.Numerics.BitOperations.TrailingZeroCount(matchedA)] != b[System.Numerics.BitOperations.TrailingZeroCount(matchedB)])
            {
                halfTranspositions++;
            }

            matchedA &= matchedA - 1;
            matchedB &= matchedB - 1;
        }

        return (matches, halfTranspositions);
    }

    private static (int Matches, int HalfTranspositions) MatchFlags(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int window)
    {
        Span<bool> small = stackalloc bool[a.Length + b.Length <= 256 ? a.Length + b.Length : 0];
        var flags = small.Length > 0 ? small : new bool[a.Length + b.Length];
        var matchedA = flags[..a.Length];
        var matchedB = flags[a.Length..];

        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!matchedB[j] && a[i] == b[j])
                {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }

        var halfTranspositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length && matches > 0; i++)
        {
            if (!matchedA[i])
            {
                continue;
            }

            while (!matchedB[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                halfTranspositions++;
            }

            k++;
        }

        return (matches, halfTranspositions);
    }
}
