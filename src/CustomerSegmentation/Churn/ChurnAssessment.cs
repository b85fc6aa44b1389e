using System.Collections.Immutable;
using System.Text;
using CustomerSegmentation.Customers;
using NodaTime;
using static CustomerSegmentation.Churn.ChurnMath;

namespace CustomerSegmentation.Churn;

/// <summary>One rule's outcome inside an assessment: its contribution, its weight and the points it adds to the score.</summary>
/// <param name="Contribution">What the rule said.</param>
/// <param name="Weight">The rule's weight in the rule set.</param>
/// <param name="Points">How much of the score this rule accounts for (for the weighted mean, <c>w·r ÷ Σw</c>; for noisy-or, <c>w·r</c>).</param>
public readonly record struct ChurnFactor(ChurnContribution Contribution, double Weight, double Points);

/// <summary>An explained churn assessment of one customer at one instant: the score, its level and every rule's reason.</summary>
public sealed record ChurnAssessment
{
    /// <summary>Gets the customer.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the as-of instant.</summary>
    public required Instant AsOf { get; init; }

    /// <summary>Gets the combined score in 0..1.</summary>
    public required double Score { get; init; }

    /// <summary>Gets the level of the score.</summary>
    public required ChurnRiskLevel Level { get; init; }

    /// <summary>Gets every rule's outcome in rule-set order, including rules that did not apply.</summary>
    public required ImmutableArray<ChurnFactor> Factors { get; init; }

    /// <summary>Gets the expected value used for the value at risk.</summary>
    public required decimal ExpectedValue { get; init; }

    /// <summary>Gets where <see cref="ExpectedValue"/> came from: <c>signals</c> or <c>historical net spend</c>.</summary>
    public required string ExpectedValueSource { get; init; }

    /// <summary>Gets the value at risk: <see cref="ExpectedValue"/> × <see cref="Score"/>.</summary>
    public decimal ValueAtRisk => ExpectedValue * (decimal)Score;

    /// <summary>Gets the reasons of the applying rules with risk, the largest share of the score first.</summary>
    public IEnumerable<string> Reasons => Factors
        .Where(f => f.Contribution.Applies && f.Contribution.Risk > 0)
        .OrderByDescending(f => f.Points)
        .ThenBy(f => f.Contribution.Rule, StringComparer.Ordinal)
        .Select(f => f.Contribution.ToString());

    /// <summary>Gets a full explanation: score, level with its cut-offs, and every rule with weight, risk and reason.</summary>
    public required string Explanation { get; init; }

    internal static string Explain(double score, ChurnRiskLevel level, ChurnRuleSet set, ReadOnlySpan<ChurnFactor> factors)
    {
        var sb = new StringBuilder();
        sb.Append(Inv($"score {F(score, "0.000")} = {(set.Combination == ChurnCombination.NoisyOr ? "noisy-or" : "weighted mean")} of the applying rules; level {level} (cut-offs medium {F(set.Levels.Medium)}, high {F(set.Levels.High)}, critical {F(set.Levels.Critical)})"));
        foreach (var f in factors)
        {
            sb.Append(f.Contribution.Applies
                ? Inv($"; {f.Contribution.Rule} (weight {F(f.Weight)}) risk {F(f.Contribution.Risk, "0.00")}: {f.Contribution.Reason}")
                : Inv($"; {f.Contribution.Rule} not applied: {f.Contribution.Reason}"));
        }

        return sb.ToString();
    }
}

/// <summary>The outcome of assessing one summary: an assessment, or the errors in the user data that prevented it.</summary>
public sealed record ChurnAssessmentResult
{
    private ChurnAssessmentResult(CustomerId customerId, ChurnAssessment? value, ImmutableArray<string> errors)
    {
        CustomerId = customerId;
        Value = value;
        Errors = errors;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the assessment, or <see langword="null"/> when invalid.</summary>
    public ChurnAssessment? Value { get; }

    /// <summary>Gets the errors; empty when valid.</summary>
    public ImmutableArray<string> Errors { get; }

    /// <summary>Gets a value indicating whether an assessment was made.</summary>
    public bool IsValid => Value is not null;

    /// <summary>Gets the assessment or throws.</summary>
    /// <returns>The assessment.</returns>
    /// <exception cref="InvalidOperationException">The result is invalid; the message lists the errors.</exception>
    public ChurnAssessment GetValueOrThrow() => Value ?? throw new InvalidOperationException($"No churn assessment for {CustomerId}: {string.Join("; ", Errors)}");

    internal static ChurnAssessmentResult Valid(ChurnAssessment a) => new(a.CustomerId, a, []);

    internal static ChurnAssessmentResult Invalid(CustomerId id, params string[] errors) => new(id, null, [.. errors]);
}

/// <summary>The assessment of a population: the population statistics used, the assessments in input order and the rejected summaries.</summary>
/// <param name="Population">The statistics computed first from the valid summaries.</param>
/// <param name="Assessments">One assessment per valid summary, in input order.</param>
/// <param name="Rejected">The summaries that could not be assessed, with their errors.</param>
public sealed record ChurnPopulationAssessment(ChurnPopulation Population, ImmutableArray<ChurnAssessment> Assessments, ImmutableArray<ChurnAssessmentResult> Rejected);
