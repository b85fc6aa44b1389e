using System.Data.Common;
using System.Runtime.CompilerServices;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Storage.Internal;

/// <summary>
/// The population statistics pushed into the database (shared by both SQL stores): per-customer RFM inputs, their
/// value → count histograms (<see cref="RfmPartial"/>), and BG/NBD histories counted by (x, t_x, T)
/// (<see cref="BgNbdSufficientStatistics"/>). Days are UTC days of <c>at_ns</c>, as the <c>rfm</c> and <c>churn</c> commands use.
/// Every query groups by <c>customer_id</c> first, so it pushes down per shard.
/// </summary>
/// <param name="Activity">The activity table, quoted.</param>
/// <param name="Amount">A row's amount in an exact type.</param>
/// <param name="UnitsRow">A row's amount in units of 1/10 000 (selected as <c>u</c>).</param>
/// <param name="UnitsSum">The sum of a group's <c>u</c> as a 64-bit integer.</param>
/// <param name="BadUnits">1 when a group has a <c>u</c> that is not whole (more than 4 decimals), else 0.</param>
/// <param name="BadAmount">The same over the rows of a group without <c>u</c> (an aggregate of <c>Amount</c>).</param>
internal sealed record PopulationSql(string Activity, string Amount, string UnitsRow, string UnitsSum, string BadUnits, string BadAmount)
{
    private const string Day = "((at_ns - (((at_ns % 86400000000000) + 86400000000000) % 86400000000000)) / 86400000000000)";

    private string RfmCte => $"""
        c AS (
          SELECT customer_id, count(CASE WHEN amt >= 0 THEN 1 END) AS n, max(CASE WHEN amt >= 0 THEN day END) AS last_day,
                 {UnitsSum} AS units, {BadUnits} AS bad
          FROM (SELECT customer_id, at_ns, {Amount} AS amt, {UnitsRow} AS u, {Day} AS day FROM {Activity} WHERE kind = 0 AND at_ns < @end) x
          GROUP BY customer_id)
        """;

    private string HistoryCte => $"""
        d AS (SELECT customer_id, {Day} AS day, min(seq) AS first_seq FROM {Activity} WHERE kind = 0 AND at_ns < @end GROUP BY customer_id, {Day}),
        h AS (SELECT customer_id, count(*) - 1 AS x, max(day) - min(day) AS tx, @cal - min(day) AS t, min(first_seq) AS first_seq FROM d GROUP BY customer_id)
        """;

    /// <summary>Streams every customer's RFM inputs up to the as-of day, in id order.</summary>
    public async IAsyncEnumerable<CustomerRfmAggregate> StreamRfmAsync(DbConnection conn, LocalDate asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cmd = Command(conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = $"WITH {RfmCte} SELECT customer_id, n, last_day, units, bad FROM c ORDER BY customer_id";
        AddEnd(cmd, asOf);
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = new CustomerId(r.GetString(0));
            CheckUnits(r, 4, id);
            yield return new CustomerRfmAggregate(id, checked((int)r.GetInt64(1)), r.IsDBNull(2) ? null : checked((int)r.GetInt64(2)), r.GetInt64(3));
        }
    }

    /// <summary>
    /// Streams every customer's purchase totals up to the as-of day in one statement and one scan, in the order in which
    /// the customers' first row up to the as-of day was appended (customers whose rows are all later come last, in no
    /// defined order): the order a replay of the rows in append order would first meet them.
    /// </summary>
    public async IAsyncEnumerable<CustomerPurchaseTotals> StreamTotalsAsync(DbConnection conn, LocalDate asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cmd = Command(conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        // Lean on purpose (measured on 1 M customers): FILTER aggregates, days and units derived once per customer on the
        // client, no arithmetic per row; the per-row decimals check only evaluates its exact comparison on rows whose
        // scale exceeds 4.
        cmd.CommandText = $"""
            SELECT customer_id,
                   count(*) FILTER (WHERE at_ns < @end AND {Amount} >= 0),
                   min(at_ns) FILTER (WHERE at_ns < @end AND {Amount} >= 0),
                   max(at_ns) FILTER (WHERE at_ns < @end AND {Amount} >= 0),
                   sum({Amount}) FILTER (WHERE at_ns < @end),
                   {BadAmount},
                   count(*) FILTER (WHERE at_ns < @end),
                   count(*)
            FROM {Activity} WHERE kind = 0
            GROUP BY customer_id
            ORDER BY min(seq) FILTER (WHERE at_ns < @end) IS NULL, min(seq) FILTER (WHERE at_ns < @end)
            """;
        AddEnd(cmd, asOf);
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = new CustomerId(r.GetString(0));
            CheckUnits(r, 5, id);
            var units = r.IsDBNull(4) ? 0L : ToUnits(r, 4, id);
            var taken = r.GetInt64(6);
            yield return new CustomerPurchaseTotals(
                id,
                checked((int)r.GetInt64(1)),
                r.IsDBNull(2) ? null : DayOf(r.GetInt64(2)),
                r.IsDBNull(3) ? null : DayOf(r.GetInt64(3)),
                units,
                taken,
                r.GetInt64(7) - taken);
        }
    }

