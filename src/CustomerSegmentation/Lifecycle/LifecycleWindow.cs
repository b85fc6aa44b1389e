using System.Globalization;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>How a <see cref="LifecycleWindow"/> measures its length.</summary>
public enum LifecycleWindowKind
{
    /// <summary>A fixed number of days for every customer.</summary>
    Days = 0,

    /// <summary>A multiple of the customer's own median gap between purchases, so monthly and yearly buyers are judged by their rhythm.</summary>
    MedianGapMultiple = 1,
}

/// <summary>
/// A length of time that a lifecycle rule compares the days since the last purchase with: either absolute
/// (<see cref="OfDays(int)"/>) or relative to the customer's rhythm (<see cref="OfMedianGap(double, int, int?, int?)"/>).
/// </summary>
/// <remarks>
/// <para>A relative window is <see cref="Multiple"/> × the customer's median gap in days (fractional), clamped to
/// [<see cref="MinDays"/>, <see cref="MaxDays"/>] when those are set; a customer with fewer than two purchases has no
/// median gap and gets <see cref="Days"/> (the fallback) instead.</para>
/// <para>The default value is a zero-day absolute window, which models reject: build windows with the factories.</para>
/// </remarks>
public readonly record struct LifecycleWindow
{
    private const double TicksPerDay = NodaConstants.TicksPerDay;

    private LifecycleWindow(LifecycleWindowKind kind, int days, double multiple, int? minDays, int? maxDays)
    {
        Kind = kind;
        Days = days;
        Multiple = multiple;
        MinDays = minDays;
        MaxDays = maxDays;
    }

    /// <summary>Gets how the window measures its length.</summary>
    public LifecycleWindowKind Kind { get; }

    /// <summary>Gets the length in days of an absolute window, or the fallback of a relative window for customers without a median gap.</summary>
    public int Days { get; }

    /// <summary>Gets the multiple of the median gap of a relative window (0 for an absolute one).</summary>
    public double Multiple { get; }

    /// <summary>Gets the shortest length of a relative window in days, if bounded.</summary>
    public int? MinDays { get; }

    /// <summary>Gets the longest length of a relative window in days, if bounded.</summary>
    public int? MaxDays { get; }

    /// <summary>Creates an absolute window.</summary>
    /// <param name="days">The length in days, 1..36500.</param>
    /// <returns>The window.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is outside 1..36500.</exception>
    public static LifecycleWindow OfDays(int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 36500);
        return new LifecycleWindow(LifecycleWindowKind.Days, days, 0, null, null);
    }

    /// <summary>Creates a window relative to the customer's median gap between purchases.</summary>
    /// <param name="multiple">The multiple of the median gap, greater than 0 and at most 1000.</param>
    /// <param name="fallbackDays">The length in days for customers with fewer than two purchases, 1..36500.</param>
    /// <param name="minDays">The shortest length in days, if bounded (1..36500).</param>
    /// <param name="maxDays">The longest length in days, if bounded (1..36500, at least <paramref name="minDays"/>).</param>
    /// <returns>The window.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range, or <paramref name="maxDays"/> is below <paramref name="minDays"/>.</exception>
    public static LifecycleWindow OfMedianGap(double multiple, int fallbackDays, int? minDays = null, int? maxDays = null)
    {
        if (!(multiple > 0 && multiple <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(multiple), multiple, "The multiple must be greater than 0 and at most 1000.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(fallbackDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fallbackDays, 36500);
        if (minDays is { } min)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(min, 1, nameof(minDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(min, 36500, nameof(minDays));
        }

        if (maxDays is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, minDays ?? 1, nameof(maxDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 36500, nameof(maxDays));
        }

        return new LifecycleWindow(LifecycleWindowKind.MedianGapMultiple, fallbackDays, multiple, minDays, maxDays);
    }

    /// <summary>Gets the window's length in days for a customer.</summary>
    /// <param name="medianGap">The customer's median gap between purchases, or <see langword="null"/> with fewer than two purchases.</param>
    /// <returns>The length in days (fractional for a relative window).</returns>
    public double ResolveDays(Duration? medianGap) =>
        ResolveDays(medianGap is { } gap ? gap.BclCompatibleTicks : LifecycleColumns.None);

    internal double ResolveDays(long medianGapTicks)
    {
        if (Kind == LifecycleWindowKind.Days || medianGapTicks == LifecycleColumns.None)
        {
            return Days;
        }

        var days = Multiple * (medianGapTicks / TicksPerDay);
        if (MinDays is { } min && days < min)
        {
            days = min;
        }

        if (MaxDays is { } max && days > max)
        {
            days = max;
        }

        return days;
    }

    /// <summary>Describes the window, e.g. <c>90 days</c> or <c>3 × median gap (fallback 90 days, 14..365 days)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        if (Kind == LifecycleWindowKind.Days)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Days} days");
        }

        var bounds = (MinDays, MaxDays) switch
        {
            (null, null) => string.Empty,
            ({ } lo, null) => string.Create(CultureInfo.InvariantCulture, $", at least {lo} days"),
            (null, { } hi) => string.Create(CultureInfo.InvariantCulture, $", at most {hi} days"),
            ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $", {lo}..{hi} days"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Multiple:0.###} × median gap (fallback {Days} days{bounds})");
    }
}
