using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Scoring;
using NodaTime;

namespace CustomerSegmentation.Storage.Internal;

/// <summary>The SQL dialect bits the summary query needs.</summary>
/// <param name="Activity">The activity table, quoted (and schema-qualified where the database has schemas).</param>
/// <param name="Amount">The expression of a row's amount in a summable exact type (<c>amount</c> numeric, or scaled integer units).</param>
/// <param name="CurrencyList">An aggregate listing the distinct currencies of a group, comma separated.</param>
/// <param name="ReadMoney">Reads a summed amount column as a decimal.</param>
internal sealed record SqlDialect(string Activity, string Amount, string CurrencyList, Func<DbDataReader, int, decimal> ReadMoney);

/// <summary>
/// The set-based summary query: one statement per batch of customers (a keyset range of customer ids) computes every
/// field of <see cref="ActivitySummary"/> in the database (counts, sums, windows, distinct days, the median gap with
/// window functions, the last NPS) and the assembly here turns a result row into the summary with exactly the
/// arithmetic of <see cref="ActivitySummarizer"/>.
/// </summary>
/// <remarks>
/// Everything is grouped by <c>customer_id</c> and no row of one customer meets a row of another, so the query pushes
/// down per shard when the table is distributed on <c>customer_id</c>.
/// </remarks>
internal sealed class SummaryQuery
{
    private const int FixedColumns = 8;
    private readonly ActivitySummaryOptions _options;
    private readonly long _offsetNanos;

