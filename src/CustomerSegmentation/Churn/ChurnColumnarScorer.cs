using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Scores a <see cref="ChurnColumnBuffer"/> with the built-in rules of a rule set: the same arithmetic as
/// <see cref="ChurnAssessor"/>, rule by rule over blocks of customers, without reasons or allocations per customer.
/// Explain the customers that matter (e.g. the watch list) with <see cref="ChurnAssessor"/> afterwards.
/// </summary>
/// <remarks>
/// Supported rules: <see cref="InactivityRule"/>, <see cref="FewPurchasesRule"/>, <see cref="WindowDropRule"/> (recent vs baseline columns),
/// <see cref="EngagementStopRule"/>, <see cref="ComplaintRule"/>, <see cref="LowSatisfactionRule"/>,
/// <see cref="TierDowngradeRule"/> and <see cref="ModelAliveRule"/>. Other rules (custom ones, the lifecycle stage)
/// need the object path. Immutable and thread safe.
/// </remarks>
public sealed class ChurnColumnarScorer
{
    private const int Block = 4096;
    private readonly ChurnRuleSet _set;

    /// <summary>Creates a scorer.</summary>
    /// <param name="ruleSet">The rule set; <see cref="ChurnRuleSet.Default"/> without its lifecycle-stage rule when <see langword="null"/>.</param>
    /// <exception cref="ChurnConfigurationException">The rule set holds a rule the columnar path does not support.</exception>
    public ChurnColumnarScorer(ChurnRuleSet? ruleSet = null)
    {
        _set = ruleSet ?? DefaultColumnar;
        foreach (var (rule, _) in _set.Rules)
        {
            if (rule is not (InactivityRule or FewPurchasesRule or WindowDropRule or EngagementStopRule or ComplaintRule or LowSatisfactionRule or TierDowngradeRule or ModelAliveRule))
            {
                throw new ChurnConfigurationException($"Churn rule '{rule.Name}' ({rule.GetType().Name}) has no columnar form; use ChurnAssessor.");
            }
        }
    }

    /// <summary>Gets <see cref="ChurnRuleSet.Default"/> without the lifecycle-stage rule.</summary>
    public static ChurnRuleSet DefaultColumnar { get; } = BuildDefaultColumnar();

    /// <summary>Gets the rule set.</summary>
    public ChurnRuleSet RuleSet => _set;

    /// <summary>Scores every customer of the buffer.</summary>
    /// <param name="columns">The facts.</param>
    /// <param name="population">The population statistics (for single-purchase customers).</param>
    /// <param name="scores">Receives the scores, one per customer.</param>
    /// <param name="levels">Receives the levels, one per customer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> or <paramref name="population"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A span is shorter than <see cref="ChurnColumnBuffer.Count"/>.</exception>
    public void Score(ChurnColumnBuffer columns, ChurnPopulation population, Span<float> scores, Span<ChurnRiskLevel> levels)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(population);
        if (scores.Length < columns.Count || levels.Length < columns.Count)
        {
            throw new ArgumentException("The output spans must hold one value per customer.", nameof(scores));
        }

