using System.Collections.Immutable;

namespace CustomerSegmentation.Scoring;

/// <summary>
/// Names RFM score combinations: the first matching row wins, score ranges are inclusive, and a combination no
/// row matches is named <see cref="FallbackName"/>.
/// </summary>
public sealed class RfmSegmentTable
{
    /// <summary>Creates a table.</summary>
    /// <param name="rules">The rows in priority order; not empty.</param>
    /// <param name="fallbackName">The name when no row matches; default <c>Others</c>.</param>
    /// <exception cref="ArgumentException">No rows, a row with an empty name or an empty range, or an empty fallback name.</exception>
    public RfmSegmentTable(IEnumerable<RfmSegmentRule> rules, string fallbackName = "Others")
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentException.ThrowIfNullOrWhiteSpace(fallbackName);
        Rules = [.. rules];
        if (Rules.IsEmpty)
        {
            throw new ArgumentException("An RFM segment table needs at least one row.", nameof(rules));
        }

        foreach (var rule in Rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Name) || rule.RMin > rule.RMax || rule.FMin > rule.FMax || rule.MMin > rule.MMax)
            {
                throw new ArgumentException($"RFM segment row '{rule.Name}' has an empty name or an empty score range.", nameof(rules));
            }
        }

        FallbackName = fallbackName;
    }

    /// <summary>Gets the widely used default table (Champions, Loyal Customers, Potential Loyalist, New Customers, Promising, Need Attention, About To Sleep, At Risk, Can't Lose Them, Lost) for 1..5 scores.</summary>
    public static RfmSegmentTable Default { get; } = new(
    [
        new("Champions", 4, 5, 4, 5, 4, 5),
        new("Loyal Customers", 2, 5, 3, 5, 3, 5),
        new("Potential Loyalist", 3, 5, 1, 3, 1, 3),
        new("New Customers", 4, 5, 1, 1, 1, 1),
        new("Promising", 3, 4, 1, 1, 1, 1),
        new("Need Attention", 2, 3, 2, 3, 2, 3),
        new("About To Sleep", 2, 3, 1, 2, 1, 2),
        new("At Risk", 1, 2, 2, 5, 2, 5),
        new("Can't Lose Them", 1, 1, 4, 5, 4, 5),
        new("Lost", 1, 2, 1, 2, 1, 2),
    ]);

    /// <summary>Gets the rows in priority order.</summary>
    public ImmutableArray<RfmSegmentRule> Rules { get; }

    /// <summary>Gets the name given when no row matches.</summary>
    public string FallbackName { get; }

    /// <summary>Finds the index of the first matching row.</summary>
    /// <param name="r">Recency score.</param>
    /// <param name="f">Frequency score.</param>
    /// <param name="m">Monetary score.</param>
    /// <returns>The row index, or −1 when no row matches (the fallback applies).</returns>
    public int IndexOf(int r, int f, int m)
    {
        var rules = Rules.AsSpan();
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(r, f, m))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Names a score combination.</summary>
    /// <param name="r">Recency score.</param>
    /// <param name="f">Frequency score.</param>
    /// <param name="m">Monetary score.</param>
    /// <returns>The first matching row's name, or <see cref="FallbackName"/>.</returns>
    public string Classify(int r, int f, int m)
    {
        var i = IndexOf(r, f, m);
        return i < 0 ? FallbackName : Rules[i].Name;
    }
}
