namespace CustomerSegmentation.Partitioning;

/// <summary>Accumulates one shard's or partition's <see cref="RfmPartial"/> customer by customer.</summary>
/// <threadsafety>Not safe for concurrent use; use one builder per thread and merge the partials.</threadsafety>
public sealed class RfmPartialBuilder
{
    private readonly Dictionary<long, long> _lastDays = [];
    private readonly Dictionary<long, long> _frequencies = [];
    private readonly Dictionary<long, long> _monetary = [];

    /// <summary>Adds a customer with at least one purchase.</summary>
    /// <param name="lastDay">The last purchase day (days since 1970-01-01).</param>
    /// <param name="frequency">The number of purchases, at least 1.</param>
    /// <param name="monetaryUnits">The net spend in units of 1/10 000.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frequency"/> is less than 1 (customers with refunds only are not scored).</exception>
    public RfmPartialBuilder Add(long lastDay, long frequency, long monetaryUnits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frequency, 1);
        Count(_lastDays, lastDay);
        Count(_frequencies, frequency);
        Count(_monetary, monetaryUnits);
        return this;
    }

    /// <summary>Builds the partial of the customers added so far.</summary>
    /// <returns>The partial.</returns>
    public RfmPartial Build() => RfmPartial.FromHistograms(_lastDays, _frequencies, _monetary);

    private static void Count(Dictionary<long, long> histogram, long value) =>
        histogram[value] = histogram.TryGetValue(value, out var n) ? n + 1 : 1;
}
