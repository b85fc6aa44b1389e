using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.Internal;
using NodaTime;
using Npgsql;

namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>
/// An <see cref="IActivitySummarySource"/> that lets PostgreSQL aggregate: one set-based statement per batch of
/// <see cref="PostgreSqlStoreOptions.SummaryBatchSize"/> customers (a keyset range of ids) computes every summary field,
/// windows included, and only one row per customer travels to the application. Results equal
/// <see cref="ActivitySummarizer"/> on the same records to the cent (amounts are <c>numeric</c>, instants exact nanoseconds).
/// </summary>
/// <remarks>
/// <para>Limits, checked when the source is created: no currency converter (the database cannot call it) and a zone with
/// a fixed offset (UTC by default), because purchase days are computed in SQL with integer arithmetic.</para>
/// <para><see cref="GetSummariesAsync"/> reads all batches in one repeatable-read transaction (one snapshot).</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class PostgreSqlActivitySummarySource : IActivitySummarySource
{
    private readonly PostgreSqlStorage _storage;
    private readonly SummaryQuery _query;

    internal PostgreSqlActivitySummarySource(PostgreSqlStorage storage, ActivitySummaryOptions? options)
    {
        _storage = storage;
        _query = new SummaryQuery(
            new SqlDialect(storage.ActivityTable, "amount", "string_agg(DISTINCT currency, ',')", static (r, i) => r.GetDecimal(i)),
            options);
    }

    /// <summary>Gets the summary options.</summary>
    public ActivitySummaryOptions Options => _query.Options;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value.</exception>
    /// <exception cref="MixedCurrencyException">The customer's purchases are in several currencies.</exception>
    public async ValueTask<ActivitySummary> GetSummaryAsync(CustomerId customerId, Instant asOf, CancellationToken cancellationToken = default)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _storage.DataSource.CreateCommand("WITH ids AS (SELECT CAST(@id AS text) COLLATE \"C\" AS customer_id),\n" + _query.Body);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("id", customerId.Value);
        _query.AddParameters(cmd, asOf);
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return _query.Read(r, asOf);
    }

    /// <inheritdoc />
    /// <exception cref="MixedCurrencyException">A customer's purchases are in several currencies.</exception>
    public async IAsyncEnumerable<ActivitySummary> GetSummariesAsync(Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        string? last = null;
        var batch = _storage.Options.SummaryBatchSize;
        while (true)
        {
            var cmd = new NpgsqlCommand(
                $"WITH ids AS (SELECT DISTINCT customer_id FROM {_storage.ActivityTable} WHERE at_ns <= @asof{(last is null ? string.Empty : " AND customer_id > @after")} ORDER BY customer_id LIMIT @batch),\n{_query.Body}",
                conn,
                tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            if (last is not null)
            {
                cmd.Parameters.AddWithValue("after", last);
            }

            cmd.Parameters.AddWithValue("batch", batch);
            _query.AddParameters(cmd, asOf);
            var summaries = new List<ActivitySummary>();
            var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (r.ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    summaries.Add(_query.Read(r, asOf));
                }
            }

            foreach (var s in summaries)
            {
                yield return s;
            }

            if (summaries.Count < batch)
            {
                yield break;
            }

            last = summaries[^1].CustomerId.Value;
        }
    }
}
