namespace CustomerSegmentation.Tiers;

/// <summary>
/// One rung of a <see cref="TierLadder"/>: its host-chosen name (e.g. <c>VIP</c>, <c>标准</c>, <c>A</c>) and its
/// level, 0 for the lowest (entry) tier and <c>ladder.Count − 1</c> for the top tier.
/// </summary>
/// <remarks>Tiers compare by <see cref="Level"/>: a greater tier is a better one.</remarks>
/// <param name="Name">The tier's name, unique within its ladder.</param>
/// <param name="Level">The tier's level: 0 is the lowest.</param>
public readonly record struct Tier(string Name, int Level) : IComparable<Tier>
{
    /// <inheritdoc />
    public int CompareTo(Tier other) => Level.CompareTo(other.Level);

    /// <summary>Returns the tier's name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name ?? string.Empty;

    /// <summary>Compares two tiers by level.</summary>
    /// <param name="left">The first tier.</param>
    /// <param name="right">The second tier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is lower.</returns>
    public static bool operator <(Tier left, Tier right) => left.Level < right.Level;

    /// <summary>Compares two tiers by level.</summary>
    /// <param name="left">The first tier.</param>
    /// <param name="right">The second tier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is higher.</returns>
    public static bool operator >(Tier left, Tier right) => left.Level > right.Level;

    /// <summary>Compares two tiers by level.</summary>
    /// <param name="left">The first tier.</param>
    /// <param name="right">The second tier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is lower or at the same level.</returns>
    public static bool operator <=(Tier left, Tier right) => left.Level <= right.Level;

    /// <summary>Compares two tiers by level.</summary>
    /// <param name="left">The first tier.</param>
    /// <param name="right">The second tier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is higher or at the same level.</returns>
    public static bool operator >=(Tier left, Tier right) => left.Level >= right.Level;
}
