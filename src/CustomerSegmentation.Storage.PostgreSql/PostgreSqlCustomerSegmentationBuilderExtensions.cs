using CustomerSegmentation.Activity;
using CustomerSegmentation.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerSegmentation.Extensions.DependencyInjection;

/// <summary><c>builder.UsePostgreSql(connectionString)</c> for <c>services.AddCustomerSegmentation(b =&gt; ...)</c>.</summary>
public static class PostgreSqlCustomerSegmentationBuilderExtensions
{
    /// <summary>
    /// Uses PostgreSQL for customers, activity and activity summaries: registers one <see cref="PostgreSqlStorage"/>
    /// singleton (schema created or upgraded on first use), and replaces <see cref="Storage.ICustomerStore"/>,
    /// <see cref="Storage.IActivityStore"/> and <see cref="IActivitySummarySource"/> with its stores.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string; it is never logged or put in an exception.</param>
    /// <param name="options">Names and sizes; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or a name is invalid (thrown here, not on first use).</exception>
    public static CustomerSegmentationBuilder UsePostgreSql(this CustomerSegmentationBuilder builder, string connectionString, PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var storage = PostgreSqlStorage.Create(connectionString, options);
        builder.Services.Replace(ServiceDescriptor.Singleton(storage));
        builder.UseCustomerStore(storage.Customers);
        builder.UseActivityStore(storage.Activity);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActivitySummarySource>(storage.CreateSummarySource()));
        return builder;
    }
}
