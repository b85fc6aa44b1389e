using System.Collections.Frozen;
using System.Collections.Immutable;

namespace CustomerSegmentation.Segments;

/// <summary>What a field of the customer facts holds, and so which comparisons a rule may make on it.</summary>
public enum SegmentFieldKind
{
    /// <summary>A number (counts, money, scores, probabilities): every comparison, <c>in</c> and <c>between</c> with numbers.</summary>
    Number = 0,

    /// <summary>Whole days from an instant of the facts to the evaluation instant: a number that moves with the as-of instant.</summary>
    Days = 1,

    /// <summary>A tier of the binding context's ladder, compared by rank with tier names (<c>tier &gt;= "B"</c>).</summary>
    Tier = 2,

    /// <summary>A churn-risk level (<c>"low"</c> &lt; <c>"medium"</c> &lt; <c>"high"</c> &lt; <c>"critical"</c>), compared by rank.</summary>
    ChurnLevel = 3,

    /// <summary>A lifecycle stage id of the binding context's model: <c>=</c>, <c>!=</c>, <c>in</c>, <c>not in</c>.</summary>
    Stage = 4,

    /// <summary>Text (profile fields, RFM segment names): <c>=</c>, <c>!=</c>, <c>in</c>, <c>not in</c>, compared ordinally.</summary>
    Text = 5,

    /// <summary>A yes/no field: <c>= true</c>, <c>= false</c>, <c>!=</c>, or the bare field name meaning <c>= true</c>.</summary>
    Boolean = 6,
}

/// <summary>A field that segment rules can name.</summary>
/// <param name="Name">The name in the expression language, e.g. <c>days_since_last_purchase</c>.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Description">Where the value comes from in <see cref="CustomerFacts"/> and when it is missing.</param>
public sealed record SegmentFieldInfo(string Name, SegmentFieldKind Kind, string Description);

/// <summary>The catalogue of fields that segment rules can name, and the functions of the language.</summary>
/// <remarks>
/// A missing value (a customer without purchases has no <c>days_since_last_purchase</c>) makes every comparison on it
/// false, <c>!=</c> and <c>not in</c> included; <c>is_set(field)</c> tests for a value.
/// </remarks>
public static class SegmentFields
{
    internal const string DaysSinceLastPurchase = "days_since_last_purchase";
    internal const string DaysSinceFirstPurchase = "days_since_first_purchase";
    internal const string DaysSinceLastInteraction = "days_since_last_interaction";
    internal const string DaysSinceCreated = "days_since_created";
    internal const string PurchaseCount = "purchase_count";
    internal const string PurchaseDays = "purchase_days";
    internal const string Complaints = "complaints";
    internal const string Referrals = "referrals";
    internal const string Nps = "nps";
    internal const string NetSpend = "net_spend";
    internal const string GrossSpend = "gross_spend";
    internal const string AverageSpend = "average_spend";
    internal const string Satisfaction = "satisfaction";
    internal const string R = "r";
    internal const string F = "f";
    internal const string M = "m";
    internal const string RfmScore = "rfm_score";
    internal const string RfmSegment = "rfm_segment";
    internal const string Clv = "clv";
    internal const string PAlive = "p_alive";
    internal const string ChurnScore = "churn_score";
    internal const string ChurnLevel = "churn_level";
    internal const string Tier = "tier";
    internal const string Stage = "stage";
    internal const string Kind = "kind";
    internal const string Region = "region";
    internal const string Industry = "industry";
    internal const string CompanySize = "company_size";
    internal const string Channel = "channel";
    internal const string Owner = "owner";
    internal const string MarketingConsent = "marketing_consent";

    /// <summary>The name of the function that tests a tag or any of its descendants: <c>has_tag("Industry/IT")</c>.</summary>
    public const string HasTagFunction = "has_tag";

    /// <summary>The name of the function that tests exactly one tag, not its descendants: <c>has_exact_tag("Industry/IT")</c>.</summary>
    public const string HasExactTagFunction = "has_exact_tag";

    /// <summary>The name of the function that names a custom attribute: <c>attr("plan") = "gold"</c>.</summary>
    public const string AttributeFunction = "attr";

    /// <summary>The name of the function that tests for a value: <c>is_set(clv)</c>, <c>is_set(attr("plan"))</c>.</summary>
    public const string IsSetFunction = "is_set";

