using System.Globalization;
using CustomerSegmentation.Activity;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// A named number read from a <see cref="TierSubject"/> that a policy grades by: net spend, purchase count,
/// referrals, spend in a summary window, or a host-supplied value (points, RFM score, CLV…).
/// </summary>
/// <remarks>
/// <para>The <see cref="Name"/> of a built-in metric is also its JSON spelling:
/// <c>netSpend</c>, <c>grossSpend</c>, <c>averageSpend</c>, <c>purchaseCount</c>, <c>distinctPurchaseDays</c>,
/// <c>referralsMade</c>, <c>recencyDays</c> (lower is better), <c>window:&lt;name&gt;</c> (net spend in the summary window),
/// <c>windowCount:&lt;name&gt;</c> (purchases in the window) and <c>host:&lt;key&gt;</c> (a host value).</para>
/// <para>A metric may have no value for a customer (no summary, no such window or host value, average of no purchases):
/// policies then give the lowest tier and say so in the reason.</para>
/// </remarks>
/// <threadsafety>Immutable; safe to share when the selector is.</threadsafety>
public sealed class TierMetric : IEquatable<TierMetric>
{
    private const string WindowPrefix = "window:";
    private const string WindowCountPrefix = "windowCount:";
    private const string HostPrefix = "host:";

    private readonly Func<TierSubject, decimal?> _selector;

    private TierMetric(string name, bool higherIsBetter, Func<TierSubject, decimal?> selector, bool builtIn)
    {
        Name = name;
        HigherIsBetter = higherIsBetter;
        _selector = selector;
        IsBuiltIn = builtIn;
    }

    /// <summary>Gets the net spend (<see cref="ActivitySummary.NetSpend"/>).</summary>
    public static TierMetric NetSpend { get; } = new("netSpend", true, s => s.Summary?.NetSpend, true);

    /// <summary>Gets the gross spend before refunds.</summary>
    public static TierMetric GrossSpend { get; } = new("grossSpend", true, s => s.Summary?.GrossSpend, true);

    /// <summary>Gets the average net spend per purchase (no value without purchases).</summary>
    public static TierMetric AverageSpend { get; } = new("averageSpend", true, s => s.Summary?.AverageSpend, true);

    /// <summary>Gets the purchase count (the repurchase count plus one).</summary>
    public static TierMetric PurchaseCount { get; } = new("purchaseCount", true, s => s.Summary?.PurchaseCount, true);

    /// <summary>Gets the number of distinct days with a purchase.</summary>
    public static TierMetric DistinctPurchaseDays { get; } = new("distinctPurchaseDays", true, s => s.Summary?.DistinctPurchaseDays, true);

    /// <summary>Gets the number of referrals the customer made.</summary>
    public static TierMetric ReferralsMade { get; } = new("referralsMade", true, s => s.Summary?.ReferralsMade, true);

    /// <summary>Gets the whole UTC days since the last purchase; lower is better; no value without purchases.</summary>
    public static TierMetric RecencyDays { get; } = new("recencyDays", false, s => s.Summary?.RecencyDays(), true);

    /// <summary>Gets the net spend of a summary window (see <see cref="ActivitySummary.Windows"/>), e.g. <c>last365</c>.</summary>
    /// <param name="windowName">The window's configured name.</param>
    /// <returns>The metric <c>window:&lt;name&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="windowName"/> is blank.</exception>
    public static TierMetric WindowSpend(string windowName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(windowName);
        return new(WindowPrefix + windowName, true, s => FindWindow(s, windowName)?.NetSpend, true);
    }

    /// <summary>Gets the purchase count of a summary window.</summary>
    /// <param name="windowName">The window's configured name.</param>
    /// <returns>The metric <c>windowCount:&lt;name&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="windowName"/> is blank.</exception>
    public static TierMetric WindowPurchaseCount(string windowName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(windowName);
        return new(WindowCountPrefix + windowName, true, s => FindWindow(s, windowName)?.PurchaseCount, true);
    }

