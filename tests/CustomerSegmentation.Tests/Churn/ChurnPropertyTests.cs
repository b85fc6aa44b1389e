using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Churn.ChurnTestData;

namespace CustomerSegmentation.Tests.Churn;

/// <summary>A random customer: summary (with interaction records that agree with it) and signals.</summary>
public sealed record ChurnCase(ActivitySummary Summary, ChurnSignals Signals, int Seed)
{
    public static ChurnCase FromSeed(int seed)
    {
        var rng = new Random(seed);
        var id = new CustomerId("C" + (seed & 0xFFFF).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var purchases = Enumerable.Range(0, rng.Next(0, 8)).Select(_ => (T0 - Duration.FromHours(rng.Next(0, 400 * 24)), (decimal)rng.Next(1, 500))).ToList();
        var interactions = Enumerable.Range(0, rng.Next(0, 6)).Select(_ => new Interaction(
            id,
            (InteractionKind)rng.Next(0, 7),
            T0 - Duration.FromHours(rng.Next(-240, 300 * 24)),
            rng.Next(3) == 0 ? rng.Next(1, 6) : null,
            rng.Next(4) == 0 ? rng.Next(0, 11) : null)).ToImmutableArray();
        var summary = Summarise(id, purchases, T0, interactions: interactions);
        var signals = new ChurnSignals
        {
            Interactions = interactions,
            PAlive = rng.Next(2) == 0 ? rng.NextDouble() : null,
            Tier = rng.Next(3) == 0 ? new TierChange("gold", "silver", rng.Next(2) == 0) : null,
            LifecycleStage = rng.Next(3) == 0 ? (rng.Next(2) == 0 ? "at-risk" : "active") : null,
            ExpectedValue = rng.Next(2) == 0 ? rng.Next(0, 1000) : null,
        };
        return new ChurnCase(summary, signals, seed);
    }
}

public static class ChurnArbitraries
{
    public static Arbitrary<ChurnCase> Cases() => ArbMap.Default.GeneratorFor<int>().Select(ChurnCase.FromSeed).ToArbitrary();

    public static Arbitrary<ChurnRuleSet> RuleSets() => Gen.Elements(
        ChurnRuleSet.Default,
        ChurnBacktestTests.NoisyOrDefault(),
        new ChurnRuleSetBuilder().Add(new InactivityRule(priorGaps: 0), 2).Add(new ComplaintRule()).Add(new EngagementStopRule()).Build()).ToArbitrary();
}

[Properties(Arbitrary = [typeof(ChurnArbitraries)], MaxTest = 200)]
public class ChurnPropertyTests
{
    private static readonly ChurnPopulation Population = ChurnPopulation.FromGapDays([3, 10, 30, 45, 90]);

    [Property]
    public bool Score_WithinZeroAndOne_Holds(ChurnCase c, ChurnRuleSet set)
    {
        var a = new ChurnAssessor(set).Assess(c.Summary, T0, Population, c.Signals).GetValueOrThrow();
        return a.Score is >= 0 and <= 1 && a.Factors.All(f => f.Contribution.Risk is >= 0 and <= 1);
    }

    [Property]
    public bool AddingComplaint_NeverLowersRisk_Holds(ChurnCase c, ChurnRuleSet set, PositiveInt daysAgo)
    {
        // The complaint is added as a record (so the engagement rule can tell it from engagement) and to the summary counts.
        var complaint = new Interaction(c.Summary.CustomerId, InteractionKind.Complaint, T0 - Duration.FromDays(daysAgo.Get % 400));
        var records = c.Signals.Interactions!.Value.Add(complaint);
        var summary = c.Summary with
        {
            InteractionsByKind = c.Summary.InteractionsByKind.SetItem(InteractionKind.Complaint, c.Summary.Complaints + 1),
            LastInteractionAt = c.Summary.LastInteractionAt is { } l && l > complaint.At ? l : complaint.At,
        };
        var assessor = new ChurnAssessor(set);
        var before = assessor.Assess(c.Summary, T0, Population, c.Signals).GetValueOrThrow().Score;
        var after = assessor.Assess(summary, T0, Population, c.Signals with { Interactions = records }).GetValueOrThrow().Score;
        return after >= before - 1e-12;
    }

    [Property]
    public bool MoreRecentPurchase_NeverRaisesInactivity_Holds(ChurnCase c, PositiveInt earlierBy, bool ownRhythm)
    {
        if (c.Summary.LastPurchaseAt is not { } last)
        {
            return true;
        }

        // the same customer (rhythm and counts held) whose last purchase lies earlier
        var older = c.Summary with { LastPurchaseAt = last - Duration.FromHours(earlierBy.Get % 5000) };
        var rule = new InactivityRule(priorGaps: ownRhythm ? 0 : 5);
        return rule.Evaluate(Context(c.Summary, population: Population)).Risk <= rule.Evaluate(Context(older, population: Population)).Risk;
    }

    [Property(MaxTest = 50)]
    public bool Assessment_IndependentOfInputOrder_Holds(NonEmptyArray<int> seeds, int shuffleSeed)
    {
        var cases = seeds.Get.Distinct().Select(ChurnCase.FromSeed).DistinctBy(c => c.Summary.CustomerId).ToList();
        var shuffled = cases.ToList();
        new Random(shuffleSeed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
        var signals = cases.ToDictionary(c => c.Summary.CustomerId, c => c.Signals);
        var assessor = new ChurnAssessor();
        var a = assessor.AssessAll([.. cases.Select(c => c.Summary)], T0, s => signals[s.CustomerId]);
        var b = assessor.AssessAll([.. shuffled.Select(c => c.Summary)], T0, s => signals[s.CustomerId]);
        var byId = b.Assessments.ToDictionary(x => x.CustomerId);
        var sameAssessments = a.Assessments.All(x => byId[x.CustomerId].Explanation == x.Explanation && byId[x.CustomerId].Score == x.Score);
        var sameWatchList = ChurnWatchList.Build(a.Assessments, ChurnRiskLevel.Low).Entries.Select(e => e.CustomerId)
            .SequenceEqual(ChurnWatchList.Build(b.Assessments, ChurnRiskLevel.Low).Entries.Select(e => e.CustomerId));
        return sameAssessments && sameWatchList && a.Population.ToString() == b.Population.ToString();
    }
}