    public SummaryQuery(SqlDialect dialect, ActivitySummaryOptions? options)
    {
        _options = options ?? ActivitySummaryOptions.Default;
        _ = new ActivitySummarizer(_options); // the same configuration checks as the in-memory summariser
        if (_options.CurrencyConverter is not null)
        {
            throw new ScoringConfigurationException(
                "ActivitySummaryOptions.CurrencyConverter",
                "a database summary cannot call a currency converter; convert amounts when importing, or use ActivityStoreSummarySource.");
        }

        var zone = _options.Zone;
        if (zone.MinOffset != zone.MaxOffset)
        {
            throw new ScoringConfigurationException(
                "ActivitySummaryOptions.Zone",
                $"the database computes purchase days with a fixed UTC offset, and {zone.Id} changes its offset; use UTC or a fixed-offset zone, or ActivityStoreSummarySource.");
        }

        _offsetNanos = zone.MaxOffset.Nanoseconds;
        var w = _options.Windows;
        var windows = new StringBuilder();
        for (var i = 0; i < w.Length; i++)
        {
            windows.Append(CultureInfo.InvariantCulture, $",\n    count(CASE WHEN amt >= 0 AND at_ns >= @wf{i} AND at_ns < @wt{i} THEN 1 END) AS w{i}_n")
                   .Append(CultureInfo.InvariantCulture, $",\n    sum(CASE WHEN at_ns >= @wf{i} AND at_ns < @wt{i} THEN amt END) AS w{i}_s");
        }

        var windowColumns = new StringBuilder();
        for (var i = 0; i < w.Length; i++)
        {
            windowColumns.Append(CultureInfo.InvariantCulture, $", agg.w{i}_n, agg.w{i}_s");
        }

        var kinds = string.Join(", ", Enumerable.Range(0, 7).Select(k => string.Create(CultureInfo.InvariantCulture, $"count(CASE WHEN interaction_kind = {k} THEN 1 END) AS k{k}")));
        var kindColumns = string.Concat(Enumerable.Range(0, 7).Select(k => string.Create(CultureInfo.InvariantCulture, $", it.k{k}")));
        const string Day = "(at_ns + @off) - ((((at_ns + @off) % 86400000000000) + 86400000000000) % 86400000000000)";
        Body = $"""
            r AS (
              SELECT customer_id, seq, kind, at_ns, {dialect.Amount} AS amt, currency, interaction_kind, satisfaction, nps
              FROM {dialect.Activity}
              WHERE customer_id >= (SELECT min(customer_id) FROM ids) AND customer_id <= (SELECT max(customer_id) FROM ids) AND at_ns <= @asof),
            agg AS (
              SELECT customer_id,
                count(CASE WHEN amt >= 0 THEN 1 END) AS n,
                min(CASE WHEN amt >= 0 THEN at_ns END) AS first_at,
                max(CASE WHEN amt >= 0 THEN at_ns END) AS last_at,
                count(DISTINCT CASE WHEN amt >= 0 THEN {Day} END) AS days,
                sum(CASE WHEN amt >= 0 THEN amt END) AS gross,
                sum(CASE WHEN amt < 0 THEN amt END) AS refunds,
                min(currency) AS cur_min,
                CASE WHEN min(currency) <> max(currency) THEN {dialect.CurrencyList} END AS cur_list{windows}
              FROM r WHERE kind = 0 GROUP BY customer_id),
            g AS (
              SELECT customer_id, at_ns - lag(at_ns) OVER (PARTITION BY customer_id ORDER BY at_ns, seq) AS gap
              FROM r WHERE kind = 0 AND amt >= 0),
            gr AS (
              SELECT customer_id, gap, row_number() OVER (PARTITION BY customer_id ORDER BY gap) AS rn, count(*) OVER (PARTITION BY customer_id) AS cnt
              FROM g WHERE gap IS NOT NULL),
            med AS (
              SELECT customer_id, min(CASE WHEN rn = (cnt + 1) / 2 THEN gap END) AS gap_lo, min(CASE WHEN rn = cnt / 2 + 1 THEN gap END) AS gap_hi
              FROM gr GROUP BY customer_id),
            it AS (
              SELECT customer_id, {kinds}, max(at_ns) AS last_int, sum(satisfaction) AS sat_sum, count(satisfaction) AS sat_n
              FROM r WHERE kind = 1 GROUP BY customer_id),
            np AS (
              SELECT customer_id, nps FROM (
                SELECT customer_id, nps, row_number() OVER (PARTITION BY customer_id ORDER BY at_ns DESC, seq DESC) AS rn
                FROM r WHERE kind = 1 AND nps IS NOT NULL) x
              WHERE rn = 1),
            rf AS (SELECT customer_id, count(*) AS refs FROM r WHERE kind = 2 GROUP BY customer_id)
            SELECT ids.customer_id, agg.n, agg.first_at, agg.last_at, agg.days, agg.gross, agg.refunds, agg.cur_min, agg.cur_list{windowColumns},
              med.gap_lo, med.gap_hi{kindColumns}, it.last_int, it.sat_sum, it.sat_n, np.nps, rf.refs
            FROM ids
              LEFT JOIN agg ON agg.customer_id = ids.customer_id
              LEFT JOIN med ON med.customer_id = ids.customer_id
              LEFT JOIN it ON it.customer_id = ids.customer_id
              LEFT JOIN np ON np.customer_id = ids.customer_id
              LEFT JOIN rf ON rf.customer_id = ids.customer_id
            ORDER BY ids.customer_id
            """;
        Dialect = dialect;
    }

    /// <summary>Gets the dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Gets the options.</summary>
    public ActivitySummaryOptions Options => _options;

    /// <summary>Gets the statement after <c>WITH ids AS (...),</c>: the caller supplies the <c>ids</c> CTE (one customer, or a keyset batch).</summary>
    public string Body { get; }

    /// <summary>Fills the parameters the body uses (<c>@asof</c>, <c>@off</c>, the window bounds).</summary>
    public void AddParameters(DbCommand command, Instant asOf)
    {
        Add(command, "asof", StorageCodec.ToNanosClamped(asOf));
        Add(command, "off", _offsetNanos);
        for (var i = 0; i < _options.Windows.Length; i++)
        {
            var window = _options.Windows[i];
            Add(command, "wf" + i.ToString(CultureInfo.InvariantCulture), StorageCodec.ToNanosClamped(window.FromFor(asOf)));
            Add(command, "wt" + i.ToString(CultureInfo.InvariantCulture), StorageCodec.ToNanosClamped(window.ToFor(asOf)));
        }
    }

