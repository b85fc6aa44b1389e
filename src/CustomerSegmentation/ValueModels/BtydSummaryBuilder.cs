using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// Builds the BTYD summary (<see cref="BtydData"/>) from purchase rows (customer, day or instant, amount) the way the
/// literature and <c>lifetimes</c> do: purchases on the same calendar day are one purchase period (their amounts add up),
/// frequency x = distinct calibration purchase days − 1, recency t_x = days from the first to the last calibration
/// purchase day, age T = days from the first purchase day to <see cref="CalibrationEnd"/>, both divided by the unit
/// (1 for days, 7 for weeks), and the average repeat spend = mean day total of the purchase days after the first.
/// </summary>
/// <remarks>
/// <para>Customers whose first purchase is after the calibration end are not in the calibration cohort and are left out
/// (counted in <see cref="CustomersExcluded"/>); purchases after the holdout end (or after calibration, without a holdout)
/// are ignored. Amounts may be negative (refunds), they are netted into their day's total.</para>
/// <para>With a holdout period, each customer's holdout purchases are the distinct purchase days in
/// (<see cref="CalibrationEnd"/>, <see cref="HoldoutEnd"/>] and the holdout spend is their total.</para>
/// </remarks>
/// <threadsafety>Not thread-safe: add rows from one thread.</threadsafety>
public sealed class BtydSummaryBuilder
{
    private readonly Dictionary<CustomerId, int> _index = [];
    private readonly List<CustomerId> _ids = [];
    private readonly List<List<(int Day, decimal Amount)>> _rows = [];
    private readonly int _calibrationEndDay;
    private readonly int _holdoutEndDay;

    /// <summary>Creates a builder.</summary>
    /// <param name="calibrationEnd">The last calendar day of the calibration period (inclusive).</param>
    /// <param name="holdoutEnd">The last calendar day of the holdout period (inclusive), or <see langword="null"/> for none; after <paramref name="calibrationEnd"/>.</param>
    /// <param name="timeUnit">The unit of recency, age and the holdout length; default <see cref="BtydTimeUnit.Weeks"/>.</param>
    /// <param name="zone">The zone that turns instants into calendar days; default <see cref="DateTimeZone.Utc"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="holdoutEnd"/> is not after <paramref name="calibrationEnd"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeUnit"/> is not a defined unit.</exception>
    public BtydSummaryBuilder(LocalDate calibrationEnd, LocalDate? holdoutEnd = null, BtydTimeUnit timeUnit = BtydTimeUnit.Weeks, DateTimeZone? zone = null)
    {
        if (!Enum.IsDefined(timeUnit))
        {
            throw new ArgumentOutOfRangeException(nameof(timeUnit), timeUnit, "Unknown time unit.");
        }

        if (holdoutEnd is { } h && h <= calibrationEnd)
        {
            throw new ArgumentException($"The holdout end {h:yyyy-MM-dd} must be after the calibration end {calibrationEnd:yyyy-MM-dd}.", nameof(holdoutEnd));
        }

        CalibrationEnd = calibrationEnd;
        HoldoutEnd = holdoutEnd;
        TimeUnit = timeUnit;
        Zone = zone ?? DateTimeZone.Utc;
        _calibrationEndDay = DayNumber(calibrationEnd);
        _holdoutEndDay = holdoutEnd is { } e ? DayNumber(e) : _calibrationEndDay;
    }

    /// <summary>Gets the last calendar day of calibration (inclusive).</summary>
    public LocalDate CalibrationEnd { get; }

    /// <summary>Gets the last calendar day of the holdout period (inclusive), if any.</summary>
    public LocalDate? HoldoutEnd { get; }

    /// <summary>Gets the time unit of the summary.</summary>
    public BtydTimeUnit TimeUnit { get; }

    /// <summary>Gets the zone that turns instants into calendar days.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Gets the number of rows added.</summary>
    public int RowsAdded { get; private set; }

