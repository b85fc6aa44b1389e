using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using NodaTime;

namespace CustomerSegmentation.Tests.Activity;

public class ActivitySummarySourceTests
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 6, 30, 12, 0);

    private static List<ActivityRecord> Records()
    {
        var records = ActivitySummarizerTests.WorkedExample();
        records.Add(new Purchase(new CustomerId("B7"), Instant.FromUtc(2026, 6, 1, 0, 0), Money.Of(5m, "CNY")));
        records.Add(new Purchase(new CustomerId("Z1"), Instant.FromUtc(2026, 7, 2, 0, 0), Money.Of(5m, "CNY"))); // only after as-of
        return records;
    }

    private sealed class ListStore(IReadOnlyList<ActivityRecord> records) : IActivityStore
    {
        public ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var r in records.Where(r => r.CustomerId == customerId).OrderBy(r => r.At))
            {
                await Task.Yield();
                yield return r;
            }
        }

        public async IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var r in records.Where(r => r.At >= from && r.At < to).OrderBy(r => r.At))
            {
                await Task.Yield();
                yield return r;
            }
        }
    }

    public static TheoryData<string> Sources => ["memory", "store"];

    private static IActivitySummarySource Create(string kind) => kind == "memory"
        ? new InMemoryActivitySummarySource(Records())
        : new ActivityStoreSummarySource(new ListStore(Records()));

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task GetSummariesAsync_CustomersWithActivity_InIdOrderAndEqualToSummarizer(string kind)
    {
        var summaries = new List<ActivitySummary>();
        await foreach (var s in Create(kind).GetSummariesAsync(AsOf))
        {
            summaries.Add(s);
        }

        Assert.Equal(["B7", "C1"], summaries.Select(s => s.CustomerId.Value));
        var direct = new ActivitySummarizer().Summarize(new CustomerId("C1"), ActivitySummarizerTests.WorkedExample(), AsOf);
        Assert.Equal(ActivitySummarizerTests.Key(direct), ActivitySummarizerTests.Key(summaries[1]));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task GetSummaryAsync_UnknownCustomer_EmptySummary(string kind)
    {
        var s = await Create(kind).GetSummaryAsync(new CustomerId("nobody"), AsOf);

        Assert.False(s.HasPurchases);
        Assert.Equal(0, s.InteractionCount);
        Assert.Equal(AsOf, s.AsOf);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task GetSummaryAsync_KnownCustomer_IgnoresLaterActivity(string kind)
    {
        var s = await Create(kind).GetSummaryAsync(new CustomerId("C1"), AsOf);

        Assert.Equal(4, s.PurchaseCount);
        Assert.Equal(450m, s.NetSpend);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task GetSummariesAsync_Cancelled_Throws(string kind)
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in Create(kind).GetSummariesAsync(AsOf, cts.Token))
            {
                Assert.Fail("no summary expected after cancellation");
            }
        });
    }
}
