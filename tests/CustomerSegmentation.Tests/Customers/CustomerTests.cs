using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tests.Customers;

public class CustomerTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public void Equals_SameContentInDifferentArrays_IsEqual()
    {
        var a = new Customer(new CustomerId("C1"), CustomerKind.Person, "张伟", T0)
        {
            Emails = ["a@example.com"],
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("k", 1m).Add("j", "x"),
        };
        var b = new Customer(new CustomerId("C1"), CustomerKind.Person, "张伟", T0)
        {
            Emails = ImmutableArray.Create("a@example.com"),
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("j", "x").Add("k", 1m),
        };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a == b);
    }

    [Fact]
    public void Equals_DifferentListOrderOrAttribute_IsNotEqual()
    {
        var a = new Customer(new CustomerId("C1"), CustomerKind.Person, "张伟", T0) { Phones = ["+1", "+2"] };
        Assert.NotEqual(a, a with { Phones = ["+2", "+1"] });
        Assert.NotEqual(a, a with { CustomAttributes = a.CustomAttributes.Add("k", true) });
        Assert.NotEqual(a, a with { Version = 1 });
        Assert.Equal(a, a with { Phones = ["+1", "+2"] });
        Assert.Equal(a with { Emails = default }, a);
    }
}
