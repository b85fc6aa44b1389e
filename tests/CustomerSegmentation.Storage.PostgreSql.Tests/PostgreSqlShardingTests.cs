using CustomerSegmentation.Partitioning;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Storage.TestSupport;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Storage.PostgreSql.Tests;

/// <summary>
/// Sharded mode on two real PostgreSQL servers: the CDNOW sample hashed by customer id over two servers, partial results
/// computed on both in parallel and merged, each shard scored with the merged cut points and model; every customer's
/// result must equal the single-server run, and the single-server statistics must equal the in-memory computation.
/// </summary>
public sealed class PostgreSqlShardingTests
{
    private static readonly LocalDate AsOf = new(1998, 6, 30);
    private static readonly LocalDate CalibrationEnd = new(1997, 9, 30);

    private static async Task<(PostgreSqlShards Sharded, PostgreSqlStorage Single, PostgreSqlStorage[] Owned)> LoadAsync()
    {
        var schema = PostgresServer.FreshSchemaName();
        var shards = PostgresServer.ShardConnectionStrings.Select(cs => PostgreSqlStorage.Create(cs, new PostgreSqlStoreOptions { Schema = schema })).ToArray();
        var sharded = new PostgreSqlShards(shards);
        var single = PostgresStorages.Fresh();
        foreach (var chunk in StoreTestData.Cdnow.Chunk(1000))
        {
            await sharded.AppendAsync(chunk);
            await single.Activity.AppendAsync(chunk);
        }

        return (sharded, single, shards);
    }

    [Fact]
    public async Task ShardedRfm_TwoServers_EveryCustomerEqualsSingleServerRun()
    {
        var (sharded, single, owned) = await LoadAsync();
        try
        {
            var merged = await sharded.ComputeRfmPartialAsync(AsOf);
            var whole = await single.ComputeRfmPartialAsync(AsOf);
            var asOfDay = Utf8PurchaseFields.ToEpochDay(AsOf);
            var cuts = merged.CutPoints(5, asOfDay);

            Assert.Equal(whole.LastDays, merged.LastDays);
            Assert.Equal(whole.Frequencies, merged.Frequencies);
            Assert.Equal(whole.Monetary, merged.Monetary);
            Assert.All(owned, s => Assert.True(s.ComputeRfmPartialAsync(AsOf).AsTask().Result.Customers > 0, "every shard must hold customers"));

            // Cut points equal the columnar scorer's on the same rows read into memory (the rfm command's rule).
            var builder = new RfmAggregatesBuilder(AsOf, 1);
            var batch = builder.CreateBatch();
            foreach (var (id, day, amount) in StoreTestData.CdnowRows)
            {
                batch.Add(System.Text.Encoding.UTF8.GetBytes(id.Value), Utf8PurchaseFields.ToEpochDay(day), (long)(amount * Utf8PurchaseFields.AmountScale));
            }

            builder.Add(batch, 0);
            var columns = RfmColumnarScorer.Score(builder.Build(), 5);
            Assert.Equal(columns.RecencyCutPoints.ToArray(), cuts.RecencyCutPoints.AsEnumerable());
            Assert.Equal(columns.FrequencyCutPoints.ToArray(), cuts.FrequencyCutPoints.AsEnumerable());
            Assert.Equal(columns.MonetaryCutPoints.ToArray(), cuts.MonetaryCutPoints.AsEnumerable());

            var shardScores = (await sharded.ScoreRfmAsync(AsOf, cuts)).SelectMany(s => s).ToDictionary(s => s.Aggregate.CustomerId);
            var singleScores = (await new PostgreSqlShards([single]).ScoreRfmAsync(AsOf, whole.CutPoints(5, asOfDay))).Single();
            Assert.Equal(singleScores.Count, shardScores.Count);
            Assert.All(singleScores, s => Assert.Equal(s, shardScores[s.Aggregate.CustomerId]));
        }
        finally
        {
            foreach (var s in owned)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ShardedBgNbd_TwoServers_SameStatisticsFitAndPAliveAsSingleServer()
    {
        var (sharded, single, owned) = await LoadAsync();
        try
        {
            var merged = await sharded.ComputeBgNbdStatisticsAsync(CalibrationEnd);
            var whole = await single.ComputeBgNbdStatisticsAsync(CalibrationEnd);

            // The database's histories equal the library's summary builder on the same rows.
            var reference = new BtydSummaryBuilder(CalibrationEnd);
            foreach (var (id, day, amount) in StoreTestData.CdnowRows)
            {
                reference.Add(id, day, amount);
            }

            var data = reference.Build();
            Assert.Equal(BgNbdSufficientStatistics.FromData(data).Counts, whole.Counts);
            Assert.Equal(whole.Counts, merged.Counts);

            var model = merged.Fit();
            var p = model.Parameters;
            Assert.Equal(whole.Fit().Parameters, p);
            var direct = BgNbdModel.Fit(data);
            Assert.Equal(direct.LogLikelihood(data), merged.LogLikelihood(p.R, p.Alpha, p.A, p.B), 6);
            Assert.Equal(direct.Parameters.R, p.R, 4);
            Assert.Equal(direct.Parameters.Alpha, p.Alpha, 4);

            var shardAlive = (await sharded.ProbabilityAliveAsync(CalibrationEnd, model)).SelectMany(s => s).ToDictionary(s => s.History.CustomerId);
            var singleAlive = (await new PostgreSqlShards([single]).ProbabilityAliveAsync(CalibrationEnd, whole.Fit())).Single();
            Assert.Equal(singleAlive.Count, shardAlive.Count);
            Assert.All(singleAlive, s => Assert.Equal(s, shardAlive[s.History.CustomerId]));
        }
        finally
        {
            foreach (var s in owned)
            {
                await s.DisposeAsync();
            }
        }
    }
}
