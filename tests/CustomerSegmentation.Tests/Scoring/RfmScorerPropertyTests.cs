using CustomerSegmentation.Activity;
using CustomerSegmentation.Scoring;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static CustomerSegmentation.Tests.Scoring.RfmTestData;

namespace CustomerSegmentation.Tests.Scoring;

/// <summary>A generated RFM population: small value ranges so that ties are frequent; some customers without purchases.</summary>
public sealed record RfmPopulation(IReadOnlyList<ActivitySummary> Summaries, int Bins, int Seed)
{
    public override string ToString() =>
        $"k={Bins} seed={Seed} [{string.Join(", ", Summaries.Select(s => s.HasPurchases ? $"{s.CustomerId}:{s.RecencyDays()}/{s.PurchaseCount}/{s.NetSpend}" : $"{s.CustomerId}:-"))}]";
}

public static class RfmArbitraries
{
    public static Arbitrary<RfmPopulation> Population()
    {
        var customer = Gen.Frequency(
            (1, Gen.Constant<(int? R, int F, decimal M)>((null, 0, 0m))),
            (6, from r in Gen.Choose(0, 30)
                from f in Gen.Choose(1, 8)
                from m in Gen.Choose(-5, 40)
                select (R: (int?)r, F: f, M: (decimal)m * 2.5m)));
        var gen =
            from values in Gen.NonEmptyListOf(customer)
            from bins in Gen.Choose(QuantileBinning.MinBins, QuantileBinning.MaxBins)
            from seed in Gen.Choose(0, int.MaxValue)
            select new RfmPopulation(
                values.Select((v, i) => Summary("c" + i, v.R, v.F, v.M > 0 ? v.M : 0m, v.M < 0 ? -v.M : 0m)).ToList(),
                bins,
                seed);
        return gen.ToArbitrary();
    }
}

[Properties(Arbitrary = [typeof(RfmArbitraries)], MaxTest = 200)]
public class RfmScorerPropertyTests
{
    private static RfmResult Score(RfmPopulation p) => new RfmScorer(new RfmOptions { Bins = p.Bins }).Score(p.Summaries, AsOf);

    private static (int R, decimal F, decimal M) Values(ActivitySummary s) => (s.RecencyDays()!.Value, s.PurchaseCount, s.NetSpend);

    [Property]
    public bool Scores_WithinOneToK_Holds(RfmPopulation p) =>
        Score(p).Customers.Where(c => c.IsScored).All(c => c.R is >= 1 && c.R <= p.Bins && c.F >= 1 && c.F <= p.Bins && c.M >= 1 && c.M <= p.Bins);

    [Property]
    public bool Scores_OnlyCustomersWithPurchases_Holds(RfmPopulation p) =>
        Score(p).Customers.Zip(p.Summaries).All(x => x.First.IsScored == x.Second.HasPurchases && x.First.CustomerId == x.Second.CustomerId);

    [Property]
    public bool Scores_PermutationOfInput_NeverChangesAnyScore_Holds(RfmPopulation p)
    {
        var random = new Random(p.Seed);
        var shuffled = p.Summaries.ToArray();
        random.Shuffle(shuffled);
        var before = Score(p).Customers.ToDictionary(c => c.CustomerId, c => (c.Status, c.R, c.F, c.M, c.Segment));
        var after = new RfmScorer(new RfmOptions { Bins = p.Bins }).Score(shuffled, AsOf).Customers;
        return after.All(c => before[c.CustomerId] == (c.Status, c.R, c.F, c.M, c.Segment));
    }

