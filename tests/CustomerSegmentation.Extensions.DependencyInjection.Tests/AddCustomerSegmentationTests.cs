using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CustomerSegmentation.Extensions.DependencyInjection.Tests;

public class AddCustomerSegmentationTests
{
    private static readonly Type[] Registered = [typeof(ICustomerStore), typeof(IActivityStore), typeof(IClock), typeof(ProfileSchema), typeof(CustomerValidator)];

    [Fact]
    public void AddCustomerSegmentation_Defaults_RegistersInMemoryStoresSystemClockAndSchema()
    {
        using var sp = new ServiceCollection().AddCustomerSegmentation().BuildServiceProvider();

        Assert.IsType<InMemoryCustomerStore>(sp.GetRequiredService<ICustomerStore>());
        Assert.IsType<InMemoryActivityStore>(sp.GetRequiredService<IActivityStore>());
        Assert.Same(SystemClock.Instance, sp.GetRequiredService<IClock>());
        Assert.Same(ProfileSchema.Default, sp.GetRequiredService<ProfileSchema>());
        Assert.Same(ProfileSchema.Default, sp.GetRequiredService<CustomerValidator>().Schema);
        Assert.Same(sp.GetRequiredService<ICustomerStore>(), sp.GetRequiredService<ICustomerStore>());
    }

