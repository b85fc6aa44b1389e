using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Lifecycle;
using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Engine;

/// <summary>
/// The segmentation pipeline's one entry point: for a population as of an instant, each customer's RFM scores and
/// segment, model values (P(alive), expected purchases, CLV), tier, lifecycle stage, churn assessment, auto-tags and
/// segment memberships. Two passes: population-wide statistics first (<see cref="ComputeStatistics"/>), then scoring in
/// batches on all cores, streamed to a sink (<see cref="Run(CustomerFacts, ISegmentationBatchSink, IProgress{SegmentationProgress}?, CancellationToken)"/>)
/// or, from the stores, as explained objects (<see cref="EvaluateAsync"/>).
/// </summary>
/// <remarks>
/// <para>Results never depend on the number of threads or the batch size: each batch is a pure function of its rows and
/// the statistics, and counts are sums.</para>
/// <para>Rules: RFM as <see cref="RfmColumnarScorer"/> (tie-consistent quantiles over customers with purchases: recency,
/// purchase count, net spend). BG/NBD inputs from the facts: x = purchases − 1, t_x = last − first, T = as-of − first
/// (in the model's time unit); average repeat spend = net spend / purchases. Tier: the policy's cut points over the
/// population's metric values, customers without a value get the lowest tier. Lifecycle: every customer starts in the
/// initial stage at its first purchase (or the as-of instant without one) and moves as the model's rules say. Churn:
/// the columnar rules with P(alive) from the model when configured.</para>
/// <threadsafety>Immutable and thread safe; runs may overlap.</threadsafety>
/// </remarks>
public sealed partial class SegmentationEngine
{
    private readonly SingleMetricTierPolicy? _tier;
    private readonly ChurnColumnarScorer _churn;
    private readonly ChurnAssessor _assessor;
    private readonly ClvCalculator? _clv;
    private readonly double[] _discountFactors = [];
    private readonly ImmutableArray<TagId> _tagIds;
    private readonly int[] _tagBitOfRule;
    private readonly byte[] _segmentLookup;
    private readonly ICustomerStore? _customers;
    private readonly IActivityStore? _activities;
    private readonly IActivitySummarySource? _summaries;
    private readonly ActivitySummarizer _summarizer = new();

    /// <summary>Creates an engine for in-memory facts only.</summary>
    /// <param name="options">The options; defaults (RFM and churn only) when null.</param>
    /// <exception cref="SegmentationConfigurationException">The options hold something the engine cannot evaluate.</exception>
    public SegmentationEngine(SegmentationEngineOptions? options = null)
        : this(options, null, null, null)
    {
    }

