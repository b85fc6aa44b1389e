using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CustomerSegmentation.Demo;

/// <summary>The foundation section of the demo: create customers, validate them, store them and their activity, print them.</summary>
public static class FoundationDemo
{
    public static async Task RunAsync(IServiceProvider services, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        var clock = services.GetRequiredService<IClock>();
        var validator = services.GetRequiredService<CustomerValidator>();
        var customers = services.GetRequiredService<ICustomerStore>();
        var activity = services.GetRequiredService<IActivityStore>();
        var now = clock.GetCurrentInstant();

        await output.WriteLineAsync("== Foundation: customer profiles (客户资料卡) ==");
        await output.WriteLineAsync($"Schema: {validator.Schema.Fields.Length} fields, phones default to {validator.Schema.DefaultPhoneRegion}, review every {validator.Schema.ReviewInterval.TotalDays:0} days");

        Customer[] input =
        [
            new(new CustomerId("C0001"), CustomerKind.Person, " 张伟 ", now - Duration.FromDays(400))
            {
                Emails = [" Zhang.Wei@Example.COM "],
                Phones = ["138 1234 5678", "0755-12345678"],
                Region = "广东省",
                Owner = "王芳",
                Birthday = new Birthday(new AnnualDate(3, 8), 1990),
                MarketingConsent = true,
                CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("vipLevel", 3).Add("wechat", "wx_zhangwei"),
            },
            new(new CustomerId("C0002"), CustomerKind.Organisation, "深圳市腾飞科技有限公司", now - Duration.FromDays(30))
            {
                Emails = ["采购@腾飞.中国", "sales@tengfei.example.cn"],
                Phones = ["+86 (0)755 8888 6666", "400-810-8888"],
                Region = "广东省 深圳市",
                Industry = "制造业",
                CompanySize = "200-499",
                AcquisitionChannel = "展会",
                Owner = "李娜",
                LastVerifiedAt = now - Duration.FromDays(2),
            },
            new(new CustomerId("C0003"), CustomerKind.Person, "Zoë Ørsted 😀", now - Duration.FromDays(10))
            {
                Emails = ["zoe@Bücher.DE"],
                Phones = ["+44 (0)20 7946 0958", "+1 (415) 555-2671"],
                Region = "London",
            },
            new(new CustomerId("C0004"), CustomerKind.Person, "   ", now)
            {
                Emails = ["li.na@example", "ok@example.com"],
                Phones = ["1381234567", "010-1234567"],
                Owner = "王\n芳",
                Birthday = new Birthday(new AnnualDate(2, 29), 1991),
            },
        ];

        var valid = new List<Customer>();
        foreach (var customer in input)
        {
            var result = validator.Validate(customer, now);
            if (result.IsValid)
            {
                var completeness = ProfileCompleteness.Evaluate(result.Normalized, validator.Schema);
                await output.WriteLineAsync(Invariant($"  valid    {customer.Id}  {result.Normalized.DisplayName}  ({completeness.Explanation})"));
                valid.Add(result.Normalized);
            }
            else
            {
                await output.WriteLineAsync($"  INVALID  {customer.Id}  '{customer.DisplayName}': {result.Problems.Length} problem(s)");
                foreach (var problem in result.Problems)
                {
                    await output.WriteLineAsync($"           - {problem.Field} [{problem.Code}]: {problem.Reason}");
                }
            }
        }

        foreach (var customer in valid)
        {
            await customers.UpsertAsync(customer, expectedVersion: 0);
        }

        await activity.AppendAsync(
        [
            new Purchase(new CustomerId("C0001"), now - Duration.FromDays(20), Money.Of(1288.00m, "CNY"), "SO-1001", 2),
            new Purchase(new CustomerId("C0001"), now - Duration.FromDays(18), Money.Of(-288.00m, "CNY"), "SO-1001"),
            new Interaction(new CustomerId("C0001"), InteractionKind.Survey, now - Duration.FromDays(17), nps: 9, channel: "wechat"),
            new Purchase(new CustomerId("C0002"), now - Duration.FromDays(5), Money.Of(56000m, "CNY"), "SO-1002", 40),
            new Referral(new CustomerId("C0002"), new CustomerId("C0003"), now - Duration.FromDays(10)),
        ]);

        await output.WriteLineAsync($"Stored {valid.Count} valid customers in {customers.GetType().Name}:");
        await foreach (var page in customers.StreamAllAsync(pageSize: 100))
        {
            foreach (var c in page)
            {
                var records = 0;
                await foreach (var _ in activity.StreamForCustomerAsync(c.Id))
                {
                    records++;
                }

                var staleness = ProfileStaleness.Evaluate(c, now, validator.Schema);
                await output.WriteLineAsync($"  {c.Id} v{c.Version} {c.Kind,-12} {c.DisplayName}");
                await output.WriteLineAsync($"      emails {string.Join(", ", c.Emails)} | phones {string.Join(", ", c.Phones)}");
                await output.WriteLineAsync($"      activity records {records} | profile {staleness.Explanation}");
            }
        }

        // Optimistic concurrency: a second writer with the version it read earlier loses and nothing is written.
        var current = (await customers.GetAsync(new CustomerId("C0001")))!;
        await customers.UpsertAsync(current with { Region = "广东省 广州市", UpdatedAt = now }, current.Version);
        try
        {
            await customers.UpsertAsync(current with { Region = "浙江省" }, current.Version);
        }
        catch (ConcurrencyConflictException ex)
        {
            await output.WriteLineAsync($"Concurrent edit rejected: {ex.Message}");
        }

        await output.WriteLineAsync($"C0001 region is now {(await customers.GetAsync(new CustomerId("C0001")))!.Region}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
