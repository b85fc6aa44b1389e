using System.Collections.Immutable;
using System.Globalization;

namespace CustomerSegmentation.Tags;

/// <summary>
/// A predicate over what the library knows about a customer as of an instant. Conditions read facts through
/// <see cref="TagEvaluationContext.Fact"/> so that the outcome can list the values they saw.
/// </summary>
public interface ITagCondition
{
    /// <summary>Gets a readable form, e.g. <c>activity.netSpend &gt;= 10000</c>.</summary>
    string Description { get; }

    /// <summary>Evaluates the condition.</summary>
    /// <param name="context">The customer's context.</param>
    /// <returns><see langword="true"/> when it holds.</returns>
    bool Evaluate(TagEvaluationContext context);
}

/// <summary>How a <see cref="FactCondition"/> compares a fact with its operands.</summary>
public enum FactOperator
{
    /// <summary>Equal to the operand (<c>==</c>).</summary>
    Equal = 0,

    /// <summary>Not equal to the operand (<c>!=</c>); false when the fact is missing.</summary>
    NotEqual,

    /// <summary>Greater than the operand (<c>&gt;</c>).</summary>
    GreaterThan,

    /// <summary>Greater than or equal to the operand (<c>&gt;=</c>).</summary>
    GreaterOrEqual,

    /// <summary>Less than the operand (<c>&lt;</c>).</summary>
    LessThan,

    /// <summary>Less than or equal to the operand (<c>&lt;=</c>).</summary>
    LessOrEqual,

    /// <summary>Between two operands, both inclusive (<c>between</c>).</summary>
    Between,

    /// <summary>Equal to one of the operands (<c>in</c>).</summary>
    In,

    /// <summary>Equal to none of the operands (<c>notIn</c>); false when the fact is missing.</summary>
    NotIn,

    /// <summary>Text containing the operand, ignoring case (<c>contains</c>).</summary>
    Contains,

    /// <summary>The fact has a value (<c>exists</c>); no operands.</summary>
    Exists,

    /// <summary>The fact has no value (<c>missing</c>); no operands.</summary>
    Missing,
}

