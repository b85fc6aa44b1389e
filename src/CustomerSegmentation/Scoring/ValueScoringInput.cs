using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Scoring;

/// <summary>One customer as an <see cref="IValueScorer"/> sees it: the activity summary and, when known, the profile.</summary>
/// <param name="Summary">The activity summary.</param>
/// <param name="Profile">The profile (for rules on industry, region, custom attributes, …), or <see langword="null"/>.</param>
public sealed record ValueScoringInput(ActivitySummary Summary, Customer? Profile = null);
