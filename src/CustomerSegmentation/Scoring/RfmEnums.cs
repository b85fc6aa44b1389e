namespace CustomerSegmentation.Scoring;

/// <summary>What RFM frequency counts.</summary>
public enum RfmFrequencyMeasure
{
    /// <summary>The number of purchases (refunds excluded). The default.</summary>
    PurchaseCount = 0,

    /// <summary>The number of distinct calendar days with a purchase (several orders on one day count once).</summary>
    DistinctPurchaseDays = 1,
}

/// <summary>What RFM monetary measures.</summary>
public enum RfmMonetaryMeasure
{
    /// <summary>Net spend: purchases minus refunds. The default.</summary>
    NetSpend = 0,

    /// <summary>Average net spend per purchase.</summary>
    AverageSpend = 1,
}

/// <summary>One of the three RFM metrics.</summary>
public enum RfmMetric
{
    /// <summary>Days since the last purchase; fewer is better.</summary>
    Recency = 0,

    /// <summary>How often the customer bought; more is better.</summary>
    Frequency = 1,

    /// <summary>How much the customer spent; more is better.</summary>
    Monetary = 2,
}

/// <summary>How a metric's cut points were found.</summary>
public enum RfmBinning
{
    /// <summary>Tie-consistent quantiles of the scored population: a value scores 1 + the number of cut points it is strictly better than.</summary>
    Quantile = 0,

    /// <summary>Fixed thresholds supplied by the host: a value scores 1 + the number of thresholds it meets (recency: days ≤ threshold; frequency and monetary: value ≥ threshold).</summary>
    Fixed = 1,
}

/// <summary>Whether a customer received an RFM score.</summary>
public enum RfmStatus
{
    /// <summary>The customer has purchases and was scored.</summary>
    Scored = 0,

    /// <summary>The customer has no purchases as of the as-of instant: recency is undefined, so there is no RFM score.</summary>
    NoPurchases = 1,
}
