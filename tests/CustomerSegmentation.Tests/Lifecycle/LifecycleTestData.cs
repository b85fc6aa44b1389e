using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace CustomerSegmentation.Tests.Lifecycle;

/// <summary>Shared instants, summaries and FsCheck arbitraries for the lifecycle tests.</summary>
internal static class LifecycleTestData
{
    public static readonly CustomerId Id = new("C001");

    /// <summary>2026-01-01T00:00:00Z.</summary>
    public static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 0, 0);

    public static Instant Day(int day, int hour = 12) => T0 + Duration.FromDays(day) + Duration.FromHours(hour);

    /// <summary>The summary of purchases as of an instant (purchases after it are left out), median gap like the timeline's.</summary>
    public static ActivitySummary Summary(Instant asOf, params Instant[] purchases) => Summary(Id, asOf, purchases);

    public static ActivitySummary Summary(CustomerId id, Instant asOf, IEnumerable<Instant> purchases)
    {
        var p = purchases.Where(x => x <= asOf).Order().ToArray();
        var gaps = p.Zip(p.Skip(1), (a, b) => (b - a).BclCompatibleTicks).Order().ToArray();
        Duration? median = gaps.Length == 0 ? null
            : Duration.FromTicks(gaps.Length % 2 == 1 ? gaps[gaps.Length / 2] : gaps[(gaps.Length / 2) - 1] + ((gaps[gaps.Length / 2] - gaps[(gaps.Length / 2) - 1]) / 2));
        return new ActivitySummary
        {
            CustomerId = id,
            AsOf = asOf,
            FirstPurchaseAt = p.Length == 0 ? null : p[0],
            LastPurchaseAt = p.Length == 0 ? null : p[^1],
            PurchaseCount = p.Length,
            DistinctPurchaseDays = p.Select(x => x.InUtc().Date).Distinct().Count(),
            MedianGap = median,
            Currency = p.Length == 0 ? null : new Currency("CNY"),
        };
    }

    public static Purchase Buy(Instant at) => Buy(Id, at);

    public static Purchase Buy(CustomerId id, Instant at) => new(id, at, new Money(100m, new Currency("CNY")));

    /// <summary>A lifecycle that is in <paramref name="stage"/> since <paramref name="since"/> (moved there by hand from the initial stage).</summary>
    public static CustomerLifecycle In(LifecycleModel model, string stage, Instant since)
    {
        var start = model.Start(Id, since);
        return stage == model.InitialStage
            ? start
            : start.Append(new LifecycleMove(model.InitialStage, stage, since, LifecycleTrigger.Manual("test"), "set up"));
    }
}

/// <summary>A random customer story: purchase days and times, instants at which the host advances time, and the as-of day.</summary>
public sealed record Story(int[] PurchaseMinutes, int[] AdvanceMinutes, int AsOfMinute)
{
    public Instant[] Purchases => [.. PurchaseMinutes.Order().Select(At)];

    public Instant AsOf => At(AsOfMinute);

    public static Instant At(int minute) => Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromMinutes(minute);

    public override string ToString() =>
        $"purchases(min)=[{string.Join(",", PurchaseMinutes.Order())}] advances=[{string.Join(",", AdvanceMinutes.Order())}] asOf={AsOfMinute}";
}

/// <summary>FsCheck arbitraries: stories spanning up to ~2 years with clustered and sparse purchases, and default-model options.</summary>
public static class LifecycleArbitraries
{
    private const int Minutes = 60 * 24;

    public static Arbitrary<Story> Story()
    {
        var minute = Gen.Choose(0, 800 * Minutes);
        var clustered = Gen.Choose(0, 40).SelectMany(anchor => Gen.Choose(0, 20 * Minutes).Select(d => (anchor * 20 * Minutes) + d));
        var purchase = Gen.Frequency((3, minute), (2, clustered));
        var gen =
            from purchases in Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(purchase, n))
            from advances in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(minute, n))
            from asOf in Gen.Choose(0, 900 * Minutes)
            select new Story(purchases, advances, asOf);
        return gen.ToArbitrary();
    }

    public static Arbitrary<DefaultLifecycleOptions> Options()
    {
        var absolute = Gen.Choose(1, 400).Select(LifecycleWindow.OfDays);
        var relative =
            from m in Gen.Choose(5, 60)
            from fallback in Gen.Choose(1, 400)
            from min in Gen.Choose(1, 60)
            from span in Gen.Choose(0, 400)
            from bounded in Gen.Elements(true, false)
            select bounded ? LifecycleWindow.OfMedianGap(m / 10.0, fallback, min, min + span) : LifecycleWindow.OfMedianGap(m / 10.0, fallback);
        var window = Gen.OneOf(absolute, relative);
        var gen =
            from newFor in Gen.Choose(1, 90)
            from activeWindow in window
            from repeat in Gen.Choose(2, 5)
            from atRisk in window
            from lost in window
            from zone in Gen.Elements("UTC", "Asia/Shanghai", "Europe/London", "America/New_York")
            select new DefaultLifecycleOptions
            {
                NewForDays = newFor,
                ActiveWindow = activeWindow,
                RepeatPurchases = repeat,
                AtRiskWindow = atRisk,
                LostWindow = lost,
                Zone = zone == "UTC" ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb[zone],
            };
        return gen.ToArbitrary();
    }
}
