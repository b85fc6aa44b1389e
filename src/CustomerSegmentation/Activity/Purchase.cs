using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>
/// A purchase, or a refund when <see cref="Amount"/> is negative. A refund refers to the order it returns
/// through <see cref="OrderId"/>; summaries net refunds against their orders.
/// </summary>
public sealed record Purchase : ActivityRecord
{
    /// <summary>Creates a purchase or refund.</summary>
    /// <param name="customerId">The buying customer.</param>
    /// <param name="at">When it was paid (or refunded).</param>
    /// <param name="amount">The amount; negative for a refund.</param>
    /// <param name="orderId">The order id, optional; a refund should name the order it returns.</param>
    /// <param name="quantity">Items bought, at least 1 for a purchase; default 1.</param>
    /// <exception cref="ArgumentException">The customer id or currency is the default value, or the order id is white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quantity"/> is negative.</exception>
    public Purchase(CustomerId customerId, Instant at, Money amount, string? orderId = null, int quantity = 1)
        : base(customerId, at)
    {
        if (amount.Currency == default)
        {
            throw new ArgumentException("The amount needs a currency.", nameof(amount));
        }

        if (orderId is not null && string.IsNullOrWhiteSpace(orderId))
        {
            throw new ArgumentException("An order id, when given, must not be empty or white space.", nameof(orderId));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        Amount = amount;
        OrderId = orderId;
        Quantity = quantity;
    }

    /// <summary>Gets the amount paid; negative for a refund.</summary>
    public Money Amount { get; }

    /// <summary>Gets the order id, if any.</summary>
    public string? OrderId { get; }

    /// <summary>Gets the number of items.</summary>
    public int Quantity { get; }

    /// <summary>Gets a value indicating whether this is a refund (negative amount).</summary>
    public bool IsRefund => Amount.Amount < 0m;
}
