using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CustomerSegmentation.Extensions.DependencyInjection.Tests;

public class SegmentationEngineRegistrationTests
{
    [Fact]
    public void AddCustomerSegmentation_Default_ResolvesOneEngineWithDefaultOptions()
    {
        using var sp = new ServiceCollection().AddCustomerSegmentation().AddCustomerSegmentation().BuildServiceProvider();

        var engine = sp.GetRequiredService<SegmentationEngine>();
        Assert.Same(engine, sp.GetRequiredService<SegmentationEngine>());
        Assert.Equal(5, engine.Options.RfmBins);
        Assert.Null(engine.Options.TierPolicy);
    }

    [Fact]
    public async Task UseSegmentationEngine_OptionsAndStores_AreTheRegisteredOnes()
    {
        var options = new SegmentationEngineOptions { RfmBins = 3, MaxDegreeOfParallelism = 1 };
        using var sp = new ServiceCollection().AddCustomerSegmentation(b => b.UseSegmentationEngine(options)).BuildServiceProvider();
        var asOf = Instant.FromUtc(2025, 12, 31, 0, 0);
        var customers = sp.GetRequiredService<ICustomerStore>();
        var activities = sp.GetRequiredService<IActivityStore>();
        foreach (var (id, days) in new[] { ("A", 3), ("B", 40), ("C", 400) })
        {
            await customers.UpsertAsync(new Customer(new CustomerId(id), CustomerKind.Person, id, asOf - Duration.FromDays(900)), 0);
            await activities.AppendAsync([new Purchase(new CustomerId(id), asOf - Duration.FromDays(days), Money.Of(10m * days, "CNY"))]);
        }

        var engine = sp.GetRequiredService<SegmentationEngine>();
        var results = new List<CustomerResult>();
        await foreach (var r in engine.EvaluateAsync(asOf))
        {
            results.Add(r);
        }

        Assert.Same(options, engine.Options);
        Assert.Equal(["A", "B", "C"], results.Select(r => r.CustomerId.Value).Order(StringComparer.Ordinal));
        Assert.Equal(3, results.Single(r => r.CustomerId.Value == "A").Rfm.R);
        Assert.Equal(1, results.Single(r => r.CustomerId.Value == "C").Rfm.R);
    }
}
