using CustomerSegmentation.Activity;
using NodaTime;

namespace CustomerSegmentation.Engagement;

public sealed partial class FollowUpPolicy
{
    /// <summary>The "no answer" value of the satisfaction column of <see cref="FoldInteractions"/> (0).</summary>
    public const byte NoSatisfaction = 0;

    /// <summary>The "no answer" value of the NPS column of <see cref="FoldInteractions"/> (255).</summary>
    public const byte NoNps = byte.MaxValue;

    /// <summary>
    /// Folds interaction columns into the per-customer facts (last follow-up, last complaint, last low score, first
    /// interaction), keeping the latest (earliest) instant per customer, so batches can be folded one after another.
    /// Interactions after <paramref name="asOf"/> are skipped and counted. Follow-ups are recognised by kind
    /// (<see cref="FollowUpOptions.FollowUpKinds"/>); channel filters need the object path.
    /// </summary>
    /// <param name="columns">The per-customer columns to update.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="customer">Each interaction's row in <paramref name="columns"/>.</param>
    /// <param name="kind">Each interaction's <see cref="InteractionKind"/> as a byte.</param>
    /// <param name="at">Each interaction's instant, Unix ticks.</param>
    /// <param name="satisfaction">Each CSAT 1..5, or <see cref="NoSatisfaction"/>.</param>
    /// <param name="nps">Each NPS 0..10, or <see cref="NoNps"/>.</param>
    /// <returns>The number of interactions after the as-of instant, skipped.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The interaction columns differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the columns, or a kind is undefined.</exception>
    /// <exception cref="InvalidOperationException">The options filter follow-ups by channel.</exception>
    public int FoldInteractions(FollowUpColumns columns, Instant asOf, ReadOnlySpan<int> customer, ReadOnlySpan<byte> kind, ReadOnlySpan<long> at, ReadOnlySpan<byte> satisfaction, ReadOnlySpan<byte> nps)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var n = customer.Length;
        if (kind.Length != n || at.Length != n || satisfaction.Length != n || nps.Length != n)
        {
            throw new ArgumentException("Every interaction column must have the same length.", nameof(customer));
        }

        if (!Options.FollowUpChannels.IsEmpty)
        {
            throw new InvalidOperationException("The columnar fold recognises follow-ups by kind only; this policy filters by channel: use Evaluate.");
        }

        var facts = columns.Facts;
        var mask = _kindMask;
        var asOfTicks = asOf.ToUnixTimeTicks();
        var lowCsat = Options.LowCsatBelow;
        var detractor = Options.DetractorMax;
        var skipped = 0;
        for (var j = 0; j < n; j++)
        {
            var t = at[j];
            if (t > asOfTicks)
            {
                skipped++;
                continue;
            }

            var c = customer[j];
            if (unchecked((uint)c) >= (uint)facts.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(customer), c, $"Row {j}: customer row {c} is outside the {facts.Length} columns.");
            }

