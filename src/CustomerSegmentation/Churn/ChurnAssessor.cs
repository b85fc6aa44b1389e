using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using NodaTime;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>
/// Assesses churn risk with a <see cref="ChurnRuleSet"/>: runs every rule, combines their risks into a 0..1 score and a
/// level, and explains the result. <see cref="AssessAll"/> first computes the population statistics (gap distribution),
/// then assesses each customer; the outcome does not depend on input order.
/// </summary>
/// <remarks>
/// <para>Summaries never hold activity after their as-of instant (see <see cref="ActivitySummary"/>). A summary with a
/// purchase after the assessment's as-of instant cannot be corrected here (the earlier purchases are not in it), so it is
/// rejected with an error that says so rather than scored. Interactions after the as-of instant in
/// <see cref="ChurnSignals.Interactions"/> are ignored, and the rules that read them say how many.</para>
/// <para>Immutable and thread safe when the rules are.</para>
/// </remarks>
public sealed class ChurnAssessor
{
    /// <summary>Creates an assessor.</summary>
    /// <param name="ruleSet">The rules; <see cref="ChurnRuleSet.Default"/> when <see langword="null"/>.</param>
    /// <param name="zone">The zone that defines calendar days; UTC when <see langword="null"/>.</param>
    public ChurnAssessor(ChurnRuleSet? ruleSet = null, DateTimeZone? zone = null)
    {
        RuleSet = ruleSet ?? ChurnRuleSet.Default;
        Zone = zone ?? DateTimeZone.Utc;
    }

    /// <summary>Gets the rule set.</summary>
    public ChurnRuleSet RuleSet { get; }

    /// <summary>Gets the zone that defines calendar days.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Assesses one customer.</summary>
    /// <param name="summary">The customer's summary.</param>
    /// <param name="asOf">The assessment instant.</param>
    /// <param name="population">Population statistics, e.g. from <see cref="ChurnPopulation.FromSummaries"/>.</param>
    /// <param name="signals">Optional signals.</param>
    /// <returns>The assessment, or the errors when the summary holds purchases after <paramref name="asOf"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> or <paramref name="population"/> is <see langword="null"/>.</exception>
    public ChurnAssessmentResult Assess(ActivitySummary summary, Instant asOf, ChurnPopulation population, ChurnSignals? signals = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(population);
        if (Validate(summary, asOf) is { } error)
        {
            return ChurnAssessmentResult.Invalid(summary.CustomerId, error);
        }

        var set = RuleSet;
        var context = new ChurnRuleContext(summary, asOf, population, signals, Zone);
        var factors = new ChurnFactor[set.Rules.Length];
        for (var i = 0; i < factors.Length; i++)
        {
            var (rule, weight) = set.Rules[i];
            var c = rule.Evaluate(in context);
            if (c.Applies && !(c.Risk >= 0 && c.Risk <= 1))
            {
                throw new InvalidOperationException(Inv($"Churn rule '{rule.Name}' returned risk {c.Risk}, outside 0..1."));
            }

            factors[i] = new ChurnFactor(c, weight, 0);
        }

        var score = set.Combine(factors);
        var applyingWeight = factors.Where(f => f.Contribution.Applies).Sum(f => f.Weight);
        for (var i = 0; i < factors.Length; i++)
        {
            var f = factors[i];
            var points = !f.Contribution.Applies ? 0
                : set.Combination == ChurnCombination.NoisyOr ? f.Weight * f.Contribution.Risk
                : f.Weight * f.Contribution.Risk / applyingWeight;
            factors[i] = f with { Points = points };
        }

        var level = set.Levels.LevelOf(score);
        var (value, source) = context.Signals.ExpectedValue is { } ev ? (ev, "signals") : (Math.Max(0m, summary.NetSpend), "historical net spend");
        return ChurnAssessmentResult.Valid(new ChurnAssessment
        {
            CustomerId = summary.CustomerId,
            AsOf = asOf,
            Score = score,
            Level = level,
            Factors = [.. factors],
            ExpectedValue = value,
            ExpectedValueSource = source,
            Explanation = ChurnAssessment.Explain(score, level, set, factors),
        });
    }

    /// <summary>Assesses a population: computes its statistics from the valid summaries, then assesses every customer.</summary>
    /// <param name="summaries">The summaries, one per customer.</param>
    /// <param name="asOf">The assessment instant.</param>
    /// <param name="signals">Optional signals per summary.</param>
    /// <returns>The population statistics, the assessments in input order and the rejected summaries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summaries"/> is <see langword="null"/>.</exception>
    public ChurnPopulationAssessment AssessAll(IReadOnlyList<ActivitySummary> summaries, Instant asOf, Func<ActivitySummary, ChurnSignals?>? signals = null)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var population = ChurnPopulation.FromSummaries(summaries, asOf);
        var ok = ImmutableArray.CreateBuilder<ChurnAssessment>(summaries.Count);
        var rejected = ImmutableArray.CreateBuilder<ChurnAssessmentResult>();
        foreach (var s in summaries)
        {
            var r = Assess(s, asOf, population, signals?.Invoke(s));
            if (r.Value is { } a)
            {
                ok.Add(a);
            }
            else
            {
                rejected.Add(r);
            }
        }

        return new ChurnPopulationAssessment(population, ok.ToImmutable(), rejected.ToImmutable());
    }

    private static string? Validate(ActivitySummary s, Instant asOf)
    {
        if (s.LastPurchaseAt is { } last && last > asOf)
        {
            return $"the summary of {s.CustomerId} holds a purchase at {last}, after the as-of instant {asOf}; a summary cannot drop it (summaries exclude activity after their own as-of instant), so summarise as of {asOf} and assess again";
        }

        return null;
    }
}
