using CustomerSegmentation.Lifecycle;
using NodaTime;
using static CustomerSegmentation.Lifecycle.DefaultLifecycleStages;
using static CustomerSegmentation.Tests.Lifecycle.LifecycleTestData;

namespace CustomerSegmentation.Tests.Lifecycle;

public class LifecycleColumnsTests
{
    private static readonly LifecycleModel Model = LifecycleModel.CreateDefault();

    [Fact]
    public void EvaluateColumns_UpdatesStagesEnteredAndLastRuleInPlace()
    {
        var asOf = Day(300);
        byte[] stage = [(byte)Model.IndexOf(Prospect), (byte)Model.IndexOf(Repeat), (byte)Model.IndexOf(Lost)];
        long[] entered = [T0.ToUnixTimeTicks(), Day(10).ToUnixTimeTicks(), Day(200).ToUnixTimeTicks()];
        int[] count = [0, 2, 3];
        long[] last = [LifecycleColumns.None, Day(10).ToUnixTimeTicks(), Day(250).ToUnixTimeTicks()];
        long[] gap = [LifecycleColumns.None, Duration.FromDays(10).BclCompatibleTicks, Duration.FromDays(120).BclCompatibleTicks];
        var rule = new short[3];
        var moved = Model.EvaluateColumns(asOf, new LifecycleColumnSpans(stage, entered, count, last, gap, rule));
        Assert.Equal(2, moved);
        Assert.Equal([Prospect, Lost, WonBack], stage.Select(s => Model.Stages[s].Id));
        Assert.Equal([T0.ToUnixTimeTicks(), asOf.ToUnixTimeTicks(), asOf.ToUnixTimeTicks()], entered);
        Assert.Equal([(short)-1, (short)4, (short)6], rule);
    }

    [Fact]
    public void EvaluateColumns_ParallelOverManyChunks_MatchesSequential()
    {
        const int n = 200_000;
        var rng = new Random(7);
        var asOf = Day(700);
        var stage = new byte[n];
        var entered = new long[n];
        var count = new int[n];
        var last = new long[n];
        var gap = new long[n];
        for (var i = 0; i < n; i++)
        {
            stage[i] = (byte)rng.Next(Model.Stages.Length);
            entered[i] = Day(rng.Next(0, 700)).ToUnixTimeTicks();
            count[i] = rng.Next(0, 6);
            last[i] = count[i] == 0 ? LifecycleColumns.None : Day(rng.Next(0, 700)).ToUnixTimeTicks();
            gap[i] = count[i] < 2 ? LifecycleColumns.None : Duration.FromDays(rng.Next(1, 200)).BclCompatibleTicks;
        }

        var (s1, e1) = ((byte[])stage.Clone(), (long[])entered.Clone());
        var sequential = Model.EvaluateColumns(asOf, new LifecycleColumnSpans(s1, e1, count, last, gap));
        var parallel = Model.EvaluateColumns(asOf, new LifecycleColumns(stage, entered, count, last, gap), maxDegreeOfParallelism: 2);
        Assert.Equal(sequential, parallel);
        Assert.Equal(s1, stage);
        Assert.Equal(e1, entered);
        Assert.InRange(sequential, 1, n);
    }

    [Fact]
    public void Columns_Misuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => new LifecycleColumns(new byte[2], new long[2], new int[1], new long[2], new long[2]));
        Assert.Throws<ArgumentException>(() => new LifecycleColumns(new byte[2], new long[2], new int[2], new long[2], new long[2], new short[1]));
        var bad = new LifecycleColumns(new byte[] { 200 }, new long[1], new int[1], new long[] { LifecycleColumns.None }, new long[] { LifecycleColumns.None });
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.EvaluateColumns(T0, bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.EvaluateColumns(T0, bad, maxDegreeOfParallelism: 0));
        Assert.Equal(1, bad.Length);
    }
}
