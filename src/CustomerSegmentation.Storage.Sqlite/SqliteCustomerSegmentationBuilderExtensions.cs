using CustomerSegmentation.Activity;
using CustomerSegmentation.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerSegmentation.Extensions.DependencyInjection;

/// <summary><c>builder.UseSqlite(path)</c> for <c>services.AddCustomerSegmentation(b =&gt; ...)</c>.</summary>
public static class SqliteCustomerSegmentationBuilderExtensions
{
    /// <summary>
    /// Uses a SQLite file for customers, activity and activity summaries: registers one <see cref="SqliteStorage"/>
    /// singleton (schema created or upgraded on first use), and replaces <see cref="Storage.ICustomerStore"/>,
    /// <see cref="Storage.IActivityStore"/> and <see cref="IActivitySummarySource"/> with its stores.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The database file (created when missing).</param>
    /// <param name="options">Names and sizes; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The path is empty, or a name is invalid (thrown here, not on first use).</exception>
    public static CustomerSegmentationBuilder UseSqlite(this CustomerSegmentationBuilder builder, string path, SqliteStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var storage = SqliteStorage.Create(path, options);
        builder.Services.Replace(ServiceDescriptor.Singleton(storage));
        builder.UseCustomerStore(storage.Customers);
        builder.UseActivityStore(storage.Activity);
        builder.Services.Replace(ServiceDescriptor.Singleton<IActivitySummarySource>(storage.CreateSummarySource()));
        return builder;
    }
}
