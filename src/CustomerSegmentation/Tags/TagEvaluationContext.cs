using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tags;

/// <summary>
/// Supplies facts that the built-in sources do not know, e.g. RFM scores, tier or lifecycle stage from later
/// capabilities. Registered in <see cref="TagRuleEvaluatorOptions.FactProviders"/>; asked in order after the
/// input's own facts and before the built-in profile and activity facts.
/// </summary>
public interface ITagFactProvider
{
    /// <summary>Looks a fact up.</summary>
    /// <param name="name">The fact's name.</param>
    /// <param name="context">The customer being evaluated.</param>
    /// <param name="value">The value, when this provider knows the fact (it may be <see cref="FactValue.Missing"/>).</param>
    /// <returns><see langword="true"/> when this provider answers for the fact.</returns>
    bool TryGetFact(string name, TagEvaluationContext context, out FactValue value);
}

/// <summary>What a rule knows about one customer: the input (profile, activity summary, extra facts), the as-of instant and the zone that defines calendar days.</summary>
/// <param name="Customer">The profile.</param>
/// <param name="Activity">The activity summary as of the evaluation, if the host has one.</param>
/// <param name="Facts">Extra facts for this customer (they win over every other source), e.g. <c>rfm.score</c>.</param>
public sealed record TagRuleInput(Customer Customer, ActivitySummary? Activity = null, ImmutableDictionary<string, FactValue>? Facts = null);

/// <summary>
/// The evaluation context of one customer: conditions read facts through <see cref="Fact"/>, which resolves them
/// (input facts, then <see cref="ITagFactProvider"/>s, then <see cref="TagFacts"/> built-ins) and records every
/// reading, so each rule's outcome can say which values it saw.
/// </summary>
/// <threadsafety>Not thread-safe; one context per customer evaluation.</threadsafety>
public sealed class TagEvaluationContext
{
    private readonly IReadOnlyList<ITagFactProvider> _providers;
    private readonly Dictionary<string, FactValue> _cache = new(StringComparer.Ordinal);
    private readonly List<FactReading> _readings = [];

    /// <summary>Creates a context.</summary>
    /// <param name="input">The customer's input.</param>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="zone">The zone that defines calendar days; <see cref="DateTimeZone.Utc"/> when <see langword="null"/>.</param>
    /// <param name="providers">Extra fact providers, asked in order; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public TagEvaluationContext(TagRuleInput input, Instant asOf, DateTimeZone? zone = null, IReadOnlyList<ITagFactProvider>? providers = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        Input = input;
        AsOf = asOf;
        Zone = zone ?? DateTimeZone.Utc;
        _providers = providers ?? [];
    }

    /// <summary>Gets the customer's input.</summary>
    public TagRuleInput Input { get; }

    /// <summary>Gets the profile.</summary>
    public Customer Customer => Input.Customer;

    /// <summary>Gets the activity summary, if any.</summary>
    public ActivitySummary? Activity => Input.Activity;

    /// <summary>Gets the as-of instant.</summary>
    public Instant AsOf { get; }

    /// <summary>Gets the zone that defines calendar days.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Gets the facts read since the current rule started, in order (each fact once).</summary>
    public IReadOnlyList<FactReading> Readings => _readings;

    /// <summary>Reads a fact and records the reading.</summary>
    /// <param name="name">The fact's name, e.g. <c>activity.netSpend</c> (see <see cref="TagFacts"/>).</param>
    /// <returns>The value; <see cref="FactValue.Missing"/> when no source knows it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public FactValue Fact(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_cache.TryGetValue(name, out var value))
        {
            value = Resolve(name);
            _cache[name] = value;
        }

        if (!_readings.Exists(r => string.Equals(r.Name, name, StringComparison.Ordinal)))
        {
            _readings.Add(new FactReading(name, value));
        }

        return value;
    }

    internal void BeginRule() => _readings.Clear();

    internal ImmutableArray<FactReading> TakeReadings() => [.. _readings];

    private FactValue Resolve(string name)
    {
        if (Input.Facts is { } facts && facts.TryGetValue(name, out var own))
        {
            return own;
        }

        foreach (var provider in _providers)
        {
            if (provider.TryGetFact(name, this, out var provided))
            {
                return provided;
            }
        }

        return TagFacts.BuiltIn(name, this);
    }
}
