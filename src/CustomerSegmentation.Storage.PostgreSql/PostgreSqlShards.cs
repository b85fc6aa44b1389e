using CustomerSegmentation.Activity;
using CustomerSegmentation.Partitioning;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Storage.PostgreSql;

/// <summary>
/// Sharded mode over plain PostgreSQL servers or databases: customers are routed by <see cref="ShardRouter"/>, the
/// population statistics are computed on every shard in parallel and merged exactly, and each shard is then scored with
/// the merged cut points and model, so that every customer's result equals a single-server run.
/// </summary>
/// <threadsafety>All members are safe for concurrent use.</threadsafety>
public sealed class PostgreSqlShards
{
    /// <summary>Creates the shard set.</summary>
    /// <param name="shards">One storage per shard, in shard order (the order is part of the routing).</param>
    /// <exception cref="ArgumentException">No shard is given, or one is <see langword="null"/>.</exception>
    public PostgreSqlShards(IReadOnlyList<PostgreSqlStorage> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0 || shards.Any(s => s is null))
        {
            throw new ArgumentException("A shard set needs at least one shard and no null shard.", nameof(shards));
        }

        Shards = [.. shards];
    }

    /// <summary>Gets the shards.</summary>
    public IReadOnlyList<PostgreSqlStorage> Shards { get; }

    /// <summary>Appends a batch, split by shard; each shard's part is one transaction (a batch spanning shards is not atomic across them).</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when every part is stored.</returns>
    public async ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var parts = records.GroupBy(r => ShardRouter.ShardOf(r.CustomerId, Shards.Count)).ToList();
        await Task.WhenAll(parts.Select(p => Shards[p.Key].Activity.AppendAsync(p.ToList(), cancellationToken).AsTask())).ConfigureAwait(false);
    }

    /// <summary>Computes every shard's RFM partial in parallel and merges them.</summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The merged partial.</returns>
    public async ValueTask<RfmPartial> ComputeRfmPartialAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        var parts = await Task.WhenAll(Shards.Select(s => s.ComputeRfmPartialAsync(asOf, cancellationToken).AsTask())).ConfigureAwait(false);
        return RfmPartial.Merge(parts);
    }

    /// <summary>Counts every shard's BG/NBD histories in parallel and merges them.</summary>
    /// <param name="calibrationEnd">The calibration end day.</param>
    /// <param name="timeUnit">The time unit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The merged statistics.</returns>
    public async ValueTask<BgNbdSufficientStatistics> ComputeBgNbdStatisticsAsync(LocalDate calibrationEnd, BtydTimeUnit timeUnit = BtydTimeUnit.Weeks, CancellationToken cancellationToken = default)
    {
        var parts = await Task.WhenAll(Shards.Select(s => s.ComputeBgNbdStatisticsAsync(calibrationEnd, timeUnit, cancellationToken).AsTask())).ConfigureAwait(false);
        return BgNbdSufficientStatistics.Merge(parts);
    }

    /// <summary>Scores every customer of every shard (shards in parallel) with the given population cut points.</summary>
    /// <param name="asOf">The as-of day.</param>
    /// <param name="cutPoints">The merged cut points.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per shard, each customer's aggregate and scores (0, 0, 0 for a customer with refunds only).</returns>
    public async ValueTask<IReadOnlyList<IReadOnlyList<(CustomerRfmAggregate Aggregate, int R, int F, int M)>>> ScoreRfmAsync(LocalDate asOf, RfmPopulationCutPoints cutPoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutPoints);
        return await Task.WhenAll(Shards.Select(async s =>
        {
            var scored = new List<(CustomerRfmAggregate, int, int, int)>();
            await foreach (var a in s.StreamRfmAggregatesAsync(asOf, cancellationToken).ConfigureAwait(false))
            {
                var (r, f, m) = a.Frequency > 0 ? cutPoints.Score(a.LastDay!.Value, a.Frequency, a.MonetaryUnits) : (0, 0, 0);
                scored.Add((a, r, f, m));
            }

            return (IReadOnlyList<(CustomerRfmAggregate, int, int, int)>)scored;
        })).ConfigureAwait(false);
    }

    /// <summary>P(alive) at the calibration end of every customer of every shard (shards in parallel) with one model.</summary>
    /// <param name="calibrationEnd">The calibration end day.</param>
    /// <param name="model">The model fitted on the merged statistics.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per shard, each customer's history and P(alive).</returns>
    public async ValueTask<IReadOnlyList<IReadOnlyList<(CustomerBtydHistory History, double PAlive)>>> ProbabilityAliveAsync(LocalDate calibrationEnd, BgNbdModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var unit = (double)(int)model.TimeUnit;
        return await Task.WhenAll(Shards.Select(async s =>
        {
            var result = new List<(CustomerBtydHistory, double)>();
            await foreach (var h in s.StreamBtydHistoriesAsync(calibrationEnd, cancellationToken).ConfigureAwait(false))
            {
                result.Add((h, model.ProbabilityAlive(h.History.X, h.History.RecencyDays / unit, h.History.AgeDays / unit)));
            }

            return (IReadOnlyList<(CustomerBtydHistory, double)>)result;
        })).ConfigureAwait(false);
    }
}
