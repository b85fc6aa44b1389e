using System.Collections.Immutable;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// The entry bounds a single-metric policy put in force for one evaluation: a value reaches level <c>k</c> when it
/// meets the bounds of levels 1..k. Bounds never decrease with the level (they never increase for a lower-is-better
/// metric), so a better value never gets a lower tier.
/// </summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class TierCutPoints
{
    // Keys are metric values turned "higher is better" (negated for lower-is-better metrics) so one loop serves both.
    private readonly decimal[] _keys;
    private readonly int _reachable;
    private readonly bool _inclusive;
    private readonly bool _higherIsBetter;

    // The same keys as exact fixed-point longs, when every bound has at most four decimals (money, counts).
    private readonly long[] _scaledKeys;
    private readonly bool _scaled;

    internal TierCutPoints(TierLadder ladder, decimal?[] keysByLevel, bool inclusive, bool higherIsBetter, int ranked, decimal? total)
    {
        _inclusive = inclusive;
        _higherIsBetter = higherIsBetter;
        _keys = new decimal[keysByLevel.Length];
        _reachable = 0;
        var bounds = ImmutableArray.CreateBuilder<TierBound>(keysByLevel.Length);
        for (var i = 0; i < keysByLevel.Length; i++)
        {
            var key = keysByLevel[i];
            if (key is { } k && _reachable == i)
            {
                _keys[i] = k;
                _reachable++;
            }

            var value = key is { } kk && i < _reachable ? (higherIsBetter ? kk : -kk) : (decimal?)null;
            bounds.Add(new TierBound(ladder[i + 1], value, inclusive, higherIsBetter));
        }

        Bounds = bounds.MoveToImmutable();
        _scaledKeys = new long[_reachable];
        _scaled = true;
        for (var i = 0; i < _reachable; i++)
        {
            _scaled &= ScaledKeys.TryGet(_keys[i], out _scaledKeys[i]);
        }
        Ranked = ranked;
        Total = total;
    }

    /// <summary>Gets the bound of every tier above the lowest, lowest first (element <c>k − 1</c> is the bound of level <c>k</c>).</summary>
    public ImmutableArray<TierBound> Bounds { get; }

    /// <summary>Gets the number of values the bounds were computed from (0 for a threshold policy, whose bounds are fixed).</summary>
    public int Ranked { get; }

    /// <summary>Gets the metric total a Pareto policy shared out (negative values count as 0); <see langword="null"/> for other kinds.</summary>
    public decimal? Total { get; }

    /// <summary>Gets the level (0 = lowest tier) a metric value reaches.</summary>
    /// <param name="value">The metric value.</param>
    /// <returns>The level.</returns>
    public int LevelOf(decimal value) => LevelOfKey(_higherIsBetter ? value : -value);

    /// <summary>Assigns levels to a column of values: <c>levels[i] = LevelOf(values[i])</c>. Allocation-free.</summary>
    /// <param name="values">The metric values.</param>
    /// <param name="levels">Receives the levels; at least as long as <paramref name="values"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is shorter than <paramref name="values"/>.</exception>
    public void AssignLevels(ReadOnlySpan<decimal> values, Span<byte> levels)
    {
        if (levels.Length < values.Length)
        {
            throw new ArgumentException($"levels holds {levels.Length} elements, values {values.Length}.", nameof(levels));
        }

        if (_higherIsBetter && _scaled)
        {
            AssignScaled(values, levels);
            return;
        }

        ReadOnlySpan<decimal> keys = _keys.AsSpan(0, _reachable);
        if (_higherIsBetter && _inclusive)
        {
            // The hot paths: "at least" thresholds here, quantile policies ("strictly better than") below.
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                var level = 0;
                while (level < keys.Length && v >= keys[level])
                {
                    level++;
                }

                levels[i] = (byte)level;
            }

            return;
        }

        if (_higherIsBetter)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                var level = 0;
                while (level < keys.Length && v > keys[level])
                {
                    level++;
                }

                levels[i] = (byte)level;
            }

            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            levels[i] = (byte)LevelOf(values[i]);
        }
    }

    private void AssignScaled(ReadOnlySpan<decimal> values, Span<byte> levels)
    {
        ReadOnlySpan<long> keys = _scaledKeys;
        var inclusive = _inclusive ? 1 : 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!ScaledKeys.TryGet(values[i], out var v))
            {
                levels[i] = (byte)LevelOfKey(values[i]);
                continue;
            }

            // v + inclusive > k is v >= k when inclusive and v > k otherwise (TryGet keeps v below long.MaxValue).
            var level = 0;
            var w = v + inclusive;
            while (level < keys.Length && w > keys[level])
            {
                level++;
            }

            levels[i] = (byte)level;
        }
    }

    /// <summary>
    /// <see cref="LevelOf"/> for a value given as an exact fixed-point key (value × 10⁴) of a higher-is-better metric,
    /// without a decimal; false when these cut points have no fixed-point form or the metric is lower-is-better.
    /// </summary>
    internal bool TryLevelOfScaled(long key, out int level)
    {
        level = 0;
        if (!_higherIsBetter || !_scaled || key == long.MaxValue)
        {
            return false;
        }

        // key + inclusive > k is key >= k when inclusive and key > k otherwise, as in AssignScaled.
        ReadOnlySpan<long> keys = _scaledKeys;
        var w = key + (_inclusive ? 1 : 0);
        while (level < keys.Length && w > keys[level])
        {
            level++;
        }

        return true;
    }

    internal int LevelOfKey(decimal key)
    {
        var level = 0;
        while (level < _reachable && (_inclusive ? key >= _keys[level] : key > _keys[level]))
        {
            level++;
        }

        return level;
    }
}
