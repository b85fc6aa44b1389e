using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Storage.TestSupport;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Storage.PostgreSql.Tests;

public sealed class PostgreSqlSummaryTests
{
    private static readonly CustomerId[] Ids = [.. new[] { "alice", "鲍勃", "C-003", "émile", "z" }.Select(s => new CustomerId(s))];

    private static readonly Gen<ActivityRecord> Extra =
        from who in Gen.Choose(0, Ids.Length - 1)
        from seconds in Gen.Choose(0, 365 * 86_400)
        from sat in Gen.Choose(1, 5)
        from kind in Gen.Elements(InteractionKind.Complaint, InteractionKind.Call, InteractionKind.Visit)
        select (ActivityRecord)new Interaction(Ids[who], kind, Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromSeconds(seconds), satisfaction: sat);

    private static async Task<List<ActivitySummary>> AllAsync(IActivitySummarySource source, Instant asOf)
    {
        var list = new List<ActivitySummary>();
        await foreach (var s in source.GetSummariesAsync(asOf))
        {
            list.Add(s);
        }

        return list;
    }

    private static async Task<bool> SameAsInMemoryAsync(IReadOnlyList<ActivityRecord> records, Instant asOf, ActivitySummaryOptions options, int batch, int connections = 2)
    {
        var storage = PostgresStorages.Fresh(new PostgreSqlStoreOptions { SummaryBatchSize = batch, SummaryConnections = connections });
        foreach (var chunk in records.Chunk(97))
        {
            await storage.Activity.AppendAsync(chunk);
        }

        var expected = await AllAsync(new InMemoryActivitySummarySource(records, new ActivitySummarizer(options)), asOf);
        var actual = await AllAsync(storage.CreateSummarySource(options), asOf);
        Assert.Equal(expected.Select(s => s.CustomerId), actual.Select(s => s.CustomerId));
        for (var i = 0; i < expected.Count; i++)
        {
            StoreTestData.Equal(expected[i], actual[i]);
        }

        var one = await storage.CreateSummarySource(options).GetSummaryAsync(Ids[0], asOf);
        StoreTestData.Equal(new ActivitySummarizer(options).Summarize(Ids[0], records.Where(r => r.CustomerId == Ids[0]), asOf), one);
        return true;
    }

    /// <summary>Database summaries equal the in-memory summariser on random purchases, refunds, surveys, complaints and referrals, windows included.</summary>
    [Property(MaxTest = 20)]
    public Property GetSummariesAsync_RandomActivity_EqualsInMemorySummarizer_Holds() =>
        Prop.ForAll(
            (from records in Gen.Frequency((4, CustomerArbitraries.ActivityFor(Ids)), (1, Extra)).ArrayOf()
             from days in Gen.Choose(0, 400)
             from batch in Gen.Choose(1, 4)
             from connections in Gen.Choose(1, 3)
             select (records, asOf: Instant.FromUtc(2025, 1, 1, 12, 0) + Duration.FromDays(days), batch, connections)).ToArbitrary(),
            w => SameAsInMemoryAsync(w.records, w.asOf, StoreTestData.WindowOptions, w.batch, w.connections).GetAwaiter().GetResult());

