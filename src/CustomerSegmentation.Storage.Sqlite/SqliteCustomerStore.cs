using System.Runtime.CompilerServices;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace CustomerSegmentation.Storage.Sqlite;

/// <summary>The SQLite <see cref="ICustomerStore"/>: one row per customer, optimistic concurrency on a version column.</summary>
/// <remarks>
/// <para>An update is <c>UPDATE … WHERE customer_id = @id AND version = @expected RETURNING version</c>; an insert is
/// <c>INSERT … ON CONFLICT (customer_id) DO NOTHING RETURNING version</c> (auto-committed statements). No row back means someone else wrote first:
/// the stored version is read and reported in <see cref="ConcurrencyConflictException"/>, and nothing was written.
/// SQLite runs one writer at a time, so the check and the write are one step.</para>
/// <para><see cref="StreamAllAsync"/> reads keyset pages (<c>customer_id &gt; @last ORDER BY customer_id LIMIT @n</c>)
/// inside one read transaction (a WAL snapshot), so the pages are one snapshot. Ids are compared by SQLite's BINARY
/// collation (UTF-8 bytes = code point order), which is ordinal order for ids without characters above U+FFFF.</para>
/// </remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class SqliteCustomerStore : ICustomerStore
{
    private readonly SqliteStorage _storage;
    private readonly string _select;
    private readonly string _insert;
    private readonly string _update;

    internal SqliteCustomerStore(SqliteStorage storage)
    {
        _storage = storage;
        var table = storage.CustomersTable;
        _select = $"SELECT {CustomerRow.SelectList} FROM {table}";
        var columns = string.Join(", ", CustomerRow.ValueColumns);
        var values = string.Join(", ", CustomerRow.ValueColumns.Select(c => "@" + c));
        _insert = $"INSERT INTO {table} (customer_id, version, {columns}) VALUES (@customer_id, 1, {values}) ON CONFLICT (customer_id) DO NOTHING RETURNING version";
        _update = $"UPDATE {table} SET version = version + 1, {string.Join(", ", CustomerRow.ValueColumns.Select(c => c + " = @" + c))} WHERE customer_id = @customer_id AND version = @expected RETURNING version";
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    public async ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var cmd = new SqliteCommand(_select + " WHERE customer_id = @id", conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("@id", id.Value);
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? CustomerRow.Read(r) : null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is <see langword="null"/>.</exception>
    public async ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        if (ids.Count == 0)
        {
            return [];
        }

        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var cmd = new SqliteCommand(_select + " WHERE customer_id IN (SELECT value FROM json_each(@ids))", conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("@ids", StorageCodec.ToJson([.. ids.Select(i => i.Value).Distinct(StringComparer.Ordinal)]));
        var found = new Dictionary<CustomerId, Customer>();
        var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (r.ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var c = CustomerRow.Read(r);
                found[c.Id] = c;
            }
        }

        var result = new List<Customer>(found.Count);
        foreach (var id in ids)
        {
            if (found.TryGetValue(id, out var c))
            {
                result.Add(c);
            }
        }

        return result;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative, or an instant is outside the years 1678-2262.</exception>
    /// <exception cref="ArgumentException">A custom attribute has a type the store cannot keep.</exception>
    public async ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        while (true)
        {
            var cmd = new SqliteCommand(expectedVersion == 0 ? _insert : _update, conn);
            await using var cmdScope = cmd.ConfigureAwait(false);
            CustomerRow.Bind(cmd, customer);
            if (expectedVersion > 0)
            {
                cmd.Parameters.AddWithValue("@expected", expectedVersion);
            }

            object? written;
            try
            {
                written = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                written = null; // a unique-key clash is another writer's insert: a conflict, reported below
            }

            if (written is long version)
            {
                return customer with { Version = version };
            }

            var actual = await VersionAsync(conn, customer.Id, cancellationToken).ConfigureAwait(false);
            if (actual != expectedVersion)
            {
                throw new ConcurrencyConflictException(customer.Id, expectedVersion, actual);
            }

            // The row changed between the write and the read (deleted, or deleted and inserted again): try again.
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="id"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    public async ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        while (true)
        {
            var cmd = new SqliteCommand($"DELETE FROM {_storage.CustomersTable} WHERE customer_id = @id AND version = @expected", conn);
            await using var cmdScope = cmd.ConfigureAwait(false);
            cmd.Parameters.AddWithValue("@id", id.Value);
            cmd.Parameters.AddWithValue("@expected", expectedVersion);
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return true;
            }

            var actual = await VersionAsync(conn, id, cancellationToken).ConfigureAwait(false);
            if (actual == 0)
            {
                return false;
            }

            if (actual != expectedVersion)
            {
                throw new ConcurrencyConflictException(id, expectedVersion, actual);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    public IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        return Stream(pageSize, cancellationToken);
    }

    private static void CheckId(CustomerId id)
    {
        if (id == default)
        {
            throw new ArgumentException("The customer id must not be the default value.", nameof(id));
        }
    }

    private async ValueTask<long> VersionAsync(SqliteConnection conn, CustomerId id, CancellationToken cancellationToken)
    {
        var read = new SqliteCommand($"SELECT version FROM {_storage.CustomersTable} WHERE customer_id = @id", conn);
        await using var readScope = read.ConfigureAwait(false);
        read.Parameters.AddWithValue("@id", id.Value);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long v ? v : 0;
    }

    private async IAsyncEnumerable<IReadOnlyList<Customer>> Stream(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        var tx = conn.BeginTransaction(deferred: true);
        await using var txScope = tx.ConfigureAwait(false);
        string? last = null;
        while (true)
        {
            var cmd = new SqliteCommand(
                _select + (last is null ? string.Empty : " WHERE customer_id > @last") + " ORDER BY customer_id LIMIT @n",
                conn,
                tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            if (last is not null)
            {
                cmd.Parameters.AddWithValue("@last", last);
            }

            cmd.Parameters.AddWithValue("@n", pageSize);
            var page = new List<Customer>(Math.Min(pageSize, 4096));
            var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (r.ConfigureAwait(false))
            {
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(CustomerRow.Read(r));
                }
            }

            if (page.Count == 0)
            {
                yield break;
            }

            last = page[^1].Id.Value;
            yield return page;
            if (page.Count < pageSize)
            {
                yield break;
            }
        }
    }
}