    /// <summary>Creates an engine that can also read the stores (<see cref="EvaluateAsync"/>).</summary>
    /// <param name="options">The options; defaults when null.</param>
    /// <param name="customers">The customer store, or null.</param>
    /// <param name="activities">The activity store (summarized with <see cref="ActivitySummarizer"/> defaults) when there is no summary source, or null.</param>
    /// <param name="summaries">A summary source (preferred over <paramref name="activities"/>), or null.</param>
    /// <exception cref="SegmentationConfigurationException">The options hold something the engine cannot evaluate.</exception>
    public SegmentationEngine(SegmentationEngineOptions? options, ICustomerStore? customers, IActivityStore? activities, IActivitySummarySource? summaries)
    {
        Options = options ?? new SegmentationEngineOptions();
        _customers = customers;
        _activities = activities;
        _summaries = summaries;
        var o = Options;
        if (o.RfmBins is < QuantileBinning.MinBins or > QuantileBinning.MaxBins)
        {
            throw new SegmentationConfigurationException($"RfmBins must be {QuantileBinning.MinBins}..{QuantileBinning.MaxBins}, got {o.RfmBins}.");
        }

        if (o.MaxDegreeOfParallelism < 1 || o.BatchSize is < 1 or > 1 << 20)
        {
            throw new SegmentationConfigurationException($"MaxDegreeOfParallelism must be at least 1 (got {o.MaxDegreeOfParallelism}) and BatchSize 1..1048576 (got {o.BatchSize}).");
        }

        if (o.RfmSegments is null || o.ChurnRules is null)
        {
            throw new SegmentationConfigurationException("RfmSegments and ChurnRules must not be null.");
        }

        if (o.TierPolicy is not null)
        {
            _tier = o.TierPolicy as SingleMetricTierPolicy
                ?? throw new SegmentationConfigurationException($"Tier policy '{o.TierPolicy.Name}' is a {o.TierPolicy.GetType().Name}; the engine evaluates single-metric policies (threshold, quantile, Pareto).");
            if (!IsSupportedMetric(_tier.Metric))
            {
                throw new SegmentationConfigurationException($"Tier policy '{_tier.Name}' ranks by '{_tier.Metric.Name}'; the engine's facts hold netSpend, purchaseCount, averageSpend and recencyDays.");
            }

            if (_tier.Ladder.Count >= SegmentationBatch.NoLevel)
            {
                throw new SegmentationConfigurationException($"Tier policy '{_tier.Name}' has {_tier.Ladder.Count} tiers; at most 254.");
            }
        }

        if (o.Lifecycle is { } lm && lm.Stages.Length >= SegmentationBatch.NoLevel)
        {
            throw new SegmentationConfigurationException($"The lifecycle model has {lm.Stages.Length} stages; at most 254.");
        }

        try
        {
            _churn = new ChurnColumnarScorer(o.ChurnRules);
        }
        catch (ChurnConfigurationException ex)
        {
            throw new SegmentationConfigurationException(ex.Message, ex);
        }

        _assessor = new ChurnAssessor(o.ChurnRules, DateTimeZone.Utc);
        if (o.ValueModel is { Spend: { } spend } vm)
        {
            _clv = new ClvCalculator(vm.Purchases, spend, vm.ClvOptions);
            _discountFactors = DiscountFactors(_clv.Options);
        }

        var tags = ImmutableArray.CreateBuilder<TagId>();
        if (o.Tags is { } tr)
        {
            _tagBitOfRule = new int[tr.RuleSet.Rules.Length];
            for (var i = 0; i < tr.RuleSet.Rules.Length; i++)
            {
                var id = tr.RuleSet.Rules[i].TagId;
                var bit = tags.IndexOf(id);
                if (bit < 0)
                {
                    bit = tags.Count;
                    tags.Add(id);
                }

                _tagBitOfRule[i] = bit;
            }

            if (tags.Count > 64)
            {
                throw new SegmentationConfigurationException($"The tag rules give {tags.Count} distinct tags; the engine handles at most 64.");
            }
        }
        else
        {
            _tagBitOfRule = [];
        }

        _tagIds = tags.ToImmutable();
        TagNames = [.. _tagIds.Select(t => t.ToString())];
        SegmentNames = o.Segments?.Segments ?? [];
        if (SegmentNames.Length > 64)
        {
            throw new SegmentationConfigurationException($"The segment evaluator defines {SegmentNames.Length} segments; the engine handles at most 64.");
        }

        _segmentLookup = SegmentLookup(o.RfmBins, o.RfmSegments);
    }

    /// <summary>Gets the options.</summary>
    public SegmentationEngineOptions Options { get; }

    /// <summary>Gets the tier names, lowest first (index = <see cref="SegmentationBatch.Tier"/> value); empty without a tier policy.</summary>
    public ImmutableArray<string> TierNames => _tier is null ? [] : [.. Enumerable.Range(0, _tier.Ladder.Count).Select(i => _tier.Ladder[i].Name)];

    /// <summary>Gets the lifecycle stage ids in model order (index = <see cref="SegmentationBatch.Stage"/> value); empty without a model.</summary>
    public ImmutableArray<string> StageNames => Options.Lifecycle is null ? [] : [.. Options.Lifecycle.Stages.Select(s => s.Id)];

    /// <summary>Gets the auto-tag names; bit <c>t</c> of <see cref="SegmentationBatch.Tags"/> is <c>TagNames[t]</c>.</summary>
    public ImmutableArray<string> TagNames { get; }

    /// <summary>Gets the segment names; bit <c>s</c> of <see cref="SegmentationBatch.Segments"/> is <c>SegmentNames[s]</c>.</summary>
    public ImmutableArray<string> SegmentNames { get; }

