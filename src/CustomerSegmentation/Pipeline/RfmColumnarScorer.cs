using CustomerSegmentation.Scoring;

namespace CustomerSegmentation.Pipeline;

/// <summary>
/// Scores columnar <see cref="RfmAggregates"/>: r, f and m from 1 to k by the tie-consistent rule of
/// <see cref="QuantileBinning"/> over the customers with at least one purchase, and the segment of
/// an <see cref="RfmSegmentTable"/>, with no sort and no per-customer allocation.
/// </summary>
/// <remarks>
/// <para>Recency: fewer days is better. Frequency: the purchase count. Monetary: the net spend (refunds netted).</para>
/// <para>Customers with only refunds get no scores (0 in the score columns) and segment <see cref="RfmScoreColumns.NoScoreSegment"/>.</para>
/// <para>The cut points come from order statistics only (<see cref="QuantileCutPoints"/>), so partial histograms computed
/// on separate partitions or machines can be merged before cutting; the result never depends on the thread count.</para>
/// </remarks>
public static class RfmColumnarScorer
{
    /// <summary>Scores every customer.</summary>
    /// <param name="aggregates">The aggregates.</param>
    /// <param name="bins">The number of scores k, 2..10; default 5.</param>
    /// <param name="segments">The segment table; <see cref="RfmSegmentTable.Default"/> when null.</param>
    /// <param name="threads">The number of threads for the per-customer pass, at least 1; default 1.</param>
    /// <returns>The score columns, indexed like the population of <paramref name="aggregates"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="aggregates"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10 or <paramref name="threads"/> is below 1.</exception>
    public static RfmScoreColumns Score(RfmAggregates aggregates, int bins = 5, RfmSegmentTable? segments = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, QuantileBinning.MinBins);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, QuantileBinning.MaxBins);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        segments ??= RfmSegmentTable.Default;

        var n = aggregates.Count;
        var r = new byte[n];
        var f = new byte[n];
        var m = new byte[n];
        var segment = new byte[n];

        // Where each block's purchasing customers go in the value columns (the tables counted them when compacted).
        var offsets = new int[aggregates.BlockCount + 1];
        for (var b = 0; b < aggregates.BlockCount; b++)
        {
            offsets[b + 1] = offsets[b] + aggregates.GetTable(b).PurchasingCount;
        }

        var purchasing = offsets[^1];
        if (purchasing == 0)
        {
            return new RfmScoreColumns(bins, 0, [], [], [], r, f, m, segment, segments);
        }

        // Two value columns (memory: 16 bytes per customer, not 24): one pass over the slots (split by blocks over
        // the threads) fills last days and counts, whose cut points are then selected side by side; a second pass
        // refills the first column with net spend. Recency is asOf − last day: a later last day is better.
        var first = new long[purchasing];
        var second = new long[purchasing];
        Parallel(threads, aggregates.BlockCount, (from, to) => FillColumns(aggregates, from, to, offsets, first, second));
        long[] lastDayCuts = [], frequencyCuts = [];
        Parallel(Math.Min(threads, 2), 2, (from, to) =>
        {
            for (var c = from; c < to; c++)
            {
                if (c == 0)
                {
                    lastDayCuts = QuantileCutPoints.Compute(first, bins, higherIsBetter: true);
                }
                else
                {
                    frequencyCuts = QuantileCutPoints.Compute(second, bins, higherIsBetter: true);
                }
            }
        });

        second = null!;
        Parallel(threads, aggregates.BlockCount, (from, to) => FillColumns(aggregates, from, to, offsets, first, null));
        var monetaryCuts = QuantileCutPoints.Compute(first, bins, higherIsBetter: true);

        var lookup = SegmentLookup(bins, segments);
        Parallel(threads, aggregates.BlockCount, (from, to) => ScoreBlocks(aggregates, from, to,
            lastDayCuts, frequencyCuts, monetaryCuts, bins, lookup, r, f, m, segment));

        var recencyCuts = new long[lastDayCuts.Length];
        for (var i = 0; i < recencyCuts.Length; i++)
        {
            recencyCuts[i] = aggregates.AsOfDay - lastDayCuts[i];
        }

        return new RfmScoreColumns(bins, purchasing, recencyCuts, frequencyCuts, monetaryCuts, r, f, m, segment, segments);
    }

    /// <summary>Runs <paramref name="body"/> over <paramref name="count"/> items split into contiguous ranges, one per thread.</summary>
    private static void Parallel(int threads, int count, Action<int, int> body)
    {
        threads = Math.Max(1, Math.Min(threads, count));
        var per = (count + threads - 1) / threads;
        var workers = new Thread[threads - 1];
        Exception? failure = null;
        for (var t = 1; t < threads; t++)
        {
            var id = t;
            workers[t - 1] = new Thread(() =>
            {
                try
                {
                    body(id * per, Math.Min(count, (id + 1) * per));
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ex, null);
                }
            })
            { IsBackground = true, Name = "rfm-score" };
            workers[t - 1].Start();
        }

        body(0, Math.Min(count, per));
        foreach (var w in workers)
        {
            w.Join();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Fills last days and counts of the purchasing customers, or (when <paramref name="counts"/> is null) net spend into <paramref name="values"/>.</summary>
    private static void FillColumns(RfmAggregates aggregates, int fromBlock, int toBlock, int[] offsets, long[] values, long[]? counts)
    {
        for (var b = fromBlock; b < toBlock; b++)
        {
            var w = offsets[b];
            var slots = aggregates.GetTable(b).Slots.AsSpan(0, aggregates.BlockLength(b));
            if (counts is null)
            {
                foreach (ref readonly var s in slots)
                {
                    if (s.Count > 0)
                    {
                        values[w++] = s.Money;
                    }
                }

                continue;
            }

            foreach (ref readonly var s in slots)
            {
                if (s.Count > 0)
                {
                    values[w] = s.LastDay;
                    counts[w] = s.Count;
                    w++;
                }
            }
        }
    }

    private static byte[] SegmentLookup(int bins, RfmSegmentTable segments)
    {
        var lookup = new byte[(bins + 1) * (bins + 1) * (bins + 1)];
        for (var r = 1; r <= bins; r++)
        {
            for (var f = 1; f <= bins; f++)
            {
                for (var m = 1; m <= bins; m++)
                {
                    var i = segments.IndexOf(r, f, m);
                    lookup[(((r * (bins + 1)) + f) * (bins + 1)) + m] = (byte)(i < 0 ? segments.Rules.Length + 1 : i + 1);
                }
            }
        }

        return lookup;
    }

    private static void ScoreBlocks(
        RfmAggregates aggregates, int fromBlock, int toBlock, long[] lastDayCuts, long[] frequencyCuts, long[] monetaryCuts,
        int bins, byte[] lookup, byte[] r, byte[] f, byte[] m, byte[] segment)
    {
        for (var b = fromBlock; b < toBlock; b++)
        {
            var start = aggregates.BlockStart(b);
            var slots = aggregates.GetTable(b).Slots.AsSpan(0, aggregates.BlockLength(b));
            for (var j = 0; j < slots.Length; j++)
            {
                ref readonly var s = ref slots[j];
                if (s.Count == 0)
                {
                    continue;
                }

                var rs = ScoreOf(s.LastDay, lastDayCuts);
                var fs = ScoreOf(s.Count, frequencyCuts);
                var ms = ScoreOf(s.Money, monetaryCuts);
                var i = start + j;
                r[i] = (byte)rs;
                f[i] = (byte)fs;
                m[i] = (byte)ms;
                segment[i] = lookup[(((rs * (bins + 1)) + fs) * (bins + 1)) + ms];
            }
        }
    }

    private static int ScoreOf(long value, long[] cuts)
    {
        var score = 1;
        foreach (var c in cuts)
        {
            score += value > c ? 1 : 0;
        }

        return score;
    }
}
