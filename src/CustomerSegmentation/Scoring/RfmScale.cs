namespace CustomerSegmentation.Scoring;

/// <summary>The scale of one RFM run: the cut points in force for R, F and M and the options they were applied with.</summary>
/// <param name="Recency">Recency cut points (days since the last purchase).</param>
/// <param name="Frequency">Frequency cut points.</param>
/// <param name="Monetary">Monetary cut points.</param>
/// <param name="Options">The options in force.</param>
public sealed record RfmScale(RfmCutPoints Recency, RfmCutPoints Frequency, RfmCutPoints Monetary, RfmOptions Options);
