using CustomerSegmentation.Customers;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Customers;

public class CustomerIdTests
{
    [Theory]
    [InlineData("C00000001")]
    [InlineData("客户-0001")]
    [InlineData("émile 😀")]
    public void Constructor_ValidText_KeepsValue(string text)
    {
        var id = new CustomerId(text);
        Assert.Equal(text, id.Value);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0000b")]
    [InlineData("line\nbreak")]
    public void Constructor_BadText_ThrowsArgumentException(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CustomerId(text));
        Assert.Equal("value", ex.ParamName);
    }

    [Fact]
    public void Constructor_TooLong_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new CustomerId(new string('x', CustomerId.MaxLength + 1)));
    }

    [Property]
    public bool IsValid_AnyString_NeverThrowsAndAgreesWithConstructor(string? text)
    {
        var valid = CustomerId.IsValid(text);
        if (text is null)
        {
            return !valid;
        }

        try
        {
            _ = new CustomerId(text);
            return valid;
        }
        catch (ArgumentException)
        {
            return !valid;
        }
    }

    [Fact]
    public void CompareTo_IsOrdinal()
    {
        Assert.True(new CustomerId("B") < new CustomerId("a"));
        Assert.Equal(new CustomerId("x"), new CustomerId("x"));
        Assert.NotEqual(new CustomerId("x"), new CustomerId("X"));
    }
}
