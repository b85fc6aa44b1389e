using CustomerSegmentation.Activity;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>What a <see cref="WindowDropRule"/> compares between windows.</summary>
public enum WindowMeasure
{
    /// <summary>Purchases per day (<see cref="WindowTotals.PurchaseCount"/>).</summary>
    Frequency = 0,

    /// <summary>Net spend per day (<see cref="WindowTotals.NetSpend"/>).</summary>
    Spend = 1,
}

/// <summary>
/// Frequency drop or spend drop: the rate per day in the recent window of <see cref="ActivitySummary.Windows"/> against
/// the rate over the baseline windows. The drop is <c>1 − recent ÷ baseline</c>; the risk is 0 up to
/// <see cref="MinDrop"/> and 1 at <see cref="FullDrop"/>, linearly between. It does not apply without the windows or
/// with fewer than <see cref="MinBaselinePurchases"/> purchases in the baseline (a single purchase has no rate to drop
/// from; the inactivity rule judges it), or without positive spend there.
/// </summary>
/// <remarks>By default the recent window is the first window of the summary and the baseline is every other window.</remarks>
public sealed class WindowDropRule : IChurnRiskRule
{
    /// <summary>The default name of the frequency rule, <c>frequency-drop</c>.</summary>
    public const string FrequencyName = "frequency-drop";

    /// <summary>The default name of the spend rule, <c>spend-drop</c>.</summary>
    public const string SpendName = "spend-drop";

    /// <summary>Creates the rule.</summary>
    /// <param name="measure">Frequency or spend.</param>
    /// <param name="minDrop">Drop where risk starts; default 0.25 (a quarter less).</param>
    /// <param name="fullDrop">Drop where risk is full; default 1 (stopped); above <paramref name="minDrop"/>, at most 1.</param>
    /// <param name="recentWindow">Name of the recent window; the summary's first window when <see langword="null"/>.</param>
    /// <param name="baselineWindows">Names of the baseline windows; every other window when <see langword="null"/> or empty.</param>
    /// <param name="minBaselinePurchases">Fewest baseline purchases for the rule to apply; default 2.</param>
    /// <param name="name">The rule name; <see cref="FrequencyName"/> or <see cref="SpendName"/> when <see langword="null"/>.</param>
    /// <exception cref="ChurnConfigurationException">A parameter is out of range.</exception>
    public WindowDropRule(WindowMeasure measure, double minDrop = 0.25, double fullDrop = 1, string? recentWindow = null, IReadOnlyList<string>? baselineWindows = null, int minBaselinePurchases = 2, string? name = null)
    {
        name ??= measure == WindowMeasure.Spend ? SpendName : FrequencyName;
        RequireName(name);
        Require(Enum.IsDefined(measure), name, "unknown measure.");
        Require(minDrop >= 0 && minDrop < 1, name, "minDrop must be in [0, 1).");
        Require(fullDrop > minDrop && fullDrop <= 1, name, "fullDrop must be greater than minDrop and at most 1.");
        Require(recentWindow is null || !string.IsNullOrWhiteSpace(recentWindow), name, "recentWindow must not be empty.");
        Require(baselineWindows is null || baselineWindows.All(w => !string.IsNullOrWhiteSpace(w) && w != recentWindow), name, "baseline windows must be non-empty names other than the recent window.");
        Require(minBaselinePurchases >= 1, name, "minBaselinePurchases must be >= 1.");
        Name = name;
        MinBaselinePurchases = minBaselinePurchases;
        Measure = measure;
        MinDrop = minDrop;
        FullDrop = fullDrop;
        RecentWindow = recentWindow;
        BaselineWindows = baselineWindows is null ? [] : [.. baselineWindows];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Gets what is compared.</summary>
    public WindowMeasure Measure { get; }

    /// <summary>Gets the drop where risk starts.</summary>
    /// <value>Default 0.25.</value>
    public double MinDrop { get; }

    /// <summary>Gets the drop where risk is full.</summary>
    /// <value>Default 1.</value>
    public double FullDrop { get; }

    /// <summary>Gets the fewest purchases in the baseline windows for the rule to apply.</summary>
    /// <value>Default 2.</value>
    public int MinBaselinePurchases { get; }

    /// <summary>Gets the recent window's name, or <see langword="null"/> for the first window.</summary>
    public string? RecentWindow { get; }

    /// <summary>Gets the baseline windows' names; empty for every window but the recent one.</summary>
    public IReadOnlyList<string> BaselineWindows { get; }

    /// <inheritdoc />
    public ChurnContribution Evaluate(in ChurnRuleContext context)
    {
        var windows = context.Summary.Windows;
        if (windows.IsDefaultOrEmpty || windows.Length < 2)
        {
            return ChurnContribution.NotApplicable(Name, "the summary has fewer than two windows to compare");
        }

        var recentIndex = RecentWindow is null ? 0 : windows.Select((w, i) => (w, i)).FirstOrDefault(x => x.w.Name == RecentWindow, (default, -1)).Item2;
        if (recentIndex < 0)
        {
            return ChurnContribution.NotApplicable(Name, Inv($"the summary has no window '{RecentWindow}'"));
        }

        var recent = windows[recentIndex];
        double baseValue = 0, baseDays = 0;
        var basePurchases = 0;
        var baseNames = new List<string>();
        for (var i = 0; i < windows.Length; i++)
        {
            var w = windows[i];
            if (i == recentIndex || (BaselineWindows.Count > 0 && !BaselineWindows.Contains(w.Name)))
            {
                continue;
            }

            baseValue += Value(w);
            basePurchases += w.PurchaseCount;
            baseDays += (w.To - w.From).TotalDays;
            baseNames.Add(w.Name);
        }

        var recentDays = (recent.To - recent.From).TotalDays;
        var unit = Measure == WindowMeasure.Spend ? "spend" : "purchases";
        if (baseNames.Count == 0 || baseDays <= 0 || recentDays <= 0)
        {
            return ChurnContribution.NotApplicable(Name, "no baseline window to compare with");
        }

        if (basePurchases < MinBaselinePurchases || baseValue <= 0)
        {
            return ChurnContribution.NotApplicable(Name, Inv($"{Plural(basePurchases, "purchase", "purchases")} in the baseline window(s) (at least {MinBaselinePurchases}{(Measure == WindowMeasure.Spend ? " with positive spend" : string.Empty)} needed to speak of a drop)"));
        }

        var recentValue = Value(recent);
        var drop = Drop(recentValue, recentDays, baseValue, baseDays);
        var risk = Ramp(drop, MinDrop, FullDrop);
        var change = drop >= 0 ? Inv($"{F(drop * 100, "0")} % lower") : Inv($"{F(-drop * 100, "0")} % higher");
        return ChurnContribution.Of(Name, risk, Inv($"{F(recentValue)} {unit} in {recent.Name} vs {F(baseValue)} in {string.Join("+", baseNames)}: {change} per day (risk from a {F(MinDrop * 100, "0")} % drop, full at {F(FullDrop * 100, "0")} %)"));
    }

    internal static double Drop(double recentValue, double recentDays, double baseValue, double baseDays) => 1 - (recentValue / recentDays / (baseValue / baseDays));

    private double Value(WindowTotals w) => Measure == WindowMeasure.Spend ? (double)w.NetSpend : w.PurchaseCount;
}
