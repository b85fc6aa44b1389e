using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CustomerSegmentation.Extensions.DependencyInjection.Tests;

public class DataQualityRegistrationTests
{
    private static readonly Type[] DataQualityServices =
        [typeof(DuplicateDetectionOptions), typeof(DuplicateDetector), typeof(ICustomerAliasStore), typeof(MergePolicy), typeof(CustomerMerger), typeof(ReviewPolicy)];

    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 0, 0);

    [Fact]
    public void AddCustomerSegmentation_Defaults_RegistersDataQualityServices()
    {
        using var sp = new ServiceCollection().AddCustomerSegmentation().BuildServiceProvider();

        Assert.Same(DuplicateDetectionOptions.Default, sp.GetRequiredService<DuplicateDetector>().Options);
        Assert.IsType<InMemoryCustomerAliasStore>(sp.GetRequiredService<ICustomerAliasStore>());
        Assert.Same(MergePolicy.Default, sp.GetRequiredService<CustomerMerger>().Policy);
        Assert.Equal(ReviewPolicy.Quarterly, sp.GetRequiredService<ReviewPolicy>().DefaultInterval);
        Assert.Same(sp.GetRequiredService<CustomerMerger>(), sp.GetRequiredService<CustomerMerger>());
    }

    [Fact]
    public void AddCustomerSegmentation_DataQualityServices_SingletonsRegisteredOnceWhenCalledTwice()
    {
        var services = new ServiceCollection();
        services.AddCustomerSegmentation();
        services.AddCustomerSegmentation(b => b.UseMergePolicy(MergePolicy.Default));

        Assert.All(DataQualityServices, t => Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == t).Lifetime));
    }

    [Fact]
    public void AddCustomerSegmentation_HostRegisteredAliasStoreFirst_HostsWins()
    {
        var mine = new InMemoryCustomerAliasStore();
        var services = new ServiceCollection();
        services.AddSingleton<ICustomerAliasStore>(mine);

        using var sp = services.AddCustomerSegmentation().BuildServiceProvider();

        Assert.Same(mine, sp.GetRequiredService<ICustomerAliasStore>());
    }

    [Fact]
    public void Use_DataQualityOverrides_ReplaceDefaults()
    {
        var options = new DuplicateDetectionOptions { Threshold = 0.9 };
        var aliases = new InMemoryCustomerAliasStore();
        var merge = MergePolicy.Default.WithAttribute("level", FieldMergeRule.NewestNonEmpty);
        var review = new ReviewPolicy(ReviewPolicy.Monthly);

        using var sp = new ServiceCollection()
            .AddCustomerSegmentation(b => b.UseDuplicateDetection(options).UseAliasStore(aliases).UseMergePolicy(merge).UseReviewPolicy(review))
            .BuildServiceProvider();

        Assert.Same(options, sp.GetRequiredService<DuplicateDetector>().Options);
        Assert.Same(aliases, sp.GetRequiredService<ICustomerAliasStore>());
        Assert.Same(merge, sp.GetRequiredService<CustomerMerger>().Policy);
        Assert.Same(review, sp.GetRequiredService<ReviewPolicy>());
    }

    [Fact]
    public void UseAliasStoreOfType_ResolvesThatType()
    {
        using var sp = new ServiceCollection().AddCustomerSegmentation(b => b.UseAliasStore<InMemoryCustomerAliasStore>()).BuildServiceProvider();

        Assert.IsType<InMemoryCustomerAliasStore>(sp.GetRequiredService<ICustomerAliasStore>());
    }

    [Fact]
    public void UseDuplicateDetection_InvalidOptions_ThrowsWhenConfigured() =>
        Assert.Throws<DataQualityConfigurationException>(() =>
            new ServiceCollection().AddCustomerSegmentation(b => b.UseDuplicateDetection(new DuplicateDetectionOptions { Threshold = 1.5 })));

    [Fact]
    public void Use_NullArguments_Throw()
    {
        var b = new CustomerSegmentationBuilder(new ServiceCollection());
        Assert.Throws<ArgumentNullException>(() => b.UseDuplicateDetection(null!));
        Assert.Throws<ArgumentNullException>(() => b.UseAliasStore(null!));
        Assert.Throws<ArgumentNullException>(() => b.UseMergePolicy(null!));
        Assert.Throws<ArgumentNullException>(() => b.UseReviewPolicy(null!));
    }

    [Fact]
    public async Task ResolvedMerger_UsesRegisteredStoresAndClock_MergeRecordsAliasAndDetectorFindsPair()
    {
        var clock = new FakeClock(T0);
        using var sp = new ServiceCollection().AddCustomerSegmentation(b => b.UseClock(clock)).BuildServiceProvider();
        var store = sp.GetRequiredService<ICustomerStore>();
        var a = await store.UpsertAsync(new Customer(new CustomerId("A"), CustomerKind.Person, "张三", T0) { Emails = ["zs@example.cn"] }, 0);
        var b = await store.UpsertAsync(new Customer(new CustomerId("B"), CustomerKind.Person, "张 三", T0) { Emails = ["zs@EXAMPLE.CN"] }, 0);

        var pair = Assert.Single(sp.GetRequiredService<DuplicateDetector>().Find([a, b]).Candidates);
        var result = await sp.GetRequiredService<CustomerMerger>().MergeAsync(pair.A, pair.B, "test");

        Assert.True(result.Succeeded);
        Assert.Equal(T0, result.Record!.At);
        Assert.Equal(a.Id, await sp.GetRequiredService<ICustomerAliasStore>().ResolveAsync(b.Id));
    }
}
