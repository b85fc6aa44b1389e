using CustomerSegmentation.Activity;
using CustomerSegmentation.Storage.Internal;
using Npgsql;

namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>
/// A bulk load of purchases into an <b>empty</b> activity table, all of it one transaction: the table's indexes and
/// primary key are dropped, every batch is copied with binary <c>COPY … (FREEZE)</c>, and <see cref="CompleteAsync"/>
/// builds the primary key and the indexes again from their definitions (sorted builds, which PostgreSQL may run with
/// parallel workers) and commits. Start one with <see cref="PostgreSqlActivityStore.BeginBulkPurchaseLoadAsync"/>.
/// </summary>
/// <remarks>
/// <para>Why: appending row by row into the table keeps three B-tree indexes up to date per row, a descent of each tree
/// per row (most of the server's time once the indexes outgrow the buffer cache). Building each index once from the
/// sorted rows is several times cheaper.</para>
/// <para>Nothing is half-written: until <see cref="CompleteAsync"/> commits, other sessions see the table as it was
/// (empty, with its indexes), and disposing the load without completing it, a failure, a cancellation or a dropped
/// connection rolls everything back, the dropped indexes included (DDL is transactional in PostgreSQL). The table is held
/// with an <c>ACCESS EXCLUSIVE</c> lock for the whole load: readers and writers of the activity table wait until it
/// ends. The schema version and every index name and definition are unchanged after a load.</para>
/// <para>The rows and their <c>seq</c> values equal those that <see cref="PostgreSqlActivityStore.AppendPurchasesAsync"/>
/// would write for the same batches in the same order (the identity column fills <c>seq</c> in copy order).</para>
/// </remarks>
/// <threadsafety>Not safe for concurrent use: one batch at a time, then <see cref="CompleteAsync"/> once.</threadsafety>
public sealed class PostgreSqlBulkPurchaseLoad : IAsyncDisposable
{
    private readonly PostgreSqlStorage _storage;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Currency _currency;
    private readonly IReadOnlyList<string> _rebuild;
    private readonly string _copy;
    private bool _done;

    private PostgreSqlBulkPurchaseLoad(PostgreSqlStorage storage, NpgsqlConnection connection, NpgsqlTransaction transaction, Currency currency, IReadOnlyList<string> rebuild)
    {
        _storage = storage;
        _connection = connection;
        _transaction = transaction;
        _currency = currency;
        _rebuild = rebuild;
        _copy = $"COPY {storage.ActivityTable} (customer_id, kind, at_ns, amount, currency, quantity) FROM STDIN (FORMAT BINARY, FREEZE)";
    }

    /// <summary>Gets the number of rows copied so far (not yet visible to others: they are committed by <see cref="CompleteAsync"/>).</summary>
    public long Copied { get; private set; }