    /// <summary>Builds the summary of the current row with the arithmetic of <see cref="ActivitySummarizer"/>.</summary>
    /// <exception cref="MixedCurrencyException">The customer's purchases are in several currencies.</exception>
    public ActivitySummary Read(DbDataReader r, Instant asOf)
    {
        var id = new CustomerId(r.GetString(0));
        var n = r.IsDBNull(1) ? 0 : checked((int)r.GetInt64(1));
        if (!r.IsDBNull(8))
        {
            throw new MixedCurrencyException(id, r.GetString(8).Split(',').Select(c => new Currency(c)));
        }

        var windows = _options.Windows;
        var totals = ImmutableArray.CreateBuilder<WindowTotals>(windows.Length);
        for (var i = 0; i < windows.Length; i++)
        {
            var c = FixedColumns + 1 + (2 * i);
            var count = r.IsDBNull(c) ? 0 : checked((int)r.GetInt64(c));
            var spend = r.IsDBNull(c + 1) ? 0m : Dialect.ReadMoney(r, c + 1);
            totals.Add(new WindowTotals(windows[i].Name, windows[i].FromFor(asOf), windows[i].ToFor(asOf), count, spend));
        }

        var k = FixedColumns + 1 + (2 * windows.Length);
        Instant? first = r.IsDBNull(2) ? null : StorageCodec.FromNanos(r.GetInt64(2));
        Instant? last = r.IsDBNull(3) ? null : StorageCodec.FromNanos(r.GetInt64(3));
        Duration? meanGap = null;
        Duration? medianGap = null;
        if (n > 1)
        {
            meanGap = (last!.Value - first!.Value) / (n - 1);
            var lo = Duration.FromNanoseconds(r.GetInt64(k));
            var hi = Duration.FromNanoseconds(r.GetInt64(k + 1));
            medianGap = (n - 1) % 2 == 1 ? lo : lo + ((hi - lo) / 2);
        }

        var byKind = ImmutableDictionary.CreateBuilder<InteractionKind, int>();
        for (var kind = 0; kind < 7; kind++)
        {
            var c = k + 2 + kind;
            var count = r.IsDBNull(c) ? 0 : checked((int)r.GetInt64(c));
            if (count > 0)
            {
                byKind.Add((InteractionKind)kind, count);
            }
        }

        var p = k + 9;
        var satCount = r.IsDBNull(p + 2) ? 0 : r.GetInt64(p + 2);
        return new ActivitySummary
        {
            CustomerId = id,
            AsOf = asOf,
            Currency = r.IsDBNull(7) ? null : new Currency(r.GetString(7)),
            FirstPurchaseAt = n > 0 ? first : null,
            LastPurchaseAt = n > 0 ? last : null,
            PurchaseCount = n,
            DistinctPurchaseDays = r.IsDBNull(4) ? 0 : checked((int)r.GetInt64(4)),
            GrossSpend = r.IsDBNull(5) ? 0m : Dialect.ReadMoney(r, 5),
            RefundTotal = r.IsDBNull(6) ? 0m : -Dialect.ReadMoney(r, 6),
            Windows = totals.MoveToImmutable(),
            MeanGap = meanGap,
            MedianGap = medianGap,
            InteractionsByKind = byKind.ToImmutable(),
            LastInteractionAt = r.IsDBNull(p) ? null : StorageCodec.FromNanos(r.GetInt64(p)),
            MeanSatisfaction = satCount == 0 ? null : (double)r.GetInt64(p + 1) / satCount,
            LastNps = r.IsDBNull(p + 3) ? null : checked((int)Convert.ToInt64(r.GetValue(p + 3), CultureInfo.InvariantCulture)),
            ReferralsMade = r.IsDBNull(p + 4) ? 0 : checked((int)r.GetInt64(p + 4)),
        };
    }

    private static void Add(DbCommand command, string name, long value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