            var k = kind[j];
            if (k >= mask.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(kind), k, $"Row {j}: {k} is not an interaction kind.");
            }

            ref var f = ref facts[c];
            if (t < f.FirstInteraction || f.FirstInteraction == FollowUpColumns.None)
            {
                f.FirstInteraction = t;
            }

            if (mask[k] && t > f.LastFollowUp)
            {
                f.LastFollowUp = t;
            }

            if (k == (byte)InteractionKind.Complaint && t > f.LastComplaint)
            {
                f.LastComplaint = t;
            }

            var s = satisfaction[j];
            var p = nps[j];
            if (((s != NoSatisfaction && s < lowCsat) || (p != NoNps && p <= detractor)) && t > f.LastLowScore)
            {
                f.LastLowScore = t;
            }
        }

        return skipped;
    }

    /// <summary>
    /// Evaluates every row of <paramref name="columns"/> as of an instant, with the same decisions as
    /// <see cref="Evaluate"/> for a subject in <see cref="FollowUpOptions.DefaultZone"/>: each row's due date as a day
    /// number (days since 1970-01-01, <see cref="FollowUpColumns.NoDueDate"/> when no rule applies) and the index of
    /// the rule that set it (-1). Allocates nothing per customer. Working-day delays read a table built by asking the
    /// calendar once per day from 1 100 days before to 400 days after today; older start days ask
    /// <see cref="BusinessCalendarExtensions.AddWorkingDays"/>.
    /// </summary>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="columns">The per-customer columns, folded.</param>
    /// <param name="tierNames">The tier name of each tier index.</param>
    /// <param name="stageNames">The stage id of each stage index.</param>
    /// <param name="dueDay">Out: each row's due day number.</param>
    /// <param name="ruleIndex">Out: each row's rule index in <see cref="Rules"/>, or -1.</param>
    /// <returns>Today's day number in the default zone: a row is overdue when its due day is below it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An out column is not as long as the columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row's tier or stage index is outside its name list.</exception>
    public int EvaluateColumns(Instant asOf, FollowUpColumns columns, IReadOnlyList<string> tierNames, IReadOnlyList<string> stageNames, Span<int> dueDay, Span<short> ruleIndex)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(tierNames);
        ArgumentNullException.ThrowIfNull(stageNames);
        var n = columns.Count;
        if (dueDay.Length != n || ruleIndex.Length != n)
        {
            throw new ArgumentException("The due-day and rule columns must be as long as the customer columns.", nameof(dueDay));
        }

        // Coverage tables: covers[r][tier + 1] and [stage + 1], so -1 (none) is slot 0.
        var rules = Rules.Length;
        int tierSlots = tierNames.Count + 1, stageSlots = stageNames.Count + 1;
        var tierCover = new bool[rules * tierSlots];
        var stageCover = new bool[rules * stageSlots];
        for (var r = 0; r < rules; r++)
        {
            for (var t = -1; t < tierNames.Count; t++)
            {
                tierCover[(r * tierSlots) + t + 1] = Rules[r].Tiers.IsEmpty || (t >= 0 && Rules[r].Tiers.Contains(tierNames[t], StringComparer.Ordinal));
            }

            for (var s = -1; s < stageNames.Count; s++)
            {
                stageCover[(r * stageSlots) + s + 1] = Rules[r].Stages.IsEmpty || (s >= 0 && Rules[r].Stages.Contains(stageNames[s], StringComparer.Ordinal));
            }
        }

        var triggers = new FollowUpTrigger[rules];
        var delays = new CadenceDelay[rules];
        for (var r = 0; r < rules; r++)
        {
            triggers[r] = Rules[r].Trigger;
            delays[r] = Rules[r].Delay;
        }

        var zone = Options.DefaultZone;
        var today = DayNumber(asOf.ToUnixTimeTicks(), zone);
        var workdays = new WorkingDayTable(Options.Calendar, today - WorkingDayTable.DaysBack, today + WorkingDayTable.DaysAhead);
        var asOfTicks = asOf.ToUnixTimeTicks();
        ReadOnlySpan<short> tier = columns.Tier, stage = columns.Stage;
        ReadOnlySpan<long> known = columns.KnownSince, firstPurchase = columns.FirstPurchase;
        ReadOnlySpan<FactSlot> facts = columns.Facts;
        for (var i = 0; i < n; i++)
        {
            var ti = tier[i] + 1;
            var si = stage[i] + 1;
            if (unchecked((uint)ti) >= (uint)tierSlots || unchecked((uint)si) >= (uint)stageSlots)
            {
                throw new ArgumentOutOfRangeException(nameof(columns), $"Row {i}: tier index {tier[i]} or stage index {stage[i]} is outside the name lists ({tierNames.Count} tiers, {stageNames.Count} stages).");
            }

            var k = known[i] <= asOfTicks ? known[i] : FollowUpColumns.None;
            var p = firstPurchase[i] <= asOfTicks ? firstPurchase[i] : FollowUpColumns.None;
            var due = FollowUpColumns.NoDueDate;
            short chosen = -1;
            for (var r = 0; r < rules; r++)
            {
                if (!tierCover[(r * tierSlots) + ti] || !stageCover[(r * stageSlots) + si])
                {
                    continue;
                }

                ref readonly var f = ref facts[i];
                var start = StartOf(triggers[r], f.LastFollowUp, k, p, f.LastComplaint, f.LastLowScore, f.FirstInteraction);
                if (start == FollowUpColumns.None)
                {
                    continue;
                }

                var startDay = DayNumber(start, zone);
                var delay = delays[r];
                due = delay.InWorkingDays ? workdays.Add(startDay, delay.Amount) : startDay + delay.Amount;
                chosen = (short)r;
                break;
            }

            dueDay[i] = due;
            ruleIndex[i] = chosen;
        }

        return today;
    }

    /// <summary>
    /// The due list of a columnar evaluation: the rows overdue (due day before <paramref name="today"/>) and, by
    /// default, due today, ordered like <see cref="DueList"/>: value (highest first), days overdue (most first), row.
    /// </summary>
    /// <param name="dueDay">The due days from <see cref="EvaluateColumns"/>.</param>
    /// <param name="today">Today's day number from <see cref="EvaluateColumns"/>.</param>
    /// <param name="value">Each row's value at stake.</param>
    /// <param name="includeDueToday">Whether rows due today are listed.</param>
    /// <returns>The row indexes in order.</returns>
    /// <exception cref="ArgumentException">The columns differ in length.</exception>
    public static int[] DueRows(ReadOnlySpan<int> dueDay, int today, ReadOnlySpan<decimal> value, bool includeDueToday = true)
    {
        if (value.Length != dueDay.Length)
        {
            throw new ArgumentException("The value column must be as long as the due-day column.", nameof(value));
        }

        var limit = includeDueToday ? today : today - 1;
        var count = 0;
        foreach (var d in dueDay)
        {
            if (d != FollowUpColumns.NoDueDate && d <= limit)
            {
                count++;
            }
        }

        // Sort by value (negated, so ascending = highest first) carrying (due day, row) packed in one long, then sort each
        // run of equal values by that long: earliest due (most overdue) first, then row. No comparer delegate.
        var negValue = new decimal[count];
        var dueRow = new long[count];
        count = 0;
        for (var i = 0; i < dueDay.Length; i++)
        {
            var d = dueDay[i];
            if (d != FollowUpColumns.NoDueDate && d <= limit)
            {
                negValue[count] = -value[i];
                dueRow[count++] = ((long)d << 32) + i;
            }
        }

        Array.Sort(negValue, dueRow);
        var start = 0;
        for (var i = 1; i <= count; i++)
        {
            if (i == count || negValue[i] != negValue[start])
            {
                if (i - start > 1)
                {
                    Array.Sort(dueRow, start, i - start);
                }

                start = i;
            }
        }

        var rows = new int[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = unchecked((int)(dueRow[i] & 0xFFFF_FFFF));
        }

        return rows;
    }

    private const long TicksPerDay = NodaConstants.TicksPerDay;

    // Working-day arithmetic on day numbers for a range around today, asked of the calendar once per day of the range;
    // start days outside it fall back to IBusinessCalendar.AddWorkingDays.
    private sealed class WorkingDayTable
    {
        public const int DaysBack = 1100;
        public const int DaysAhead = 400;

        private readonly IBusinessCalendar _calendar;
        private readonly int _first;
        private readonly int[] _countUpTo;   // working days in [first, first + i]
        private readonly int[] _working;     // the working day numbers of the range, in order

        public WorkingDayTable(IBusinessCalendar calendar, int first, int last)
        {
            _calendar = calendar;
            _first = first;
            _countUpTo = new int[last - first + 1];
            var working = new List<int>();
            var date = Epoch.PlusDays(first);
            for (var i = 0; i < _countUpTo.Length; i++, date = date.PlusDays(1))
            {
                if (calendar.IsWorkingDay(date))
                {
                    working.Add(first + i);
                }

                _countUpTo[i] = working.Count;
            }

            _working = [.. working];
        }

        public int Add(int day, int workingDays)
        {
            var i = day - _first;
            if (workingDays == 0)
            {
                return day;
            }

            if (unchecked((uint)i) < (uint)_countUpTo.Length)
            {
                var target = _countUpTo[i] + workingDays - 1;   // index in _working of the n-th working day after day
                if (target < _working.Length)
                {
                    return _working[target];
                }
            }

            return Period.DaysBetween(Epoch, _calendar.AddWorkingDays(Epoch.PlusDays(day), workingDays));
        }
    }

    internal static int DayNumber(long unixTicks, DateTimeZone zone)
    {
        var local = ReferenceEquals(zone, DateTimeZone.Utc) ? unixTicks : unixTicks + zone.GetUtcOffset(Instant.FromUnixTimeTicks(unixTicks)).Ticks;
        return (int)FloorDiv(local, TicksPerDay);
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }
}
