using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using NodaTime;

namespace CustomerSegmentation.Tests.Segments;

/// <summary>A taxonomy, ladder and stage model to bind against, and a generator of random customer facts.</summary>
internal static class SegmentScenario
{
    public static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 12, 0);

    public static readonly string[] Regions = ["上海", "江苏", "浙江", "广东"];

    public static readonly string[] Plans = ["gold", "silver", "free"];

    public static TagTaxonomy Taxonomy { get; } = new TagTaxonomyBuilder()
        .AddGroup("industry", "Industry")
        .AddTag("it", "industry", "IT")
        .AddTag("software", "industry", "软件", "it")
        .AddTag("saas", "industry", "SaaS", "software")
        .AddTag("finance", "industry", "Finance")
        .AddGroup("value", "Value")
        .AddTag("vip", "value", "VIP")
        .AddTag("potential", "value", "潜力")
        .AddGroup("interest", "Interest")
        .AddTag("finance-news", "interest", "Finance")
        .Build();

    public static readonly string[] TagIds = ["it", "software", "saas", "finance", "vip", "potential", "finance-news"];

    public static TierLadder Ladder { get; } = TierLadder.Of("C", "B", "A");

    public static LifecycleModel Lifecycle { get; } = LifecycleModel.CreateDefault();

    public static SegmentBindingContext Context { get; } = new SegmentBindingContext { Taxonomy = Taxonomy, Tiers = Ladder }
        .WithLifecycle(Lifecycle).WithRfmSegments(RfmSegmentTable.Default);

    public static ImmutableArray<string> Stages => Context.Stages;

    /// <summary>Random facts: every part sometimes missing, tags sometimes expiring around <see cref="AsOf"/>.</summary>
    public static List<CustomerFacts> Facts(int count, int seed)
    {
        var rng = new Random(seed);
        var summaries = new List<ActivitySummary>();
        var facts = new List<CustomerFacts>(count);
        for (var i = 0; i < count; i++)
        {
            var id = new CustomerId($"S{seed}-{i:00000}");
            var created = AsOf - Duration.FromHours(rng.Next(24, 24 * 900));
            var attributes = ImmutableDictionary<string, object>.Empty;
            if (rng.Next(3) > 0)
            {
                attributes = attributes.Add("plan", Plans[rng.Next(Plans.Length)]);
            }

            if (rng.Next(3) > 0)
            {
                attributes = attributes.Add("seats", rng.Next(0, 50));
            }

            if (rng.Next(2) > 0)
            {
                attributes = attributes.Add("trial", rng.Next(2) == 0);
            }

            var customer = new Customer(id, rng.Next(4) == 0 ? CustomerKind.Organisation : CustomerKind.Person, "客户" + i, created)
            {
                Region = rng.Next(5) == 0 ? null : Regions[rng.Next(Regions.Length)],
                Industry = rng.Next(3) == 0 ? null : rng.Next(2) == 0 ? "IT" : "Retail",
                MarketingConsent = rng.Next(2) == 0,
                CustomAttributes = attributes,
            };

            ActivitySummary? activity = null;
            if (rng.Next(5) > 0)
            {
                var purchases = rng.Next(0, 12);
                var last = AsOf - Duration.FromHours(rng.Next(1, 24 * 400));
                var gross = Math.Round((decimal)(rng.NextDouble() * 5000), 2);
                activity = new ActivitySummary
                {
                    CustomerId = id,
                    AsOf = AsOf,
                    Currency = Currency.Cny,
                    PurchaseCount = purchases,
                    DistinctPurchaseDays = purchases,
                    FirstPurchaseAt = purchases > 0 ? last - Duration.FromDays(rng.Next(0, 300)) : null,
                    LastPurchaseAt = purchases > 0 ? last : null,
                    GrossSpend = purchases > 0 ? gross : 0m,
                    RefundTotal = purchases > 0 && rng.Next(4) == 0 ? Math.Round(gross / 10, 2) : 0m,
                    MeanSatisfaction = rng.Next(3) == 0 ? null : Math.Round(rng.NextDouble() * 5, 2),
                    LastNps = rng.Next(3) == 0 ? null : rng.Next(0, 11),
                    ReferralsMade = rng.Next(0, 3),
                    LastInteractionAt = rng.Next(2) == 0 ? null : AsOf - Duration.FromHours(rng.Next(1, 24 * 100)),
                };
                summaries.Add(activity);
            }

            var tags = ImmutableArray.CreateBuilder<HeldTag>();
            foreach (var t in TagIds)
            {
                if (rng.Next(4) == 0)
                {
                    Instant? expires = rng.Next(4) == 0 ? AsOf + Duration.FromDays(rng.Next(-30, 30)) : null;
                    tags.Add(new HeldTag(t, expires));
                }
            }

            facts.Add(new CustomerFacts(customer)
            {
                Activity = activity,
                Clv = rng.Next(3) == 0 ? null : Math.Round((decimal)(rng.NextDouble() * 8000), 2),
                PAlive = rng.Next(3) == 0 ? null : Math.Round(rng.NextDouble(), 3),
                Tier = rng.Next(4) == 0 ? null : Ladder[rng.Next(Ladder.Count)],
                Stage = rng.Next(5) == 0 ? null : Stages[rng.Next(Stages.Length)],
                ChurnLevel = rng.Next(4) == 0 ? null : (ChurnRiskLevel)rng.Next(4),
                ChurnScore = rng.Next(4) == 0 ? null : Math.Round(rng.NextDouble(), 2),
                Tags = tags.ToImmutable(),
            });
        }

        if (summaries.Count > 0)
        {
            var rfm = new RfmScorer().Score(summaries, AsOf).Customers.ToDictionary(s => s.CustomerId);
            for (var i = 0; i < facts.Count; i++)
            {
                if (rfm.TryGetValue(facts[i].Id, out var score) && score.IsScored)
                {
                    facts[i] = facts[i] with { Rfm = score };
                }
            }
        }

        return facts;
    }

    public static SegmentSet Set(params (string Id, string Expression)[] segments) => SegmentSet.Create(
        segments.Select(s => SegmentDefinition.FromExpression(s.Id, s.Id, s.Expression)), Context).GetValueOrThrow();
}
