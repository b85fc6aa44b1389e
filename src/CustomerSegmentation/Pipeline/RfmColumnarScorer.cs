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
    private const int LastDay = 0;
    private const int Frequency = 1;
    private const int Money = 2;

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

        // The ranges of the three values over the purchasing customers: noted by each table when it was compacted.
        var purchasing = 0;
        long[] min = [long.MaxValue, long.MaxValue, long.MaxValue], max = [long.MinValue, long.MinValue, long.MinValue];
        for (var b = 0; b < aggregates.BlockCount; b++)
        {
            var table = aggregates.GetTable(b);
            if (table.PurchasingCount == 0)
            {
                continue;
            }

            purchasing += table.PurchasingCount;
            Widen(min, max, LastDay, table.LastDayRange.Min, table.LastDayRange.Max);
            Widen(min, max, Frequency, table.CountRange.Min, table.CountRange.Max);
            Widen(min, max, Money, table.MoneyRange.Min, table.MoneyRange.Max);
        }

        if (purchasing == 0)
        {
            return new RfmScoreColumns(bins, 0, [], [], [], r, f, m, segment, segments);
        }

        // No value columns and no sort: one pass over the slots counts the three values into 16-bit histograms (per
        // thread, then summed), which locate each wanted rank's bucket; buckets wider than one value are refined on
        // their own values, gathered in a second pass. Recency is asOf − last day: a later last day is better.
        var ranks = QuantileCutPoints.Ranks(purchasing, bins, higherIsBetter: true);
        var order = QuantileCutPoints.Ascending(ranks);
        var shift = new int[3];
        var buckets = new int[3];
        for (var v = 0; v < 3; v++)
        {
            var range = unchecked((ulong)(max[v] - min[v]));
            var bits = range == 0 ? 0 : 64 - (int)ulong.LeadingZeroCount(range);
            shift[v] = Math.Max(0, bits - QuantileCutPoints.DigitBits);
            buckets[v] = (int)(range >> shift[v]) + 1;
        }

        var workers = Math.Max(1, Math.Min(threads, aggregates.BlockCount));
        var histograms = new int[workers][][];
        Parallel(workers, aggregates.BlockCount, (worker, from, to) =>
            histograms[worker] = Histograms(aggregates, from, to, min, shift, buckets));

        // Per value: each rank's bucket and its rank inside the bucket; the buckets to refine get a slot each.
        var cuts = new long[3][];
        var refine = new List<(int Value, int Bucket, long[] Gathered, long[] Ranks, int[] Results)>();
        var selected = new long[3][];
        for (var v = 0; v < 3; v++)
        {
            selected[v] = new long[order.Length];
            long before = 0;
            var k = 0;
            for (var bucket = 0; bucket < buckets[v] && k < order.Length; bucket++)
            {
                long count = 0;
                foreach (var h in histograms)
                {
                    count += h[v][bucket];
                }

                var first = k;
                while (k < order.Length && order[k] < before + count)
                {
                    k++;
                }

                if (k > first && shift[v] == 0)
                {
                    // One value per bucket: the rank's value is the bucket's.
                    for (var i = first; i < k; i++)
                    {
                        selected[v][i] = min[v] + bucket;
                    }
                }
                else if (k > first)
                {
                    var inBucket = new long[k - first];
                    var results = new int[k - first];
                    for (var i = first; i < k; i++)
                    {
                        inBucket[i - first] = order[i] - before;
                        results[i - first] = i;
                    }

                    refine.Add((v, bucket, new long[count], inBucket, results));
                }

                before += count;
            }
        }

        if (refine.Count > 0)
        {
            // Where each worker's values of each refined bucket go: after those of the workers before it.
            var at = new int[workers][];
            for (var w = 0; w < workers; w++)
            {
                at[w] = new int[refine.Count];
                for (var q = 0; q < refine.Count; q++)
                {
                    at[w][q] = w == 0 ? 0 : at[w - 1][q] + histograms[w - 1][refine[q].Value][refine[q].Bucket];
                }
            }

            var wanted = new int[3][];
            for (var v = 0; v < 3; v++)
            {
                wanted[v] = new int[buckets[v]];
                Array.Fill(wanted[v], -1);
            }

            for (var q = 0; q < refine.Count; q++)
            {
                wanted[refine[q].Value][refine[q].Bucket] = q;
            }

            var gathered = refine.Select(x => x.Gathered).ToArray();
            Parallel(workers, aggregates.BlockCount, (worker, from, to) => Gather(aggregates, from, to, min, shift, wanted, gathered, at[worker]));
            foreach (var (v, _, values, inBucket, results) in refine)
            {
                var found = new long[inBucket.Length];
                QuantileCutPoints.Select(values, inBucket, found);
                for (var i = 0; i < results.Length; i++)
                {
                    selected[v][results[i]] = found[i];
                }
            }
        }

        for (var v = 0; v < 3; v++)
        {
            cuts[v] = QuantileCutPoints.InCutOrder(ranks, order, selected[v]);
        }

        var lastDayCuts = cuts[LastDay];
        var frequencyCuts = cuts[Frequency];
        var monetaryCuts = cuts[Money];
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
    internal static void Parallel(int threads, int count, Action<int, int> body) => Parallel(threads, count, (_, from, to) => body(from, to));

    private static void Widen(long[] min, long[] max, int value, long low, long high)
    {
        min[value] = Math.Min(min[value], low);
        max[value] = Math.Max(max[value], high);
    }

    /// <summary>Counts the purchasing customers' last days, counts and net spends of some blocks into one histogram each.</summary>
    private static int[][] Histograms(RfmAggregates aggregates, int fromBlock, int toBlock, long[] min, int[] shift, int[] buckets)
    {
        var days = new int[buckets[LastDay]];
        var counts = new int[buckets[Frequency]];
        var money = new int[buckets[Money]];
        long dayMin = min[LastDay], countMin = min[Frequency], moneyMin = min[Money];
        int dayShift = shift[LastDay], countShift = shift[Frequency], moneyShift = shift[Money];
        for (var b = fromBlock; b < toBlock; b++)
        {
            foreach (ref readonly var s in aggregates.GetTable(b).Slots.AsSpan(0, aggregates.BlockLength(b)))
            {
                if (s.Count > 0)
                {
                    days[unchecked((int)((ulong)(s.LastDay - dayMin) >> dayShift))]++;
                    counts[unchecked((int)((ulong)(s.Count - countMin) >> countShift))]++;
                    money[unchecked((int)((ulong)(s.Money - moneyMin) >> moneyShift))]++;
                }
            }
        }

        return [days, counts, money];
    }

    /// <summary>Copies the values that fall into a bucket being refined to that bucket's array, from position <paramref name="at"/> on.</summary>
    private static void Gather(RfmAggregates aggregates, int fromBlock, int toBlock, long[] min, int[] shift, int[][] wanted, long[][] gathered, int[] at)
    {
        for (var b = fromBlock; b < toBlock; b++)
        {
            foreach (ref readonly var s in aggregates.GetTable(b).Slots.AsSpan(0, aggregates.BlockLength(b)))
            {
                if (s.Count == 0)
                {
                    continue;
                }

                Take(LastDay, s.LastDay);
                Take(Frequency, s.Count);
                Take(Money, s.Money);
            }
        }

        void Take(int value, long x)
        {
            var wantedOf = wanted[value];
            var q = wantedOf[unchecked((int)((ulong)(x - min[value]) >> shift[value]))];
            if (q >= 0)
            {
                gathered[q][at[q]++] = x;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> (worker index, from, to) over <paramref name="count"/> items split into contiguous ranges, one per thread.</summary>
    private static void Parallel(int threads, int count, Action<int, int, int> body)
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
                    body(id, id * per, Math.Min(count, (id + 1) * per));
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ex, null);
                }
            })
            { IsBackground = true, Name = "rfm-score" };
            workers[t - 1].Start();
        }

        body(0, 0, Math.Min(count, per));
        foreach (var w in workers)
        {
            w.Join();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
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
