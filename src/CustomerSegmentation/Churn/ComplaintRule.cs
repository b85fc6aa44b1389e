using CustomerSegmentation.Activity;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Complaints in a window: the number of complaints in the last <see cref="WindowDays"/> days divided by
/// <see cref="FullRiskCount"/>, at most 1. The window needs interaction records in the signals; from the summary alone
/// the lifetime <see cref="ActivitySummary.Complaints"/> is used and the reason says so. Always applies (no complaint = 0).
/// </summary>
public sealed class ComplaintRule : IChurnRiskRule
{
    /// <summary>The default name, <c>complaints</c>.</summary>
    public const string DefaultName = "complaints";

    /// <summary>Creates the rule.</summary>
    /// <param name="windowDays">The window in days, ending at the as-of instant; default 90.</param>
    /// <param name="fullRiskCount">Complaints that give full risk; default 2.</param>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException">A parameter is out of range.</exception>
    public ComplaintRule(int windowDays = 90, int fullRiskCount = 2, string name = DefaultName)
    {
        RequireName(name);
        Require(windowDays >= 1, name, "windowDays must be >= 1.");
        Require(fullRiskCount >= 1, name, "fullRiskCount must be >= 1.");
        Name = name;
        WindowDays = windowDays;
        FullRiskCount = fullRiskCount;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the window in days.</summary>
    /// <value>Default 90.</value>
    public int WindowDays { get; }

    /// <summary>Gets the number of complaints that gives full risk.</summary>
    /// <value>Default 2.</value>
    public int FullRiskCount { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        var records = context.InteractionsAsOf(out var ignored);
        int count;
        string where;
        if (records is not null)
        {
            var ctx = context;
            count = records.Count(i => i.Kind == InteractionKind.Complaint && ctx.DaysSince(i.At) < WindowDays);
            where = Inv($"in the last {WindowDays} days");
        }
        else
        {
            count = context.Summary.Complaints;
            where = "in total (the summary has no per-window complaints)";
        }

        return ChurnContribution.Of(Name, Risk(count), Inv($"{(count == 0 ? "no complaints" : Plural(count, "complaint", "complaints"))} {where}; full risk at {FullRiskCount}{IgnoredNote(ignored)}"));
    }

    internal double Risk(int complaints) => Math.Min(1.0, (double)complaints / FullRiskCount);
}
