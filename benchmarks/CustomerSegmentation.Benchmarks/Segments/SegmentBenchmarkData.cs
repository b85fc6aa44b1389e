using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Segments;

/// <summary>
/// Generated customers with every part of <see cref="CustomerFacts"/> filled in (some parts missing at random), the 20
/// segments of the benchmark in the expression language, and the same 20 written by hand as LINQ predicates over the
/// objects (the baseline). Deterministic (seed 42).
/// </summary>
internal static class SegmentBenchmarkData
{
    public static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 0, 0);
    private static readonly LocalDate Today = AsOf.InUtc().Date;
    private static readonly string[] Regions = ["上海", "江苏", "浙江", "广东", "福建", "北京", "天津", "四川"];
    private static readonly string[] Plans = ["gold", "silver", "free"];

    public static TagTaxonomy Taxonomy { get; } = BuildTaxonomy();

    public static TierLadder Ladder { get; } = TierLadder.Of("C", "B", "A");

    public static SegmentBindingContext Context { get; } = new SegmentBindingContext { Taxonomy = Taxonomy, Tiers = Ladder }
        .WithLifecycle(LifecycleModel.CreateDefault()).WithRfmSegments(RfmSegmentTable.Default);

    private static TagTaxonomy BuildTaxonomy()
    {
        var b = new TagTaxonomyBuilder()
            .AddGroup("industry", "Industry")
            .AddTag("it", "industry", "IT").AddTag("software", "industry", "软件", "it").AddTag("saas", "industry", "SaaS", "software")
            .AddTag("finance", "industry", "Finance").AddTag("bank", "industry", "银行", "finance")
            .AddGroup("value", "Value").AddTag("vip", "value", "VIP")
            .AddGroup("misc", "Misc");
        for (var t = 0; t < 50; t++)
        {
            b.AddTag("t-" + t.ToString(CultureInfo.InvariantCulture), "misc", "标签" + t.ToString(CultureInfo.InvariantCulture));
        }

        return b.Build();
    }

    private static readonly TagId[] PickableTags = [.. new[] { "it", "software", "saas", "finance", "bank", "vip" }.Select(TagId.FromString)
        .Concat(Enumerable.Range(0, 50).Select(t => new TagId("t-" + t.ToString(CultureInfo.InvariantCulture))))];

    public static CustomerFacts[] Facts(int count, int seed = 42)
    {
        var rng = new Random(seed);
        var scale = new RfmScorer().Score(
            [.. Enumerable.Range(0, 100).Select(i => new ActivitySummary { CustomerId = new CustomerId("x" + i), AsOf = AsOf, PurchaseCount = 1 + i, GrossSpend = i * 10m, LastPurchaseAt = AsOf - Duration.FromDays(i), FirstPurchaseAt = AsOf - Duration.FromDays(400) })],
            AsOf).Scale;
        var stages = Context.Stages;
        var facts = new CustomerFacts[count];
        var plans = Plans.Select(p => ImmutableDictionary<string, object>.Empty.Add("plan", p)).ToArray();
        for (var i = 0; i < count; i++)
        {
            var id = new CustomerId("C" + i.ToString("D8", CultureInfo.InvariantCulture));
            var customer = new Customer(id, rng.Next(5) == 0 ? CustomerKind.Organisation : CustomerKind.Person, "客户", AsOf - Duration.FromHours(rng.Next(24, 24 * 1500)))
            {
                Region = rng.Next(10) == 0 ? null : Regions[rng.Next(Regions.Length)],
                MarketingConsent = rng.Next(2) == 0,
                CustomAttributes = rng.Next(3) == 0 ? ImmutableDictionary<string, object>.Empty : plans[rng.Next(plans.Length)],
            };
            ActivitySummary? activity = null;
            RfmCustomerScore? rfm = null;
            if (rng.Next(10) > 0)
            {
                var n = rng.Next(1, 20);
                var gross = rng.Next(1, 500_000) / 100m;
                activity = new ActivitySummary
                {
                    CustomerId = id,
                    AsOf = AsOf,
                    Currency = Currency.Cny,
                    PurchaseCount = n,
                    DistinctPurchaseDays = n,
                    LastPurchaseAt = AsOf - Duration.FromHours(rng.Next(1, 24 * 400)),
                    FirstPurchaseAt = AsOf - Duration.FromDays(rng.Next(400, 900)),
                    GrossSpend = gross,
                    MeanSatisfaction = rng.Next(3) == 0 ? null : rng.Next(0, 51) / 10.0,
                    LastNps = rng.Next(3) == 0 ? null : rng.Next(0, 11),
                    InteractionsByKind = rng.Next(8) == 0 ? Complaint : ImmutableDictionary<InteractionKind, int>.Empty,
                };
                int r = rng.Next(1, 6), f = rng.Next(1, 6), m = rng.Next(1, 6);
                rfm = RfmCustomerScore.Scored(id, scale, 0, n, gross, r, f, m, RfmSegmentTable.Default.Classify(r, f, m));
            }

            var tags = ImmutableArray.CreateBuilder<HeldTag>();
            for (var k = rng.Next(0, 5); k > 0; k--)
            {
                tags.Add(new HeldTag(PickableTags[rng.Next(PickableTags.Length)]));
            }

            facts[i] = new CustomerFacts(customer)
            {
                Activity = activity,
                Rfm = rfm,
                Clv = rng.Next(5) == 0 ? null : rng.Next(0, 1_000_000) / 100m,
                PAlive = rng.Next(5) == 0 ? null : rng.NextDouble(),
                Tier = rng.Next(6) == 0 ? null : Ladder[rng.Next(3)],
                Stage = rng.Next(10) == 0 ? null : stages[rng.Next(stages.Length)],
                ChurnLevel = rng.Next(5) == 0 ? null : (ChurnRiskLevel)rng.Next(4),
                ChurnScore = rng.Next(5) == 0 ? null : rng.NextDouble(),
                Tags = tags.ToImmutable(),
            };
        }

        return facts;
    }

    private static readonly ImmutableDictionary<InteractionKind, int> Complaint = ImmutableDictionary<InteractionKind, int>.Empty.Add(InteractionKind.Complaint, 1);

    /// <summary>The first instant of the UTC day <paramref name="days"/> days before the as-of day: days_since &gt; d is "before Before(d)".</summary>
    private static Instant Before(int days) => Today.PlusDays(-days).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    private static HashSet<TagId> Subtree(string id) => [new TagId(id), .. Taxonomy.DescendantsOf(id).Select(t => t.Id)];

    /// <summary>The 20 segments: the expression, and the LINQ predicate a developer would write for it.</summary>
    public static (string Id, string Expression, Func<CustomerFacts, bool> Linq)[] Segments()
    {
        var it = Subtree("it");
        var finance = Subtree("finance");
        var b = Ladder["B"].Level;
        var asOf = AsOf;
        bool HasAny(CustomerFacts f, HashSet<TagId> set)
        {
            foreach (var t in f.Tags)
            {
                if (t.HoldsAt(asOf) && set.Contains(t.TagId))
                {
                    return true;
                }
            }

            return false;
        }

        var before60 = Before(60);
        var before90 = Before(90);
        var before29 = Before(29);
        var before180 = Before(180);
        return
        [
            ("issue-example", "tier >= \"B\" and stage in (\"active\", \"repeat\") and has_tag(\"Industry/IT\") and days_since_last_purchase > 60",
                f => f.Tier is { } t && t.Level >= b && f.Stage is "active" or "repeat" && HasAny(f, it) && f.Activity?.LastPurchaseAt is { } l && l < before60),
            ("lapsed-90", "days_since_last_purchase > 90", f => f.Activity?.LastPurchaseAt is { } l && l < before90),
            ("big-frequent", "purchase_count >= 5 and net_spend > 2000", f => f.Activity is { } a && a.PurchaseCount >= 5 && a.NetSpend > 2000m),
            ("tier-a", "tier = \"A\"", f => f.Tier is { Level: 2 }),
            ("at-risk", "stage = \"at-risk\" or churn_level >= \"high\"", f => f.Stage == "at-risk" || f.ChurnLevel >= ChurnRiskLevel.High),
            ("vip-not-it", "has_tag(\"VIP\") and not has_tag(\"Industry/IT\")", f => f.Tags.Any(t => t.HoldsAt(asOf) && t.TagId == "vip") && !HasAny(f, it)),
            ("yangtze", "region in (\"上海\", \"江苏\", \"浙江\")", f => f.Customer.Region is "上海" or "江苏" or "浙江"),
            ("fading-value", "p_alive < 0.3 and clv > 1000", f => f.PAlive < 0.3 && f.Clv > 1000m),
            ("rf-high", "r >= 4 and f >= 4", f => f.Rfm is { R: >= 4, F: >= 4 }),
            ("champions", "rfm_segment = \"Champions\"", f => f.Rfm?.Segment == "Champions"),
            ("consent-mid", "marketing_consent and days_since_last_purchase between 30 and 180",
                f => f.Customer.MarketingConsent && f.Activity?.LastPurchaseAt is { } l && l < before29 && l >= before180),
            ("churn-score", "churn_score > 0.7", f => f.ChurnScore > 0.7),
            ("unhappy", "complaints > 0 and satisfaction < 3", f => f.Activity is { } a && a.Complaints > 0 && a.MeanSatisfaction < 3),
            ("org-b-plus", "kind = \"organisation\" and tier >= \"B\"", f => f.Customer.Kind == CustomerKind.Organisation && f.Tier is { } t && t.Level >= b),
            ("not-gone", "not stage in (\"lost\", \"invalid\")", f => !(f.Stage is "lost" or "invalid")),
            ("gold-plan", "attr(\"plan\") = \"gold\"", f => f.Customer.CustomAttributes.TryGetValue("plan", out var p) && p is "gold"),
            ("new-30", "days_since_created < 30", f => f.Customer.CreatedAt >= before29),
            ("spenders", "average_spend > 500 or clv > 5000", f => f.Activity?.AverageSpend > 500m || f.Clv > 5000m),
            ("misc-or-finance", "has_exact_tag(\"t-5\") or has_tag(\"Industry/Finance\")", f => f.Tags.Any(t => t.HoldsAt(asOf) && t.TagId == "t-5") || HasAny(f, finance)),
            ("promoters", "is_set(nps) and nps >= 9", f => f.Activity?.LastNps >= 9),
        ];
    }

    public static SegmentSet Set() => SegmentSet.Create(
        Segments().Select(s => SegmentDefinition.FromExpression(s.Id, s.Id, s.Expression)), Context).GetValueOrThrow();
}
