using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

[Properties(Arbitrary = [typeof(LifecycleArbitraries)], MaxTest = 200)]
public class LifecyclePropertyTests
{
    private static readonly Instant Start = Story.At(0);

    private static Instant[] PurchasesUpTo(Story s, Instant t) => [.. s.Purchases.Where(p => p <= t)];

    private static CustomerLifecycle AllAtOnce(LifecycleModel model, Story s) =>
        model.Replay(Id, s.Purchases.Select(Buy), s.AsOf, Start);

    /// <summary>Feeds the story event by event, advancing time at the story's advance points and trying a manual move at some of them.</summary>
    private static LifecycleTimelineBuilder EventByEvent(LifecycleModel model, Story s, bool manual)
    {
        var b = new LifecycleTimelineBuilder(model, Id, Start);
        var purchases = PurchasesUpTo(s, s.AsOf);
        var advances = s.AdvanceMinutes.Select(Story.At).Where(t => t <= s.AsOf && !purchases.Contains(t)).Order().ToArray();
        int p = 0, a = 0;
        while (p < purchases.Length || a < advances.Length)
        {
            if (a < advances.Length && (p == purchases.Length || advances[a] < purchases[p]))
            {
                var t = advances[a++];
                if (t >= b.Now)
                {
                    if (manual && (t.ToUnixTimeTicks() / NodaConstants.TicksPerMinute) % 3 == 0)
                    {
                        var target = model.Stages[(int)((t.ToUnixTimeTicks() / NodaConstants.TicksPerMinute) % model.Stages.Length)].Id;
                        b.TryMove(target, "prop", "random manual move", t);
                    }

                    b.AdvanceTo(t);
                }
            }
            else
            {
                b.ObservePurchase(purchases[p++]);
            }
        }

        return b.AdvanceTo(s.AsOf);
    }

    private static bool AllMovesLegal(LifecycleModel model, CustomerLifecycle l) =>
        l.History.All(m => model.IsAllowed(m.From, m.To)
            && (m.Trigger.Kind == LifecycleTriggerKind.Manual
                || model.Rules.Any(r => r.Id == m.Trigger.Id && r.To == m.To && r.From.Contains(m.From))));

    [Property]
    public Property Timeline_EveryRecordedMove_IsAllowedByTheModel_Holds(DefaultLifecycleOptions o, Story s)
    {
        var model = LifecycleModel.CreateDefault(o);
        var l = EventByEvent(model, s, manual: true).Lifecycle;
        return AllMovesLegal(model, l).Label(string.Join("\n", l.History));
    }

    [Property]
    public Property Timeline_EventByEvent_EqualsAllAtOnce_Holds(DefaultLifecycleOptions o, Story s)
    {
        var model = LifecycleModel.CreateDefault(o);
        var once = AllAtOnce(model, s);
        var fed = EventByEvent(model, s, manual: false).Lifecycle;
        return once.Equals(fed).Label($"once:\n{string.Join("\n", once.History)}\nfed:\n{string.Join("\n", fed.History)}");
    }

    [Property]
    public Property Timeline_StageAsOfT_DependsOnlyOnActivityUpToT_Holds(DefaultLifecycleOptions o, Story s)
    {
        var model = LifecycleModel.CreateDefault(o);
        var full = model.Replay(Id, s.Purchases.Select(Buy), Story.At(900 * 24 * 60), Start);
        return s.AdvanceMinutes.Append(s.AsOfMinute).Select(Story.At).All(t =>
        {
            var partial = model.Replay(Id, PurchasesUpTo(s, t).Select(Buy), t, Start);
            return full.StageAt(t) == partial.Stage && full.History.Where(m => m.At <= t).SequenceEqual(partial.History);
        }).ToProperty();
    }

    [Property]
    public Property Timeline_IsSettled_SnapshotEvaluationAtAsOfMakesNoMove_Holds(DefaultLifecycleOptions o, Story s)
    {
        var model = LifecycleModel.CreateDefault(o);
        var l = AllAtOnce(model, s);
        var e = model.Evaluate(l, Summary(s.AsOf, s.Purchases));
        return (!e.Changed).Label(e.Explanation);
    }

