using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Extensions.DependencyInjection;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CustomerSegmentation in a service collection.</summary>
public static class CustomerSegmentationServiceCollectionExtensions
{
    /// <summary>
    /// Registers CustomerSegmentation's defaults with <c>TryAdd</c>, so a host's own registrations win and calling this
    /// twice is harmless: <see cref="InMemoryCustomerStore"/> as <see cref="ICustomerStore"/>,
    /// <see cref="InMemoryActivityStore"/> as <see cref="IActivityStore"/>, <see cref="SystemClock.Instance"/> as
    /// <see cref="IClock"/>, <see cref="ProfileSchema.Default"/> and a <see cref="CustomerValidator"/> over the registered
    /// schema, and a <see cref="SegmentationEngine"/> over the registered stores (with the registered
    /// <see cref="SegmentationEngineOptions"/>, default RFM + churn, and an <see cref="IActivitySummarySource"/> when one is registered); for privacy an <see cref="InMemoryAuditSink"/> as <see cref="IAuditSink"/>, an <see cref="InMemoryTombstoneStore"/> as
    /// <see cref="ITombstoneStore"/>, <see cref="PersonalDataMasker.Default"/> and <see cref="AccessPolicy.CreateDefault"/> over the registered schema;
    /// for data quality <see cref="DuplicateDetectionOptions.Default"/> and a <see cref="DuplicateDetector"/> over the registered options, an
    /// <see cref="InMemoryCustomerAliasStore"/> as <see cref="ICustomerAliasStore"/>, <see cref="MergePolicy.Default"/>, a
    /// <see cref="CustomerMerger"/> over the registered customer store, alias store, clock, merge policy (and a
    /// <see cref="CustomerSegmentation.Tags.TagIndex"/> when one is registered) and a default <see cref="ReviewPolicy"/>;
    /// all singletons. The alias-resolving views (<see cref="AliasResolvingCustomerStore"/>, <see cref="AliasResolvingActivityStore"/>)
    /// are not registered as the stores: they change what every reader sees, so a host opts in by registering them itself. A <see cref="Pseudonymiser"/> needs the host's key and is registered only by
    /// <see cref="CustomerSegmentationBuilder.UsePseudonymisationKey"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional further configuration; runs before the defaults are added.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCustomerSegmentation(this IServiceCollection services, Action<CustomerSegmentationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        configure?.Invoke(new CustomerSegmentationBuilder(services));
        services.TryAddSingleton<ICustomerStore, InMemoryCustomerStore>();
        services.TryAddSingleton<IActivityStore, InMemoryActivityStore>();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(ProfileSchema.Default);
        services.TryAddSingleton(sp => new CustomerValidator(sp.GetRequiredService<ProfileSchema>()));
        services.TryAddSingleton(new SegmentationEngineOptions());
        services.TryAddSingleton(sp => new SegmentationEngine(
            sp.GetRequiredService<SegmentationEngineOptions>(),
            sp.GetRequiredService<ICustomerStore>(),
            sp.GetRequiredService<IActivityStore>(),
            sp.GetService<IActivitySummarySource>()));
        services.TryAddSingleton<IAuditSink, InMemoryAuditSink>();
        services.TryAddSingleton<ITombstoneStore, InMemoryTombstoneStore>();
        services.TryAddSingleton(PersonalDataMasker.Default);
        services.TryAddSingleton(sp => AccessPolicy.CreateDefault(sp.GetRequiredService<ProfileSchema>()));
        services.TryAddSingleton(DuplicateDetectionOptions.Default);
        services.TryAddSingleton(sp => new DuplicateDetector(sp.GetRequiredService<DuplicateDetectionOptions>()));
        services.TryAddSingleton<ICustomerAliasStore, InMemoryCustomerAliasStore>();
        services.TryAddSingleton(MergePolicy.Default);
        services.TryAddSingleton(sp => new CustomerMerger(
            sp.GetRequiredService<ICustomerStore>(),
            sp.GetRequiredService<ICustomerAliasStore>(),
            sp.GetRequiredService<IClock>(),
            sp.GetRequiredService<MergePolicy>(),
            sp.GetService<CustomerSegmentation.Tags.TagIndex>()));
        services.TryAddSingleton(_ => new ReviewPolicy());
        return services;
    }
}
