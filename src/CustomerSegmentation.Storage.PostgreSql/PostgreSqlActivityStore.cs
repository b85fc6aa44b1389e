using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.Internal;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>The PostgreSQL <see cref="IActivityStore"/>: append-only rows written with binary COPY.</summary>
/// <remarks>
/// <para>A batch is checked completely first, then written by one <c>COPY … FROM STDIN (FORMAT BINARY)</c> inside one
/// transaction: a dropped connection, a cancellation or a server error leaves nothing of the batch. Rows get an identity
/// <c>seq</c> in append order, which orders ties.</para>
/// <para>Streams read keyset pages on <c>(at_ns, seq)</c> (or <c>(customer_id, at_ns, seq)</c>) inside one
/// repeatable-read transaction, so a stream sees whole batches only, even across pages.</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class PostgreSqlActivityStore : IActivityStore
{
    private static readonly Func<System.Data.Common.DbDataReader, int, decimal> ReadAmount = static (r, i) => r.GetDecimal(i);
    private readonly PostgreSqlStorage _storage;
    private readonly string _select;

    internal PostgreSqlActivityStore(PostgreSqlStorage storage)
    {
        _storage = storage;
        _select = $"SELECT {ActivityRow.SelectList("amount")} FROM {storage.ActivityTable}";
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A record is <see langword="null"/> or outside the stored time range; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was stored.</exception>
    public async ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        var (batch, nanos) = ActivityRow.Check(records);
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Length == 0)
        {
            return;
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        await CopyAsync(conn, batch, nanos, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends a batch of purchases held as columns (see <see cref="PurchaseColumnsBuilder"/>) with one raw binary
    /// <c>COPY</c> in one transaction, encoding each row straight from the columns: no object per row. The rows equal
    /// those <see cref="AppendAsync"/> writes for <see cref="Purchase"/> records at UTC midnight of each day in
    /// <paramref name="currency"/>, quantity 1, no order id; they get <c>seq</c> values in column order.
    /// </summary>
    /// <param name="purchases">The rows; not changed, and free for reuse when the call returns.</param>
    /// <param name="currency">The currency of every amount.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is stored then.</param>
    /// <returns>A task that completes when the batch is committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purchases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value, or a day is outside the stored range (about 1678 to 2262); nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was stored.</exception>
    public async ValueTask AppendPurchasesAsync(PurchaseColumnsBuilder purchases, Currency currency, CancellationToken cancellationToken = default)
    {
        PurchaseColumnsCodec.Check(purchases, currency);
        cancellationToken.ThrowIfCancellationRequested();
        if (purchases.Count == 0)
        {
            return;
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var stream = await conn.BeginRawBinaryCopyAsync(
            $"COPY {_storage.ActivityTable} (customer_id, kind, at_ns, amount, currency, quantity) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            await PurchaseColumnsCodec.WriteCopyAsync(stream, purchases, currency, cancellationToken).ConfigureAwait(false);
            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // Discard what was sent (the transaction is rolled back in any case); a dead connection may throw here too.
                try
                {
                    await stream.CancelAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or ObjectDisposedException)
                {
                }
            }
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a bulk load of purchases into the activity table, which must be empty: one transaction that drops the
    /// table's indexes, copies every batch, and builds the indexes again when completed (see <see cref="PostgreSqlBulkPurchaseLoad"/>).
    /// Several times faster than <see cref="AppendPurchasesAsync"/> for a large first import; the table is locked until
    /// the load ends, and nothing is visible (or left behind) unless <see cref="PostgreSqlBulkPurchaseLoad.CompleteAsync"/> commits.
    /// </summary>
    /// <param name="currency">The currency of every amount.</param>
    /// <param name="cancellationToken">Cancels the start; nothing is changed then.</param>
    /// <returns>The load; dispose it (it rolls back unless completed).</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value.</exception>
    /// <exception cref="InvalidOperationException">The activity table holds rows; nothing was changed.</exception>
    /// <exception cref="SchemaVersionException">The schema is newer than this package, or missing or older while upgrades are off.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<PostgreSqlBulkPurchaseLoad> BeginBulkPurchaseLoadAsync(Currency currency, CancellationToken cancellationToken = default) =>
        PostgreSqlBulkPurchaseLoad.BeginAsync(_storage, currency, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value.</exception>
    public IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        if (customerId == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(customerId));
        }

        return Stream(customerId.Value, long.MinValue, long.MaxValue, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The range end must not be before its start {from}.");
        }

        return Stream(null, StorageCodec.ToNanosClamped(from), StorageCodec.ToNanosClamped(to), cancellationToken);
    }

    /// <summary>Writes rows with binary COPY on an open connection (in the caller's transaction).</summary>
    internal async ValueTask<ulong> CopyAsync(NpgsqlConnection conn, ActivityRecord[] batch, long[] nanos, CancellationToken cancellationToken)
    {
        var w = await conn.BeginBinaryImportAsync(
            $"COPY {_storage.ActivityTable} (customer_id, kind, at_ns, amount, currency, order_id, quantity, interaction_kind, satisfaction, nps, channel, referred_id) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false);
        await using var wScope = w.ConfigureAwait(false);
        for (var i = 0; i < batch.Length; i++)
        {
            if ((i & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var rec = batch[i];
            w.StartRow();
            w.Write(rec.CustomerId.Value, NpgsqlDbType.Text);
            switch (rec)
            {
                case Purchase p:
                    w.Write(ActivityRow.PurchaseKind, NpgsqlDbType.Smallint);
                    w.Write(nanos[i], NpgsqlDbType.Bigint);
                    w.Write(p.Amount.Amount, NpgsqlDbType.Numeric);
                    w.Write(p.Amount.Currency.Code, NpgsqlDbType.Char);
                    WriteNullable(w, p.OrderId, NpgsqlDbType.Text);
                    w.Write(p.Quantity, NpgsqlDbType.Integer);
                    Skip(w, 5);
                    break;
                case Interaction x:
                    w.Write(ActivityRow.InteractionKindCode, NpgsqlDbType.Smallint);
                    w.Write(nanos[i], NpgsqlDbType.Bigint);
                    Skip(w, 4);
                    w.Write((short)x.Kind, NpgsqlDbType.Smallint);
                    WriteNullable<short?>(w, x.Satisfaction is { } s ? (short)s : null, NpgsqlDbType.Smallint);
                    WriteNullable<short?>(w, x.Nps is { } n ? (short)n : null, NpgsqlDbType.Smallint);
                    WriteNullable(w, x.Channel, NpgsqlDbType.Text);
                    w.WriteNull();
                    break;
                case Referral f:
                    w.Write(ActivityRow.ReferralKind, NpgsqlDbType.Smallint);
                    w.Write(nanos[i], NpgsqlDbType.Bigint);
                    Skip(w, 8);
                    w.Write(f.Referred.Value, NpgsqlDbType.Text);
                    break;
                default:
                    throw new InvalidOperationException("Checked before the copy.");
            }
        }

        return await w.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    // Synchronous writes: the importer buffers rows and only flushes a full buffer, and a per-column await costs more than the row itself.
    private static void Skip(NpgsqlBinaryImporter w, int columns)
    {
        for (var c = 0; c < columns; c++)
        {
            w.WriteNull();
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, type);
        }
    }

    private async IAsyncEnumerable<ActivityRecord> Stream(string? customerId, long from, long to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (from >= to && customerId is null)
        {
            yield break;
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var pageSize = _storage.Options.PageSize;
        long? lastAt = null;
        long lastSeq = 0;
        var filter = customerId is null ? "at_ns >= @from AND at_ns < @to" : "customer_id = @id";
        while (true)
        {
            var cmd = new NpgsqlCommand(
                $"{_select} WHERE {filter}{(lastAt is null ? string.Empty : " AND (at_ns, seq) > (@la, @ls)")} ORDER BY at_ns, seq LIMIT @n",
                conn,
                tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            if (customerId is null)
            {
                cmd.Parameters.AddWithValue("from", from);
                cmd.Parameters.AddWithValue("to", to);
            }
            else
            {
                cmd.Parameters.AddWithValue("id", customerId);
            }

            if (lastAt is { } la)
            {
                cmd.Parameters.AddWithValue("la", la);
                cmd.Parameters.AddWithValue("ls", lastSeq);
            }

            cmd.Parameters.AddWithValue("n", pageSize);
            var page = new List<ActivityRecord>();
            var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (r.ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(ActivityRow.Read(r, ReadAmount));
                    lastAt = r.GetInt64(2);
                    lastSeq = r.GetInt64(12);
                }
            }

            foreach (var rec in page)
            {
                yield return rec;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }
}
