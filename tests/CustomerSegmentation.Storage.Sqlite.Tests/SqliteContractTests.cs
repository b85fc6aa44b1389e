using CustomerSegmentation.Testing;

namespace CustomerSegmentation.Storage.Sqlite.Tests;

public sealed class SqliteCustomerStoreContractTests : CustomerStoreContractTests
{
    protected override ValueTask<ICustomerStore> CreateStoreAsync() => ValueTask.FromResult<ICustomerStore>(SqliteTestFiles.Fresh().Customers);
}

public sealed class SqliteActivityStoreContractTests : ActivityStoreContractTests
{
    protected override ValueTask<IActivityStore> CreateStoreAsync() => ValueTask.FromResult<IActivityStore>(SqliteTestFiles.Fresh().Activity);
}

/// <summary>The contract again with every name configured and 3-row pages.</summary>
public sealed class SqliteRenamedTablesContractTests : ActivityStoreContractTests
{
    protected override ValueTask<IActivityStore> CreateStoreAsync() => ValueTask.FromResult<IActivityStore>(
        SqliteTestFiles.Fresh(new SqliteStoreOptions { CustomersTable = "Kunden", ActivityTable = "Aktivitaet_2026", SchemaVersionTable = "ver", PageSize = 3 }).Activity);
}
