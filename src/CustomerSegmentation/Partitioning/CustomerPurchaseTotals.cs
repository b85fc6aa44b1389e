using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Partitioning;

/// <summary>
/// One customer's purchase rows up to an as-of day, reduced to what the <c>rfm</c> and <c>run</c> folds keep: purchases
/// (rows with amount ≥ 0), the first and last purchase day, the net spend of all rows (refunds included) in units of
/// 1/10 000, and how many rows fell on either side of the as-of day. A store computes it in the database so that one row
/// per customer travels instead of every purchase row.
/// </summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Frequency">Purchases (rows with amount ≥ 0) up to the as-of day; 0 for a customer with refunds only.</param>
/// <param name="FirstDay">The first purchase day (days since 1970-01-01), or <see langword="null"/> without purchases.</param>
/// <param name="LastDay">The last purchase day (days since 1970-01-01), or <see langword="null"/> without purchases.</param>
/// <param name="MonetaryUnits">The net spend up to the as-of day in units of 1/10 000.</param>
/// <param name="Rows">The customer's rows (purchases and refunds) up to the as-of day; 0 when all are later.</param>
/// <param name="RowsAfterAsOf">The customer's rows dated after the as-of day (ignored by the folds, but counted).</param>
public sealed record CustomerPurchaseTotals(CustomerId CustomerId, int Frequency, int? FirstDay, int? LastDay, long MonetaryUnits, long Rows, long RowsAfterAsOf);
