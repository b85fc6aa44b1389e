namespace CustomerSegmentation.Tiers;

/// <summary>Multi-quickselect: puts the order statistics at a few positions in place, O(n) expected, without a full sort.</summary>
internal static class Selection
{
    private const int SmallRange = 24;

    /// <summary>Rearranges <paramref name="data"/> so that, for each requested position p, <c>data[p]</c> is the p-th smallest value (0-based).</summary>
    /// <param name="data">The values; reordered.</param>
    /// <param name="positions">The positions, ascending.</param>
    public static void SelectMany<T>(Span<T> data, ReadOnlySpan<int> positions)
        where T : struct, IComparable<T>
    {
        if (data.Length == 0 || positions.IsEmpty)
        {
            return;
        }

        var depth = 2 * (int)Math.Log2(data.Length) + 4;
        Select(data, 0, positions, depth);
    }

    private static void Select<T>(Span<T> a, int offset, ReadOnlySpan<int> positions, int depth)
        where T : struct, IComparable<T>
    {
        while (true)
        {
            // Keep only the positions inside this range.
            var lo = 0;
            while (lo < positions.Length && positions[lo] < offset)
            {
                lo++;
            }

            var hi = positions.Length;
            while (hi > lo && positions[hi - 1] >= offset + a.Length)
            {
                hi--;
            }

            positions = positions[lo..hi];
            if (positions.IsEmpty)
            {
                return;
            }

            if (a.Length <= SmallRange || depth-- <= 0)
            {
                // Small ranges, and adversarial inputs that defeat the pivot choice, fall back to a sort.
                a.Sort();
                return;
            }

            var pivot = MedianOfThree(a[0], a[a.Length / 2], a[^1]);

            // Three-way partition: [0, lt) < pivot, [lt, gt) == pivot, [gt, n) > pivot. Many equal values (counts,
            // zero spend) then end the recursion quickly.
            int lt = 0, i = 0, gt = a.Length;
            while (i < gt)
            {
                var c = a[i].CompareTo(pivot);
                if (c < 0)
                {
                    (a[lt], a[i]) = (a[i], a[lt]);
                    lt++;
                    i++;
                }
                else if (c > 0)
                {
                    gt--;
                    (a[gt], a[i]) = (a[i], a[gt]);
                }
                else
                {
                    i++;
                }
            }

            // Recurse into the smaller side, loop on the larger one.
            var left = a[..lt];
            var right = a[gt..];
            if (left.Length < right.Length)
            {
                Select(left, offset, positions, depth);
                a = right;
                offset += gt;
            }
            else
            {
                Select(right, offset + gt, positions, depth);
                a = left;
            }
        }
    }

    private static T MedianOfThree<T>(T x, T y, T z)
        where T : struct, IComparable<T>
    {
        if (x.CompareTo(y) > 0)
        {
            (x, y) = (y, x);
        }

        if (y.CompareTo(z) > 0)
        {
            y = z;
        }

        return x.CompareTo(y) > 0 ? x : y;
    }
}
