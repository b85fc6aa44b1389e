using System.Text;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Storage;
using FsCheck.Xunit;

namespace CustomerSegmentation.Tests.Storage;

public sealed class PurchaseColumnsBuilderTests
{
    [Property(MaxTest = 500)]
    public bool IsValidCustomerId_Utf8OfAnyString_AgreesWithCustomerIdIsValid_Holds(string? text)
    {
        if (text is null)
        {
            return !PurchaseColumnsBuilder.IsValidCustomerId(default);
        }

        // Lone surrogates do not survive UTF-8 (they become U+FFFD): compare with the text that the bytes hold.
        var bytes = Encoding.UTF8.GetBytes(text);
        return PurchaseColumnsBuilder.IsValidCustomerId(bytes) == CustomerId.IsValid(Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("C1", true)]
    [InlineData("张伟", true)]
    [InlineData("  x ", true)]
    [InlineData("   ", false)]
    [InlineData("", false)]
    [InlineData("a\tb", false)]
    [InlineData("a\u007Fb", false)]
    [InlineData("a\u0085b", false)]
    [InlineData("\u00A0\u2003", false)]
    public void IsValidCustomerId_Examples_FollowCustomerIdRules(string text, bool valid)
    {
        Assert.Equal(valid, PurchaseColumnsBuilder.IsValidCustomerId(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(valid, CustomerId.IsValid(text));
    }

    [Fact]
    public void IsValidCustomerId_LengthCountsUtf16Units_AndInvalidUtf8IsRejected()
    {
        Assert.True(PurchaseColumnsBuilder.IsValidCustomerId(Encoding.UTF8.GetBytes(new string('a', CustomerId.MaxLength))));
        Assert.False(PurchaseColumnsBuilder.IsValidCustomerId(Encoding.UTF8.GetBytes(new string('a', CustomerId.MaxLength + 1))));
        Assert.True(PurchaseColumnsBuilder.IsValidCustomerId(Encoding.UTF8.GetBytes(new string('张', CustomerId.MaxLength)))); // 768 bytes, 256 units
        Assert.False(PurchaseColumnsBuilder.IsValidCustomerId(Encoding.UTF8.GetBytes(new string('张', CustomerId.MaxLength + 1))));
        Assert.False(PurchaseColumnsBuilder.IsValidCustomerId([0x41, 0xFF, 0x42]));
        Assert.False(PurchaseColumnsBuilder.IsValidCustomerId([0xC3]));
    }

    [Fact]
    public void Add_ManyRows_KeepsEveryColumnInOrderAndClearReuses()
    {
        var b = new PurchaseColumnsBuilder(0);
        for (var i = 0; i < 5_000; i++)
        {
            b.Add(Encoding.UTF8.GetBytes("客户" + i), i - 2_500, (i * 37L) - 99);
        }

        Assert.Equal(5_000, b.Count);
        for (var i = 0; i < 5_000; i += 499)
        {
            Assert.Equal("客户" + i, Encoding.UTF8.GetString(b.GetCustomerId(i)));
            Assert.Equal(i - 2_500, b.EpochDays[i]);
            Assert.Equal((i * 37L) - 99, b.AmountUnits[i]);
        }

        b.Clear();
        Assert.Equal(0, b.Count);
        b.Add("z"u8, 1, 2);
        Assert.Equal("z", Encoding.UTF8.GetString(b.GetCustomerId(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.GetCustomerId(1).Length);
    }

    [Fact]
    public void Add_InvalidId_ThrowsAndAddsNothing()
    {
        var b = new PurchaseColumnsBuilder();
        Assert.Throws<ArgumentException>(() => b.Add(" "u8, 0, 1));
        Assert.Throws<ArgumentException>(() => b.Add([0xFF], 0, 1));
        Assert.Equal(0, b.Count);
    }
}
