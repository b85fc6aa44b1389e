using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CustomerSegmentation.Demo;

/// <summary>
/// A generated population in the registered stores (the in-memory default): customers who buy at their own rate until
/// they drop out, with refunds, surveys and complaints. Deterministic: a fixed seed and a fixed as-of instant.
/// </summary>
public sealed record DemoPopulation(
    Instant AsOf,
    IReadOnlyList<Customer> Customers,
    IReadOnlyList<ActivitySummary> Summaries,
    ILookup<CustomerId, ActivityRecord> Records)
{
    private static readonly string[] Regions = ["上海", "江苏", "浙江", "广东", "福建", "北京", "天津", "四川"];

    /// <summary>The summary windows every section reads: the last 90 days and the 180 days before them.</summary>
    public static ActivitySummarizer Summarizer { get; } = new(new ActivitySummaryOptions
    {
        Windows = [SummaryWindow.LastDays("last90", 90), new SummaryWindow("prev180", Duration.FromDays(180), Duration.FromDays(90))],
    });

    public static async Task<DemoPopulation> CreateAsync(IServiceProvider services, int size, int seed, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(services);
        var customerStore = services.GetRequiredService<ICustomerStore>();
        var activityStore = services.GetRequiredService<IActivityStore>();
        var random = new Random(seed);
        var customers = new List<Customer>(size);
        var records = new List<ActivityRecord>();

        for (var i = 1; i <= size; i++)
        {
            var customer = new Customer(new CustomerId($"P{i:0000}"), CustomerKind.Person, $"客户{i:0000}", asOf - Duration.FromDays(random.Next(20, 900)))
            {
                Region = Regions[random.Next(Regions.Length)],
            };
            customers.Add(await customerStore.UpsertAsync(customer, expectedVersion: 0));
            AddActivity(random, customer, asOf, records);
        }

        await activityStore.AppendAsync(records);

        var summaries = new List<ActivitySummary>();
        await foreach (var summary in new ActivityStoreSummarySource(activityStore, Summarizer).GetSummariesAsync(asOf))
        {
            summaries.Add(summary);
        }

        return new DemoPopulation(asOf, customers, summaries, records.ToLookup(r => r.CustomerId));
    }

    /// <summary>Counts what was generated, e.g. "2000 customers as of ...: 9907 purchases, 536 refunds, ...".</summary>
    public string Describe()
    {
        var records = Records.SelectMany(g => g).ToList();
        int Count(InteractionKind kind) => records.OfType<Interaction>().Count(i => i.Kind == kind);
        return TextTable.Inv($"{Customers.Count} customers as of {AsOf}: {records.OfType<Purchase>().Count(p => !p.IsRefund)} purchases, ")
            + TextTable.Inv($"{records.OfType<Purchase>().Count(p => p.IsRefund)} refunds, {Count(InteractionKind.Survey)} surveys, {Count(InteractionKind.Complaint)} complaints");
    }

    // Buy-till-you-die: purchases arrive at a personal rate (exponential gaps); after each one the customer may drop out.
    private static void AddActivity(Random random, Customer customer, Instant asOf, List<ActivityRecord> records)
    {
        if (random.NextDouble() < 0.08)
        {
            return; // a prospect who never buys
        }

        var id = customer.Id;
        var meanGapDays = 7 * Math.Exp(random.NextDouble() * Math.Log(20));   // 7..140 days
        var dropOutChance = 0.03 + (random.NextDouble() * 0.3);
        var basket = Math.Exp(4 + (random.NextDouble() * 3.5));                // about 55..1 800 CNY
        var at = customer.CreatedAt + Duration.FromHours(random.Next(1, 24 * 30));
        var order = 0;
        void Add(ActivityRecord record)
        {
            if (record.At < asOf)
            {
                records.Add(record);
            }
        }

        while (at < asOf)
        {
            var amount = decimal.Round((decimal)(basket * (0.6 + (random.NextDouble() * 0.8))), 2);
            var orderId = $"{id}-{++order}";
            Add(new Purchase(id, at, Money.Of(amount, "CNY"), orderId));
            if (random.NextDouble() < 0.05)
            {
                Add(new Purchase(id, at + Duration.FromDays(3), Money.Of(-decimal.Round(amount / 2, 2), "CNY"), orderId));
            }

            if (random.NextDouble() < 0.2)
            {
                Add(new Interaction(id, InteractionKind.Survey, at + Duration.FromDays(2), satisfaction: random.Next(3, 6), nps: random.Next(5, 11), channel: "wechat"));
            }

            var leaves = random.NextDouble() < dropOutChance;
            if (random.NextDouble() < (leaves ? 0.3 : 0.03))
            {
                // Unhappy customers complain (often twice) shortly before they leave; a few loyal ones complain too.
                var complaints = leaves && random.NextDouble() < 0.5 ? 2 : 1;
                for (var c = 1; c <= complaints; c++)
                {
                    Add(new Interaction(id, InteractionKind.Complaint, at + Duration.FromDays(2 * c), satisfaction: random.Next(1, 3), channel: "phone"));
                }
            }

            if (leaves)
            {
                return;
            }

            at += Duration.FromHours(-Math.Log(1 - random.NextDouble()) * meanGapDays * 24);
        }
    }
}
