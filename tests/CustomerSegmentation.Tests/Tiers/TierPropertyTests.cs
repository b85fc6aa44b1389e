using CustomerSegmentation.Tiers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Tiers.TierTestData;

namespace CustomerSegmentation.Tests.Tiers;

[Properties(Arbitrary = [typeof(TierArbitraries)], MaxTest = 200)]
public class TierPropertyTests
{
    [Property]
    public Property Assign_EveryCustomerExactlyOneTier_Holds(SingleMetricTierPolicy policy, decimal?[] values)
    {
        var people = Population(values);
        var result = policy.Assign(people, T0);
        return (result.Length == people.Count
            && result.Select(a => a.CustomerId).SequenceEqual(people.Select(p => p.CustomerId))
            && result.All(a => policy.Ladder.Contains(a.Tier) && a.Reason.Tier == a.Tier)).ToProperty();
    }

    [Property]
    public Property Assign_BetterValueNeverLowerTier_Holds(SingleMetricTierPolicy policy, decimal?[] values)
    {
        var result = policy.Assign(Population(values), T0);
        var sign = policy.Metric.HigherIsBetter ? 1 : -1;
        var ok = true;
        for (var i = 0; i < values.Length; i++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                if (values[i] is { } a && values[j] is { } b)
                {
                    var better = sign * a.CompareTo(b);
                    ok &= better > 0 ? result[i].Tier >= result[j].Tier : better < 0 || result[i].Tier == result[j].Tier;
                }
                else if (values[i] is null)
                {
                    ok &= result[i].Tier == policy.Ladder.Lowest;
                }
            }
        }

