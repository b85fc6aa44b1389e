using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>Scores customers by a <see cref="PointsRuleSet"/>: each rule's points (after decay and caps), summed and capped.</summary>
/// <threadsafety>Instances are immutable and safe for concurrent use.</threadsafety>
public sealed class PointsScorer : IValueScorer
{
    /// <summary>Creates the scorer.</summary>
    /// <param name="ruleSet">The rules.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ruleSet"/> is <see langword="null"/>.</exception>
    public PointsScorer(PointsRuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        RuleSet = ruleSet;
    }

    /// <summary>Gets the rules.</summary>
    public PointsRuleSet RuleSet { get; }

    /// <inheritdoc />
    /// <value><c>points:</c> followed by the rule set's name.</value>
    public string Name => "points:" + RuleSet.Name;

    /// <summary>Scores one customer.</summary>
    /// <param name="summary">The activity summary, as of <paramref name="asOf"/>.</param>
    /// <param name="profile">The profile, or <see langword="null"/> (profile rules then give 0).</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>Each rule's points and the total.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The summary is not as of <paramref name="asOf"/>, the profile is another customer's, or the summary lacks a window a rule needs.</exception>
    public PointsResult Score(ActivitySummary summary, Customer? profile, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.AsOf != asOf)
        {
            throw new ArgumentException($"The summary of customer {summary.CustomerId} is as of {summary.AsOf}, not {asOf}.", nameof(summary));
        }

        if (profile is not null && profile.Id != summary.CustomerId)
        {
            throw new ArgumentException($"The profile of customer {profile.Id} was passed with the summary of customer {summary.CustomerId}.", nameof(profile));
        }

        var lines = ImmutableArray.CreateBuilder<RulePoints>(RuleSet.Rules.Length);
        var sum = 0m;
        foreach (var rule in RuleSet.Rules)
        {
            var line = rule.Evaluate(summary, profile, RuleSet.Zone);
            lines.Add(line);
            sum += line.Points;
        }

        var total = sum;
        if (RuleSet.MinTotal is { } min && total < min)
        {
            total = min;
        }
        else if (RuleSet.MaxTotal is { } max && total > max)
        {
            total = max;
        }

        return new PointsResult(summary.CustomerId, asOf, RuleSet.Name, lines.MoveToImmutable(), sum, total);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="population"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A summary is not as of <paramref name="asOf"/>, a profile is another customer's, or a summary lacks a window a rule needs.</exception>
    public IReadOnlyList<ValueScore> Score(IReadOnlyList<ValueScoringInput> population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(population);
        var scores = new ValueScore[population.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            var input = population[i] ?? throw new ArgumentNullException(nameof(population), $"The input at index {i} is null.");
            var result = Score(input.Summary, input.Profile, asOf);
            scores[i] = new ValueScore(result.CustomerId, Name, true, result.Total, null, result.Explanation);
        }

        return scores;
    }
}