    /// <summary>Gets the rows ignored because they are after the holdout end (or after calibration without a holdout).</summary>
    public int RowsIgnored { get; private set; }

    /// <summary>Gets the customers left out by the last <see cref="Build"/> because their first purchase is after calibration.</summary>
    public int CustomersExcluded { get; private set; }

    /// <summary>Adds a purchase on a calendar day.</summary>
    /// <param name="customerId">The buyer; a valid id.</param>
    /// <param name="date">The day of the purchase.</param>
    /// <param name="amount">The amount (negative for a refund).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default (empty) id.</exception>
    public BtydSummaryBuilder Add(CustomerId customerId, LocalDate date, decimal amount)
    {
        if (customerId.Value.Length == 0)
        {
            throw new ArgumentException("The default customer id is not a valid id.", nameof(customerId));
        }

        RowsAdded++;
        var day = DayNumber(date);
        if (day > _holdoutEndDay)
        {
            RowsIgnored++;
            return this;
        }

        if (!_index.TryGetValue(customerId, out var i))
        {
            i = _ids.Count;
            _index.Add(customerId, i);
            _ids.Add(customerId);
            _rows.Add([]);
        }

        _rows[i].Add((day, amount));
        return this;
    }

    /// <summary>Adds a purchase at an instant; its calendar day is taken in <see cref="Zone"/>.</summary>
    /// <param name="customerId">The buyer; a valid id.</param>
    /// <param name="at">When the purchase happened.</param>
    /// <param name="amount">The amount (negative for a refund).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default (empty) id.</exception>
    public BtydSummaryBuilder Add(CustomerId customerId, Instant at, decimal amount) => Add(customerId, at.InZone(Zone).Date, amount);

    /// <summary>Builds the summary of the rows added so far, customers in the order they first appeared.</summary>
    /// <returns>The summary; it has holdout columns when <see cref="HoldoutEnd"/> is set.</returns>
    public BtydData Build()
    {
        var unit = (double)(int)TimeUnit;
        var ids = ImmutableArray.CreateBuilder<CustomerId>(_ids.Count);
        List<double> x = [], tx = [], t = [], m = [], hx = [], hm = [];
        var excluded = 0;
        for (var c = 0; c < _ids.Count; c++)
        {
            var rows = _rows[c];
            rows.Sort((p, q) => p.Day.CompareTo(q.Day));
            if (rows[0].Day > _calibrationEndDay)
            {
                excluded++;
                continue;
            }

            int first = rows[0].Day, last = first, days = 0, holdoutDays = 0, previous = int.MinValue;
            decimal repeatSpend = 0, holdoutSpend = 0;
            foreach (var (day, amount) in rows)
            {
                var newDay = day != previous;
                previous = day;
                if (day <= _calibrationEndDay)
                {
                    if (newDay)
                    {
                        days++;
                        last = day;
                    }

                    if (day != first)
                    {
                        repeatSpend += amount;
                    }
                }
                else
                {
                    if (newDay)
                    {
                        holdoutDays++;
                    }

                    holdoutSpend += amount;
                }
            }

            ids.Add(_ids[c]);
            x.Add(days - 1);
            tx.Add((last - first) / unit);
            t.Add((_calibrationEndDay - first) / unit);
            m.Add(days > 1 ? (double)(repeatSpend / (days - 1)) : 0);
            hx.Add(holdoutDays);
            hm.Add((double)holdoutSpend);
        }

        CustomersExcluded = excluded;
        var hasHoldout = HoldoutEnd is not null;
        return BtydData.FromBuilder(
            TimeUnit,
            ids.DrainToImmutable(),
            [.. x],
            [.. tx],
            [.. t],
            [.. m],
            hasHoldout ? (_holdoutEndDay - _calibrationEndDay) / unit : null,
            hasHoldout ? [.. hx] : null,
            hasHoldout ? [.. hm] : null,
            CalibrationEnd);
    }

    private static int DayNumber(LocalDate date) => date.ToDateOnly().DayNumber;
}