    [Fact]
    public async Task GetSummariesAsync_Cdnow_EqualsInMemorySummarizerToTheCent()
    {
        Assert.True(await SameAsInMemoryAsync(StoreTestData.Cdnow, Instant.FromUtc(1997, 9, 30, 23, 59), StoreTestData.WindowOptions, 500));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task GetSummariesAsync_RowsAppendedWhileReading_AreNotSeenByAnyBatch(int connections)
    {
        var storage = PostgresStorages.Fresh(new PostgreSqlStoreOptions { SummaryBatchSize = 1, SummaryConnections = connections });
        var t = Instant.FromUtc(2025, 1, 1, 0, 0);
        await storage.Activity.AppendAsync([.. Ids.Select(id => (ActivityRecord)new Purchase(id, t, Money.Of(10, "CNY")))]);
        var asOf = t + Duration.FromDays(30);

        var seen = new List<ActivitySummary>();
        await foreach (var s in storage.CreateSummarySource().GetSummariesAsync(asOf))
        {
            if (seen.Count == 0)
            {
                // After the first batch: a purchase for every customer and a new customer, all before the as-of instant.
                await storage.Activity.AppendAsync([.. Ids.Append(new CustomerId("0-new")).Select(id => (ActivityRecord)new Purchase(id, t + Duration.FromDays(1), Money.Of(5, "CNY")))]);
            }

            seen.Add(s);
        }

        Assert.Equal(Ids.Select(i => i.Value).Order(StringComparer.Ordinal), seen.Select(s => s.CustomerId.Value));
        Assert.All(seen, s => Assert.Equal(1, s.PurchaseCount));
        Assert.All(seen, s => Assert.Equal(10m, s.GrossSpend));
    }

    [Fact]
    public async Task GetSummariesAsync_StoppedEarly_ReleasesEveryConnection()
    {
        var storage = PostgresStorages.Fresh(new PostgreSqlStoreOptions { SummaryBatchSize = 1, SummaryConnections = 3 });
        var t = Instant.FromUtc(2025, 1, 1, 0, 0);
        await storage.Activity.AppendAsync([.. Ids.Select(id => (ActivityRecord)new Purchase(id, t, Money.Of(10, "CNY")))]);

        for (var round = 0; round < 40; round++)
        {
            await foreach (var s in storage.CreateSummarySource().GetSummariesAsync(t + Duration.FromDays(1)))
            {
                Assert.Equal(1, s.PurchaseCount);
                break;
            }
        }

        // 40 early stops with 4 connections each would exhaust a leaking pool long before; one more full read still works.
        var all = new List<ActivitySummary>();
        await foreach (var s in storage.CreateSummarySource().GetSummariesAsync(t + Duration.FromDays(1)))
        {
            all.Add(s);
        }

        Assert.Equal(Ids.Length, all.Count);
    }

    [Fact]
    public async Task GetSummaryAsync_FixedOffsetZone_CountsDaysInThatZone()
    {
        var options = new ActivitySummaryOptions { Zone = DateTimeZone.ForOffset(Offset.FromHours(8)) };
        var records = new ActivityRecord[]
        {
            new Purchase(Ids[0], Instant.FromUtc(2025, 3, 1, 15, 0), Money.Of(10, "CNY")),   // 23:00 in +08
            new Purchase(Ids[0], Instant.FromUtc(2025, 3, 1, 17, 0), Money.Of(10, "CNY")),   // 01:00 the next day in +08
        };
        Assert.True(await SameAsInMemoryAsync(records, Instant.FromUtc(2025, 4, 1, 0, 0), options, 10));
    }

    [Fact]
    public async Task GetSummaryAsync_MixedCurrencies_ThrowsMixedCurrencyLikeTheSummarizer()
    {
        var storage = PostgresStorages.Fresh();
        await storage.Activity.AppendAsync([new Purchase(Ids[0], Instant.FromUtc(2025, 1, 1, 0, 0), Money.Of(1, "CNY")), new Purchase(Ids[0], Instant.FromUtc(2025, 1, 2, 0, 0), Money.Of(1, "USD"))]);

        var ex = await Assert.ThrowsAsync<MixedCurrencyException>(async () => await storage.CreateSummarySource().GetSummaryAsync(Ids[0], Instant.FromUtc(2025, 2, 1, 0, 0)));

        Assert.Equal([new Currency("CNY"), new Currency("USD")], ex.Currencies.Order(Comparer<Currency>.Create((a, b) => string.CompareOrdinal(a.Code, b.Code))));
    }

    [Fact]
    public void CreateSummarySource_ZoneWithDaylightSaving_ThrowsConfigurationError()
    {
        var ex = Assert.Throws<ScoringConfigurationException>(() => PostgresStorages.Fresh().CreateSummarySource(new ActivitySummaryOptions { Zone = DateTimeZoneProviders.Tzdb["Europe/Paris"] }));
        Assert.Equal("ActivitySummaryOptions.Zone", ex.Setting);
    }
}