    [Fact]
    public void AddCustomerSegmentation_EveryService_IsSingleton()
    {
        var services = new ServiceCollection().AddCustomerSegmentation();
        Assert.All(Registered, t => Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == t).Lifetime));
    }

    [Fact]
    public void AddCustomerSegmentation_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddCustomerSegmentation();
        var count = services.Count;

        services.AddCustomerSegmentation();

        Assert.Equal(count, services.Count);
        Assert.All(Registered, t => Assert.Single(services, d => d.ServiceType == t));
    }

    [Fact]
    public void AddCustomerSegmentation_HostRegisteredBefore_HostWins()
    {
        var hostStore = new InMemoryCustomerStore();
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var services = new ServiceCollection();
        services.AddSingleton<ICustomerStore>(hostStore);
        services.AddSingleton<IClock>(clock);

        services.AddCustomerSegmentation();

        using var sp = services.BuildServiceProvider();
        Assert.Same(hostStore, sp.GetRequiredService<ICustomerStore>());
        Assert.Same(clock, sp.GetRequiredService<IClock>());
        Assert.Single(services, d => d.ServiceType == typeof(ICustomerStore));
    }

    [Fact]
    public void AddCustomerSegmentation_HostRegisteredAfter_HostWins()
    {
        var hostStore = new InMemoryActivityStore();
        var services = new ServiceCollection().AddCustomerSegmentation();
        services.AddSingleton<IActivityStore>(hostStore);

        using var sp = services.BuildServiceProvider();
        Assert.Same(hostStore, sp.GetRequiredService<IActivityStore>());
    }

    [Fact]
    public void Builder_UseMethods_ReplaceDefaults()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
        var activity = new InMemoryActivityStore();
        using var sp = new ServiceCollection()
            .AddCustomerSegmentation(b => b
                .UseClock(clock)
                .UseCustomerStore<CountingStore>()
                .UseActivityStore(activity)
                .UseProfileSchema(s => s.DefaultPhoneRegion = PhoneRegion.Germany))
            .BuildServiceProvider();

        Assert.Same(clock, sp.GetRequiredService<IClock>());
        Assert.IsType<CountingStore>(sp.GetRequiredService<ICustomerStore>());
        Assert.Same(activity, sp.GetRequiredService<IActivityStore>());
        Assert.Equal(PhoneRegion.Germany, sp.GetRequiredService<CustomerValidator>().Schema.DefaultPhoneRegion);
    }

    [Fact]
    public void Builder_UseCustomerStoreInstance_ReplacesHostsEarlierRegistration()
    {
        var chosen = new InMemoryCustomerStore();
        var services = new ServiceCollection();
        services.AddSingleton<ICustomerStore, CountingStore>();

        services.AddCustomerSegmentation(b => b.UseCustomerStore(chosen));

        using var sp = services.BuildServiceProvider();
        Assert.Same(chosen, sp.GetRequiredService<ICustomerStore>());
        Assert.Single(services, d => d.ServiceType == typeof(ICustomerStore));
    }

    [Fact]
    public void Builder_ExposesServicesForCapabilityExtensions()
    {
        var services = new ServiceCollection();
        CustomerSegmentationBuilder? seen = null;

        services.AddCustomerSegmentation(b =>
        {
            seen = b;
            b.AddGreeting();
        });

        Assert.Same(services, seen!.Services);
        using var sp = services.BuildServiceProvider();
        Assert.Equal("你好", sp.GetRequiredService<Greeting>().Text);
    }

    [Fact]
    public void Builder_BadSchema_ThrowsWhenConfigured()
    {
        var services = new ServiceCollection();
        Assert.Throws<ProfileSchemaException>(() => services.AddCustomerSegmentation(b => b.UseProfileSchema(s => s.MaxContactPoints = 0)));
    }

    [Fact]
    public void AddCustomerSegmentation_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => CustomerSegmentationServiceCollectionExtensions.AddCustomerSegmentation(null!));
        Assert.Throws<ArgumentNullException>(() => new CustomerSegmentationBuilder(null!));
        var b = new CustomerSegmentationBuilder(new ServiceCollection());
        Assert.Throws<ArgumentNullException>(() => b.UseClock(null!));
        Assert.Throws<ArgumentNullException>(() => b.UseCustomerStore(null!));
        Assert.Throws<ArgumentNullException>(() => b.UseActivityStore(null!));
        Assert.Throws<ArgumentNullException>(() => b.UseProfileSchema((ProfileSchema)null!));
    }

    [Fact]
    public async Task ResolvedStore_StoresAndReadsCustomer()
    {
        using var sp = new ServiceCollection().AddCustomerSegmentation().BuildServiceProvider();
        var store = sp.GetRequiredService<ICustomerStore>();
        var clock = sp.GetRequiredService<IClock>();

        var stored = await store.UpsertAsync(new Customer(new CustomerId("C1"), CustomerKind.Person, "张伟", clock.GetCurrentInstant()), 0);

        Assert.Equal(stored, await sp.GetRequiredService<ICustomerStore>().GetAsync(new CustomerId("C1")));
    }

    private sealed class CountingStore : ICustomerStore
    {
        private readonly InMemoryCustomerStore _inner = new();

        public ValueTask<Customer?> GetAsync(CustomerId id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public ValueTask<IReadOnlyList<Customer>> GetManyAsync(IReadOnlyCollection<CustomerId> ids, CancellationToken cancellationToken = default) => _inner.GetManyAsync(ids, cancellationToken);

        public ValueTask<Customer> UpsertAsync(Customer customer, long expectedVersion, CancellationToken cancellationToken = default) => _inner.UpsertAsync(customer, expectedVersion, cancellationToken);

        public ValueTask<bool> DeleteAsync(CustomerId id, long expectedVersion, CancellationToken cancellationToken = default) => _inner.DeleteAsync(id, expectedVersion, cancellationToken);

        public IAsyncEnumerable<IReadOnlyList<Customer>> StreamAllAsync(int pageSize = 1000, CancellationToken cancellationToken = default) => _inner.StreamAllAsync(pageSize, cancellationToken);
    }
}

public sealed record Greeting(string Text);

public static class GreetingBuilderExtensions
{
    // What a capability package does: an extension method on the builder that registers its services.
    public static CustomerSegmentationBuilder AddGreeting(this CustomerSegmentationBuilder builder)
    {
        builder.Services.AddSingleton(new Greeting("你好"));
        return builder;
    }
}
