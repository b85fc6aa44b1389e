using System.Collections;
using System.Collections.Immutable;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// The ordered tiers of a policy, listed from the lowest (entry) tier to the top tier, e.g.
/// <c>["潜力客户", "标准客户", "VIP"]</c> or <c>["C", "B", "A"]</c>. Names are compared ordinally (case-sensitive).
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class TierLadder : IReadOnlyList<Tier>, IEquatable<TierLadder>
{
    /// <summary>The most tiers a ladder may hold.</summary>
    public const int MaxTiers = 32;

    private readonly ImmutableArray<Tier> _tiers;
    private readonly Dictionary<string, Tier> _byName;

    /// <summary>Creates a ladder from its tier names, lowest first.</summary>
    /// <param name="namesLowestFirst">Two to <see cref="MaxTiers"/> distinct, non-blank names, lowest tier first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="namesLowestFirst"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidTierPolicyException">Fewer than two or more than <see cref="MaxTiers"/> tiers, a blank name or a duplicate name.</exception>
    public TierLadder(IEnumerable<string> namesLowestFirst)
    {
        ArgumentNullException.ThrowIfNull(namesLowestFirst);
        var names = namesLowestFirst.ToArray();
        if (names.Length < 2 || names.Length > MaxTiers)
        {
            throw new InvalidTierPolicyException(null, $"a tier ladder needs 2..{MaxTiers} tiers (got {names.Length})");
        }

        _byName = new Dictionary<string, Tier>(StringComparer.Ordinal);
        var builder = ImmutableArray.CreateBuilder<Tier>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw new InvalidTierPolicyException(null, $"tier name at position {i} is blank");
            }

            var tier = new Tier(names[i], i);
            if (!_byName.TryAdd(names[i], tier))
            {
                throw new InvalidTierPolicyException(null, $"tier name '{names[i]}' appears twice in the ladder");
            }

            builder.Add(tier);
        }

        _tiers = builder.MoveToImmutable();
    }

    /// <summary>Creates a ladder from its tier names, lowest first.</summary>
    /// <param name="namesLowestFirst">The names, lowest tier first.</param>
    /// <returns>The ladder.</returns>
    /// <exception cref="InvalidTierPolicyException">See <see cref="TierLadder(IEnumerable{string})"/>.</exception>
    public static TierLadder Of(params string[] namesLowestFirst) => new(namesLowestFirst);

    /// <summary>Gets the number of tiers.</summary>
    public int Count => _tiers.Length;

    /// <summary>Gets the lowest (entry) tier, level 0.</summary>
    public Tier Lowest => _tiers[0];

    /// <summary>Gets the top tier.</summary>
    public Tier Highest => _tiers[^1];

    /// <summary>Gets the tier at a level.</summary>
    /// <param name="index">The level, 0..Count−1.</param>
    /// <returns>The tier.</returns>
    public Tier this[int index] => _tiers[index];

    /// <summary>Gets the tier with a name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The tier.</returns>
    /// <exception cref="ArgumentException">No tier has that name.</exception>
    public Tier this[string name] => TryGet(name, out var t)
        ? t
        : throw new ArgumentException($"The ladder has no tier '{name}' (tiers: {this}).", nameof(name));

    /// <summary>Looks a tier up by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="tier">The tier when found.</param>
    /// <returns><see langword="true"/> when the ladder holds a tier with that name.</returns>
    public bool TryGet(string? name, out Tier tier)
    {
        if (name is null)
        {
            tier = default;
            return false;
        }

        return _byName.TryGetValue(name, out tier);
    }

    /// <summary>Tells whether the ladder holds exactly this tier (same name at the same level).</summary>
    /// <param name="tier">The tier.</param>
    /// <returns><see langword="true"/> when it belongs to this ladder.</returns>
    public bool Contains(Tier tier) => tier.Level >= 0 && tier.Level < _tiers.Length && _tiers[tier.Level] == tier;

    /// <inheritdoc />
    public IEnumerator<Tier> GetEnumerator() => ((IEnumerable<Tier>)_tiers).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(TierLadder? other) => other is not null && (ReferenceEquals(this, other) || _tiers.SequenceEqual(other._tiers));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TierLadder);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var t in _tiers)
        {
            hash.Add(t);
        }

        return hash.ToHashCode();
    }

    /// <summary>Lists the tiers lowest first, e.g. <c>C &lt; B &lt; A</c>.</summary>
    /// <returns>The ladder as text.</returns>
    public override string ToString() => string.Join(" < ", _tiers.Select(t => t.Name));
}
