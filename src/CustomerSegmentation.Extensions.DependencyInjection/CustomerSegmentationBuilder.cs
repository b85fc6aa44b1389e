using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace CustomerSegmentation.Extensions.DependencyInjection;

/// <summary>
/// Configures CustomerSegmentation inside <c>services.AddCustomerSegmentation(b =&gt; ...)</c>. Capabilities add their own
/// <c>b.AddXxx()</c> extension methods on this type through <see cref="Services"/>.
/// </summary>
/// <remarks>
/// The <c>Use*</c> methods replace the registration they name, so they win over the defaults and over a host's earlier
/// registration of the same service. Registrations made by the host after <c>AddCustomerSegmentation</c> win as usual.
/// </remarks>
public sealed class CustomerSegmentationBuilder
{
    /// <summary>Creates a builder over a service collection.</summary>
    /// <param name="services">The service collection.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>Gets the service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses a customer store type instead of the in-memory default (a singleton).</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <returns>This builder.</returns>
    public CustomerSegmentationBuilder UseCustomerStore<TStore>()
        where TStore : class, ICustomerStore
    {
        Services.Replace(ServiceDescriptor.Singleton<ICustomerStore, TStore>());
        return this;
    }

    /// <summary>Uses a customer store instance instead of the in-memory default.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseCustomerStore(ICustomerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }

    /// <summary>Uses an activity store type instead of the in-memory default (a singleton).</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <returns>This builder.</returns>
    public CustomerSegmentationBuilder UseActivityStore<TStore>()
        where TStore : class, IActivityStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IActivityStore, TStore>());
        return this;
    }

    /// <summary>Uses an activity store instance instead of the in-memory default.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseActivityStore(IActivityStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }

    /// <summary>Uses a clock instead of <see cref="SystemClock.Instance"/> (e.g. a <c>FakeClock</c> in tests).</summary>
    /// <param name="clock">The clock.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseClock(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Services.Replace(ServiceDescriptor.Singleton(clock));
        return this;
    }

    /// <summary>Uses a profile schema instead of <see cref="ProfileSchema.Default"/>.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseProfileSchema(ProfileSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Services.Replace(ServiceDescriptor.Singleton(schema));
        return this;
    }

    /// <summary>Builds and uses a profile schema, starting from <see cref="ProfileSchema.Default"/>.</summary>
    /// <param name="configure">Changes the schema builder.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileSchemaException">The configured schema is not valid (thrown here, not on first use).</exception>
    public CustomerSegmentationBuilder UseProfileSchema(Action<ProfileSchemaBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ProfileSchemaBuilder();
        configure(builder);
        return UseProfileSchema(builder.Build());
    }

    /// <summary>
    /// Sets what the <see cref="SegmentationEngine"/> evaluates (RFM, value models, tier policy, lifecycle model, churn
    /// rules, auto-tags, segments). Without it the engine runs RFM and the default columnar churn rules.
    /// </summary>
    /// <param name="options">The options; validated when the engine is first resolved.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public CustomerSegmentationBuilder UseSegmentationEngine(SegmentationEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Services.Replace(ServiceDescriptor.Singleton(options));
        return this;
    }

    /// <summary>Uses an audit sink instead of the in-memory default.</summary>
    /// <param name="sink">The sink.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseAuditSink(IAuditSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Services.Replace(ServiceDescriptor.Singleton(sink));
        return this;
    }

    /// <summary>Uses an access policy instead of <see cref="AccessPolicy.CreateDefault"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseAccessPolicy(AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.Replace(ServiceDescriptor.Singleton(policy));
        return this;
    }

    /// <summary>Registers a <see cref="Pseudonymiser"/> with the host's key (from a secret store, at least 32 bytes).</summary>
    /// <param name="key">The key; copied.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is shorter than <see cref="Pseudonymiser.MinKeyLength"/> bytes.</exception>
    public CustomerSegmentationBuilder UsePseudonymisationKey(ReadOnlySpan<byte> key)
    {
        Services.Replace(ServiceDescriptor.Singleton(new Pseudonymiser(key)));
        return this;
    }

    /// <summary>Uses duplicate-detection options instead of <see cref="DuplicateDetectionOptions.Default"/> for the registered <see cref="DuplicateDetector"/>.</summary>
    /// <param name="options">The options; checked here.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="DataQualityConfigurationException">The options are invalid (thrown here, not on first use).</exception>
    public CustomerSegmentationBuilder UseDuplicateDetection(DuplicateDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Services.Replace(ServiceDescriptor.Singleton(options));
        return this;
    }

    /// <summary>Uses an alias store type instead of the in-memory default (a singleton).</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <returns>This builder.</returns>
    public CustomerSegmentationBuilder UseAliasStore<TStore>()
        where TStore : class, ICustomerAliasStore
    {
        Services.Replace(ServiceDescriptor.Singleton<ICustomerAliasStore, TStore>());
        return this;
    }

    /// <summary>Uses an alias store instance instead of the in-memory default.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseAliasStore(ICustomerAliasStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }

    /// <summary>Uses a merge policy instead of <see cref="MergePolicy.Default"/> for the registered <see cref="CustomerMerger"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseMergePolicy(MergePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.Replace(ServiceDescriptor.Singleton(policy));
        return this;
    }

    /// <summary>Uses a review policy instead of <c>new ReviewPolicy()</c> (quarterly reviews).</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    public CustomerSegmentationBuilder UseReviewPolicy(ReviewPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Services.Replace(ServiceDescriptor.Singleton(policy));
        return this;
    }
}
