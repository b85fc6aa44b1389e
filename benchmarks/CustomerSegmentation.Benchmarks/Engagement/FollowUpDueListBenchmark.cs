using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engagement;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Engagement;

/// <summary>
/// Today's follow-up due list for <see cref="Customers"/> customers with <see cref="Interactions"/> interactions (ten per
/// customer on average), default cadence (low satisfaction, complaint, new customer, tiers A/B/C, default), Asia/Shanghai.
/// </summary>
/// <remarks>
/// Baseline: the object API a host would write first: one <see cref="EngagementSubject"/> per customer holding its
/// <see cref="Interaction"/> records, <see cref="FollowUpPolicy.DueList"/> (every status explained, LINQ ordering).
/// Columnar: the same interactions as columns in time order (an event log), folded into per-customer facts
/// (<see cref="FollowUpPolicy.FoldInteractions"/>), evaluated in place (<see cref="FollowUpPolicy.EvaluateColumns"/>)
/// and the due rows ordered (<see cref="FollowUpPolicy.DueRows"/>): the same list, no reasons.
/// </remarks>
[MemoryDiagnoser]
public class FollowUpDueListBenchmark
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 7, 1, 1, 0);
    private static readonly string[] TierNames = ["A", "B", "C"];
    private static readonly string[] StageNames = ["new", "repeat", "at-risk"];

    private readonly FollowUpPolicy _policy = FollowUpPolicy.CreateDefault(new FollowUpOptions { DefaultZone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"] });
    private EngagementSubject[] _subjects = [];
    private FollowUpColumns _columns = new(0);
    private int[] _row = [];
    private byte[] _kind = [];
    private long[] _at = [];
    private byte[] _csat = [];
    private byte[] _nps = [];
    private int[] _due = [];
    private short[] _rule = [];

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    /// <summary>Gets or sets the number of customers.</summary>
    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    /// <summary>Gets the number of interactions: ten per customer.</summary>
    public int Interactions => Customers * 10;

    /// <summary>
    /// Builds both forms of the same data: tiers 10 % A, 30 % B, 60 % C; stages new 10 %, repeat 70 %, at-risk 20 %;
    /// interactions over the two years before the as-of instant, in time order: 70 % calls, messages and visits,
    /// 20 % survey answers (CSAT 1..5, NPS on a third), 3 % complaints, the rest emails.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var data = SharedData.Get("follow-up", Customers, () =>
        {
            var built = new FollowUpDueListBenchmark { Customers = Customers };
            built.Build();
            return built;
        });
        (_subjects, _columns, _row, _kind, _at, _csat, _nps, _due, _rule) =
            (data._subjects, data._columns, data._row, data._kind, data._at, data._csat, data._nps, data._due, data._rule);
    }

    private void Build()
    {
        var rng = new Random(20261202);
        var n = Customers;
        var m = Interactions;
        var asOfTicks = AsOf.ToUnixTimeTicks();
        var span = 730 * NodaConstants.TicksPerDay;
        _columns = new FollowUpColumns(n);
        var ids = new CustomerId[n];
        var tiers = _columns.Tier;
        var stages = _columns.Stage;
        for (var i = 0; i < n; i++)
        {
            ids[i] = new CustomerId($"C{i:D7}");
            var t = rng.Next(10);
            tiers[i] = (short)(t == 0 ? 0 : t <= 3 ? 1 : 2);
            var s = rng.Next(10);
            stages[i] = (short)(s == 0 ? 0 : s <= 7 ? 1 : 2);
            _columns.KnownSince[i] = asOfTicks - (long)(rng.NextDouble() * span);
            _columns.FirstPurchase[i] = rng.Next(5) == 0 ? FollowUpColumns.None : asOfTicks - (long)(rng.NextDouble() * span);
            _columns.Value[i] = rng.Next(0, 100_000) / 100m;
        }

        _row = new int[m];
        _kind = new byte[m];
        _at = new long[m];
        _csat = new byte[m];
        _nps = new byte[m];
        var start = asOfTicks - span;
        var step = span / m;
        var lists = new List<Interaction>[n];
        for (var i = 0; i < n; i++)
        {
            lists[i] = [];
        }

        for (var j = 0; j < m; j++)
        {
            var c = rng.Next(n);
            var r = rng.Next(100);
            var kind = r < 40 ? InteractionKind.Call : r < 60 ? InteractionKind.Message : r < 70 ? InteractionKind.Visit
                : r < 90 ? InteractionKind.Survey : r < 93 ? InteractionKind.Complaint : InteractionKind.Email;
            int? csat = kind == InteractionKind.Survey ? rng.Next(1, 6) : null;
            int? nps = kind == InteractionKind.Survey && rng.Next(3) == 0 ? rng.Next(0, 11) : null;
            var at = start + (j * step) + rng.Next(0, (int)Math.Min(step, int.MaxValue));
            _row[j] = c;
            _kind[j] = (byte)kind;
            _at[j] = at;
            _csat[j] = (byte)(csat ?? FollowUpPolicy.NoSatisfaction);
            _nps[j] = (byte)(nps ?? FollowUpPolicy.NoNps);
            lists[c].Add(new Interaction(ids[c], kind, Instant.FromUnixTimeTicks(at), csat, nps));
        }

        _subjects = new EngagementSubject[n];
        for (var i = 0; i < n; i++)
        {
            _subjects[i] = new EngagementSubject(ids[i])
            {
                Tier = TierNames[tiers[i]],
                Stage = StageNames[stages[i]],
                KnownSince = Instant.FromUnixTimeTicks(_columns.KnownSince[i]),
                FirstPurchaseAt = _columns.FirstPurchase[i] == FollowUpColumns.None ? null : Instant.FromUnixTimeTicks(_columns.FirstPurchase[i]),
                Value = _columns.Value[i],
                Interactions = lists[i],
                Owner = "owner" + (i % 500),
            };
        }

        _due = new int[n];
        _rule = new short[n];
        _policy.FoldInteractions(_columns, AsOf, _row, _kind, _at, _csat, _nps);
    }

    /// <summary>The object API: <see cref="FollowUpPolicy.DueList"/> over subjects holding their interaction records.</summary>
    /// <returns>The number of customers due.</returns>
    [Benchmark(Baseline = true)]
    public int Objects() => _policy.DueList(_subjects, AsOf).Entries.Length;

    /// <summary>Columnar, end to end: fold the 10 M interaction columns, evaluate, order the due rows.</summary>
    /// <returns>The number of customers due.</returns>
    [Benchmark]
    public int ColumnsFoldEvaluateOrder()
    {
        _columns.ClearInteractionFacts();
        _policy.FoldInteractions(_columns, AsOf, _row, _kind, _at, _csat, _nps);
        var today = _policy.EvaluateColumns(AsOf, _columns, TierNames, StageNames, _due, _rule);
        return FollowUpPolicy.DueRows(_due, today, _columns.Value).Length;
    }

    /// <summary>Columnar, facts already folded (a nightly fold kept up to date): evaluate and order only.</summary>
    /// <returns>The number of customers due.</returns>
    [Benchmark]
    public int ColumnsEvaluateOrder()
    {
        var today = _policy.EvaluateColumns(AsOf, _columns, TierNames, StageNames, _due, _rule);
        return FollowUpPolicy.DueRows(_due, today, _columns.Value).Length;
    }
}