    /// <summary>Gets a host-supplied value from <see cref="TierSubject.Values"/>.</summary>
    /// <param name="key">The value's key, e.g. <c>points</c> or <c>rfmScore</c>.</param>
    /// <param name="higherIsBetter">Whether a larger value is better; <see langword="true"/> by default.</param>
    /// <returns>The metric <c>host:&lt;key&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is blank.</exception>
    public static TierMetric Host(string key, bool higherIsBetter = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return new(HostPrefix + key, higherIsBetter, s => s.Values.TryGetValue(key, out var v) ? v : null, true);
    }

    /// <summary>Creates a metric computed by host code. It cannot be written to JSON unless the reader resolves its name.</summary>
    /// <param name="name">A name for explanations.</param>
    /// <param name="selector">Reads the value; returns <see langword="null"/> when the customer has none. Must be pure.</param>
    /// <param name="higherIsBetter">Whether a larger value is better.</param>
    /// <returns>The metric.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is <see langword="null"/>.</exception>
    public static TierMetric Custom(string name, Func<TierSubject, decimal?> selector, bool higherIsBetter = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(selector);
        return new(name, higherIsBetter, selector, false);
    }

    /// <summary>Parses a built-in metric name (see the remarks of <see cref="TierMetric"/>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="higherIsBetter">For <c>host:</c> metrics, the direction; ignored for the others (their direction is fixed).</param>
    /// <param name="metric">The metric when the name is known.</param>
    /// <returns><see langword="true"/> when the name is a built-in metric.</returns>
    public static bool TryParse(string? name, bool higherIsBetter, out TierMetric metric)
    {
        metric = null!;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        TierMetric? found = name switch
        {
            "netSpend" => NetSpend,
            "grossSpend" => GrossSpend,
            "averageSpend" => AverageSpend,
            "purchaseCount" => PurchaseCount,
            "distinctPurchaseDays" => DistinctPurchaseDays,
            "referralsMade" => ReferralsMade,
            "recencyDays" => RecencyDays,
            _ when Suffix(name, WindowPrefix) is { } w => WindowSpend(w),
            _ when Suffix(name, WindowCountPrefix) is { } w => WindowPurchaseCount(w),
            _ when Suffix(name, HostPrefix) is { } k => Host(k, higherIsBetter),
            _ => null,
        };
        if (found is null)
        {
            return false;
        }

        metric = found;
        return true;
    }

    /// <summary>Gets the metric's name, e.g. <c>netSpend</c> or <c>host:points</c>.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether a larger value is better (spend, counts) or a smaller one (recency).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Gets a value indicating whether the metric is built in (and so can be written to JSON by name).</summary>
    public bool IsBuiltIn { get; }

    /// <summary>Reads the metric for a customer.</summary>
    /// <param name="subject">The customer.</param>
    /// <returns>The value, or <see langword="null"/> when the customer has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is <see langword="null"/>.</exception>
    public decimal? Read(TierSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return _selector(subject);
    }

    /// <inheritdoc />
    public bool Equals(TierMetric? other) =>
        other is not null && (ReferenceEquals(this, other) ||
        (IsBuiltIn && other.IsBuiltIn && Name == other.Name && HigherIsBetter == other.HigherIsBetter));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TierMetric);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, HigherIsBetter);

    /// <summary>Returns the name, with <c>(lower is better)</c> when it is.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => HigherIsBetter ? Name : string.Create(CultureInfo.InvariantCulture, $"{Name} (lower is better)");

    private static string? Suffix(string name, string prefix) =>
        name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;

    private static WindowTotals? FindWindow(TierSubject s, string name)
    {
        if (s.Summary is null)
        {
            return null;
        }

        foreach (var w in s.Summary.Windows)
        {
            if (string.Equals(w.Name, name, StringComparison.Ordinal))
            {
                return w;
            }
        }

        return null;
    }
}
