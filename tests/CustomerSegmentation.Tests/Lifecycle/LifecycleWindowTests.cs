using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleWindowTests
{
    private static readonly LifecycleModel Relative = LifecycleModel.CreateDefault(new DefaultLifecycleOptions
    {
        AtRiskWindow = LifecycleWindow.OfMedianGap(3, fallbackDays: 90),
        LostWindow = LifecycleWindow.OfMedianGap(6, fallbackDays: 180),
    });

    private static Instant[] Every(int days, int count) => [.. Enumerable.Range(0, count).Select(i => Day(i * days))];

    [Fact]
    public void OfDays_ResolvesToItsDaysWhateverTheGap()
    {
        var w = LifecycleWindow.OfDays(90);
        Assert.Equal(LifecycleWindowKind.Days, w.Kind);
        Assert.Equal(90, w.ResolveDays(null));
        Assert.Equal(90, w.ResolveDays(Duration.FromDays(3)));
        Assert.Equal("90 days", w.ToString());
    }

    [Fact]
    public void OfMedianGap_ResolvesToMultipleOfGap_FallbackWithoutGap_ClampedToBounds()
    {
        var w = LifecycleWindow.OfMedianGap(2.5, fallbackDays: 60, minDays: 14, maxDays: 365);
        Assert.Equal(LifecycleWindowKind.MedianGapMultiple, w.Kind);
        Assert.Equal(75, w.ResolveDays(Duration.FromDays(30)));
        Assert.Equal(30, w.ResolveDays(Duration.FromHours(288))); // 12 days × 2.5
        Assert.Equal(14, w.ResolveDays(Duration.FromDays(2)));
        Assert.Equal(365, w.ResolveDays(Duration.FromDays(400)));
        Assert.Equal(60, w.ResolveDays(null));
        Assert.Equal("2.5 × median gap (fallback 60 days, 14..365 days)", w.ToString());
    }

    [Fact]
    public void Factories_BadFigures_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleWindow.OfDays(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleWindow.OfDays(36501));
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleWindow.OfMedianGap(0, 90));
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleWindow.OfMedianGap(double.NaN, 90));
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleWindow.OfMedianGap(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleWindow.OfMedianGap(2, 90, minDays: 30, maxDays: 10));
    }

    [Fact]
    public void RelativeAtRisk_WeeklyBuyer_IsAtRiskAfterThreeMissedWeeks()
    {
        var buys = Every(7, 6); // last purchase day 35, median gap 7 days, window 21 days
        Assert.Equal(Repeat, Relative.Evaluate(In(Relative, Repeat, Day(35)), Summary(Day(56), buys)).Stage);
        var e = Relative.Evaluate(In(Relative, Repeat, Day(35)), Summary(Day(57), buys));
        Assert.Equal(AtRisk, e.Stage);
        Assert.Contains(e.Moves[0].Figures, f => f is { Actual: 22, Threshold: 21 });
        Assert.Contains("3 × median gap (fallback 90 days)", e.Moves[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeAtRisk_YearlyBuyer_IsNotAtRiskAfterFourHundredDays_WhileAbsoluteWindowSaysAtRisk()
    {
        var buys = Every(365, 3); // last purchase day 730, median gap 365 days, window 1095 days
        var asOf = Day(1130);
        Assert.Equal(Repeat, Relative.Evaluate(In(Relative, Repeat, Day(730)), Summary(asOf, buys)).Stage);
        var absolute = LifecycleModel.CreateDefault();
        Assert.Equal(Lost, absolute.Evaluate(In(absolute, Repeat, Day(730)), Summary(asOf, buys)).Stage);
    }

    [Fact]
    public void RelativeAtRisk_OnePurchase_UsesTheFallbackDays()
    {
        Assert.Equal(Active, Relative.Evaluate(In(Relative, Active, Day(0)), Summary(Day(90), Day(0))).Stage);
        Assert.Equal(AtRisk, Relative.Evaluate(In(Relative, Active, Day(0)), Summary(Day(91), Day(0))).Stage);
    }
}
