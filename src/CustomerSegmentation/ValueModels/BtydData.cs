using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The per-customer summary of the "buy till you die" (BTYD) models, in columns: frequency x (repeat purchase
/// periods), recency t_x (first to last purchase), age T (first purchase to the end of calibration), the average spend
/// of the repeat purchases and, optionally, the purchases and spend of a holdout period.
/// </summary>
/// <remarks>
/// <para>Build it from purchases with <see cref="BtydSummaryBuilder"/>, or supply the columns from your own database with
/// <see cref="FromColumns"/> (the summary source is pluggable: see <see cref="IBtydSummarySource"/>).</para>
/// <para>Columns are exposed as spans over private arrays; the object is immutable and safe to share between threads.</para>
/// </remarks>
/// <threadsafety>Immutable; all members are safe for concurrent use.</threadsafety>
public sealed class BtydData
{
    private readonly double[] _frequency;
    private readonly double[] _recency;
    private readonly double[] _age;
    private readonly double[] _averageRepeatSpend;
    private readonly double[]? _holdoutPurchases;
    private readonly double[]? _holdoutSpend;

    private BtydData(
        BtydTimeUnit timeUnit,
        ImmutableArray<CustomerId> customerIds,
        double[] frequency,
        double[] recency,
        double[] age,
        double[] averageRepeatSpend,
        double? holdoutLength,
        double[]? holdoutPurchases,
        double[]? holdoutSpend,
        LocalDate? calibrationEnd)
    {
        TimeUnit = timeUnit;
        CustomerIds = customerIds;
        _frequency = frequency;
        _recency = recency;
        _age = age;
        _averageRepeatSpend = averageRepeatSpend;
        HoldoutLength = holdoutLength;
        _holdoutPurchases = holdoutPurchases;
        _holdoutSpend = holdoutSpend;
        CalibrationEnd = calibrationEnd;
    }

    /// <summary>Gets the number of customers (rows).</summary>
    public int Count => _frequency.Length;

    /// <summary>Gets the unit of <see cref="Recency"/>, <see cref="Age"/> and <see cref="HoldoutLength"/>.</summary>
    public BtydTimeUnit TimeUnit { get; }

    /// <summary>Gets the customer of each row, or an empty array when the columns were supplied without ids.</summary>
    public ImmutableArray<CustomerId> CustomerIds { get; }

    /// <summary>Gets the last calendar day of the calibration period, when the summary was built from purchases.</summary>
    public LocalDate? CalibrationEnd { get; }

    /// <summary>Gets the frequency x of each customer: distinct purchase periods in calibration − 1 (a whole number ≥ 0).</summary>
    public ReadOnlySpan<double> Frequency => _frequency;

    /// <summary>Gets the recency t_x of each customer: time from the first to the last calibration purchase (0 when x = 0).</summary>
    public ReadOnlySpan<double> Recency => _recency;

    /// <summary>Gets the age T of each customer: time from the first purchase to the end of calibration (T ≥ t_x).</summary>
    public ReadOnlySpan<double> Age => _age;

    /// <summary>Gets the mean spend of each customer's repeat purchase periods (the first purchase excluded; 0 when x = 0).</summary>
    public ReadOnlySpan<double> AverageRepeatSpend => _averageRepeatSpend;

    /// <summary>Gets a value indicating whether holdout columns are present.</summary>
    public bool HasHoldout => _holdoutPurchases is not null;

    /// <summary>Gets the length of the holdout period in <see cref="TimeUnit"/>, when there is one.</summary>
    public double? HoldoutLength { get; }

    /// <summary>Gets the purchase periods of each customer in the holdout period (empty without a holdout).</summary>
    public ReadOnlySpan<double> HoldoutPurchases => _holdoutPurchases;

    /// <summary>Gets the spend of each customer in the holdout period (empty without a holdout).</summary>
    public ReadOnlySpan<double> HoldoutSpend => _holdoutSpend;

    /// <summary>
    /// Creates a summary from columns supplied by the host (for example aggregated in its own database). The arrays are
    /// copied.
    /// </summary>
    /// <param name="timeUnit">The unit of <paramref name="recency"/>, <paramref name="age"/> and the holdout length.</param>
    /// <param name="frequency">Frequency x per customer: whole numbers ≥ 0.</param>
    /// <param name="recency">Recency t_x per customer: 0 ≤ t_x ≤ T, and 0 when x = 0.</param>
    /// <param name="age">Age T per customer: finite, ≥ t_x.</param>
    /// <param name="averageRepeatSpend">Average repeat spend per customer, or <see langword="null"/> for zeros (no spend model).</param>
    /// <param name="customerIds">The customer of each row, or <see langword="null"/>.</param>
    /// <param name="holdout">The holdout length and per-customer holdout purchases and spend, or <see langword="null"/>.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException">A required column is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Columns differ in length, or a row breaks the rules above (the message names the row).</exception>
    public static BtydData FromColumns(
        BtydTimeUnit timeUnit,
        IReadOnlyList<double> frequency,
        IReadOnlyList<double> recency,
        IReadOnlyList<double> age,
        IReadOnlyList<double>? averageRepeatSpend = null,
        IReadOnlyList<CustomerId>? customerIds = null,
        BtydHoldoutColumns? holdout = null)
    {
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(recency);
        ArgumentNullException.ThrowIfNull(age);
        if (!Enum.IsDefined(timeUnit))
        {
            throw new ArgumentOutOfRangeException(nameof(timeUnit), timeUnit, "Unknown time unit.");
        }

        var n = frequency.Count;
        RequireLength(recency, n, nameof(recency));
        RequireLength(age, n, nameof(age));
        if (averageRepeatSpend is not null)
        {
            RequireLength(averageRepeatSpend, n, nameof(averageRepeatSpend));
        }

        if (customerIds is not null)
        {
            RequireLength(customerIds, n, nameof(customerIds));
        }

        if (holdout is not null)
        {
            RequireLength(holdout.Purchases, n, nameof(holdout));
            RequireLength(holdout.Spend, n, nameof(holdout));
        }

        var x = frequency.ToArray();
        var tx = recency.ToArray();
        var t = age.ToArray();
        var m = averageRepeatSpend?.ToArray() ?? new double[n];
        for (var i = 0; i < n; i++)
        {
            Validate(i, x[i], tx[i], t[i], m[i]);
        }

        return new BtydData(
            timeUnit,
            customerIds is null ? [] : [.. customerIds],
            x,
            tx,
            t,
            m,
            holdout?.Length,
            holdout?.Purchases.ToArray(),
            holdout?.Spend.ToArray(),
            calibrationEnd: null);
    }

    internal static BtydData FromBuilder(
        BtydTimeUnit timeUnit,
        ImmutableArray<CustomerId> ids,
        double[] x,
        double[] tx,
        double[] t,
        double[] m,
        double? holdoutLength,
        double[]? holdoutPurchases,
        double[]? holdoutSpend,
        LocalDate calibrationEnd) =>
        new(timeUnit, ids, x, tx, t, m, holdoutLength, holdoutPurchases, holdoutSpend, calibrationEnd);

    /// <summary>Returns the rows whose frequency is at least one (the repeat buyers the Gamma-Gamma model is fitted on).</summary>
    /// <returns>Their row indices, ascending.</returns>
    public int[] RepeatBuyerRows()
    {
        var rows = new List<int>();
        for (var i = 0; i < _frequency.Length; i++)
        {
            if (_frequency[i] > 0)
            {
                rows.Add(i);
            }
        }

        return [.. rows];
    }

    private static void RequireLength<T>(IReadOnlyList<T> column, int n, string name)
    {
        ArgumentNullException.ThrowIfNull(column, name);
        if (column.Count != n)
        {
            throw new ArgumentException($"Column {name} has {column.Count} rows but frequency has {n}.", name);
        }
    }

    private static void Validate(int i, double x, double tx, double t, double m)
    {
        string? problem = null;
        if (!double.IsFinite(x) || x < 0 || x != Math.Floor(x))
        {
            problem = "frequency must be a whole number ≥ 0";
        }
        else if (!double.IsFinite(t) || !double.IsFinite(tx) || tx < 0 || tx > t)
        {
            problem = "recency and age must be finite with 0 ≤ recency ≤ age";
        }
        else if (x == 0 && tx != 0)
        {
            problem = "recency must be 0 when frequency is 0";
        }
        else if (!double.IsFinite(m))
        {
            problem = "average repeat spend must be finite";
        }

        if (problem is not null)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Row {i} (x = {x}, t_x = {tx}, T = {t}, spend = {m}): {problem}."),
                nameof(x));
        }
    }
}

/// <summary>The holdout columns of a host-supplied <see cref="BtydData"/>.</summary>
/// <param name="Length">The length of the holdout period, in the summary's time unit; &gt; 0.</param>
/// <param name="Purchases">Purchase periods per customer in the holdout.</param>
/// <param name="Spend">Spend per customer in the holdout.</param>
public sealed record BtydHoldoutColumns(double Length, IReadOnlyList<double> Purchases, IReadOnlyList<double> Spend);

/// <summary>A source of BTYD summaries, for hosts that aggregate purchases in their own database.</summary>
public interface IBtydSummarySource
{
    /// <summary>Builds the summary for a calibration period ending on <paramref name="calibrationEnd"/>.</summary>
    /// <param name="calibrationEnd">The last calendar day of calibration (inclusive).</param>
    /// <param name="holdoutEnd">The last calendar day of the holdout period (inclusive), or <see langword="null"/> for none.</param>
    /// <param name="timeUnit">The time unit of the summary.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The summary.</returns>
    ValueTask<BtydData> GetSummaryAsync(LocalDate calibrationEnd, LocalDate? holdoutEnd, BtydTimeUnit timeUnit, CancellationToken cancellationToken);
}