    [Property]
    public Property Timeline_TimeDrivenMoves_HappenAsSoonAsDue_Holds(DefaultLifecycleOptions o, Story s)
    {
        // Just before each time-driven move, the customer was settled: the move was not due any earlier.
        var model = LifecycleModel.CreateDefault(o);
        var l = AllAtOnce(model, s);
        var purchases = s.Purchases;
        var late = Enumerable.Range(0, l.History.Length)
            .Where(i => (i == 0 || l.History[i - 1].At < l.History[i].At) && !purchases.Contains(l.History[i].At) && l.History[i].At > Start)
            .Where(i =>
            {
                var before = l.History[i].At - Duration.Epsilon;
                var prior = new CustomerLifecycle(l.CustomerId, l.InitialStage, l.StartedAt, l.History[..i]);
                return model.Evaluate(prior, Summary(before, purchases)).Changed;
            })
            .Select(i => l.History[i].ToString());
        return (!late.Any()).Label(string.Join("\n", late));
    }

    [Property]
    public Property Evaluate_IsDeterministicIdempotentAndLegal_Holds(DefaultLifecycleOptions o, Story s, PositiveInt stageSeed, NonNegativeInt sinceSeed)
    {
        var model = LifecycleModel.CreateDefault(o);
        var since = Start + Duration.FromMinutes(sinceSeed.Get % (s.AsOfMinute + 1));
        var lifecycle = In(model, model.Stages[stageSeed.Get % model.Stages.Length].Id, since);
        var summary = Summary(s.AsOf, s.Purchases);
        var first = model.Evaluate(lifecycle, summary);
        var again = model.Evaluate(lifecycle, summary);
        var second = model.Evaluate(first.Lifecycle, summary);
        return (first.Equals(again) && !second.Changed && second.Lifecycle.Equals(first.Lifecycle)
                && first.Moves.All(m => model.IsAllowed(m.From, m.To) && m.At == s.AsOf))
            .Label(first.Explanation + " | " + second.Explanation);
    }

