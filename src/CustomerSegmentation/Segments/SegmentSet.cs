using System.Collections.Immutable;
using System.Numerics;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Segments;

/// <summary>
/// Segments checked against a binding context and ready to evaluate: the entry point a pipeline calls.
/// <c>SegmentSet.Create(definitions, context).GetValueOrThrow().Evaluate(population, asOf)</c> gives every segment's
/// members in one pass over the population.
/// </summary>
/// <threadsafety>Immutable; <see cref="Evaluate"/> and <see cref="Explain"/> are safe to call from several threads.</threadsafety>
public sealed class SegmentSet
{
    private readonly ImmutableArray<BoundRule> _bound;

    private SegmentSet(ImmutableArray<SegmentDefinition> definitions, ImmutableArray<BoundRule> bound, SegmentBindingContext context)
    {
        Definitions = definitions;
        _bound = bound;
        Context = context;
    }

    /// <summary>Gets the definitions, in the order given.</summary>
    public ImmutableArray<SegmentDefinition> Definitions { get; }

    /// <summary>Gets the context the rules were checked against.</summary>
    public SegmentBindingContext Context { get; }

    /// <summary>Checks definitions against a context: unknown fields, tags, tiers, stages, RFM segments and attributes, and
    /// comparisons of the wrong kind (a tier with a number, text with <c>&gt;</c>) are errors here, never at evaluation.</summary>
    /// <param name="definitions">The definitions; ids must be valid and unique.</param>
    /// <param name="context">What rules are checked against.</param>
    /// <returns>The set, or every error (each naming its segment).</returns>
    /// <exception cref="ArgumentNullException">An argument or a definition is <see langword="null"/>.</exception>
    public static SegmentSetResult Create(IEnumerable<SegmentDefinition> definitions, SegmentBindingContext context)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(context);
        var defs = definitions.ToImmutableArray();
        var errors = ImmutableArray.CreateBuilder<SegmentDefinitionError>();
        var bound = ImmutableArray.CreateBuilder<BoundRule>(defs.Length);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in defs)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(definitions));
            if (!SegmentDefinition.IsValidId(d.Id))
            {
                errors.Add(new(d.Id ?? string.Empty, $"\"{d.Id}\" is not a valid segment id (1..128 letters, digits, '-', '_', '.')"));
            }
            else if (!ids.Add(d.Id!))
            {
                errors.Add(new(d.Id!, $"duplicate segment id \"{d.Id}\""));
            }

            var (rule, problems) = SegmentBinder.Bind(d.Rule ?? throw new ArgumentNullException(nameof(definitions), $"Segment {d.Id} has no rule."), context);
            errors.AddRange(problems.Select(p => new SegmentDefinitionError(d.Id ?? string.Empty, p)));
            if (rule is not null)
            {
                bound.Add(rule);
            }
        }

        return errors.Count > 0
            ? new SegmentSetResult(null, errors.ToImmutable())
            : new SegmentSetResult(new SegmentSet(defs, bound.MoveToImmutable(), context), []);
    }

    /// <summary>Evaluates every segment over a population as of an instant, in one pass (block by block, all segments per block).</summary>
    /// <param name="population">The customers.</param>
    /// <param name="asOf">The instant: <c>days_since_*</c> count to it and tags that expired by then do not count.</param>
    /// <returns>The members of each segment.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="population"/> is <see langword="null"/>.</exception>
    public SegmentEvaluation Evaluate(SegmentPopulation population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(population);
        var nodes = Compile(population, asOf);
        var words = (population.Count + 63) >> 6;
        var results = new ulong[nodes.Length][];
        for (var s = 0; s < nodes.Length; s++)
        {
            results[s] = new ulong[words];
        }

        for (var w0 = 0; w0 < words; w0 += EvalNode.BlockWords)
        {
            var n = Math.Min(EvalNode.BlockWords, words - w0);
            for (var s = 0; s < nodes.Length; s++)
            {
                nodes[s].Eval(w0, results[s].AsSpan(w0, n));
            }
        }

        var tail = population.Count & 63;
        var memberships = ImmutableArray.CreateBuilder<SegmentMembership>(nodes.Length);
        for (var s = 0; s < nodes.Length; s++)
        {
            if (tail != 0)
            {
                results[s][^1] &= (1UL << tail) - 1;
            }

            memberships.Add(new SegmentMembership(Definitions[s], population, asOf, results[s]));
        }

        return new SegmentEvaluation(population, asOf, memberships.MoveToImmutable());
    }

    /// <summary>Explains why a customer is in or out of a segment: every clause's value and the clauses that decided.</summary>
    /// <param name="segmentId">The segment.</param>
    /// <param name="population">The customers.</param>
    /// <param name="customerId">The customer.</param>
    /// <param name="asOf">The instant.</param>
    /// <returns>The explanation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="population"/> or <paramref name="segmentId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The set has no such segment, or the population no such customer.</exception>
    public SegmentExplanation Explain(string segmentId, SegmentPopulation population, CustomerId customerId, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(segmentId);
        ArgumentNullException.ThrowIfNull(population);
        var s = IndexOf(segmentId);
        if (s < 0)
        {
            throw new ArgumentException($"The segment set has no segment '{segmentId}'.", nameof(segmentId));
        }

        var ordinal = population.OrdinalOf(customerId);
        if (ordinal < 0)
        {
            throw new ArgumentException($"The population has no customer {customerId}.", nameof(customerId));
        }

        var node = EvalNode.Compile(_bound[s], population, asOf, []);
        return SegmentExplanation.Build(Definitions[s], customerId, asOf, node, ordinal);
    }

    /// <summary>Finds a segment's position.</summary>
    /// <param name="segmentId">The id.</param>
    /// <returns>The index in <see cref="Definitions"/>, or -1.</returns>
    public int IndexOf(string segmentId)
    {
        for (var i = 0; i < Definitions.Length; i++)
        {
            if (string.Equals(Definitions[i].Id, segmentId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    internal EvalNode[] Compile(ISegmentColumnSource population, Instant asOf)
    {
        var tagCache = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        return [.. _bound.Select(b => EvalNode.Compile(b, population, asOf, tagCache))];
    }

    /// <summary>
    /// Evaluates every segment over columns, as <see cref="Evaluate"/> does over a population, and sets bit <c>s</c> of
    /// <c>masks[ordinal]</c> for the members of segment <c>s</c> (other bits are left alone).
    /// </summary>
    /// <param name="columns">The customers.</param>
    /// <param name="asOf">The instant.</param>
    /// <param name="masks">One mask per ordinal, at least <see cref="ISegmentColumnSource.Count"/> long; at most 64 segments.</param>
    /// <param name="scratch">At least <see cref="EvalNode.BlockWords"/> words.</param>
    /// <returns>The compiled segments, in the set's order (for <see cref="ExplainCompiled"/>).</returns>
    internal EvalNode[] EvaluateInto(ISegmentColumnSource columns, Instant asOf, Span<ulong> masks, ulong[] scratch)
    {
        var nodes = Compile(columns, asOf);
        var count = columns.Count;
        var words = (count + 63) >> 6;
        for (var w0 = 0; w0 < words; w0 += EvalNode.BlockWords)
        {
            var n = Math.Min(EvalNode.BlockWords, words - w0);
            var block = scratch.AsSpan(0, n);
            for (var s = 0; s < nodes.Length; s++)
            {
                nodes[s].Eval(w0, block);
                var bit = 1UL << s;
                for (var w = 0; w < n; w++)
                {
                    var first = (w0 + w) << 6;
                    var word = block[w];
                    if (count - first < 64)
                    {
                        word &= (1UL << (count - first)) - 1; // bits past the population are unspecified
                    }

                    while (word != 0)
                    {
                        masks[first + BitOperations.TrailingZeroCount(word)] |= bit;
                        word &= word - 1;
                    }
                }
            }
        }

        return nodes;
    }

    /// <summary>Explains one customer with a segment compiled by <see cref="EvaluateInto"/> (what <see cref="Explain(string, SegmentPopulation, CustomerId, Instant)"/> gives for the same values).</summary>
    internal SegmentExplanation ExplainCompiled(int segment, EvalNode node, CustomerId customerId, int ordinal, Instant asOf) =>
        SegmentExplanation.Build(Definitions[segment], customerId, asOf, node, ordinal);
}

/// <summary>An error found while checking a segment definition.</summary>
/// <param name="SegmentId">The segment.</param>
/// <param name="Message">What is wrong, quoting the clause, e.g. <c>unknown stage "actve" in stage = "actve"; the lifecycle model has: ...</c>.</param>
public sealed record SegmentDefinitionError(string SegmentId, string Message)
{
    /// <summary>Formats the error as <c>segment id: message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{SegmentId}: {Message}";
}

/// <summary>The outcome of <see cref="SegmentSet.Create"/>.</summary>
/// <param name="Value">The set; <see langword="null"/> when there are errors.</param>
/// <param name="Errors">Every error.</param>
public sealed record SegmentSetResult(SegmentSet? Value, ImmutableArray<SegmentDefinitionError> Errors)
{
    /// <summary>Gets whether every definition was valid.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>Returns the set or throws.</summary>
    /// <returns>The set.</returns>
    /// <exception cref="SegmentDefinitionException">A definition is invalid; the exception lists every error.</exception>
    public SegmentSet GetValueOrThrow() => Value ?? throw new SegmentDefinitionException(Errors);
}

/// <summary>Thrown by <see cref="SegmentSetResult.GetValueOrThrow"/> when segment definitions do not bind.</summary>
public sealed class SegmentDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The errors.</param>
    public SegmentDefinitionException(ImmutableArray<SegmentDefinitionError> errors)
        : base($"{errors.Length} segment definition error(s): {string.Join("; ", errors)}") => Errors = errors;

    /// <summary>Gets the errors.</summary>
    public ImmutableArray<SegmentDefinitionError> Errors { get; }
}

/// <summary>The members of every segment of a set, as of one instant.</summary>
/// <param name="Population">The customers evaluated.</param>
/// <param name="AsOf">The instant.</param>
/// <param name="Memberships">One per segment, in the set's order.</param>
public sealed record SegmentEvaluation(SegmentPopulation Population, Instant AsOf, ImmutableArray<SegmentMembership> Memberships)
{
    /// <summary>Gets a segment's members.</summary>
    /// <param name="segmentId">The segment id.</param>
    /// <returns>The membership.</returns>
    /// <exception cref="KeyNotFoundException">There is no such segment.</exception>
    public SegmentMembership this[string segmentId] =>
        Memberships.FirstOrDefault(m => string.Equals(m.Definition.Id, segmentId, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"The evaluation has no segment '{segmentId}'.");

    /// <summary>Counts the customers in each pair of segments.</summary>
    /// <returns>The overlap matrix.</returns>
    public SegmentOverlap Overlaps() => SegmentOverlap.Of(Memberships);
}

/// <summary>The members of one segment as of an instant: a bitset over the population's ordinals.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class SegmentMembership
{
    private readonly ulong[] _bits;

    internal SegmentMembership(SegmentDefinition definition, SegmentPopulation population, Instant asOf, ulong[] bits)
    {
        Definition = definition;
        Population = population;
        AsOf = asOf;
        _bits = bits;
        var n = 0;
        foreach (var w in bits)
        {
            n += BitOperations.PopCount(w);
        }

        Count = n;
    }

    /// <summary>Gets the segment.</summary>
    public SegmentDefinition Definition { get; }

    /// <summary>Gets the population evaluated.</summary>
    public SegmentPopulation Population { get; }

    /// <summary>Gets the instant.</summary>
    public Instant AsOf { get; }

    /// <summary>Gets the number of members.</summary>
    public int Count { get; }

    /// <summary>Gets the members' share of the population (0 for an empty population).</summary>
    public double Share => Population.Count == 0 ? 0 : (double)Count / Population.Count;

    internal ulong[] Bits => _bits;

    /// <summary>Tells whether a population ordinal is a member.</summary>
    /// <param name="ordinal">The ordinal.</param>
    /// <returns><see langword="true"/> when a member.</returns>
    public bool ContainsOrdinal(int ordinal) => ordinal >= 0 && ordinal < Population.Count && (_bits[ordinal >> 6] & (1UL << ordinal)) != 0;

    /// <summary>Tells whether a customer is a member.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns><see langword="true"/> when a member.</returns>
    public bool Contains(CustomerId customerId) => ContainsOrdinal(Population.OrdinalOf(customerId));

    /// <summary>Gets the members' ordinals, ascending.</summary>
    /// <returns>The ordinals.</returns>
    public IEnumerable<int> Ordinals()
    {
        for (var w = 0; w < _bits.Length; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                yield return (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }

    /// <summary>Gets the members, in population order.</summary>
    /// <returns>The customer ids.</returns>
    public IEnumerable<CustomerId> Members() => Ordinals().Select(o => Population.Ids[o]);

    /// <summary>Describes the members: size, share, revenue, CLV, tier, stage, tag and RFM segment mixes.</summary>
    /// <param name="topTags">How many tags to list; default 10.</param>
    /// <returns>The profile.</returns>
    public SegmentProfile Profile(int topTags = 10) => SegmentProfile.Of(this, topTags);
}
