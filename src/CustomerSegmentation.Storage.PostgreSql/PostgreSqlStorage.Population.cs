using System.Runtime.CompilerServices;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Storage.Internal;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>Population statistics computed in the database (see docs/scale-out.md).</summary>
public sealed partial class PostgreSqlStorage
{
    private PopulationSql? _population;

    private PopulationSql Population => _population ??= new PopulationSql(
        ActivityTable,
        "amount",
        "amount * 10000",
        "CAST(sum(u) AS bigint)",
        "max(CASE WHEN u <> trunc(u) THEN 1 ELSE 0 END)",
        "max(CASE WHEN scale(amount) > 4 AND amount <> round(amount, 4) THEN 1 ELSE 0 END)");

    /// <summary>Computes the RFM partial of this database's customers up to <paramref name="asOf"/> (inclusive, UTC days) with one statement.</summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The partial; merge the partials of all shards before computing cut points.</returns>
    /// <exception cref="InvalidDataException">An amount has more than 4 decimals.</exception>
    public async ValueTask<RfmPartial> ComputeRfmPartialAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        return await Population.RfmPartialAsync(conn, asOf, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams every customer's RFM inputs up to <paramref name="asOf"/>, aggregated in the database, in id order.</summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One aggregate per customer with a purchase or refund.</returns>
    public async IAsyncEnumerable<CustomerRfmAggregate> StreamRfmAggregatesAsync(LocalDate asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var a in Population.StreamRfmAsync(conn, asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return a;
        }
    }

    /// <summary>
    /// Streams every customer's purchase totals up to <paramref name="asOf"/> (inclusive, UTC days), aggregated in the
    /// database in one statement, so that one row per customer travels instead of every purchase row. Customers come in
    /// the order in which their first row up to <paramref name="asOf"/> was appended (the order a replay of
    /// <see cref="StreamPurchaseRowsAsync"/> would first meet them); customers whose rows are all later come last, with
    /// <see cref="CustomerPurchaseTotals.Rows"/> 0, so that the row counts add up.
    /// </summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One total per customer with a purchase or refund.</returns>
    /// <exception cref="InvalidDataException">An amount has more than 4 decimals.</exception>
    public async IAsyncEnumerable<CustomerPurchaseTotals> StreamPurchaseTotalsAsync(LocalDate asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var t in Population.StreamTotalsAsync(conn, asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return t;
        }
    }

    /// <summary>Counts this database's BG/NBD histories by (x, t_x, T) up to the calibration end with one statement.</summary>
    /// <param name="calibrationEnd">The calibration end day (inclusive).</param>
    /// <param name="timeUnit">The model's time unit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics; merge those of all shards before fitting.</returns>
    public async ValueTask<BgNbdSufficientStatistics> ComputeBgNbdStatisticsAsync(LocalDate calibrationEnd, BtydTimeUnit timeUnit = BtydTimeUnit.Weeks, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        return await Population.BgNbdAsync(conn, calibrationEnd, timeUnit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams every customer's BG/NBD history up to the calibration end, in the order the customers were first appended.</summary>
    /// <param name="calibrationEnd">The calibration end day (inclusive).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The histories.</returns>
    public async IAsyncEnumerable<CustomerBtydHistory> StreamBtydHistoriesAsync(LocalDate calibrationEnd, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var h in Population.StreamHistoriesAsync(conn, calibrationEnd, cancellationToken).ConfigureAwait(false))
        {
            yield return h;
        }
    }

    /// <summary>Streams purchase rows (customer, UTC day, amount) in append order, e.g. for a reader that replays a CSV import.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The rows.</returns>
    public async IAsyncEnumerable<(CustomerId CustomerId, LocalDate Day, decimal Amount)> StreamPurchaseRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        await foreach (var row in Population.StreamPurchaseRowsAsync(conn, static (r, i) => r.GetDecimal(i), cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }
}
