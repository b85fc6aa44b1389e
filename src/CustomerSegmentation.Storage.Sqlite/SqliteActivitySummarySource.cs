using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage.Internal;
using NodaTime;

namespace CustomerSegmentation.Storage.Sqlite;

/// <summary>
/// An <see cref="IActivitySummarySource"/> that lets SQLite aggregate: one set-based statement per batch of customers
/// computes every summary field, windows included. Results equal <see cref="ActivitySummarizer"/> to the cent (amounts
/// are summed as integer units of 1/10 000).
/// </summary>
/// <remarks>Limits, checked when the source is created: no currency converter, and a zone with a fixed offset.</remarks>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class SqliteActivitySummarySource : IActivitySummarySource
{
    private readonly SqliteStorage _storage;
    private readonly SummaryQuery _query;

    internal SqliteActivitySummarySource(SqliteStorage storage, ActivitySummaryOptions? options)
    {
        _storage = storage;
        _query = new SummaryQuery(
            new SqlDialect(storage.ActivityTable, "amount_e4", "group_concat(DISTINCT currency)", static (r, i) => r.GetInt64(i) / 10_000m),
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
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "WITH ids AS (SELECT @id AS customer_id),\n" + _query.Body;
        cmd.Parameters.AddWithValue("@id", customerId.Value);
        _query.AddParameters(cmd, asOf);
        using var r = cmd.ExecuteReader();
        r.Read();
        return _query.Read(r, asOf);
    }

    /// <inheritdoc />
    /// <exception cref="MixedCurrencyException">A customer's purchases are in several currencies.</exception>
    public async IAsyncEnumerable<ActivitySummary> GetSummariesAsync(Instant asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var conn = await _storage.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connScope = conn.ConfigureAwait(false);
        using var tx = conn.BeginTransaction(deferred: true);
        string? last = null;
        var batch = _storage.Options.SummaryBatchSize;
        while (true)
        {
            var summaries = new List<ActivitySummary>();
            using (var cmd = conn.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = $"WITH ids AS (SELECT DISTINCT customer_id FROM {_storage.ActivityTable} WHERE at_ns <= @asof{(last is null ? string.Empty : " AND customer_id > @after")} ORDER BY customer_id LIMIT @batch),\n{_query.Body}";
                if (last is not null)
                {
                    cmd.Parameters.AddWithValue("@after", last);
                }

                cmd.Parameters.AddWithValue("@batch", batch);
                _query.AddParameters(cmd, asOf);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    summaries.Add(_query.Read(r, asOf));
                }
            }

            foreach (var s in summaries)
            {
                cancellationToken.ThrowIfCancellationRequested();
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