    /// <summary>Gets every field, in documentation order.</summary>
    public static ImmutableArray<SegmentFieldInfo> All { get; } =
    [
        new(DaysSinceLastPurchase, SegmentFieldKind.Days, "Calendar days (UTC) from ActivitySummary.LastPurchaseAt to the as-of instant; missing without purchases."),
        new(DaysSinceFirstPurchase, SegmentFieldKind.Days, "Calendar days (UTC) from ActivitySummary.FirstPurchaseAt to the as-of instant; missing without purchases."),
        new(DaysSinceLastInteraction, SegmentFieldKind.Days, "Calendar days (UTC) from ActivitySummary.LastInteractionAt to the as-of instant; missing without interactions."),
        new(DaysSinceCreated, SegmentFieldKind.Days, "Calendar days (UTC) from Customer.CreatedAt to the as-of instant; always set."),
        new(PurchaseCount, SegmentFieldKind.Number, "ActivitySummary.PurchaseCount; missing without an activity summary."),
        new(PurchaseDays, SegmentFieldKind.Number, "ActivitySummary.DistinctPurchaseDays; missing without an activity summary."),
        new(Complaints, SegmentFieldKind.Number, "ActivitySummary.Complaints; missing without an activity summary."),
        new(Referrals, SegmentFieldKind.Number, "ActivitySummary.ReferralsMade; missing without an activity summary."),
        new(Nps, SegmentFieldKind.Number, "ActivitySummary.LastNps (0..10); missing without a survey."),
        new(NetSpend, SegmentFieldKind.Number, "ActivitySummary.NetSpend (gross minus refunds) in the population's currency; missing without an activity summary."),
        new(GrossSpend, SegmentFieldKind.Number, "ActivitySummary.GrossSpend; missing without an activity summary."),
        new(AverageSpend, SegmentFieldKind.Number, "ActivitySummary.AverageSpend; missing without purchases."),
        new(Satisfaction, SegmentFieldKind.Number, "ActivitySummary.MeanSatisfaction; missing without a survey."),
        new(R, SegmentFieldKind.Number, "RFM recency score (1..scale); missing when not scored."),
        new(F, SegmentFieldKind.Number, "RFM frequency score; missing when not scored."),
        new(M, SegmentFieldKind.Number, "RFM monetary score; missing when not scored."),
        new(RfmScore, SegmentFieldKind.Number, "RfmCustomerScore.WeightedScore; missing when not scored."),
        new(RfmSegment, SegmentFieldKind.Text, "RfmCustomerScore.Segment (e.g. \"Champions\"); missing when not scored."),
        new(Clv, SegmentFieldKind.Number, "CustomerFacts.Clv (customer lifetime value); missing when not computed."),
        new(PAlive, SegmentFieldKind.Number, "CustomerFacts.PAlive (BG/NBD probability of being alive, 0..1); missing when not computed."),
        new(ChurnScore, SegmentFieldKind.Number, "ChurnAssessment.Score (0..1); missing when not assessed."),
        new(ChurnLevel, SegmentFieldKind.ChurnLevel, "ChurnAssessment.Level: \"low\" < \"medium\" < \"high\" < \"critical\"; missing when not assessed."),
        new(Tier, SegmentFieldKind.Tier, "CustomerFacts.Tier, compared by rank on the binding context's ladder; missing when not tiered."),
        new(Stage, SegmentFieldKind.Stage, "CustomerFacts.Stage, a stage id of the binding context's lifecycle model; missing when unknown."),
        new(Kind, SegmentFieldKind.Text, "Customer.Kind: \"person\" or \"organisation\"."),
        new(Region, SegmentFieldKind.Text, "Customer.Region; missing when not filled in."),
        new(Industry, SegmentFieldKind.Text, "Customer.Industry; missing when not filled in."),
        new(CompanySize, SegmentFieldKind.Text, "Customer.CompanySize; missing when not filled in."),
        new(Channel, SegmentFieldKind.Text, "Customer.AcquisitionChannel; missing when not filled in."),
        new(Owner, SegmentFieldKind.Text, "Customer.Owner (account owner); missing when not filled in."),
        new(MarketingConsent, SegmentFieldKind.Boolean, "Customer.MarketingConsent."),
    ];

    private static readonly FrozenDictionary<string, SegmentFieldInfo> ByName = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Finds a field by its name in the language.</summary>
    /// <param name="name">The name, case-sensitive (all names are lower case).</param>
    /// <returns>The field, or <see langword="null"/> when there is none.</returns>
    public static SegmentFieldInfo? Find(string? name) => name is not null && ByName.TryGetValue(name, out var f) ? f : null;
}