        Span<double> num = stackalloc double[Block];
        Span<double> den = stackalloc double[Block];
        var noisy = _set.Combination == ChurnCombination.NoisyOr;
        var cut = _set.Levels;
        for (var start = 0; start < columns.Count; start += Block)
        {
            var n = Math.Min(Block, columns.Count - start);
            var nu = num[..n];
            var de = den[..n];
            nu.Fill(noisy ? 1 : 0);
            de.Clear();
            foreach (var (rule, weight) in _set.Rules)
            {
                Apply(rule, weight, noisy, columns, population, start, nu, de);
            }

            for (var i = 0; i < n; i++)
            {
                var s = noisy ? Math.Clamp(1 - nu[i], 0, 1) : de[i] == 0 ? 0 : Math.Clamp(nu[i] / de[i], 0, 1);
                scores[start + i] = (float)s;
                levels[start + i] = cut.LevelOf(s);
            }
        }
    }

    private static void Add(bool noisy, Span<double> num, Span<double> den, int i, double weight, double risk)
    {
        if (noisy)
        {
            num[i] *= 1 - (weight * risk);
        }
        else
        {
            num[i] += weight * risk;
            den[i] += weight;
        }
    }

    private static void Apply(IChurnRiskRule rule, double w, bool noisy, ChurnColumnBuffer c, ChurnPopulation pop, int start, Span<double> num, Span<double> den)
    {
        var n = num.Length;
        switch (rule)
        {
            case InactivityRule r:
                {
                    var fallback = pop.GapQuantile(r.PopulationQuantile) ?? r.DefaultGapDays;
                    var days = c.DaysSinceLastPurchase.AsSpan(start, n);
                    var count = c.PurchaseCount.AsSpan(start, n);
                    var gap = c.MedianGapDays.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        if (days[i] >= 0)
                        {
                            var g = count[i] >= 2 && !float.IsNaN(gap[i]) ? r.UsualGap(Math.Max(1.0, gap[i]), count[i], fallback) : fallback;
                            Add(noisy, num, den, i, w, r.Risk(days[i], g));
                        }
                    }

                    break;
                }

            case WindowDropRule r:
                {
                    if (c.RecentWindowDays <= 0 || c.BaselineWindowDays <= 0)
                    {
                        break;
                    }

                    var spend = r.Measure == WindowMeasure.Spend;
                    for (var i = 0; i < n; i++)
                    {
                        double recent = spend ? c.RecentSpend[start + i] : c.RecentPurchases[start + i];
                        double baseline = spend ? c.BaselineSpend[start + i] : c.BaselinePurchases[start + i];
                        if (baseline > 0 && c.BaselinePurchases[start + i] >= r.MinBaselinePurchases)
                        {
                            Add(noisy, num, den, i, w, Ramp(WindowDropRule.Drop(recent, c.RecentWindowDays, baseline, c.BaselineWindowDays), r.MinDrop, r.FullDrop));
                        }
                    }

                    break;
                }

            case FewPurchasesRule:
                {
                    var count = c.PurchaseCount.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        if (count[i] > 0)
                        {
                            Add(noisy, num, den, i, w, FewPurchasesRule.Risk(count[i]));
                        }
                    }

                    break;
                }

            case EngagementStopRule r:
                {
                    var days = c.DaysSinceLastInteraction.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        if (days[i] >= 0)
                        {
                            Add(noisy, num, den, i, w, r.Risk(days[i]));
                        }
                    }

                    break;
                }

            case ComplaintRule r:
                {
                    var complaints = c.Complaints.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        Add(noisy, num, den, i, w, r.Risk(complaints[i]));
                    }

                    break;
                }

            case LowSatisfactionRule r:
                {
                    var csat = c.MeanSatisfaction.AsSpan(start, n);
                    var nps = c.LastNps.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        var hasCsat = !float.IsNaN(csat[i]);
                        if (hasCsat || nps[i] >= 0)
                        {
                            Add(noisy, num, den, i, w, r.Risk(hasCsat ? csat[i] : null, nps[i] >= 0 ? nps[i] : null));
                        }
                    }

                    break;
                }

            case TierDowngradeRule:
                {
                    var tier = c.TierDowngrade.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        if (tier[i] >= 0)
                        {
                            Add(noisy, num, den, i, w, tier[i]);
                        }
                    }

                    break;
                }

            case ModelAliveRule r:
                {
                    var p = c.PAlive.AsSpan(start, n);
                    var count = c.PurchaseCount.AsSpan(start, n);
                    for (var i = 0; i < n; i++)
                    {
                        if (!float.IsNaN(p[i]) && (!r.RequireRepeatPurchase || count[i] >= 2))
                        {
                            Add(noisy, num, den, i, w, 1 - (double)p[i]);
                        }
                    }

                    break;
                }
        }
    }

    private static ChurnRuleSet BuildDefaultColumnar()
    {
        var b = new ChurnRuleSetBuilder().CombineWith(ChurnRuleSet.Default.Combination).WithLevels(ChurnRuleSet.Default.Levels);
        foreach (var (rule, weight) in ChurnRuleSet.Default.Rules)
        {
            if (rule is not LifecycleStageRule)
            {
                b.Add(rule, weight);
            }
        }

        return b.Build();
    }
}
