using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using CustomerSegmentation.Tiers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Engine;

public sealed partial class SegmentationEngine
{
    /// <summary>
    /// Streams every customer of the customer store with its results and explanations. Pass 1 reads every customer's
    /// summary into compact facts (about 28 bytes per customer) and computes the statistics; pass 2 reads the store again
    /// page by page, scores each page on all cores and yields its results in store order. Only one page of results is in
    /// memory at a time.
    /// </summary>
    /// <param name="asOf">The as-of instant.</param>
    /// <param name="progress">Optional progress per page.</param>
    /// <param name="pageSize">Customers per page, at least 1; default 1000.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The results, in the store's order.</returns>
    /// <exception cref="InvalidOperationException">The engine has no customer store or no activity source, or the store changed between the passes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is below 1.</exception>
    public async IAsyncEnumerable<CustomerResult> EvaluateAsync(
        Instant asOf, IProgress<SegmentationProgress>? progress = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var customers = _customers ?? throw new InvalidOperationException("The engine was built without a customer store.");
        if (_summaries is null && _activities is null)
        {
            throw new InvalidOperationException("The engine was built without an activity store or summary source.");
        }

        var builder = new CustomerFactsBuilder(asOf);
        await foreach (var page in customers.StreamAllAsync(pageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var c in page)
            {
                builder.Add(await SummaryAsync(c.Id, asOf, cancellationToken).ConfigureAwait(false));
            }

            progress?.Report(new SegmentationProgress("statistics", builder.Count, -1));
        }

        var facts = builder.Build();
        var stats = ComputeStatistics(facts);
        var scratch = new Scratch(pageSize);
        var offset = 0;
        await foreach (var page in customers.StreamAllAsync(pageSize, cancellationToken).ConfigureAwait(false))
        {
            if (offset + page.Count > facts.Count)
            {
                throw new InvalidOperationException("The customer store grew between the engine's two passes.");
            }

            var summaries = new ActivitySummary[page.Count];
            for (var j = 0; j < page.Count; j++)
            {
                if (page[j].Id != facts.GetId(offset + j))
                {
                    throw new InvalidOperationException($"The customer store changed between the engine's two passes (customer {page[j].Id} at position {offset + j}).");
                }

                summaries[j] = await SummaryAsync(page[j].Id, asOf, cancellationToken).ConfigureAwait(false);
            }

            var batch = new SegmentationBatch(this, facts, page.Count);
            Score(facts, stats, batch, offset / pageSize, offset, page.Count, scratch.Size >= page.Count ? scratch : new Scratch(page.Count), explainSegments: true);
            var results = new CustomerResult[page.Count];
            Parallel.For(0, page.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, j =>
                results[j] = Explain(facts, stats, batch, j, page[j], summaries[j], asOf));
            offset += page.Count;
            progress?.Report(new SegmentationProgress("scoring", offset, facts.Count));
            foreach (var r in results)
            {
                yield return r;
            }
        }

        if (offset != facts.Count)
        {
            throw new InvalidOperationException("The customer store shrank between the engine's two passes.");
        }
    }