    /// <summary>
    /// A command without the provider's default timeout (30 s for Npgsql and Microsoft.Data.Sqlite): these statements scan
    /// and group the whole activity table before their first row, which takes minutes at tens of millions of rows
    /// (measured: the 10 M-customer totals query outlived 30 s). The caller's cancellation token stops them instead.
    /// </summary>
    private static DbCommand Command(DbConnection conn)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandTimeout = 0;
        return cmd;
    }

    /// <summary>A sum of amounts as units of 1/10 000: integer units as they are, an exact decimal scaled (whole units only).</summary>
    private static long ToUnits(DbDataReader r, int column, CustomerId id)
    {
        if (r.GetFieldType(column) != typeof(decimal))
        {
            return r.GetInt64(column);
        }

        var units = r.GetDecimal(column) * Utf8PurchaseFields.AmountScale;
        return units == decimal.Truncate(units)
            ? checked((long)units)
            : throw new InvalidDataException($"Customer {id.Value} has an amount with more than {Utf8PurchaseFields.AmountDecimals} decimals; RFM money is counted in units of 1/{Utf8PurchaseFields.AmountScale}.");
    }

    private static int DayOf(long atNs) => checked((int)((atNs / StorageCodec.NanosPerDay) - (atNs % StorageCodec.NanosPerDay < 0 ? 1 : 0)));

    /// <summary>Computes the RFM partial (three histograms) in one statement.</summary>
    public async ValueTask<RfmPartial> RfmPartialAsync(DbConnection conn, LocalDate asOf, CancellationToken cancellationToken)
    {
        var cmd = Command(conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = $"""
            WITH {RfmCte}
            SELECT 0 AS which, last_day AS value, count(*) AS customers, max(bad) AS bad FROM c WHERE n > 0 GROUP BY last_day
            UNION ALL SELECT 1, n, count(*), max(bad) FROM c WHERE n > 0 GROUP BY n
            UNION ALL SELECT 2, units, count(*), max(bad) FROM c WHERE n > 0 GROUP BY units
            """;
        AddEnd(cmd, asOf);
        var lists = new[] { new List<KeyValuePair<long, long>>(), new List<KeyValuePair<long, long>>(), new List<KeyValuePair<long, long>>() };
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                CheckUnits(r, 3, null);
                lists[CustomerRow.Int(r, 0)].Add(new(r.GetInt64(1), r.GetInt64(2)));
            }
        }

        return RfmPartial.FromHistograms(lists[0], lists[1], lists[2]);
    }

    /// <summary>Counts BG/NBD histories by (x, t_x, T) in whole days up to the calibration end.</summary>
    public async ValueTask<BgNbdSufficientStatistics> BgNbdAsync(DbConnection conn, LocalDate calibrationEnd, BtydTimeUnit unit, CancellationToken cancellationToken)
    {
        var cmd = Command(conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = $"WITH {HistoryCte} SELECT x, tx, t, count(*) FROM h GROUP BY x, tx, t";
        AddCalibration(cmd, calibrationEnd);
        var counts = new List<KeyValuePair<BtydHistory, long>>();
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts.Add(new(new BtydHistory(checked((int)r.GetInt64(0)), checked((int)r.GetInt64(1)), checked((int)r.GetInt64(2))), r.GetInt64(3)));
            }
        }

        return BgNbdSufficientStatistics.FromCounts(unit, counts);
    }

    /// <summary>Streams every customer's history up to the calibration end, in the order the customers first appeared (append order).</summary>
    public async IAsyncEnumerable<CustomerBtydHistory> StreamHistoriesAsync(DbConnection conn, LocalDate calibrationEnd, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cmd = Command(conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = $"WITH {HistoryCte} SELECT customer_id, x, tx, t FROM h ORDER BY first_seq";
        AddCalibration(cmd, calibrationEnd);
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new CustomerBtydHistory(
                new CustomerId(r.GetString(0)),
                new BtydHistory(checked((int)r.GetInt64(1)), checked((int)r.GetInt64(2)), checked((int)r.GetInt64(3))));
        }
    }

    /// <summary>Streams purchase rows (UTC day, amount) in append order, for readers that need the rows themselves.</summary>
    public async IAsyncEnumerable<(CustomerId Id, LocalDate Day, decimal Amount)> StreamPurchaseRowsAsync(DbConnection conn, Func<DbDataReader, int, decimal> readAmount, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cmd = Command(conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = $"SELECT customer_id, {Day} AS day, {Amount} FROM {Activity} WHERE kind = 0 ORDER BY seq";
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return (new CustomerId(r.GetString(0)), Utf8PurchaseFields.FromEpochDay(checked((int)r.GetInt64(1))), readAmount(r, 2));
        }
    }

    private static void CheckUnits(DbDataReader r, int column, CustomerId? id)
    {
        if (!r.IsDBNull(column) && CustomerRow.Int(r, column) != 0)
        {
            throw new InvalidDataException(
                $"{(id is { } c ? "Customer " + c.Value : "A customer")} has an amount with more than {Utf8PurchaseFields.AmountDecimals} decimals; RFM money is counted in units of 1/{Utf8PurchaseFields.AmountScale}.");
        }
    }

    private static void AddEnd(DbCommand cmd, LocalDate asOf) =>
        CustomerRow.Add(cmd, "end", checked((Utf8PurchaseFields.ToEpochDay(asOf) + 1L) * StorageCodec.NanosPerDay));

    private static void AddCalibration(DbCommand cmd, LocalDate calibrationEnd)
    {
        AddEnd(cmd, calibrationEnd);
        CustomerRow.Add(cmd, "cal", (long)Utf8PurchaseFields.ToEpochDay(calibrationEnd));
    }
}
