using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>
/// A named time window counted back from the as-of instant, e.g. the last 90 days (<c>Offset</c> zero) or the
/// 90 days before those (<c>Offset</c> 90 days). The summary reports purchases and net spend per window as
/// <see cref="WindowTotals"/>.
/// </summary>
/// <remarks>
/// <para>A window covers <c>[asOf − Offset − Length, asOf − Offset)</c>. The window that ends at the as-of instant
/// (<see cref="Offset"/> zero) also includes the as-of instant itself, so its <see cref="WindowTotals.To"/> is
/// <c>asOf + 1 ns</c>; consecutive windows therefore tile time without gap or overlap.</para>
/// </remarks>
public sealed record SummaryWindow
{
    /// <summary>Creates a window.</summary>
    /// <param name="name">The name reported in <see cref="WindowTotals.Name"/>, e.g. <c>last90</c>; not empty.</param>
    /// <param name="length">The window's length; positive.</param>
    /// <param name="offset">How far before the as-of instant the window ends; zero or positive. Default zero.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive or <paramref name="offset"/> is negative.</exception>
    public SummaryWindow(string name, Duration length, Duration offset = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (length <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A window's length must be positive.");
        }

        if (offset < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A window's offset must not be negative.");
        }

        Name = name;
        Length = length;
        Offset = offset;
    }

    /// <summary>Gets the window's name.</summary>
    public string Name { get; }

    /// <summary>Gets the window's length.</summary>
    public Duration Length { get; }

    /// <summary>Gets how far before the as-of instant the window ends.</summary>
    /// <value>Zero for a window that ends at the as-of instant.</value>
    public Duration Offset { get; }

    /// <summary>Creates the window of the last <paramref name="days"/> days (24-hour days) before the as-of instant.</summary>
    /// <param name="name">The window's name.</param>
    /// <param name="days">The length in days; positive.</param>
    /// <returns>The window.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is not positive.</exception>
    public static SummaryWindow LastDays(string name, int days) => new(name, Duration.FromDays(days));

    /// <summary>
    /// Creates <paramref name="count"/> consecutive windows of <paramref name="length"/>, most recent first, named
    /// <c>{prefix}0</c>, <c>{prefix}1</c>, … (e.g. the last 90 days and the 90 before).
    /// </summary>
    /// <param name="prefix">The name prefix; not empty.</param>
    /// <param name="length">Each window's length; positive.</param>
    /// <param name="count">How many windows; at least 1.</param>
    /// <returns>The windows.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive or <paramref name="count"/> is below 1.</exception>
    public static IReadOnlyList<SummaryWindow> Consecutive(string prefix, Duration length, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var windows = new SummaryWindow[count];
        for (var i = 0; i < count; i++)
        {
            windows[i] = new SummaryWindow(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), length, length * i);
        }

        return windows;
    }

    /// <summary>Gets the first instant included for an as-of instant.</summary>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>The window's start.</returns>
    public Instant FromFor(Instant asOf) => asOf - Offset - Length;

    /// <summary>Gets the first instant excluded for an as-of instant (<c>asOf + 1 ns</c> when <see cref="Offset"/> is zero).</summary>
    /// <param name="asOf">The as-of instant.</param>
    /// <returns>The window's end.</returns>
    public Instant ToFor(Instant asOf) => Offset == Duration.Zero ? asOf + Duration.Epsilon : asOf - Offset;
}
