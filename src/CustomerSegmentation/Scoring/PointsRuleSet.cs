using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Scoring;

/// <summary>A named, ordered set of <see cref="PointsRule"/>s with optional caps on the total. Build it in C# or load it from JSON (<see cref="FromJson"/>).</summary>
/// <threadsafety>Instances are immutable and safe for concurrent use.</threadsafety>
public sealed partial record PointsRuleSet
{
    /// <summary>Creates a rule set.</summary>
    /// <param name="name">The rule set's name.</param>
    /// <param name="rules">The rules, in the order they are reported; names must be unique.</param>
    /// <param name="minTotal">The lowest total, or <see langword="null"/> for no lower cap.</param>
    /// <param name="maxTotal">The highest total, or <see langword="null"/> for no upper cap.</param>
    /// <param name="zone">The time zone of calendar months; <see cref="DateTimeZone.Utc"/> when <see langword="null"/>.</param>
    /// <exception cref="ScoringConfigurationException">The name is empty, there are no rules, a rule is null, two rules share a name, or the caps are reversed.</exception>
    public PointsRuleSet(string name, IEnumerable<PointsRule> rules, decimal? minTotal = null, decimal? maxTotal = null, DateTimeZone? zone = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ScoringConfigurationException("PointsRuleSet.Name", "a rule set needs a name.");
        }

        if (rules is null)
        {
            throw new ScoringConfigurationException("PointsRuleSet.Rules", "rules are required.");
        }

        Rules = [.. rules];
        if (Rules.IsEmpty)
        {
            throw new ScoringConfigurationException("PointsRuleSet.Rules", $"rule set '{name}' has no rules.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            if (rule is null)
            {
                throw new ScoringConfigurationException("PointsRuleSet.Rules", $"rule set '{name}' holds a null rule.");
            }

            if (!names.Add(rule.Name))
            {
                throw new ScoringConfigurationException("PointsRuleSet.Rules", $"rule set '{name}' has two rules named '{rule.Name}'.");
            }
        }

        if (minTotal > maxTotal)
        {
            throw new ScoringConfigurationException("PointsRuleSet.MinTotal", $"the minimum total {minTotal} is above the maximum total {maxTotal}.");
        }

        Name = name;
        MinTotal = minTotal;
        MaxTotal = maxTotal;
        Zone = zone ?? DateTimeZone.Utc;
    }

    /// <summary>Gets the rule set's name.</summary>
    public string Name { get; }

    /// <summary>Gets the rules in order.</summary>
    public ImmutableArray<PointsRule> Rules { get; }

    /// <summary>Gets the lowest total, or <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>: no lower cap.</value>
    public decimal? MinTotal { get; }

    /// <summary>Gets the highest total, or <see langword="null"/>.</summary>
    /// <value>Default <see langword="null"/>: no upper cap.</value>
    public decimal? MaxTotal { get; }

    /// <summary>Gets the time zone of calendar months.</summary>
    /// <value>Default <see cref="DateTimeZone.Utc"/>.</value>
    public DateTimeZone Zone { get; }
}