/// <summary>
/// Compares one fact with operands. A missing fact makes every operator false except <see cref="FactOperator.Missing"/>;
/// values that do not compare (see <see cref="FactValue.CompareTo"/>) are unequal and neither greater nor less.
/// </summary>
public sealed record FactCondition : ITagCondition
{
    /// <summary>Creates a condition.</summary>
    /// <param name="fact">The fact's name.</param>
    /// <param name="operator">The comparison.</param>
    /// <param name="operands">The operands: none for exists/missing, two for between, at least one for in/notIn, one otherwise.</param>
    /// <exception cref="ArgumentException">The fact name is empty, or the number of operands does not fit the operator, or an operand is missing.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fact"/> or <paramref name="operands"/> is <see langword="null"/>.</exception>
    public FactCondition(string fact, FactOperator @operator, params IEnumerable<FactValue> operands)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fact);
        ArgumentNullException.ThrowIfNull(operands);
        Fact = fact;
        Operator = @operator;
        Operands = [.. operands];
        var n = Operands.Length;
        var fits = @operator switch
        {
            FactOperator.Exists or FactOperator.Missing => n == 0,
            FactOperator.Between => n == 2,
            FactOperator.In or FactOperator.NotIn => n >= 1,
            _ => n == 1,
        };
        if (!fits)
        {
            throw new ArgumentException($"Operator {@operator} on '{fact}' does not take {n} operand(s).", nameof(operands));
        }

        if (Operands.Any(o => o.IsMissing))
        {
            throw new ArgumentException($"An operand of the condition on '{fact}' is missing.", nameof(operands));
        }

        Description = Describe();
    }

    /// <summary>Gets the fact's name.</summary>
    public string Fact { get; }

    /// <summary>Gets the comparison.</summary>
    public FactOperator Operator { get; }

    /// <summary>Gets the operands.</summary>
    public ImmutableArray<FactValue> Operands { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public bool Evaluate(TagEvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.Fact(Fact);
        if (Operator == FactOperator.Missing)
        {
            return value.IsMissing;
        }

        if (value.IsMissing)
        {
            return false;
        }

        return Operator switch
        {
            FactOperator.Exists => true,
            FactOperator.Equal => value.CompareTo(Operands[0]) == 0,
            FactOperator.NotEqual => value.CompareTo(Operands[0]) is not 0,
            FactOperator.GreaterThan => value.CompareTo(Operands[0]) > 0,
            FactOperator.GreaterOrEqual => value.CompareTo(Operands[0]) >= 0,
            FactOperator.LessThan => value.CompareTo(Operands[0]) < 0,
            FactOperator.LessOrEqual => value.CompareTo(Operands[0]) <= 0,
            FactOperator.Between => value.CompareTo(Operands[0]) >= 0 && value.CompareTo(Operands[1]) <= 0,
            FactOperator.In => Operands.Any(o => value.CompareTo(o) == 0),
            FactOperator.NotIn => !Operands.Any(o => value.CompareTo(o) == 0),
            FactOperator.Contains => TagText.Key(value.ToString()).Contains(TagText.Key(Operands[0].ToString()), StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <inheritdoc />
    public bool Equals(FactCondition? other) =>
        other is not null && string.Equals(Fact, other.Fact, StringComparison.Ordinal) && Operator == other.Operator && Operands.SequenceEqual(other.Operands);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Fact), Operator, Operands.Length);

    internal static string Symbol(FactOperator op) => op switch
    {
        FactOperator.Equal => "==",
        FactOperator.NotEqual => "!=",
        FactOperator.GreaterThan => ">",
        FactOperator.GreaterOrEqual => ">=",
        FactOperator.LessThan => "<",
        FactOperator.LessOrEqual => "<=",
        FactOperator.Between => "between",
        FactOperator.In => "in",
        FactOperator.NotIn => "notIn",
        FactOperator.Contains => "contains",
        FactOperator.Exists => "exists",
        _ => "missing",
    };

    private string Describe() => Operator switch
    {
        FactOperator.Exists or FactOperator.Missing => $"{Fact} {Symbol(Operator)}",
        FactOperator.Between => string.Create(CultureInfo.InvariantCulture, $"{Fact} between {Operands[0].ToDisplay()} and {Operands[1].ToDisplay()}"),
        FactOperator.In or FactOperator.NotIn => $"{Fact} {Symbol(Operator)} [{string.Join(", ", Operands.Select(o => o.ToDisplay()))}]",
        _ => $"{Fact} {Symbol(Operator)} {Operands[0].ToDisplay()}",
    };
}

/// <summary>Holds when every inner condition holds (evaluated in order, stopping at the first that fails); an empty list holds.</summary>
public sealed record AllCondition : ITagCondition
{
    /// <summary>Creates the conjunction.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or one of them is <see langword="null"/>.</exception>
    public AllCondition(params IEnumerable<ITagCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        Conditions = [.. conditions];
        if (Conditions.Any(c => c is null))
        {
            throw new ArgumentNullException(nameof(conditions), "A condition in the list is null.");
        }
    }

    /// <summary>Gets the inner conditions.</summary>
    public ImmutableArray<ITagCondition> Conditions { get; }

    /// <inheritdoc />
    public string Description => Conditions.IsEmpty ? "true" : "(" + string.Join(" and ", Conditions.Select(c => c.Description)) + ")";

    /// <inheritdoc />
    public bool Evaluate(TagEvaluationContext context) => Conditions.All(c => c.Evaluate(context));

    /// <inheritdoc />
    public bool Equals(AllCondition? other) => other is not null && Conditions.SequenceEqual(other.Conditions);

    /// <inheritdoc />
    public override int GetHashCode() => Conditions.Length;
}

/// <summary>Holds when at least one inner condition holds (evaluated in order, stopping at the first that holds); an empty list does not hold.</summary>
public sealed record AnyCondition : ITagCondition
{
    /// <summary>Creates the disjunction.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or one of them is <see langword="null"/>.</exception>
    public AnyCondition(params IEnumerable<ITagCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        Conditions = [.. conditions];
        if (Conditions.Any(c => c is null))
        {
            throw new ArgumentNullException(nameof(conditions), "A condition in the list is null.");
        }
    }

    /// <summary>Gets the inner conditions.</summary>
    public ImmutableArray<ITagCondition> Conditions { get; }

    /// <inheritdoc />
    public string Description => Conditions.IsEmpty ? "false" : "(" + string.Join(" or ", Conditions.Select(c => c.Description)) + ")";

    /// <inheritdoc />
    public bool Evaluate(TagEvaluationContext context) => Conditions.Any(c => c.Evaluate(context));

    /// <inheritdoc />
    public bool Equals(AnyCondition? other) => other is not null && Conditions.SequenceEqual(other.Conditions);

    /// <inheritdoc />
    public override int GetHashCode() => Conditions.Length;
}

/// <summary>Holds when the inner condition does not.</summary>
/// <param name="Condition">The inner condition.</param>
public sealed record NotCondition(ITagCondition Condition) : ITagCondition
{
    /// <inheritdoc />
    public string Description => "not " + Condition.Description;

    /// <inheritdoc />
    public bool Evaluate(TagEvaluationContext context) => !Condition.Evaluate(context);
}

/// <summary>
/// A condition written in C#. Read facts through <see cref="TagEvaluationContext.Fact"/> inside the predicate so the
/// outcome lists them; values read directly from the profile are not recorded. Cannot be saved as JSON.
/// </summary>
public sealed record PredicateCondition : ITagCondition
{
    private readonly Func<TagEvaluationContext, bool> _predicate;

    /// <summary>Creates a condition from a predicate.</summary>
    /// <param name="description">What it checks, in words.</param>
    /// <param name="predicate">The predicate.</param>
    /// <exception cref="ArgumentException"><paramref name="description"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public PredicateCondition(string description, Func<TagEvaluationContext, bool> predicate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(predicate);
        Description = description;
        _predicate = predicate;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public bool Evaluate(TagEvaluationContext context) => _predicate(context);
}

/// <summary>Shorthands for building conditions in C#.</summary>
public static class TagCondition
{
    /// <summary>A fact equals a text, number or boolean.</summary>
    /// <param name="fact">The fact.</param>
    /// <param name="value">The operand (converted with <see cref="FactValue.FromObject"/>).</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentException">The fact name is empty or the operand is missing.</exception>
    public static FactCondition EqualTo(string fact, object value) => new(fact, FactOperator.Equal, FactValue.FromObject(value));

    /// <summary>A fact is at least a number (<c>&gt;=</c>).</summary>
    /// <param name="fact">The fact.</param>
    /// <param name="value">The threshold.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentException">The fact name is empty.</exception>
    public static FactCondition AtLeast(string fact, decimal value) => new(fact, FactOperator.GreaterOrEqual, FactValue.FromNumber(value));

    /// <summary>A fact is at most a number (<c>&lt;=</c>).</summary>
    /// <param name="fact">The fact.</param>
    /// <param name="value">The threshold.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentException">The fact name is empty.</exception>
    public static FactCondition AtMost(string fact, decimal value) => new(fact, FactOperator.LessOrEqual, FactValue.FromNumber(value));

    /// <summary>A fact compares with an operand.</summary>
    /// <param name="fact">The fact.</param>
    /// <param name="operator">The comparison.</param>
    /// <param name="operands">The operands (converted with <see cref="FactValue.FromObject"/>).</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentException">The fact name is empty or the operands do not fit the operator.</exception>
    public static FactCondition Compare(string fact, FactOperator @operator, params object[] operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        return new(fact, @operator, operands.Select(FactValue.FromObject));
    }

    /// <summary>A fact is one of some texts.</summary>
    /// <param name="fact">The fact.</param>
    /// <param name="values">The texts.</param>
    /// <returns>The condition.</returns>
    /// <exception cref="ArgumentException">The fact name is empty or no values are given.</exception>
    public static FactCondition In(string fact, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(fact, FactOperator.In, values.Select(FactValue.FromText));
    }

    /// <summary>Every condition holds.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The conjunction.</returns>
    public static AllCondition All(params ITagCondition[] conditions) => new(conditions);

    /// <summary>At least one condition holds.</summary>
    /// <param name="conditions">The conditions.</param>
    /// <returns>The disjunction.</returns>
    public static AnyCondition Any(params ITagCondition[] conditions) => new(conditions);

    /// <summary>The condition does not hold.</summary>
    /// <param name="condition">The condition.</param>
    /// <returns>The negation.</returns>
    public static NotCondition Not(ITagCondition condition) => new(condition);

    /// <summary>A C# predicate.</summary>
    /// <param name="description">What it checks, in words.</param>
    /// <param name="predicate">The predicate.</param>
    /// <returns>The condition.</returns>
    public static PredicateCondition Where(string description, Func<TagEvaluationContext, bool> predicate) => new(description, predicate);
}
