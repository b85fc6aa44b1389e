using CustomerSegmentation.Testing;

namespace CustomerSegmentation.Storage.PostgreSql.Tests;

public sealed class PostgreSqlCustomerStoreContractTests : CustomerStoreContractTests
{
    protected override ValueTask<ICustomerStore> CreateStoreAsync() => ValueTask.FromResult<ICustomerStore>(PostgresStorages.Fresh().Customers);
}

public sealed class PostgreSqlActivityStoreContractTests : ActivityStoreContractTests
{
    protected override ValueTask<IActivityStore> CreateStoreAsync() => ValueTask.FromResult<IActivityStore>(PostgresStorages.Fresh().Activity);
}

/// <summary>The contract again with every name configured, so that no statement hard-codes a table.</summary>
public sealed class PostgreSqlRenamedTablesContractTests : ActivityStoreContractTests
{
    protected override ValueTask<IActivityStore> CreateStoreAsync() => ValueTask.FromResult<IActivityStore>(
        PostgresStorages.Fresh(new PostgreSqlStoreOptions { CustomersTable = "Kunden", ActivityTable = "Aktivitaet_2026", SchemaVersionTable = "ver", PageSize = 3 }).Activity);
}