        return ok.ToProperty();
    }

    [Property]
    public Property Assign_InputOrder_DoesNotMatter_Holds(SingleMetricTierPolicy policy, decimal?[] values, int seed)
    {
        var people = Population(values);
        List<TierSubject> shuffled = [.. people.Select((p, i) => (p, k: (i * 7919L + seed) % 10007)).OrderBy(x => x.k).Select(x => x.p)];
        var a = policy.Assign(people, T0).ToDictionary(x => x.CustomerId, x => x.Tier);
        var b = policy.Assign(shuffled, T0).ToDictionary(x => x.CustomerId, x => x.Tier);
        return a.All(kv => b[kv.Key] == kv.Value).ToProperty();
    }

    [Property]
    public Property Quantile_TopTiersNeverExceedTheirShare_Holds(NonEmptyArray<int> raw, PositiveInt aSeed, PositiveInt bSeed)
    {
        var a = 0.01m * (1 + (aSeed.Get % 40));
        var b = 0.01m * (1 + (bSeed.Get % 40));
        var policy = Abc(a, b);
        decimal?[] values = [.. raw.Get.Select(x => (decimal?)(x % 20))];
        var result = policy.Assign(Population(values), T0);
        var n = values.Length;
        var countA = result.Count(r => r.Tier.Name == "A");
        var countAb = result.Count(r => r.Tier.Name != "C");
        var distinct = values.Distinct().Count() == n;
        var capA = (int)Math.Floor(a * n);
        var capAb = (int)Math.Floor((a + b) * n);
        return (countA <= capA && countAb <= capAb && (!distinct || (countA == capA && countAb == capAb)))
            .Label($"A {countA}/{capA}, A+B {countAb}/{capAb}, distinct {distinct}");
    }

    [Property]
    public Property Quantile_MatchesDefinition_Holds(NonEmptyArray<int> raw, PositiveInt aSeed, PositiveInt bSeed, PositiveInt scaleSeed, bool lowerIsBetter)
    {
        // Some populations have values with more than four decimals: the columnar path then compares decimals.
        var a = 0.01m * (1 + (aSeed.Get % 40));
        var b = 0.01m * (1 + (bSeed.Get % 40));
        var divisor = scaleSeed.Get % 3 == 0 ? 100_000m : 4m;
        var policy = new QuantileTierPolicy("q", Cba, TierMetric.Host("v", !lowerIsBetter), [new("A", a), new("B", b)]);
        decimal[] values = [.. raw.Get.Select(x => (x % 200) / divisor)];
        var n = values.Length;
        var levels = new byte[n];
        policy.AssignLevels(values, levels, new decimal[n]);
        var ok = true;
        for (var i = 0; i < n; i++)
        {
            // Level k is reached when at most floor(S_k * N) customers are at least as good.
            var atLeastAsGood = values.Count(v => lowerIsBetter ? v <= values[i] : v >= values[i]);
            var expected = atLeastAsGood <= Math.Floor(a * n) ? 2 : atLeastAsGood <= Math.Floor((a + b) * n) ? 1 : 0;
            ok &= levels[i] == expected;
        }

        return ok.ToProperty();
    }

    [Property]
    public Property Threshold_ColumnarMatchesDecimalComparison_Holds(int[] raw, PositiveInt scaleSeed)
    {
        var divisor = scaleSeed.Get % 3 == 0 ? 100_000m : 100m;
        var policy = new ThresholdTierPolicy("t", Cba, V, [new("B", 1.5m), new("A", 7.25m)]);
        decimal[] values = [.. raw.Select(x => (x % 1000) / divisor), decimal.MaxValue, decimal.MinValue, 7.25m, 1.5m];
        var levels = new byte[values.Length];
        policy.AssignLevels(values, levels, []);
        return values.Select((v, i) => levels[i] == (v >= 7.25m ? 2 : v >= 1.5m ? 1 : 0)).All(x => x).ToProperty();
    }

    [Property]
    public Property Pareto_UpperTiersHoldTheirShareOfTheTotal_Holds(NonEmptyArray<PositiveInt> raw)
    {
        var policy = new ParetoTierPolicy("p", Cba, V, [new("A", 0.8m), new("B", 0.15m)]);
        decimal?[] values = [.. raw.Get.Select(x => (decimal?)(x.Get % 1000))];
        var result = policy.Assign(Population(values), T0);
        var total = values.Sum(v => v!.Value);

        // Every A would still be an A without the customers below it: what strictly better customers hold is under 80 %.
        var ok = true;
        for (var i = 0; i < values.Length; i++)
        {
            var before = values.Where(v => v > values[i]).Sum(v => v!.Value);
            var expected = values[i] <= 0m ? "C" : before < 0.8m * total ? "A" : before < 0.95m * total ? "B" : "C";
            ok &= result[i].Tier.Name == expected;
        }

        return ok.ToProperty();
    }

    [Property]
    public Property Columnar_MatchesAssign_Holds(SingleMetricTierPolicy policy, decimal?[] values)
    {
        decimal[] present = [.. values.Where(v => v.HasValue).Select(v => v!.Value)];
        var levels = new byte[present.Length];
        policy.AssignLevels(present, levels, new decimal[present.Length]);
        var viaAssign = policy.Assign(Population([.. present.Select(v => (decimal?)v)]), T0).Select(a => (byte)a.Tier.Level);
        return levels.SequenceEqual(viaAssign).ToProperty();
    }

    [Property]
    public Property Selection_PutsOrderStatisticsInPlace_Holds(NonEmptyArray<int> raw, int[] picks)
    {
        decimal[] data = [.. raw.Get.Select(x => (decimal)(x % 30))];
        var sorted = data.OrderBy(x => x).ToArray();
        int[] positions = [.. picks.Select(p => Math.Abs(p % data.Length)).Distinct().Order()];
        Selection.SelectMany(data, positions);
        return positions.All(p => data[p] == sorted[p]).ToProperty();
    }

    [Property]
    public Property Matrix_EveryCellReachable_Holds(PositiveInt rowsSeed, PositiveInt colsSeed, int[] cellSeeds)
    {
        var nr = 2 + (rowsSeed.Get % 3);
        var nc = 2 + (colsSeed.Get % 3);
        TierLadder Axis(int n) => new(Enumerable.Range(0, n).Select(i => $"L{i}"));
        var rows = new ThresholdTierPolicy("rows", Axis(nr), TierMetric.Host("r"), Enumerable.Range(1, nr - 1).Select(l => new TierThreshold($"L{l}", l * 10m)));
        var cols = new ThresholdTierPolicy("cols", Axis(nc), TierMetric.Host("c"), Enumerable.Range(1, nc - 1).Select(l => new TierThreshold($"L{l}", l * 10m)));
        var seeds = cellSeeds.Length == 0 ? [0] : cellSeeds;
        string[][] cells = [.. Enumerable.Range(0, nr).Select(r => Enumerable.Range(0, nc).Select(c => Cba[Math.Abs(seeds[((r * nc) + c) % seeds.Length] % 3)].Name).ToArray())];
        var matrix = new MatrixTierPolicy("m", Cba, rows, cols, cells);
        var people = new List<TierSubject>();
        for (var r = 0; r < nr; r++)
        {
            for (var c = 0; c < nc; c++)
            {
                people.Add(new TierSubject(Id(people.Count), null, [new("r", (r * 10m) + 5m), new("c", c * 10m)]));
            }
        }

        var result = matrix.Assign(people, T0);
        return Enumerable.Range(0, people.Count).All(i => result[i].Tier.Name == cells[i / nc][i % nc]).ToProperty();
    }

    [Property]
    public Property Hysteresis_OscillationInsideBand_NeverDowngrades_Holds(PositiveInt marginSeed, int[] wiggles)
    {
        var margin = marginSeed.Get % 2000;
        var stabilizer = new TierStabilizer(Chinese, new TierStabilityOptions { DowngradeMargin = margin, GracePeriod = Duration.FromDays(30) });
        var policy = Spend();

        // Start in VIP, then move anywhere in [10000 − margin, ∞): the band never lets go.
        var series = new[] { 10000m }.Concat(wiggles.Select(w => 10000m - margin + Math.Abs(w % (margin + 5000))));
        var state = stabilizer.Replay(series.Select((v, d) => policy.Assign([Subject(1, v)], Day(d * 7))[0]))!;
        return (state.Current.Name == "VIP" && state.History.All(c => c.Kind != TierChangeKind.Downgrade)).ToProperty();
    }

    [Property]
    public Property Hysteresis_RealDrop_MovesExactlyWhenGraceEnds_Holds(PositiveInt graceSeed, PositiveInt stepSeed)
    {
        var grace = 1 + (graceSeed.Get % 120);
        var step = 1 + (stepSeed.Get % 20);
        var stabilizer = new TierStabilizer(Chinese, new TierStabilityOptions { DowngradeMargin = 500m, GracePeriod = Duration.FromDays(grace) });
        var policy = Spend();
        var state = stabilizer.Step(null, policy.Assign([Subject(1, 20000m)], Day(0))[0]).State;
        var dropDay = step;
        for (var d = dropDay; d <= dropDay + grace + step; d += step)
        {
            state = stabilizer.Step(state, policy.Assign([Subject(1, 9000m)], Day(d))[0]).State;
            var shouldHaveMoved = d - dropDay >= grace;
            if ((state.Current.Name == "标准客户") != shouldHaveMoved)
            {
                return false.Label($"day {d}: {state.Current} (drop {dropDay}, grace {grace})");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Replay_SameHistoryAsStepByStepAndSplit_Holds(decimal?[][] rounds, PositiveInt splitSeed, bool reviews)
    {
        var options = new TierStabilityOptions
        {
            DowngradeMargin = 10m,
            GracePeriod = Duration.FromDays(20),
            ReviewSchedule = reviews ? TierReviewSchedule.Monthly() : null,
        };
        var stabilizer = new TierStabilizer(Cba, options);
        var policy = new QuantileTierPolicy("q", Cba, V, [new("A", 0.2m), new("B", 0.3m)]);
        var snapshots = rounds.Select((values, d) => new TierSnapshot(Day(d * 11), Population(values ?? []))).ToList();

        var ledger = TierLedger.Empty(stabilizer);
        var perCustomer = new Dictionary<CustomerSegmentation.Customers.CustomerId, List<TierAssignment>>();
        foreach (var s in snapshots)
        {
            var assignments = policy.Assign(s.Population, s.AsOf);
            foreach (var a in assignments)
            {
                (perCustomer.TryGetValue(a.CustomerId, out var l) ? l : perCustomer[a.CustomerId] = []).Add(a);
            }

            ledger = ledger.Apply(assignments).Ledger;
        }

        var replay = TierLedger.Replay(stabilizer, policy, snapshots);
        var ok = ledger.States.Count == replay.States.Count;
        foreach (var (id, series) in perCustomer)
        {
            var whole = stabilizer.Replay(series)!;
            var k = splitSeed.Get % (series.Count + 1);
            var split = stabilizer.Replay(stabilizer.Replay(series.Take(k)), series.Skip(k))!;
            var expected = TierLedgerTests.Describe(ledger.History(id));
            ok &= expected.SequenceEqual(TierLedgerTests.Describe(whole.History))
                && expected.SequenceEqual(TierLedgerTests.Describe(split.History))
                && expected.SequenceEqual(TierLedgerTests.Describe(replay.History(id)))
                && whole.Current == ledger.CurrentTier(id);
        }

        return ok.ToProperty();
    }

    [Property]
    public Property Json_RoundTrip_SamePolicy_Holds(SingleMetricTierPolicy policy, decimal?[] values)
    {
        var json = TierPolicyJson.Serialize(policy);
        var back = TierPolicyJson.Parse(json);
        var people = Population(values);
        return (TierPolicyJson.Serialize(back) == json
            && back.Ladder.Equals(policy.Ladder)
            && Names(back.Assign(people, T0)).SequenceEqual(Names(policy.Assign(people, T0)))).ToProperty();
    }

    /// <summary>
    /// The pipeline's fixed-point path (money and counts as value × 10⁴ longs) gives the cut points the decimal path gives,
    /// and the levels <see cref="TierCutPoints.LevelOf"/> gives, whenever it applies.
    /// </summary>
    [Property]
    public Property ScaledKeys_SameCutPointsAndLevelsAsDecimals_Holds(SingleMetricTierPolicy policy, decimal?[] values)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        var cuts = policy.ComputeCutPoints(present);
        var ok = true;
        if (policy is QuantileTierPolicy quantile && policy.Metric.HigherIsBetter)
        {
            var keys = present.Select(v => (long)(v * 10_000m)).ToArray();
            var fromKeys = quantile.ComputeCutPointsFromScaledKeys(keys);
            ok &= fromKeys.Bounds.Select(b => b.Value).SequenceEqual(cuts.Bounds.Select(b => b.Value))
                && fromKeys.Bounds.Select(b => b.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture)).SequenceEqual(cuts.Bounds.Select(b => b.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                && fromKeys.Ranked == cuts.Ranked;
        }

        foreach (var v in present)
        {
            if (cuts.TryLevelOfScaled((long)(v * 10_000m), out var level))
            {
                ok &= policy.Metric.HigherIsBetter && level == cuts.LevelOf(v);
            }
        }

        return ok.ToProperty();
    }
}
