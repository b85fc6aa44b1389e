using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace CustomerSegmentation.Storage.PostgreSql.Tests;

public sealed class PostgreSqlStorageTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 0, 0);

    private static Customer NewCustomer(string id) => new(new CustomerId(id), CustomerKind.Person, "张伟", T0);

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = PostgresServer.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task MigrateAsync_OlderSchemaWithData_UpgradesAndKeepsData()
    {
        var schema = PostgresServer.FreshSchemaName();
        var old = PostgreSqlStorage.Create(PostgresServer.DataSource, new PostgreSqlStoreOptions { Schema = schema, CreateOrUpgradeSchema = false });
        Assert.Equal(0, await old.MigrateToAsync(1, default));
        Assert.Equal(1, await old.GetSchemaVersionAsync());
        await using (var insert = PostgresServer.DataSource.CreateCommand($"INSERT INTO \"{schema}\".activity (customer_id, kind, at_ns, amount, currency, quantity) VALUES ('alice', 0, 0, 12.50, 'CNY', 1)"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<SchemaVersionException>(async () => await old.Customers.GetAsync(new CustomerId("x")));
        Assert.Contains("version 1", ex.Message, StringComparison.Ordinal);

        var upgraded = PostgreSqlStorage.Create(PostgresServer.DataSource, new PostgreSqlStoreOptions { Schema = schema });
        var records = new List<ActivityRecord>();
        await foreach (var r in upgraded.Activity.StreamForCustomerAsync(new CustomerId("alice")))
        {
            records.Add(r);
        }

        Assert.Equal(3, await upgraded.GetSchemaVersionAsync());
        Assert.Equal(12.50m, Assert.IsType<Purchase>(Assert.Single(records)).Amount.Amount);
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'activity_at'"));
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'activity_customer_cover' AND indexdef LIKE '%INCLUDE (kind, amount, currency, interaction_kind, satisfaction, nps)%'"));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'activity_customer_at'"));
        Assert.Equal(3, await upgraded.MigrateAsync()); // idempotent: nothing left to apply
    }

    [Fact]
    public async Task Open_NewerSchema_FailsWithClearErrorAndChangesNothing()
    {
        var storage = PostgresStorages.Fresh();
        await storage.MigrateAsync();
        await using (var bump = PostgresServer.DataSource.CreateCommand($"UPDATE \"{storage.Options.Schema}\".schema_version SET version = 99"))
        {
            await bump.ExecuteNonQueryAsync();
        }

        var again = PostgreSqlStorage.Create(PostgresServer.DataSource, storage.Options);
        var ex = await Assert.ThrowsAsync<SchemaVersionException>(async () => await again.Activity.AppendAsync([new Purchase(new CustomerId("a"), T0, Money.Of(1, "CNY"))]));

        Assert.Equal(99, ex.FoundVersion);
        Assert.Equal(PostgreSqlStorage.SchemaVersion, ex.SupportedVersion);
        Assert.Contains("newer than the version 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(99, await again.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task AppendAsync_ConnectionDroppedMidBatch_LeavesNothingWritten()
    {
        var app = "custseg-drop-" + Guid.NewGuid().ToString("N")[..8];
        await using var source = NpgsqlDataSource.Create(PostgresServer.ConnectionString + ";Application Name=" + app + ";Pooling=false");
        var storage = PostgreSqlStorage.Create(source, new PostgreSqlStoreOptions { Schema = PostgresServer.FreshSchemaName() });
        await storage.MigrateAsync();
        var batch = Enumerable.Range(0, 400_000)
            .Select(i => (ActivityRecord)new Purchase(new CustomerId("c" + (i % 5000)), T0 + Duration.FromSeconds(i), Money.Of(i % 1000 / 10m, "CNY")))
            .ToArray();

        var append = storage.Activity.AppendAsync(batch).AsTask();
        var killed = 0L;
        for (var i = 0; i < 400 && killed == 0 && !append.IsCompleted; i++)
        {
            await Task.Delay(10);
            killed = await ScalarAsync($"SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{app}' AND query LIKE 'COPY%') t");
        }

        Assert.True(killed > 0, "the COPY finished before the connection could be dropped; the test proves nothing");
        await Assert.ThrowsAnyAsync<Exception>(() => append);
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM \"{storage.Options.Schema}\".activity"));
    }

    [Fact]
    public async Task UpsertAsync_UniqueKeyClashWithRowWrittenElsewhere_IsAConflictNotAServerError()
    {
        var storage = PostgresStorages.Fresh();
        await storage.MigrateAsync();
        await using (var insert = PostgresServer.DataSource.CreateCommand(
            $"INSERT INTO \"{storage.Options.Schema}\".customers (customer_id, version, kind, display_name, emails, phones, marketing_consent, custom_attributes, created_at_ns, updated_at_ns) VALUES ('C1', 4, 0, 'other app', '[]', '[]', false, '{{}}', 0, 0)"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await storage.Customers.UpsertAsync(NewCustomer("C1"), 0));

        Assert.Equal(4, ex.ActualVersion);
        Assert.Equal("other app", (await storage.Customers.GetAsync(new CustomerId("C1")))!.DisplayName);
    }

    [Fact]
    public async Task Errors_UnreachableServer_NeverContainTheConnectionString()
    {
        const string Secret = "S3cr3t-p4ss-9137";
        var storage = PostgreSqlStorage.Create($"Host=127.0.0.1;Port=1;Username=custseg;Password={Secret};Timeout=2");
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await storage.Customers.GetAsync(new CustomerId("x")));

        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        var malformed = Assert.Throws<ArgumentException>(() => PostgreSqlStorage.Create($"Host=x;Password={Secret};Bogus Keyword=1"));
        Assert.DoesNotContain(Secret, malformed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x\"; DROP TABLE customers; --")]
    [InlineData("1abc")]
    [InlineData("")]
    public void Create_InvalidTableName_ThrowsNamingTheOption(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => PostgreSqlStorage.Create(PostgresServer.DataSource, new PostgreSqlStoreOptions { ActivityTable = name }));
        Assert.Contains("ActivityTable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePostgreSql_RegistersStoresAndSummarySource()
    {
        var schema = PostgresServer.FreshSchemaName();
        await using var services = new ServiceCollection()
            .AddCustomerSegmentation(b => b.UsePostgreSql(PostgresServer.ConnectionString, new PostgreSqlStoreOptions { Schema = schema }))
            .BuildServiceProvider();

        var store = services.GetRequiredService<ICustomerStore>();
        await store.UpsertAsync(NewCustomer("di"), 0);

        Assert.IsType<PostgreSqlCustomerStore>(store);
        Assert.IsType<PostgreSqlActivityStore>(services.GetRequiredService<IActivityStore>());
        Assert.IsType<PostgreSqlActivitySummarySource>(services.GetRequiredService<IActivitySummarySource>());
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM \"{schema}\".customers"));
    }
}
