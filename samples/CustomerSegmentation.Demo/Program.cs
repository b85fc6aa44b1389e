using System.Text;
using CustomerSegmentation.Demo;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

Console.OutputEncoding = Encoding.UTF8;

var services = new ServiceCollection()
    .AddCustomerSegmentation()
    .BuildServiceProvider();

await using (services)
{
    await FoundationDemo.RunAsync(services, Console.Out);
}

// The analytics run on their own in-memory stores: 2 000 generated customers, seed 42, as of a fixed instant.
var analytics = new ServiceCollection()
    .AddCustomerSegmentation()
    .BuildServiceProvider();

await using (analytics)
{
    var asOf = Instant.FromUtc(2026, 7, 1, 0, 0);
    var population = await DemoPopulation.CreateAsync(analytics, size: 2_000, seed: 42, asOf);
    Console.WriteLine();
    Console.WriteLine($"== Generated population: {population.Describe()} ==");

    var rfm = ScoringDemo.Run(population, Console.Out);
    TiersDemo.Run(population, Console.Out);
    var lifecycles = LifecycleDemo.Run(population, Console.Out);
    ChurnDemo.Run(population, lifecycles, Console.Out);
    SegmentsDemo.Run(population, rfm, lifecycles, Console.Out);
    EngagementDemo.Run(population, lifecycles, Console.Out);
    TagsDemo.Run(population, rfm, Console.Out);
    ValueModelsDemo.Run(population, Console.Out);
    await PipelineDemo.RunAsync(analytics, population, Console.Out);
}
