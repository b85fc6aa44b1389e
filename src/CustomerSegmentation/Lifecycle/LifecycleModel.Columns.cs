using NodaTime;

namespace CustomerSegmentation.Lifecycle;

public sealed partial class LifecycleModel
{
    private const int ParallelChunk = 1 << 16;

    /// <summary>
    /// Evaluates many customers at once, in place, on one thread and without allocating: the same decisions as
    /// <see cref="Evaluate(CustomerLifecycle, Activity.ActivitySummary)"/> for each row, without the history and reasons
    /// (evaluate one customer with the object API to see why).
    /// </summary>
    /// <param name="asOf">The evaluation instant; every row's entered and last-purchase instants should be at or before it.</param>
    /// <param name="columns">The columns; <see cref="LifecycleColumnSpans.Stage"/> and <see cref="LifecycleColumnSpans.EnteredAt"/> are updated.</param>
    /// <returns>The number of customers who moved.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A stage index is not a stage of this model.</exception>
    public int EvaluateColumns(Instant asOf, LifecycleColumnSpans columns)
    {
        var asOfTicks = asOf.ToUnixTimeTicks();
        var asOfDay = DayOf(asOfTicks);
        var stages = columns.Stage;
        var entered = columns.EnteredAt;
        var counts = columns.PurchaseCount;
        var lasts = columns.LastPurchaseAt;
        var gaps = columns.MedianGap;
        var lastRule = columns.LastRule;
        var writeRule = !lastRule.IsEmpty;
        var stageCount = Stages.Length;
        var moved = 0;
        for (var i = 0; i < stages.Length; i++)
        {
            int stage = stages[i];
            if (stage >= stageCount)
            {
                throw new ArgumentOutOfRangeException(nameof(columns), stage, $"Row {i} has the stage index {stage}; the model has {stageCount} stages.");
            }

            var enteredTicks = entered[i];
            var last = lasts[i];

            // Calendar days cost a 64-bit division each: compute them only for stages whose rules read them.
            var lastDay = 0;
            var haveLastDay = last == LifecycleColumns.None;
            var enteredDay = _stageReadsDaysInStage[stage] ? DayOf(enteredTicks) : 0;
            var fired = -1;
            for (var step = 0; step <= stageCount; step++)
            {
                if (!haveLastDay && _stageReadsRecency[stage])
                {
                    lastDay = DayOf(last);
                    haveLastDay = true;
                }

                var r = FindRule(stage, enteredTicks, enteredDay, counts[i], last, lastDay, gaps[i], asOfDay);
                if (r < 0)
                {
                    break;
                }

                fired = r;
                stage = _compiled[r].To;
                enteredTicks = asOfTicks;
                enteredDay = asOfDay;
            }

            if (fired >= 0)
            {
                stages[i] = (byte)stage;
                entered[i] = asOfTicks;
                moved++;
            }

            if (writeRule)
            {
                lastRule[i] = fired < 0 ? (short)-1 : (short)_compiled[fired].RuleIndex;
            }
        }

        return moved;
    }

    /// <summary>
    /// Evaluates many customers at once, in place, split in chunks of 65 536 rows between threads; the result is the
    /// same as the single-threaded <see cref="EvaluateColumns(Instant, LifecycleColumnSpans)"/>.
    /// </summary>
    /// <param name="asOf">The evaluation instant.</param>
    /// <param name="columns">The columns; stage and entered columns are updated.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use; -1 (the default) for the machine's processors, 1 for the calling thread only.</param>
    /// <returns>The number of customers who moved.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below -1, or a stage index is not a stage of this model.</exception>
    public int EvaluateColumns(Instant asOf, LifecycleColumns columns, int maxDegreeOfParallelism = -1)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 or a positive number.");
        }

        var n = columns.Length;
        var chunks = (n + ParallelChunk - 1) / ParallelChunk;
        if (maxDegreeOfParallelism == 1 || chunks <= 1)
        {
            return EvaluateColumns(asOf, columns.Slice(0, n));
        }

        var moved = 0;
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => 0,
            (chunk, _, local) =>
            {
                var start = chunk * ParallelChunk;
                return local + EvaluateColumns(asOf, columns.Slice(start, Math.Min(ParallelChunk, n - start)));
            },
            local => Interlocked.Add(ref moved, local));
        return moved;
    }
}
