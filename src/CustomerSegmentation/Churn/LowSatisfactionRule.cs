using CustomerSegmentation.Activity;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Low satisfaction in a window: mean CSAT (1..5) below <see cref="CsatThreshold"/> or an NPS detractor (0..
/// <see cref="DetractorMax"/>). CSAT risk is <c>(threshold − mean) ÷ (threshold − 1)</c>; NPS risk is 0.5 for the
/// highest detractor answer rising to 1 for 0; the rule's risk is the larger. With interaction records the window is the
/// last <see cref="WindowDays"/> days (mean of the scores, last NPS answer); from the summary alone its lifetime
/// <see cref="ActivitySummary.MeanSatisfaction"/> and <see cref="ActivitySummary.LastNps"/> are used and the reason says so.
/// Does not apply without any score.
/// </summary>
public sealed class LowSatisfactionRule : IChurnRiskRule
{
    /// <summary>The default name, <c>low-satisfaction</c>.</summary>
    public const string DefaultName = "low-satisfaction";

    /// <summary>Creates the rule.</summary>
    /// <param name="windowDays">The window in days; default 180.</param>
    /// <param name="csatThreshold">Mean CSAT below which risk starts; default 3; in (1, 5].</param>
    /// <param name="detractorMax">Highest NPS answer that is a detractor; default 6; in 0..9.</param>
    /// <param name="name">The rule name.</param>
    /// <exception cref="ChurnConfigurationException">A parameter is out of range.</exception>
    public LowSatisfactionRule(int windowDays = 180, double csatThreshold = 3, int detractorMax = 6, string name = DefaultName)
    {
        RequireName(name);
        Require(windowDays >= 1, name, "windowDays must be >= 1.");
        Require(csatThreshold > 1 && csatThreshold <= 5, name, "csatThreshold must be in (1, 5].");
        Require(detractorMax is >= 0 and <= 9, name, "detractorMax must be in 0..9.");
        Name = name;
        WindowDays = windowDays;
        CsatThreshold = csatThreshold;
        DetractorMax = detractorMax;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets the window in days.</summary>
    /// <value>Default 180.</value>
    public int WindowDays { get; }

    /// <summary>Gets the mean CSAT below which risk starts.</summary>
    /// <value>Default 3.</value>
    public double CsatThreshold { get; }

    /// <summary>Gets the highest NPS answer that counts as a detractor.</summary>
    /// <value>Default 6.</value>
    public int DetractorMax { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        double? csat;
        int? nps;
        string where;
        var records = context.InteractionsAsOf(out var ignored);
        if (records is not null)
        {
            var ctx = context;
            var inWindow = records.Where(i => ctx.DaysSince(i.At) < WindowDays).ToList();
            var scores = inWindow.Where(i => i.Satisfaction is not null).Select(i => (double)i.Satisfaction!.Value).ToList();
            csat = scores.Count == 0 ? null : scores.Average();
            nps = inWindow.Where(i => i.Nps is not null).OrderBy(i => i.At).ThenBy(i => i.Nps).Select(i => i.Nps).LastOrDefault();
            where = Inv($"in the last {WindowDays} days");
        }
        else
        {
            csat = context.Summary.MeanSatisfaction;
            nps = context.Summary.LastNps;
            where = "over the customer's history (the summary has no per-window scores)";
        }

        if (csat is null && nps is null)
        {
            return ChurnContribution.NotApplicable(Name, Inv($"no satisfaction or NPS answer {where}{IgnoredNote(ignored)}"));
        }

        var parts = new List<string>();
        if (csat is { } c)
        {
            parts.Add(Inv($"mean CSAT {F(c, "0.0#")} (risk below {F(CsatThreshold, "0.0#")})"));
        }

        if (nps is { } n)
        {
            parts.Add(n <= DetractorMax ? Inv($"last NPS {n}: a detractor (0..{DetractorMax})") : Inv($"last NPS {n}: not a detractor"));
        }

        return ChurnContribution.Of(Name, Risk(csat, nps), Inv($"{string.Join("; ", parts)} {where}{IgnoredNote(ignored)}"));
    }

    internal double Risk(double? csat, int? nps)
    {
        var csatRisk = csat is { } c ? Math.Clamp((CsatThreshold - c) / (CsatThreshold - 1), 0, 1) : 0;
        var npsRisk = nps is { } n && n <= DetractorMax ? 0.5 + (0.5 * (DetractorMax - n) / Math.Max(1, DetractorMax)) : 0;
        return Math.Max(csatRisk, npsRisk);
    }
}