    /// <summary>Explains one customer of in-memory facts: the same decisions as the batch columns, with the explanations of the object APIs.</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="statistics">The statistics of the run (<see cref="ComputeStatistics"/>).</param>
    /// <param name="index">The customer.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public CustomerResult Explain(CustomerFacts facts, SegmentationStatistics statistics, int index)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, facts.Count);
        var batch = new SegmentationBatch(this, facts, 1);
        Score(facts, statistics, batch, 0, index, 1, new Scratch(1), explainSegments: true);
        return Explain(facts, statistics, batch, 0, null, facts.ToSummary(index), facts.AsOfInstant);
    }

    private CustomerResult Explain(CustomerFacts facts, SegmentationStatistics stats, SegmentationBatch batch, int j, Customer? customer, ActivitySummary summary, Instant asOf)
    {
        var i = batch.Start + j;
        var id = summary.CustomerId;
        var count = facts.PurchaseCount[i];
        var rfm = new RfmAssessment(
            count == 0 ? null : facts.RecencyDays(i), count, Money(facts.NetSpendUnits[i]), batch.R[j], batch.F[j], batch.M[j], RfmSegmentName(batch.RfmSegment[j]),
            count == 0
                ? "no purchases: not scored"
                : string.Create(CultureInfo.InvariantCulture, $"R {batch.R[j]}: {facts.RecencyDays(i)} days vs cut points [{string.Join(", ", stats.RecencyCutPoints)}]; F {batch.F[j]}: {count} purchases vs [{string.Join(", ", stats.FrequencyCuts)}]; M {batch.M[j]}: {Money(facts.NetSpendUnits[i])} vs [{string.Join(", ", stats.MonetaryCuts.Select(Money))}]; score = 1 + the cut points beaten; segment from the {Options.RfmBins}-bin table."));

        ClvEstimate? model = null;
        if (Options.ValueModel is { } vm && count > 0)
        {
            var unit = (double)(int)vm.Purchases.TimeUnit;
            var (x, tx, age) = ModelInputs(facts.AsOfDay, count, facts.FirstPurchaseDay[i], facts.LastPurchaseDay[i], unit);
            model = _clv is not null
                ? _clv.Estimate(x, tx, age, (double)Money(facts.NetSpendUnits[i]) / count)
                : new ClvEstimate(double.NaN, batch.PAlive[j], batch.ExpectedPurchases[j], double.NaN, double.NaN, string.Create(
                    CultureInfo.InvariantCulture,
                    $"P(alive) {batch.PAlive[j]:F3}, {batch.ExpectedPurchases[j]:F3} expected purchases over {vm.ClvOptions.Steps * vm.ClvOptions.StepDays} days (BG/NBD); history x = {x}, t_x = {tx:G4}, T = {age:G4} {vm.Purchases.TimeUnit.ToString().ToLowerInvariant()}; no spend model: no CLV."));
        }

        TierAssignment? tier = null;
        if (_tier is not null && stats.TierCutPoints is { } cuts)
        {
            var value = TierValue(facts, i);
            var t = _tier.Ladder[batch.Tier[j]];
            var rule = value is null
                ? $"no {_tier.Metric.Name} value: lowest tier"
                : string.Create(CultureInfo.InvariantCulture, $"{_tier.Kind} policy '{_tier.Name}': {_tier.Metric.Name} {value} falls in the bound of tier {t.Name}");
            tier = new TierAssignment(id, t, asOf, new TierReason(_tier.Name, _tier.Kind, t, [new MetricReading(_tier.Metric.Name, value, _tier.Metric.HigherIsBetter)], cuts.Bounds, rule));
        }

        var lifecycle = Options.Lifecycle is { } lm
            ? lm.Evaluate(lm.Start(id, summary.FirstPurchaseAt is { } f && f <= asOf ? f : asOf), summary)
            : null;
        var signals = new ChurnSignals { PAlive = float.IsNaN(batch.PAlive[j]) ? null : batch.PAlive[j] };
        var churn = _assessor.Assess(summary, asOf, stats.ChurnPopulation, signals);
        var tags = Options.Tags is { } evaluator
            ? [.. evaluator.Explain(TagInput(facts, i, customer, summary), asOf).Where(o => o.Matched && o.Action == TagRuleAction.Assigned)]
            : ImmutableArray<TagRuleOutcome>.Empty;
        var members = ImmutableArray.CreateBuilder<SegmentMembership>();
        var mask = batch.Segments[j];
        for (var s = 0; s < SegmentNames.Length; s++)
        {
            if ((mask & (1UL << s)) != 0)
            {
                members.Add(new SegmentMembership(SegmentNames[s], batch.SegmentReasons?[j]?[s] ?? "member (the evaluator gave no reason)"));
            }
        }

        return new CustomerResult(id, summary, rfm, model, tier, lifecycle, churn, tags, members.ToImmutable());
    }

    private async ValueTask<ActivitySummary> SummaryAsync(CustomerId id, Instant asOf, CancellationToken cancellationToken)
    {
        if (_summaries is not null)
        {
            return await _summaries.GetSummaryAsync(id, asOf, cancellationToken).ConfigureAwait(false);
        }

        var records = new List<ActivityRecord>();
        await foreach (var r in _activities!.StreamForCustomerAsync(id, cancellationToken).ConfigureAwait(false))
        {
            records.Add(r);
        }

        return _summarizer.Summarize(id, records, asOf);
    }
}
