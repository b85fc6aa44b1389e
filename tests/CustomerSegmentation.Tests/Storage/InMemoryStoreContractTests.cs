using CustomerSegmentation.Storage;
using CustomerSegmentation.Testing;

namespace CustomerSegmentation.Tests.Storage;

public sealed class InMemoryCustomerStoreContractTests : CustomerStoreContractTests
{
    protected override ValueTask<ICustomerStore> CreateStoreAsync() => ValueTask.FromResult<ICustomerStore>(new InMemoryCustomerStore());
}

public sealed class InMemoryActivityStoreContractTests : ActivityStoreContractTests
{
    protected override ValueTask<IActivityStore> CreateStoreAsync() => ValueTask.FromResult<IActivityStore>(new InMemoryActivityStore());
}
