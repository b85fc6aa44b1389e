using System.Globalization;
using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.Internal;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CustomerSegmentation.Storage.Sqlite;

/// <summary>The SQLite <see cref="IActivityStore"/>: append-only rows, each batch inserted in one transaction with one prepared statement.</summary>
/// <remarks>
/// <para>A batch is checked completely first (amounts with at most 4 decimals, instants in the stored range), then
/// inserted in one immediate transaction: an error or a cancellation rolls the whole batch back. Rows get an
/// autoincrement <c>seq</c> in append order, which orders ties.</para>
/// <para>Streams read keyset pages on <c>(at_ns, seq)</c> inside one read transaction (a WAL snapshot).</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class SqliteActivityStore : IActivityStore
{
    private static readonly Func<System.Data.Common.DbDataReader, int, decimal> ReadAmount =
        static (r, i) => decimal.Parse(r.GetString(i), NumberStyles.Number, CultureInfo.InvariantCulture);

    private readonly SqliteStorage _storage;
    private readonly string _select;

    internal SqliteActivityStore(SqliteStorage storage)
    {
        _storage = storage;
        _select = $"SELECT {ActivityRow.SelectList("amount")} FROM {storage.ActivityTable}";
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="records"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A record is <see langword="null"/>, outside the stored time range, or has an amount with more than 4 decimals; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was stored.</exception>
    public async ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        var (batch, nanos) = ActivityRow.Check(records, static (p, i) => Units(p, i));
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Length == 0)
        {
            return;
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        using var tx = conn.BeginTransaction(deferred: false);
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {_storage.ActivityTable} (customer_id, kind, at_ns, amount, amount_e4, currency, order_id, quantity, interaction_kind, satisfaction, nps, channel, referred_id) VALUES (@id, @kind, @at, @amount, @e4, @currency, @order, @quantity, @ikind, @sat, @nps, @channel, @referred)";
        var names = new[] { "@id", "@kind", "@at", "@amount", "@e4", "@currency", "@order", "@quantity", "@ikind", "@sat", "@nps", "@channel", "@referred" };
        var ps = names.Select(n => cmd.Parameters.Add(n, SqliteType.Text)).ToArray();
        cmd.Prepare();
        for (var i = 0; i < batch.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            foreach (var p in ps)
            {
                p.Value = DBNull.Value;
            }

            var r = batch[i];
            ps[0].Value = r.CustomerId.Value;
            ps[2].Value = nanos[i];
            switch (r)
            {
                case Purchase p:
                    ps[1].Value = (long)ActivityRow.PurchaseKind;
                    ps[3].Value = p.Amount.Amount.ToString(CultureInfo.InvariantCulture);
                    ps[4].Value = Units(p, i);
                    ps[5].Value = p.Amount.Currency.Code;
                    ps[6].Value = (object?)p.OrderId ?? DBNull.Value;
                    ps[7].Value = (long)p.Quantity;
                    break;
                case Interaction x:
                    ps[1].Value = (long)ActivityRow.InteractionKindCode;
                    ps[8].Value = (long)x.Kind;
                    ps[9].Value = x.Satisfaction is { } s ? s : DBNull.Value;
                    ps[10].Value = x.Nps is { } n ? n : DBNull.Value;
                    ps[11].Value = (object?)x.Channel ?? DBNull.Value;
                    break;
                case Referral f:
                    ps[1].Value = (long)ActivityRow.ReferralKind;
                    ps[12].Value = f.Referred.Value;
                    break;
                default:
                    throw new InvalidOperationException("Checked before the insert.");
            }

            // Typed after the value is set: SqliteType.Text for text, Integer for the integer columns.
            for (var c = 0; c < ps.Length; c++)
            {
                ps[c].SqliteType = ps[c].Value is long or int ? SqliteType.Integer : SqliteType.Text;
            }

            cmd.ExecuteNonQuery();
        }

        cancellationToken.ThrowIfCancellationRequested();
        tx.Commit();
    }

    /// <summary>
    /// Appends a batch of purchases held as columns (see <see cref="PurchaseColumnsBuilder"/>) in one immediate
    /// transaction with one prepared statement whose parameters are bound straight from the columns (UTF-8 bytes and
    /// integers): no object per row. The rows equal those <see cref="AppendAsync"/> writes for <see cref="Purchase"/>
    /// records at UTC midnight of each day in <paramref name="currency"/>, quantity 1, no order id.
    /// </summary>
    /// <param name="purchases">The rows; not changed, and free for reuse when the call returns.</param>
    /// <param name="currency">The currency of every amount.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is stored then.</param>
    /// <returns>A task that completes when the batch is committed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purchases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value, or a day is outside the stored range (about 1678 to 2262); nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was stored.</exception>
    /// <exception cref="SqliteException">SQLite failed; the batch was rolled back.</exception>
    public async ValueTask AppendPurchasesAsync(PurchaseColumnsBuilder purchases, Currency currency, CancellationToken cancellationToken = default)
    {
        PurchaseColumnsCodec.Check(purchases, currency);
        cancellationToken.ThrowIfCancellationRequested();
        if (purchases.Count == 0)
        {
            return;
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        using var tx = conn.BeginTransaction(deferred: false);
        var db = conn.Handle!;
        var sql = $"INSERT INTO {_storage.ActivityTable} (customer_id, kind, at_ns, amount, amount_e4, currency, quantity) VALUES (?1, 0, ?2, ?3, ?4, ?5, 1)";
        Check(db, SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out var stmt));
        using (stmt)
        {
            var code = System.Text.Encoding.ASCII.GetBytes(currency.Code);
            Span<byte> amount = stackalloc byte[24];
            var days = purchases.EpochDays;
            var units = purchases.AmountUnits;
            for (var i = 0; i < purchases.Count; i++)
            {
                if ((i & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Check(db, SQLitePCL.raw.sqlite3_bind_text(stmt, 1, purchases.GetCustomerId(i)));
                Check(db, SQLitePCL.raw.sqlite3_bind_int64(stmt, 2, days[i] * PurchaseColumnsCodec.NanosPerDay));
                Check(db, SQLitePCL.raw.sqlite3_bind_text(stmt, 3, amount[..PurchaseColumnsCodec.FormatAmount(units[i], amount)]));
                Check(db, SQLitePCL.raw.sqlite3_bind_int64(stmt, 4, units[i]));
                Check(db, SQLitePCL.raw.sqlite3_bind_text(stmt, 5, code));
                var rc = SQLitePCL.raw.sqlite3_step(stmt);
                if (rc != SQLitePCL.raw.SQLITE_DONE)
                {
                    Check(db, rc);
                }

                Check(db, SQLitePCL.raw.sqlite3_reset(stmt));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        tx.Commit();
    }

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

    private static long Units(Purchase p, int index)
    {
        var scaled = p.Amount.Amount * 10_000m;
        if (scaled != decimal.Truncate(scaled) || scaled is > long.MaxValue or < long.MinValue)
        {
            throw new ArgumentException(
                $"Record {index} of the batch (customer {p.CustomerId}): the amount {p.Amount.Amount} has more than 4 decimals or is too large; the SQLite store sums amounts as integer units of 1/10 000. Nothing was stored.",
                "records");
        }

        return (long)scaled;
    }

    private async IAsyncEnumerable<ActivityRecord> Stream(string? customerId, long from, long to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (from >= to && customerId is null)
        {
            yield break;
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        using var tx = conn.BeginTransaction(deferred: true);
        var pageSize = _storage.Options.PageSize;
        long? lastAt = null;
        long lastSeq = 0;
        var filter = customerId is null ? "at_ns >= @from AND at_ns < @to" : "customer_id = @id";
        while (true)
        {
            var page = new List<ActivityRecord>();
            using (var cmd = conn.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = $"{_select} WHERE {filter}{(lastAt is null ? string.Empty : " AND (at_ns > @la OR (at_ns = @la AND seq > @ls))")} ORDER BY at_ns, seq LIMIT @n";
                if (customerId is null)
                {
                    cmd.Parameters.AddWithValue("@from", from);
                    cmd.Parameters.AddWithValue("@to", to);
                }
                else
                {
                    cmd.Parameters.AddWithValue("@id", customerId);
                }

                if (lastAt is { } la)
                {
                    cmd.Parameters.AddWithValue("@la", la);
                    cmd.Parameters.AddWithValue("@ls", lastSeq);
                }

                cmd.Parameters.AddWithValue("@n", pageSize);
                using var r = cmd.ExecuteReader();
                while (r.Read())
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

    private static void Check(SQLitePCL.sqlite3 db, int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {rc}: {SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string()}", rc);
        }
    }
}