    /// <summary>Gets the name of an RFM segment code: "None" (0), a row of the segment table, or its fallback.</summary>
    /// <param name="code">A value of <see cref="SegmentationBatch.RfmSegment"/>.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not a code.</exception>
    public string RfmSegmentName(int code)
    {
        var rules = Options.RfmSegments.Rules;
        ArgumentOutOfRangeException.ThrowIfNegative(code);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, rules.Length + 1);
        return code == 0 ? RfmScoreColumns.NoScoreSegment : code <= rules.Length ? rules[code - 1].Name : Options.RfmSegments.FallbackName;
    }

    /// <summary>Gets the name of a tier level, or the empty string for <see cref="SegmentationBatch.NoLevel"/>.</summary>
    /// <param name="level">A value of <see cref="SegmentationBatch.Tier"/>.</param>
    /// <returns>The tier's name.</returns>
    public string TierName(byte level) => level == SegmentationBatch.NoLevel || _tier is null ? string.Empty : _tier.Ladder[level].Name;

    /// <summary>Gets the id of a lifecycle stage index, or the empty string for <see cref="SegmentationBatch.NoLevel"/>.</summary>
    /// <param name="stage">A value of <see cref="SegmentationBatch.Stage"/>.</param>
    /// <returns>The stage id.</returns>
    public string StageName(byte stage) => stage == SegmentationBatch.NoLevel || Options.Lifecycle is null ? string.Empty : Options.Lifecycle.Stages[stage].Id;

    /// <summary>First pass: the population-wide statistics (RFM cut points, tier cut points, churn gap quantiles).</summary>
    /// <param name="facts">The facts.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="facts"/> is null.</exception>
    public SegmentationStatistics ComputeStatistics(CustomerFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var n = facts.Count;
        var count = facts.PurchaseCount;
        var scored = 0;
        foreach (var c in count)
        {
            scored += c > 0 ? 1 : 0;
        }

        long[] lastCuts = [], frequencyCuts = [], monetaryCuts = [];
        if (scored > 0)
        {
            var column = new long[scored];
            var bins = Options.RfmBins;
            Fill(facts.LastPurchaseDay, count, column);
            lastCuts = QuantileCutPoints.Compute(column, bins, higherIsBetter: true);
            Fill(count, count, column);
            frequencyCuts = QuantileCutPoints.Compute(column, bins, higherIsBetter: true);
            Fill(facts.NetSpendUnits, count, column);
            monetaryCuts = QuantileCutPoints.Compute(column, bins, higherIsBetter: true);
        }

        TierCutPoints? tierCuts = null;
        if (_tier is QuantileTierPolicy quantile && TierKeysScaled)
        {
            // Money and counts are exact fixed-point keys already: the cut points select over them (as the policy does
            // over the decimals it would make of them) without a decimal per customer.
            var keys = new long[n];
            for (var i = 0; i < n; i++)
            {
                keys[i] = ScaledTierKey(facts, i);
            }

            tierCuts = quantile.ComputeCutPointsFromScaledKeys(keys);
        }
        else if (_tier is not null)
        {
            var values = new List<decimal>(n);
            for (var i = 0; i < n; i++)
            {
                if (TierValue(facts, i) is { } v)
                {
                    values.Add(v);
                }
            }

            tierCuts = _tier.ComputeCutPoints(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
        }

        // The repeat customers' gaps, counted first so that one exact array holds them (no list growth at 10 M).
        var gap = facts.GapDays;
        var repeat = 0;
        for (var i = 0; i < n; i++)
        {
            repeat += count[i] >= 2 && !float.IsNaN(gap[i]) ? 1 : 0;
        }

        var gaps = new float[repeat];
        var w = 0;
        for (var i = 0; i < n; i++)
        {
            if (count[i] >= 2 && !float.IsNaN(gap[i]))
            {
                gaps[w++] = gap[i];
            }
        }

        return new SegmentationStatistics(n, scored, facts.AsOfDay, lastCuts, frequencyCuts, monetaryCuts, tierCuts, ChurnPopulation.FromSingleGapDays(gaps));
    }

    /// <summary>Runs both passes over in-memory facts and streams the result batches to a sink.</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="sink">Receives every batch (concurrently, see <see cref="ISegmentationBatchSink"/>).</param>
    /// <param name="progress">Optional progress, reported per batch from worker threads.</param>
    /// <param name="cancellationToken">Stops the run between batches.</param>
    /// <returns>The statistics and the distributions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="facts"/> or <paramref name="sink"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public SegmentationRunSummary Run(CustomerFacts facts, ISegmentationBatchSink sink, IProgress<SegmentationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        progress?.Report(new SegmentationProgress("statistics", 0, facts.Count));
        var statistics = ComputeStatistics(facts);
        progress?.Report(new SegmentationProgress("statistics", facts.Count, facts.Count));
        return Run(facts, statistics, sink, progress, cancellationToken);
    }

    /// <summary>Second pass only: scores in-memory facts with statistics computed before (e.g. merged from partitions).</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="statistics">The population-wide statistics to score against.</param>
    /// <param name="sink">Receives every batch.</param>
    /// <param name="progress">Optional progress.</param>
    /// <param name="cancellationToken">Stops the run between batches.</param>
    /// <returns>The statistics and the distributions of this part.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public SegmentationRunSummary Run(CustomerFacts facts, SegmentationStatistics statistics, ISegmentationBatchSink sink, IProgress<SegmentationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(sink);
        var size = Options.BatchSize;
        var batches = (facts.Count + size - 1) / size;
        var threads = Math.Max(1, Math.Min(Options.MaxDegreeOfParallelism, batches));
        var counts = new Counts[threads];
        var next = -1;
        long done = 0;
        Exception? failure = null;
        void Work(int t)
        {
            try
            {
                var local = counts[t] = new Counts(this);
                var batch = new SegmentationBatch(this, facts, Math.Min(size, Math.Max(1, facts.Count)));
                var scratch = new Scratch(size);
                int b;
                while ((b = Interlocked.Increment(ref next)) < batches && Volatile.Read(ref failure) is null)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = b * size;
                    Score(facts, statistics, batch, b, start, Math.Min(size, facts.Count - start), scratch, explainSegments: false);
                    local.Add(batch);
                    sink.Write(batch);
                    var d = Interlocked.Add(ref done, batch.Length);
                    progress?.Report(new SegmentationProgress("scoring", d, facts.Count));
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        }

        var workers = new Thread[threads - 1];
        for (var t = 1; t < threads; t++)
        {
            var id = t;
            workers[t - 1] = new Thread(() => Work(id)) { IsBackground = true, Name = $"segmentation-{id}" };
            workers[t - 1].Start();
        }

        Work(0);
        foreach (var w in workers)
        {
            w.Join();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        var total = new Counts(this);
        foreach (var c in counts)
        {
            if (c is not null)
            {
                total.Merge(c);
            }
        }

        return total.ToSummary(statistics);
    }

    internal static decimal Money(long units) => units / (decimal)Utf8PurchaseFields.AmountScale;

    private static bool IsSupportedMetric(TierMetric metric) =>
        metric.IsBuiltIn && metric.Name is "netSpend" or "purchaseCount" or "averageSpend" or "recencyDays";

    /// <summary>Copies the values of the customers with purchases into <paramref name="column"/>.</summary>
    private static void Fill(ReadOnlySpan<int> values, ReadOnlySpan<int> count, long[] column)
    {
        var w = 0;
        for (var i = 0; i < count.Length; i++)
        {
            if (count[i] > 0)
            {
                column[w++] = values[i];
            }
        }
    }

    /// <summary>Copies the values of the customers with purchases into <paramref name="column"/>.</summary>
    private static void Fill(ReadOnlySpan<long> values, ReadOnlySpan<int> count, long[] column)
    {
        var w = 0;
        for (var i = 0; i < count.Length; i++)
        {
            if (count[i] > 0)
            {
                column[w++] = values[i];
            }
        }
    }

    private static byte[] SegmentLookup(int bins, RfmSegmentTable segments)
    {
        var lookup = new byte[(bins + 1) * (bins + 1) * (bins + 1)];
        for (var r = 1; r <= bins; r++)
        {
            for (var f = 1; f <= bins; f++)
            {
                for (var m = 1; m <= bins; m++)
                {
                    var i = segments.IndexOf(r, f, m);
                    lookup[(((r * (bins + 1)) + f) * (bins + 1)) + m] = (byte)(i < 0 ? segments.Rules.Length + 1 : i + 1);
                }
            }
        }

        return lookup;
    }

    private static int ScoreOf(long value, long[] cuts)
    {
        var score = 1;
        foreach (var c in cuts)
        {
            score += value > c ? 1 : 0;
        }

        return score;
    }

    /// <summary>
    /// Whether every tier metric value is an exact fixed-point key (value × 10⁴ as a long, higher is better, the scale of
    /// <see cref="Utf8PurchaseFields.AmountScale"/>): net spend (its units are such keys) and purchase count.
    /// </summary>
    private bool TierKeysScaled => _tier is { Metric: { IsBuiltIn: true, HigherIsBetter: true, Name: "netSpend" or "purchaseCount" } };

    private long ScaledTierKey(CustomerFacts facts, int i) =>
        _tier!.Metric.Name == "netSpend" ? facts.NetSpendUnits[i] : facts.PurchaseCount[i] * 10_000L;

    private decimal? TierValue(CustomerFacts facts, int i)
    {
        var c = facts.PurchaseCount[i];
        return _tier!.Metric.Name switch
        {
            "netSpend" => Money(facts.NetSpendUnits[i]),
            "purchaseCount" => c,
            "averageSpend" => c == 0 ? null : Money(facts.NetSpendUnits[i]) / c,
            _ => c == 0 ? null : facts.RecencyDays(i),
        };
    }

    /// <summary>Fills a batch: the hot loop. No allocation per customer except for tag rules (object rules).</summary>
    private void Score(CustomerFacts facts, SegmentationStatistics stats, SegmentationBatch batch, int index, int start, int length, Scratch scratch, bool explainSegments)
    {
        batch.Index = index;
        batch.Start = start;
        batch.Length = length;
        var count = facts.PurchaseCount.Slice(start, length);
        var first = facts.FirstPurchaseDay.Slice(start, length);
        var last = facts.LastPurchaseDay.Slice(start, length);
        var net = facts.NetSpendUnits.Slice(start, length);
        var gap = facts.GapDays.Slice(start, length);
        var bins = Options.RfmBins;
        var lastCuts = stats.LastDayCuts;
        var frequencyCuts = stats.FrequencyCuts;
        var monetaryCuts = stats.MonetaryCuts;
        var (r, f, m, seg) = (batch.RBuffer, batch.FBuffer, batch.MBuffer, batch.SegmentBuffer);
        for (var j = 0; j < length; j++)
        {
            if (count[j] == 0)
            {
                r[j] = f[j] = m[j] = seg[j] = 0;
                continue;
            }

            var rs = ScoreOf(last[j], lastCuts);
            var fs = ScoreOf(count[j], frequencyCuts);
            var ms = ScoreOf(net[j], monetaryCuts);
            r[j] = (byte)rs;
            f[j] = (byte)fs;
            m[j] = (byte)ms;
            seg[j] = _segmentLookup[(((rs * (bins + 1)) + fs) * (bins + 1)) + ms];
        }

        ScoreModel(facts.AsOfDay, count, first, last, net, batch, length, scratch);

        var tierLevels = batch.TierBuffer.AsSpan(0, length);
        if (_tier is not null && stats.TierCutPoints is { } cuts)
        {
            if (TierKeysScaled && cuts.TryLevelOfScaled(0, out _))
            {
                for (var j = 0; j < length; j++)
                {
                    cuts.TryLevelOfScaled(ScaledTierKey(facts, start + j), out var level);
                    tierLevels[j] = (byte)level;
                }
            }
            else
            {
                for (var j = 0; j < length; j++)
                {
                    tierLevels[j] = (byte)(TierValue(facts, start + j) is { } v ? cuts.LevelOf(v) : 0);
                }
            }
        }
        else
        {
            tierLevels.Fill(SegmentationBatch.NoLevel);
        }

        ScoreLifecycle(facts, count, first, last, gap, batch, length, scratch);
        ScoreChurn(count, last, gap, facts.AsOfDay, batch, length, stats.ChurnPopulation, scratch);
        ScoreTags(facts, batch, start, length);

        var memberships = batch.MembershipBuffer.AsSpan(0, length);
        memberships.Clear();
        batch.SegmentReasons = Options.Segments?.Evaluate(batch, memberships, explainSegments);
    }

    private void ScoreModel(int asOfDay, ReadOnlySpan<int> count, ReadOnlySpan<int> first, ReadOnlySpan<int> last, ReadOnlySpan<long> net, SegmentationBatch batch, int length, Scratch scratch)
    {
        var alive = batch.PAliveBuffer.AsSpan(0, length);
        var expected = batch.ExpectedBuffer.AsSpan(0, length);
        var clv = batch.ClvBuffer.AsSpan(0, length);
        if (Options.ValueModel is not { } vm)
        {
            alive.Fill(float.NaN);
            expected.Fill(float.NaN);
            clv.Fill(float.NaN);
            return;
        }

        var model = vm.Purchases;
        var p = model.Parameters;
        var unit = (double)(int)model.TimeUnit;
        var options = vm.ClvOptions;
        var horizon = options.Steps * options.StepDays / unit;
        var steps = _clv is null ? 0 : options.Steps;
        var factors = _discountFactors;
        var memo = scratch.ModelMemo;
        var table = scratch.ModelTable(2 + steps);
        for (var j = 0; j < length; j++)
        {
            if (count[j] == 0)
            {
                alive[j] = expected[j] = clv[j] = float.NaN;
                continue;
            }

            var (x, tx, age) = ModelInputs(asOfDay, count[j], first[j], last[j], unit);
            if (!BgNbdModel.IsRegular(p, x))
            {
                // Near a removable singularity Conditional averages two parameter sets: no (x, T) factor to share.
                var (a0, e0, d0) = (model.ProbabilityAlive(x, tx, age), model.ConditionalExpectedPurchases(horizon, x, tx, age), _clv is null ? double.NaN : DiscountedPurchases(x, tx, age));
                alive[j] = (float)a0;
                expected[j] = (float)e0;
                clv[j] = _clv is null ? float.NaN : (float)ClvValue(x, d0, AverageSpend(net[j], count[j]));
                continue;
            }

            // E[Y(t) | x, t_x, T] = E[Y(t) | alive, x, T] / (1/P(alive)), and the first factor (the ₂F₁ part, once for the
            // horizon and once per CLV step) depends on (purchases, age in days) only, which repeat a lot; the divisor is
            // one exp per customer. The memo holds the factors exactly as BgNbdModel.Conditional computes them and the
            // divisor is its own arithmetic, so every value is bit-identical to the direct calls.
            var key = (count[j], asOfDay - first[j]);
            if (!memo.TryGetValue(key, out var at))
            {
                if (memo.Count >= scratch.ModelMemoLimit)
                {
                    memo.Clear();
                }

                at = memo.Count * (2 + steps);
                memo[key] = at;
                table[at] = x > 0 ? BgNbdModel.LogDropoutOdds(p, x) : 0;
                table[at + 1] = horizon == 0 ? 0 : BgNbdModel.GivenAliveUnclamped(p, horizon, x, age);
                for (var k = 1; k <= steps; k++)
                {
                    table[at + 1 + k] = BgNbdModel.GivenAliveUnclamped(p, k * _clv!.StepLength, x, age);
                }
            }

            var row = table.AsSpan(at, 2 + steps);
            var divisor = x > 0 ? BgNbdModel.AliveDivisor(p, row[0], x, tx, age) : 1;
            alive[j] = x > 0 ? (float)(1 / divisor) : 1f;
            expected[j] = (float)Math.Max(x > 0 ? row[1] / divisor : row[1], 0);
            if (_clv is null)
            {
                clv[j] = float.NaN;
                continue;
            }

            // DiscountedPurchases' loop with the same operations in the same order.
            double previous = 0, discounted = 0;
            for (var k = 1; k <= steps; k++)
            {
                var given = row[1 + k];
                var cumulative = Math.Max(x > 0 ? given / divisor : given, 0);
                discounted += (cumulative - previous) * factors[k];
                previous = cumulative;
            }

            clv[j] = (float)ClvValue(x, discounted, AverageSpend(net[j], count[j]));
        }
    }

    /// <summary>
    /// Net spend / purchases as a double: (double)(units / 10⁴ as decimal) is the correctly rounded quotient of two exact
    /// doubles, so units / 10⁴ in double arithmetic gives the same bits while |units| &lt; 2⁵³, without a decimal division.
    /// </summary>
    private static double AverageSpend(long units, int count) =>
        (units is < 1L << 53 and > -(1L << 53) ? units / (double)Utf8PurchaseFields.AmountScale : (double)Money(units)) / count;

    private double ClvValue(double x, double discountedPurchases, double averageSpend) =>
        _clv!.Options.Margin * GammaGammaModel.Spend(_clv.Spend.Parameters, x, averageSpend) * discountedPurchases;

    private double DiscountedPurchases(double x, double tx, double age)
    {
        // ClvCalculator.Estimate's arithmetic without its explanation string (one per customer would dominate the loop).
        var o = _clv!.Options;
        var p = _clv.Purchases.Parameters;
        double previous = 0, discounted = 0, factor = 1;
        var growth = 1 + o.DiscountRatePerStep;
        for (var k = 1; k <= o.Steps; k++)
        {
            var cumulative = BgNbdModel.Conditional(p, k * _clv.StepLength, x, tx, age, givenAlive: false);
            factor /= growth;
            discounted += (cumulative - previous) * factor;
            previous = cumulative;
        }

        return discounted;
    }

    /// <summary>The discount factors of <see cref="DiscountedPurchases"/>'s steps (index k = 1..Steps), divided in the same order.</summary>
    private static double[] DiscountFactors(ClvOptions o)
    {
        var factors = new double[o.Steps + 1];
        double factor = 1;
        var growth = 1 + o.DiscountRatePerStep;
        for (var k = 1; k <= o.Steps; k++)
        {
            factor /= growth;
            factors[k] = factor;
        }

        return factors;
    }

    private static (double X, double Tx, double Age) ModelInputs(int asOfDay, int count, int first, int last, double unit) =>
        (count - 1, (last - first) / unit, (asOfDay - first) / unit);

    private void ScoreLifecycle(CustomerFacts facts, ReadOnlySpan<int> count, ReadOnlySpan<int> first, ReadOnlySpan<int> last, ReadOnlySpan<float> gap, SegmentationBatch batch, int length, Scratch scratch)
    {
        var stages = batch.StageBuffer.AsSpan(0, length);
        if (Options.Lifecycle is not { } model)
        {
            stages.Fill(SegmentationBatch.NoLevel);
            return;
        }

        var asOfTicks = facts.AsOfInstant.ToUnixTimeTicks();
        var entered = scratch.Entered.AsSpan(0, length);
        var lastAt = scratch.LastAt.AsSpan(0, length);
        var gaps = scratch.Gap.AsSpan(0, length);
        stages.Fill((byte)model.IndexOf(model.InitialStage));
        for (var j = 0; j < length; j++)
        {
            entered[j] = count[j] == 0 ? asOfTicks : first[j] * NodaConstants.TicksPerDay;
            lastAt[j] = count[j] == 0 ? LifecycleColumns.None : last[j] * NodaConstants.TicksPerDay;
            gaps[j] = float.IsNaN(gap[j]) ? LifecycleColumns.None : (long)Math.Round(gap[j] * (double)NodaConstants.TicksPerDay);
        }

        model.EvaluateColumns(facts.AsOfInstant, new LifecycleColumnSpans(stages, entered, count, lastAt, gaps));
    }

    private void ScoreChurn(ReadOnlySpan<int> count, ReadOnlySpan<int> last, ReadOnlySpan<float> gap, int asOfDay, SegmentationBatch batch, int length, ChurnPopulation population, Scratch scratch)
    {
        var buffer = scratch.ChurnBuffer(length);
        var alive = batch.PAlive;
        for (var j = 0; j < length; j++)
        {
            buffer.DaysSinceLastPurchase[j] = count[j] == 0 ? -1 : asOfDay - last[j];
            buffer.PurchaseCount[j] = count[j];
            buffer.MedianGapDays[j] = gap[j];
            buffer.PAlive[j] = alive[j];
        }

        _churn.Score(buffer, population, batch.ChurnScoreBuffer.AsSpan(0, length), batch.ChurnLevelBuffer.AsSpan(0, length));
    }

    private void ScoreTags(CustomerFacts facts, SegmentationBatch batch, int start, int length)
    {
        var tags = batch.TagBuffer.AsSpan(0, length);
        tags.Clear();
        if (Options.Tags is not { } evaluator)
        {
            return;
        }

        for (var j = 0; j < length; j++)
        {
            var outcomes = evaluator.Explain(TagInput(facts, start + j, null, null), facts.AsOfInstant);
            tags[j] = TagMask(outcomes);
        }
    }

    private ulong TagMask(ImmutableArray<TagRuleOutcome> outcomes)
    {
        ulong mask = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Matched && outcomes[i].Action == TagRuleAction.Assigned)
            {
                mask |= 1UL << _tagBitOfRule[i];
            }
        }

        return mask;
    }

    private static TagRuleInput TagInput(CustomerFacts facts, int i, Customer? customer, ActivitySummary? summary)
    {
        summary ??= facts.ToSummary(i);
        customer ??= new Customer(summary.CustomerId, CustomerKind.Person, summary.CustomerId.Value, summary.FirstPurchaseAt ?? facts.AsOfInstant);
        return new TagRuleInput(customer, summary);
    }

    private sealed class Scratch(int size)
    {
        private ChurnColumnBuffer? _full;

        public int Size => size;

        public long[] Entered { get; } = new long[size];

        public long[] LastAt { get; } = new long[size];

        public long[] Gap { get; } = new long[size];

        private double[] _modelTable = [];

        /// <summary>Gets the most (purchases, age) entries the model memo keeps before it starts again (about 8 MB per worker).</summary>
        public int ModelMemoLimit { get; private set; }

        /// <summary>The model memo: (purchases, as-of − first) in days → offset of its row in <see cref="ModelTable"/>.</summary>
        public Dictionary<(int Count, int Age), int> ModelMemo { get; } = [];

        /// <summary>Gets the memo's rows (ln dropout odds, horizon factor, one factor per CLV step), sized for rows of <paramref name="width"/>.</summary>
        public double[] ModelTable(int width)
        {
            if (_modelTable.Length == 0)
            {
                ModelMemoLimit = Math.Max(1024, (1 << 20) / width);
                _modelTable = new double[ModelMemoLimit * width];
            }

            return _modelTable;
        }

        public ChurnColumnBuffer ChurnBuffer(int length)
        {
            if (length == size)
            {
                return _full ??= new ChurnColumnBuffer(size);
            }

            return new ChurnColumnBuffer(length);
        }
    }

    private sealed class Counts
    {
        private readonly SegmentationEngine _engine;

        public Counts(SegmentationEngine engine)
        {
            _engine = engine;
            Segments = new long[engine.Options.RfmSegments.Rules.Length + 2];
            Tiers = new long[engine._tier?.Ladder.Count ?? 0];
            Stages = new long[engine.Options.Lifecycle?.Stages.Length ?? 0];
            Levels = new long[Enum.GetValues<ChurnRiskLevel>().Length];
            Tags = new long[engine.TagNames.Length];
            Members = new long[engine.SegmentNames.Length];
        }

        public long[] Segments { get; }

        public long[] Tiers { get; }

        public long[] Stages { get; }

        public long[] Levels { get; }

        public long[] Tags { get; }

        public long[] Members { get; }

        public void Add(SegmentationBatch batch)
        {
            foreach (var s in batch.RfmSegment)
            {
                Segments[s]++;
            }

            foreach (var t in batch.Tier)
            {
                if (t != SegmentationBatch.NoLevel)
                {
                    Tiers[t]++;
                }
            }

            foreach (var s in batch.Stage)
            {
                if (s != SegmentationBatch.NoLevel)
                {
                    Stages[s]++;
                }
            }

            foreach (var l in batch.ChurnLevel)
            {
                Levels[(int)l]++;
            }

            Bits(batch.Tags, Tags);
            Bits(batch.Segments, Members);
        }

        public void Merge(Counts other)
        {
            Sum(Segments, other.Segments);
            Sum(Tiers, other.Tiers);
            Sum(Stages, other.Stages);
            Sum(Levels, other.Levels);
            Sum(Tags, other.Tags);
            Sum(Members, other.Members);
        }

        public SegmentationRunSummary ToSummary(SegmentationStatistics statistics)
        {
            var e = _engine;
            return new SegmentationRunSummary(
                statistics,
                [.. Segments.Select((c, i) => new KeyValuePair<string, long>(e.RfmSegmentName(i), c))],
                [.. Tiers.Select((c, i) => new KeyValuePair<string, long>(e.TierName((byte)i), c))],
                [.. Stages.Select((c, i) => new KeyValuePair<string, long>(e.StageName((byte)i), c))],
                [.. Levels.Select((c, i) => new KeyValuePair<string, long>(((ChurnRiskLevel)i).ToString(), c))],
                [.. Tags.Select((c, i) => new KeyValuePair<string, long>(e.TagNames[i], c))],
                [.. Members.Select((c, i) => new KeyValuePair<string, long>(e.SegmentNames[i], c))]);
        }

        private static void Bits(ReadOnlySpan<ulong> masks, long[] into)
        {
            foreach (var mask in masks)
            {
                var rest = mask;
                while (rest != 0)
                {
                    into[System.Numerics.BitOperations.TrailingZeroCount(rest)]++;
                    rest &= rest - 1;
                }
            }
        }

        private static void Sum(long[] into, long[] add)
        {
            for (var i = 0; i < into.Length; i++)
            {
                into[i] += add[i];
            }
        }
    }
}