    [Property]
    public Property History_Replay_ReproducesTheCurrentStage_Holds(DefaultLifecycleOptions o, Story s)
    {
        var model = LifecycleModel.CreateDefault(o);
        var l = EventByEvent(model, s, manual: true).Lifecycle;
        var folded = l.History.Aggregate(l.InitialStage, (stage, m) => m.From == stage ? m.To : "broken");
        var rebuilt = new CustomerLifecycle(l.CustomerId, l.InitialStage, l.StartedAt, l.History);
        return (folded == l.Stage && rebuilt.Equals(l) && rebuilt.Stage == l.Stage && l.StageAt(s.AsOf) == l.Stage
                && l.History.Zip(l.History.Skip(1)).All(p => p.First.At <= p.Second.At)).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Json_RoundTrip_Holds(DefaultLifecycleOptions o, Story s)
    {
        var model = LifecycleModel.CreateDefault(o);
        var json = model.ToJson();
        var back = LifecycleModel.FromJson(json);
        return (back.ToJson() == json && back.Rules.SequenceEqual(model.Rules) && back.Stages.SequenceEqual(model.Stages)
                && back.Zone.Equals(model.Zone) && AllAtOnce(back, s).Equals(AllAtOnce(model, s))).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Total_EveryCustomerHasExactlyOneStage_Holds(DefaultLifecycleOptions o, Story[] stories)
    {
        var model = LifecycleModel.CreateDefault(o);
        var asOf = Story.At(900 * 24 * 60);
        var lifecycles = stories.Select((s, i) => model.Replay(new CustomerId($"C{i}"), s.Purchases.Select(p => Buy(new CustomerId($"C{i}"), p)), asOf, Start)).ToArray();
        var funnel = LifecycleFunnel.Compute(model, lifecycles, Start, asOf);

        // The columnar API keeps every customer in exactly one valid stage too.
        var n = stories.Length;
        var stage = new byte[n];
        var entered = Enumerable.Repeat(Start.ToUnixTimeTicks(), n).ToArray();
        var summaries = stories.Select(s => Summary(asOf, s.Purchases)).ToArray();
        model.EvaluateColumns(
            asOf,
            new LifecycleColumnSpans(
                stage,
                entered,
                summaries.Select(x => x.PurchaseCount).ToArray(),
                summaries.Select(x => x.LastPurchaseAt?.ToUnixTimeTicks() ?? LifecycleColumns.None).ToArray(),
                summaries.Select(x => x.MedianGap?.BclCompatibleTicks ?? LifecycleColumns.None).ToArray()));
        return (funnel.AtEnd.Values.Sum() == funnel.Customers && funnel.Customers + funnel.Excluded == n
                && lifecycles.All(l => model.HasStage(l.Stage) && l.StageAt(asOf) == l.Stage)
                && stage.All(x => x < model.Stages.Length)).ToProperty();
    }

    [Property]
    public Property Columns_MatchTheObjectApi_Holds(DefaultLifecycleOptions o, Story s, PositiveInt stageSeed, NonNegativeInt sinceSeed)
    {
        var model = LifecycleModel.CreateDefault(o);
        var since = Start + Duration.FromMinutes(sinceSeed.Get % (s.AsOfMinute + 1));
        var lifecycle = In(model, model.Stages[stageSeed.Get % model.Stages.Length].Id, since);
        var summary = Summary(s.AsOf, s.Purchases);
        var expected = model.Evaluate(lifecycle, summary);
        byte[] stage = [(byte)model.IndexOf(lifecycle.Stage)];
        long[] entered = [since.ToUnixTimeTicks()];
        var rule = new short[1];
        model.EvaluateColumns(s.AsOf, new LifecycleColumnSpans(
            stage,
            entered,
            [summary.PurchaseCount],
            [summary.LastPurchaseAt?.ToUnixTimeTicks() ?? LifecycleColumns.None],
            [summary.MedianGap?.BclCompatibleTicks ?? LifecycleColumns.None],
            rule));
        var expectedRule = expected.Changed ? model.Rules.Select(r => r.Id).ToList().IndexOf(expected.Moves[^1].Trigger.Id) : -1;
        return (model.Stages[stage[0]].Id == expected.Stage && entered[0] == expected.Lifecycle.EnteredAt.ToUnixTimeTicks() && rule[0] == expectedRule).ToProperty();
    }

    [Property(MaxTest = 100)]
    public Property Funnel_CountsBalance_Holds(DefaultLifecycleOptions o, Story[] stories, NonNegativeInt fromSeed, NonNegativeInt lengthSeed)
    {
        var model = LifecycleModel.CreateDefault(o);
        var asOf = Story.At(900 * 24 * 60);
        var lifecycles = stories.Select((s, i) =>
        {
            var id = new CustomerId($"C{i}");
            var b = new LifecycleTimelineBuilder(model, id, Story.At(s.AdvanceMinutes.DefaultIfEmpty(0).Min() % (60 * 24 * 30)));
            foreach (var p in s.Purchases.Where(p => p > b.Now))
            {
                b.ObservePurchase(p);
            }

            if (s.PurchaseMinutes.Length % 4 == 1)
            {
                b.TryMove(DefaultLifecycleStages.Invalid, "prop", "disqualified", b.Now);
            }

            return b.AdvanceTo(asOf).Lifecycle;
        }).ToArray();
        var from = Story.At(fromSeed.Get % (900 * 24 * 60));
        var to = from + Duration.FromMinutes(lengthSeed.Get % (400 * 24 * 60));
        var f = LifecycleFunnel.Compute(model, lifecycles, from, to);
        var balanced = model.Stages.Select(st => st.Id).All(st =>
            f.AtEnd[st] == f.AtStart[st] + (st == model.InitialStage ? f.Joined : 0)
                + f.Flows.Where(x => x.To == st).Sum(x => x.Moves) - f.Flows.Where(x => x.From == st).Sum(x => x.Moves));
        var noInvalid = f.AtStart[DefaultLifecycleStages.Invalid] == 0 && f.AtEnd[DefaultLifecycleStages.Invalid] == 0;
        var rates = f.Conversions.All(c => c.Rate is null or (>= 0 and <= 1));
        return (balanced && noInvalid && rates).ToProperty();
    }
}