    [Property]
    public bool Scores_BetterValueNeverLowerScore_Holds(RfmPopulation p)
    {
        var scored = Score(p).Customers.Zip(p.Summaries).Where(x => x.First.IsScored).ToList();
        foreach (var (a, sa) in scored)
        {
            foreach (var (b, sb) in scored)
            {
                var (ra, fa, ma) = Values(sa);
                var (rb, fb, mb) = Values(sb);
                if ((ra < rb && a.R < b.R) || (fa > fb && a.F < b.F) || (ma > mb && a.M < b.M))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Property]
    public bool Scores_EqualValuesEqualScores_Holds(RfmPopulation p)
    {
        var scored = Score(p).Customers.Zip(p.Summaries).Where(x => x.First.IsScored).ToList();
        return scored.GroupBy(x => Values(x.Second).R).All(g => g.Select(x => x.First.R).Distinct().Count() == 1)
            && scored.GroupBy(x => Values(x.Second).F).All(g => g.Select(x => x.First.F).Distinct().Count() == 1)
            && scored.GroupBy(x => Values(x.Second).M).All(g => g.Select(x => x.First.M).Distinct().Count() == 1);
    }

    [Property]
    public bool Scores_EqualDefinitionOnePlusFloorKwOverN_Holds(RfmPopulation p)
    {
        var scored = Score(p).Customers.Zip(p.Summaries).Where(x => x.First.IsScored).ToList();
        var values = scored.Select(x => Values(x.Second)).ToList();
        long n = values.Count;
        int Expected(long w) => 1 + (int)(p.Bins * w / n);
        return scored.All(x =>
        {
            var (r, f, m) = Values(x.Second);
            return x.First.R == Expected(values.Count(v => v.R > r))
                && x.First.F == Expected(values.Count(v => v.F < f))
                && x.First.M == Expected(values.Count(v => v.M < m));
        });
    }

    [Property]
    public bool Scores_MonetaryWithManyDecimals_EqualDefinition_Holds(RfmPopulation p)
    {
        // Spend / 7 has up to 28 decimal places: the scorer falls back from exact long keys to decimals.
        var summaries = p.Summaries.Select(s => s with { GrossSpend = s.GrossSpend / 7m, RefundTotal = s.RefundTotal / 3m }).ToList();
        var result = new RfmScorer(new RfmOptions { Bins = p.Bins }).Score(summaries, AsOf);
        var scored = result.Customers.Zip(summaries).Where(x => x.First.IsScored).ToList();
        long n = scored.Count;
        return scored.All(x => x.First.M == 1 + (int)(p.Bins * scored.Count(y => y.Second.NetSpend < x.Second.NetSpend) / n)
            && x.First.MonetaryValue == x.Second.NetSpend);
    }

    [Property]
    public bool RecencyDays_SameAsSummaryInAnyZone_Holds(int asOfSeconds, NonEmptyArray<NonNegativeInt> agesInMinutes, PositiveInt zoneSeed)
    {
        string[] zones = ["UTC", "Asia/Shanghai", "America/New_York", "Pacific/Chatham", "America/St_Johns"];
        var zone = NodaTime.DateTimeZoneProviders.Tzdb[zones[zoneSeed.Get % zones.Length]];
        var asOf = NodaTime.Instant.FromUnixTimeSeconds(asOfSeconds) + NodaTime.Duration.FromNanoseconds(137);
        var population = agesInMinutes.Get.Select((a, i) => Summary("c" + i, 0, 1, 1m) with
        {
            AsOf = asOf,
            LastPurchaseAt = asOf - NodaTime.Duration.FromMinutes(a.Get * 7L),
        }).ToList();
        var result = new RfmScorer(new RfmOptions { Zone = zone }).Score(population, asOf);
        return result.Customers.Zip(population).All(x => x.First.RecencyDays == x.Second.RecencyDays(zone));
    }

    [Property]
    public bool FixedThresholds_BetterValueNeverLowerScore_Holds(NonEmptyArray<NonNegativeInt> days)
    {
        var scorer = new RfmScorer(new RfmOptions { RecencyThresholds = [365m, 180m, 90m, 30m] });
        var population = days.Get.Select((d, i) => Summary("c" + i, d.Get % 500, 1, 1m)).ToList();
        var scores = scorer.Score(population, AsOf).Customers;
        return scores.All(a => scores.All(b => !(a.RecencyDays < b.RecencyDays && a.R < b.R))) && scores.All(c => c.R is >= 1 and <= 5);
    }
}

public class RfmSegmentTablePropertyTests
{
    private static Gen<int> Score => Gen.Choose(1, 5);

    [Property(MaxTest = 300)]
    public Property Classify_EveryCombinationExactlyOneName_Holds() =>
        Prop.ForAll(
            (from r in Score from f in Score from m in Score select (r, f, m)).ToArbitrary(),
            rfm =>
            {
                var table = RfmSegmentTable.Default;
                var (r, f, m) = rfm;
                var expected = table.Rules.FirstOrDefault(row => r >= row.RMin && r <= row.RMax && f >= row.FMin && f <= row.FMax && m >= row.MMin && m <= row.MMax)?.Name ?? "Others";
                var names = Enumerable.Range(0, 3).Select(_ => table.Classify(r, f, m)).Distinct().ToList();
                return names.Count == 1 && names[0] == expected;
            });

    [Fact]
    public void Classify_All125Combinations_EachGetsOneNameFromTheTableOrOthers()
    {
        var table = RfmSegmentTable.Default;
        var allowed = table.Rules.Select(r => r.Name).Append(table.FallbackName).ToHashSet();
        var combos = from r in Enumerable.Range(1, 5) from f in Enumerable.Range(1, 5) from m in Enumerable.Range(1, 5) select (r, f, m);

        var named = combos.ToDictionary(c => c, c => table.Classify(c.r, c.f, c.m));

        Assert.Equal(125, named.Count);
        Assert.All(named.Values, n => Assert.Contains(n, allowed));
        Assert.Equal("Champions", named[(5, 5, 5)]);
        Assert.Equal("Loyal Customers", named[(2, 3, 3)]);
        Assert.Equal("Potential Loyalist", named[(5, 1, 1)]);   // the row above "New Customers" wins
        Assert.Equal("At Risk", named[(1, 5, 5)]);             // "At Risk" comes before "Can't Lose Them"
        Assert.Equal("Others", named[(5, 2, 5)]);
    }

    [Fact]
    public void Classify_DefaultTable_ShadowedRowsNeverWin()
    {
        // First match wins, so rows fully covered by an earlier row never name anything (documented in docs/scoring.md).
        var table = RfmSegmentTable.Default;
        var combos = from r in Enumerable.Range(1, 5) from f in Enumerable.Range(1, 5) from m in Enumerable.Range(1, 5) select table.Classify(r, f, m);

        var counts = combos.GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());

        Assert.False(counts.ContainsKey("New Customers"));    // inside "Potential Loyalist"
        Assert.False(counts.ContainsKey("Promising"));        // inside "Potential Loyalist"
        Assert.False(counts.ContainsKey("Can't Lose Them"));  // inside "At Risk"
        Assert.Equal(125, counts.Values.Sum());
        Assert.Equal(8, counts["Champions"]);              // 2 * 2 * 2
        Assert.Equal(28, counts["Loyal Customers"]);       // 4 * 3 * 3 - 8 taken by Champions
        Assert.Equal(24, counts["Potential Loyalist"]);    // 3 * 3 * 3 - 3 with F = M = 3 taken by Loyal
        Assert.Equal(20, counts["At Risk"]);               // 2 * 4 * 4 - 9 (Loyal, R = 2) - 3 (Need Attention, R = 2)
        Assert.Equal(36, counts["Others"]);
    }
}
