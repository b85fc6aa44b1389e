using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;

namespace CustomerSegmentation.Engine;

/// <summary>One customer's results, each with its explanation, as <see cref="SegmentationEngine.EvaluateAsync"/> streams them.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Activity">The activity summary evaluated.</param>
/// <param name="Rfm">The RFM scores and segment.</param>
/// <param name="Model">P(alive), expected purchases and CLV with their explanation, or null without a value model or purchases.</param>
/// <param name="Tier">The tier with its reason, or null without a tier policy.</param>
/// <param name="Lifecycle">The lifecycle evaluation (stage, moves, explanation), or null without a lifecycle model.</param>
/// <param name="Churn">The churn assessment with its factors.</param>
/// <param name="Tags">The auto-tag rules that hold, with the facts they read; empty without tag rules.</param>
/// <param name="Segments">The segment memberships with their reasons; empty without a segment evaluator.</param>
public sealed record CustomerResult(
    CustomerId CustomerId,
    ActivitySummary Activity,
    RfmAssessment Rfm,
    ClvEstimate? Model,
    TierAssignment? Tier,
    LifecycleEvaluation? Lifecycle,
    ChurnAssessmentResult Churn,
    ImmutableArray<TagRuleOutcome> Tags,
    ImmutableArray<SegmentMembership> Segments);

/// <summary>A customer's RFM result.</summary>
/// <param name="RecencyDays">Days since the last purchase, or null without purchases.</param>
/// <param name="Frequency">The purchase count.</param>
/// <param name="Monetary">The net spend.</param>
/// <param name="R">The recency score 1..k, 0 without purchases.</param>
/// <param name="F">The frequency score 1..k, 0 without purchases.</param>
/// <param name="M">The monetary score 1..k, 0 without purchases.</param>
/// <param name="Segment">The segment name ("None" without purchases).</param>
/// <param name="Explanation">Which cut points each value beats.</param>
public sealed record RfmAssessment(int? RecencyDays, int Frequency, decimal Monetary, int R, int F, int M, string Segment, string Explanation);

/// <summary>A segment the customer belongs to.</summary>
/// <param name="Segment">The segment's name.</param>
/// <param name="Reason">Why the customer belongs to it, as the segment evaluator says.</param>
public sealed record SegmentMembership(string Segment, string Reason);
