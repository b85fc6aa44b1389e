using CustomerSegmentation.Scoring;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// The cut points of <see cref="QuantileBinning"/> for 64-bit values without sorting: the <c>k − 1</c> order statistics
/// are found by radix selection over histograms (one counting pass when the values span fewer than 65 536 distinct
/// values, otherwise a 16-bit histogram per level, refining only the buckets that hold a wanted rank).
/// </summary>
/// <remarks>The result equals <see cref="QuantileBinning.CutPoints{T}(ReadOnlySpan{T}, int, bool)"/> for the same values.</remarks>
public static class QuantileCutPoints
{
    internal const int DigitBits = 16;
    private const int SmallInput = 2048;

    /// <summary>Computes the <c>bins − 1</c> cut points, worst to best, as <see cref="QuantileBinning"/> defines them.</summary>
    /// <param name="values">The population's values, in any order; not empty.</param>
    /// <param name="bins">The number of scores, 2..10.</param>
    /// <param name="higherIsBetter">Whether larger values are better.</param>
    /// <returns>The cut points.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static long[] Compute(ReadOnlySpan<long> values, int bins, bool higherIsBetter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, QuantileBinning.MinBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, QuantileBinning.MaxBins);
        if (values.IsEmpty)
        {
            throw new ArgumentException("Quantile cut points need at least one value.", nameof(values));
        }

        var ranks = Ranks(values.Length, bins, higherIsBetter);
        var order = Ascending(ranks);
        var selected = new long[order.Length];
        Select(values, order, selected);
        return InCutOrder(ranks, order, selected);
    }

    /// <summary>The 0-based ranks in the ascending order of the <c>bins − 1</c> cut points, in the cut points' worst-to-best order.</summary>
    internal static long[] Ranks(long n, int bins, bool higherIsBetter)
    {
        var ranks = new long[bins - 1];
        for (var s = 1; s < bins; s++)
        {
            var worstFirst = QuantileBinning.CutPosition(s, bins, n);
            ranks[s - 1] = higherIsBetter ? worstFirst : n - 1 - worstFirst;
        }

        return ranks;
    }

    /// <summary>The ranks sorted ascending: the order in which <see cref="Select"/> takes them.</summary>
    internal static long[] Ascending(long[] ranks)
    {
        var order = (long[])ranks.Clone();
        Array.Sort(order);
        return order;
    }

    /// <summary>Maps values selected at the <paramref name="order"/> ranks back to the cut points' order of <paramref name="ranks"/>.</summary>
    internal static long[] InCutOrder(long[] ranks, long[] order, long[] selected)
    {
        var cuts = new long[ranks.Length];
        for (var s = 0; s < ranks.Length; s++)
        {
            cuts[s] = selected[Array.BinarySearch(order, ranks[s])];
        }

        return cuts;
    }

    /// <summary>Finds the values at the given 0-based ranks of the ascending order.</summary>
    internal static void Select(ReadOnlySpan<long> values, ReadOnlySpan<long> ranks, Span<long> results)
    {
        if (values.Length <= SmallInput)
        {
            var sorted = values.ToArray();
            Array.Sort(sorted);
            for (var i = 0; i < ranks.Length; i++)
            {
                results[i] = sorted[ranks[i]];
            }

            return;
        }

        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var range = unchecked((ulong)(max - min));
        if (range == 0)
        {
            results.Fill(min);
            return;
        }

        var bits = 64 - ulong.LeadingZeroCount(range);
        var shift = bits <= DigitBits ? 0 : (int)bits - DigitBits;
        var buckets = (int)(range >> shift) + 1;
        var counts = new long[buckets];
        foreach (var v in values)
        {
            counts[(int)(unchecked((ulong)(v - min)) >> shift)]++;
        }

        // Walk the histogram once, locating each rank's bucket and its rank inside the bucket.
        var bucketOf = new int[ranks.Length];
        var rankIn = new long[ranks.Length];
        long before = 0;
        var r = 0;
        for (var b = 0; b < buckets && r < ranks.Length; b++)
        {
            while (r < ranks.Length && ranks[r] < before + counts[b])
            {
                bucketOf[r] = b;
                rankIn[r] = ranks[r] - before;
                r++;
            }

            before += counts[b];
        }

        if (shift == 0)
        {
            for (var i = 0; i < ranks.Length; i++)
            {
                results[i] = min + bucketOf[i];
            }

            return;
        }

        // Refine the distinct buckets that hold a wanted rank, on their own values only, gathered in one pass.
        var slotOf = new int[buckets];
        Array.Fill(slotOf, -1);
        var gathered = new List<long[]>();
        for (var i = 0; i < ranks.Length; i++)
        {
            if (slotOf[bucketOf[i]] < 0)
            {
                slotOf[bucketOf[i]] = gathered.Count;
                gathered.Add(new long[counts[bucketOf[i]]]);
            }
        }

        var fill = new int[gathered.Count];
        foreach (var v in values)
        {
            var t = slotOf[(int)(unchecked((ulong)(v - min)) >> shift)];
            if (t >= 0)
            {
                gathered[t][fill[t]++] = v;
            }
        }

        for (var i = 0; i < ranks.Length;)
        {
            var j = i;
            while (j < ranks.Length && bucketOf[j] == bucketOf[i])
            {
                j++;
            }

            Select(gathered[slotOf[bucketOf[i]]], rankIn.AsSpan(i, j - i), results[i..j]);
            i = j;
        }
    }
}
