using NodaTime;
using CustomerSegmentation.Activity;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Engagement stop: no interaction for <see cref="QuietDays"/> days. The risk is 0 up to <see cref="QuietDays"/> and
/// 1 at <see cref="FullRiskDays"/>, linearly between. A complaint is not engagement: with interaction records in the
/// signals the last non-complaint contact counts; from the summary alone, <see cref="ActivitySummary.LastInteractionAt"/>
/// (any kind) is used, and the reason says so. A customer without any interaction on record is not judged.
/// </summary>
public sealed class EngagementStopRule : IChurnRiskRule
{
    /// <summary>The default name, <c>engagement-stop</c>.</summary>
    public const string DefaultName = "engagement-stop";

    /// <summary>Creates the rule.</summary>
    /// <param name="quietDays">Days without contact where risk starts; default 60.</param>
    /// <param name="fullRiskDays">Days without contact where risk is full; default 180; above <paramref name="quietDays"/>.</param>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException">A parameter is out of range.</exception>
    public EngagementStopRule(int quietDays = 60, int fullRiskDays = 180, string name = DefaultName)
    {
        RequireName(name);
        Require(quietDays >= 0, name, "quietDays must be >= 0.");
        Require(fullRiskDays > quietDays, name, "fullRiskDays must be greater than quietDays.");
        Name = name;
        QuietDays = quietDays;
        FullRiskDays = fullRiskDays;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the days without contact where risk starts.</summary>
    /// <value>Default 60.</value>
    public int QuietDays { get; }

    /// <summary>Gets the days without contact where risk is full.</summary>
    /// <value>Default 180.</value>
    public int FullRiskDays { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        Instant? last;
        string source;
        var records = context.InteractionsAsOf(out var ignored);
        if (records is not null)
        {
            last = records.Where(i => i.Kind != InteractionKind.Complaint).Select(i => (Instant?)i.At).Max();
            source = "last contact other than a complaint";
        }
        else
        {
            last = context.Summary.LastInteractionAt is { } l && l <= context.AsOf ? l : null;
            source = "last contact of any kind (summary)";
        }

        if (last is not { } at)
        {
            return ChurnContribution.NotApplicable(Name, "no interaction on record" + IgnoredNote(ignored));
        }

        var days = context.DaysSince(at);
        return ChurnContribution.Of(Name, Risk(days), Inv($"no interaction for {days} days ({source}; risk from {QuietDays}, full at {FullRiskDays} days){IgnoredNote(ignored)}"));
    }

    internal double Risk(int days) => Ramp(days, QuietDays, FullRiskDays);
}
