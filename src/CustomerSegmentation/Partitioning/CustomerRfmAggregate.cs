using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Partitioning;

/// <summary>
/// One customer's RFM inputs as the <c>rfm</c> command aggregates them: purchases (rows with amount ≥ 0) up to the as-of
/// day, the last such day, and the net spend of all rows (refunds included) in units of 1/10 000.
/// </summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Frequency">Purchases (rows with amount ≥ 0); 0 for a customer with refunds only, who is not scored.</param>
/// <param name="LastDay">The last purchase day (days since 1970-01-01), or <see langword="null"/> without purchases.</param>
/// <param name="MonetaryUnits">The net spend in units of 1/10 000.</param>
public sealed record CustomerRfmAggregate(CustomerId CustomerId, int Frequency, int? LastDay, long MonetaryUnits);

/// <summary>One customer's BG/NBD history (see <see cref="BtydHistory"/>).</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="History">The history in whole days.</param>
public sealed record CustomerBtydHistory(CustomerId CustomerId, BtydHistory History);
