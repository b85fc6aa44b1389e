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
    /// <remarks>
    /// One connection finds the batch boundaries (the last id of each next <see cref="PostgreSqlStoreOptions.SummaryBatchSize"/>
    /// customers, an index-only scan), and <see cref="PostgreSqlStoreOptions.SummaryConnections"/> connections compute the
    /// batches at the same time; every connection imports the first one's snapshot, so the summaries are those of one
    /// repeatable-read transaction. They come in id order; at most <see cref="PostgreSqlStoreOptions.SummaryConnections"/>
    /// batches are computed or held at once.
    /// </remarks>
    /// <exception cref="MixedCurrencyException">A customer's purchases are in several currencies.</exception>
    public async IAsyncEnumerable<ActivitySummary> GetSummariesAsync(Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var batch = _storage.Options.SummaryBatchSize;
        var lanes = _storage.Options.SummaryConnections;
        var conn = await _storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        string snapshot;
        var exportCmd = new NpgsqlCommand("SELECT pg_export_snapshot()", conn, tx);
        await using (exportCmd.ConfigureAwait(false))
        {
            snapshot = (string)(await exportCmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new Lane?[lanes];
        var pending = new Queue<Task<List<ActivitySummary>>>();
        try
        {
            string? last = null;
            var exhausted = false;
            var next = 0;
            while (true)
            {
                while (!exhausted && pending.Count < lanes)
                {
                    var upto = await NextBoundaryAsync(conn, tx, asOf, last, batch, cancellationToken).ConfigureAwait(false);
                    if (upto is null)
                    {
                        exhausted = true;
                        break;
                    }

                    var lane = workers[next % lanes] ??= await Lane.OpenAsync(_storage, snapshot, cancellationToken).ConfigureAwait(false);
                    pending.Enqueue(lane.RunAsync(_query, asOf, last, upto, stop.Token));
                    last = upto;
                    next++;
                }

                if (pending.Count == 0)
                {
                    yield break;
                }

                var summaries = await pending.Dequeue().ConfigureAwait(false);
                foreach (var s in summaries)
                {
                    yield return s;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var task in pending)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // whatever a batch that is no longer wanted failed with, the first error (or the early stop) is what the caller sees
                catch (Exception)
#pragma warning restore CA1031
                {
                    // The caller stopped early or an earlier batch failed: this batch's result is not wanted.
                }
            }

            foreach (var lane in workers)
            {
                if (lane is not null)
                {
                    await lane.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The last id of the next batch after <paramref name="after"/>, or null when no customer is left.</summary>
    private async Task<string?> NextBoundaryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Instant asOf, string? after, int batch, CancellationToken cancellationToken)
    {
        var cmd = new NpgsqlCommand(
            $"SELECT max(customer_id) FROM (SELECT DISTINCT customer_id FROM {_storage.ActivityTable} WHERE at_ns <= @asof{(after is null ? string.Empty : " AND customer_id > @after")} ORDER BY customer_id LIMIT @batch) x",
            conn,
            tx);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("asof", StorageCodec.ToNanosClamped(asOf));
        if (after is not null)
        {
            cmd.Parameters.AddWithValue("after", after);
        }

        cmd.Parameters.AddWithValue("batch", batch);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is string s ? s : null;
    }

    /// <summary>A connection in a repeatable-read transaction on a shared snapshot, computing one batch at a time.</summary>
    private sealed class Lane : IAsyncDisposable
    {
        private readonly NpgsqlConnection _conn;
        private readonly NpgsqlTransaction _tx;

        private Lane(NpgsqlConnection conn, NpgsqlTransaction tx)
        {
            _conn = conn;
            _tx = tx;
        }

        public static async Task<Lane> OpenAsync(PostgreSqlStorage storage, string snapshot, CancellationToken cancellationToken)
        {
            var conn = await storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                // SET TRANSACTION SNAPSHOT takes a literal only; the id comes from pg_export_snapshot (hex digits and dashes).
                var cmd = new NpgsqlCommand("SET TRANSACTION SNAPSHOT '" + CheckedSnapshot(snapshot) + "'", conn, tx);
                await using (cmd.ConfigureAwait(false))
                {
                    await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return new Lane(conn, tx);
            }
            catch
            {
                await conn.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async Task<List<ActivitySummary>> RunAsync(SummaryQuery query, Instant asOf, string? after, string upto, CancellationToken cancellationToken)
        {
            var cmd = new NpgsqlCommand(
                $"WITH ids AS (SELECT DISTINCT customer_id FROM {query.Dialect.Activity} WHERE at_ns <= @asof{(after is null ? string.Empty : " AND customer_id > @after")} AND customer_id <= @upto),\n{query.Body}",
                _conn,
                _tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            if (after is not null)
            {
                cmd.Parameters.AddWithValue("after", after);
            }

            cmd.Parameters.AddWithValue("upto", upto);
            query.AddParameters(cmd, asOf);
            var summaries = new List<ActivitySummary>();
            var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (r.ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    summaries.Add(query.Read(r, asOf));
                }
            }

            return summaries;
        }

        public async ValueTask DisposeAsync()
        {
            await _tx.DisposeAsync().ConfigureAwait(false);
            await _conn.DisposeAsync().ConfigureAwait(false);
        }

        private static string CheckedSnapshot(string snapshot) =>
            snapshot.All(c => char.IsAsciiHexDigit(c) || c == '-')
                ? snapshot
                : throw new InvalidOperationException("pg_export_snapshot returned an unexpected snapshot id.");
    }
}