    /// <summary>Copies one batch in the load's transaction, with the rows <see cref="PostgreSqlActivityStore.AppendPurchasesAsync"/> writes.</summary>
    /// <param name="purchases">The rows; not changed, and free for reuse when the call returns.</param>
    /// <param name="cancellationToken">Cancels the call; the whole load is then lost (dispose it).</param>
    /// <returns>A task that completes when the batch is copied.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purchases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A day is outside the stored range (about 1678 to 2262); nothing of the batch was copied and the load can go on.</exception>
    /// <exception cref="InvalidOperationException">The load was completed or failed before.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask AppendAsync(PurchaseColumnsBuilder purchases, CancellationToken cancellationToken = default)
    {
        PurchaseColumnsCodec.Check(purchases, _currency);
        ThrowIfDone();
        cancellationToken.ThrowIfCancellationRequested();
        if (purchases.Count == 0)
        {
            return;
        }

        var stream = await _connection.BeginRawBinaryCopyAsync(_copy, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            await PurchaseColumnsCodec.WriteCopyAsync(stream, purchases, _currency, cancellationToken).ConfigureAwait(false);
            completed = true;
        }
        catch
        {
            _done = true; // the transaction is aborted (or the connection gone): only disposing is left
            throw;
        }
        finally
        {
            if (!completed)
            {
                try
                {
                    await stream.CancelAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
                {
                }
            }
        }

        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch
        {
            _done = true;
            throw;
        }

        Copied += purchases.Count;
    }

    /// <summary>Builds the primary key and the indexes again, analyzes the table, and commits: all rows become visible at once.</summary>
    /// <param name="cancellationToken">Cancels the index builds; nothing is then stored.</param>
    /// <returns>A task that completes when the load is committed.</returns>
    /// <exception cref="InvalidOperationException">The load was completed or failed before.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was stored.</exception>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDone();
        _done = true;
        foreach (var sql in _rebuild)
        {
            await ExecuteAsync(_connection, _transaction, sql, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(_connection, _transaction, $"ANALYZE {_storage.ActivityTable}", cancellationToken).ConfigureAwait(false);
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rolls the load back unless it was completed, and returns the connection.</summary>
    /// <returns>A task that completes when the connection is returned.</returns>
    public async ValueTask DisposeAsync()
    {
        _done = true;
        try
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts a load: locks the table, checks that it is empty, truncates it (so that COPY may freeze the rows) and drops its indexes.</summary>
    internal static async ValueTask<PostgreSqlBulkPurchaseLoad> BeginAsync(PostgreSqlStorage storage, Currency currency, CancellationToken cancellationToken)
    {
        if (currency == default)
        {
            throw new ArgumentException("The purchases need a currency.", nameof(currency));
        }

        await storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var table = storage.ActivityTable;
            // maintenance_work_mem is left to the server: 64 MB, 512 MB and 2 GB built the 34.5 M-row index equally fast here (docs/performance.md).
            await ExecuteAsync(conn, tx, $"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", cancellationToken).ConfigureAwait(false);
            var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table})", conn, tx);
            await using (any.ConfigureAwait(false))
            {
                if (await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    throw new InvalidOperationException($"The activity table {table} holds rows; a bulk load needs it empty (nothing was changed). Append with AppendPurchasesAsync instead.");
                }
            }

            // Constraints (the primary key) are dropped and added back as constraints, other indexes by their definition.
            var drop = new List<string>();
            var rebuild = new List<string>();
            var read = new NpgsqlCommand(
                """
                SELECT quote_ident(c.conname), pg_get_constraintdef(c.oid), NULL
                  FROM pg_constraint c WHERE c.conrelid = @t::regclass AND c.contype IN ('p', 'u', 'x')
                UNION ALL
                SELECT x.indexrelid::regclass::text, NULL, pg_get_indexdef(x.indexrelid)
                  FROM pg_index x
                 WHERE x.indrelid = @t::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
                ORDER BY 3 NULLS FIRST, 1
                """,
                conn,
                tx);
            await using (read.ConfigureAwait(false))
            {
                read.Parameters.AddWithValue("t", table);
                var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (r.ConfigureAwait(false))
                {
                    while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var name = r.GetString(0); // quoted (and schema-qualified for an index) by the query
                        if (!r.IsDBNull(1))
                        {
                            drop.Add($"ALTER TABLE {table} DROP CONSTRAINT {name}");
                            rebuild.Add($"ALTER TABLE {table} ADD CONSTRAINT {name} {r.GetString(1)}");
                        }
                        else
                        {
                            drop.Add($"DROP INDEX {name}");
                            rebuild.Add(r.GetString(2));
                        }
                    }
                }
            }

            await ExecuteAsync(conn, tx, $"TRUNCATE {table}", cancellationToken).ConfigureAwait(false);
            foreach (var sql in drop)
            {
                await ExecuteAsync(conn, tx, sql, cancellationToken).ConfigureAwait(false);
            }

            return new PostgreSqlBulkPurchaseLoad(storage, conn, tx, currency, rebuild);
        }
        catch
        {
            if (tx is not null)
            {
                await tx.DisposeAsync().ConfigureAwait(false);
            }

            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 }; // index builds over millions of rows outlast any fixed timeout
        await using (cmd.ConfigureAwait(false))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void ThrowIfDone()
    {
        if (_done)
        {
            throw new InvalidOperationException("The bulk load was completed, or failed and was rolled back; start a new one.");
        }
    }
}
