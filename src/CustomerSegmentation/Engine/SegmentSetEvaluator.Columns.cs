using CustomerSegmentation.Pipeline;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Segments;
using CustomerSegmentation.Tags;
using Field = CustomerSegmentation.Segments.SegmentFields;

namespace CustomerSegmentation.Engine;

public sealed partial class SegmentSetEvaluator
{
    /// <summary>Money units below this magnitude convert to the same double through <c>units / scale</c> as through <see cref="decimal"/>.</summary>
    private const long ExactUnits = 1L << 53;

    /// <summary>
    /// A money amount in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/> as the double a <see cref="SegmentPopulation"/>
    /// stores for it, <c>(double)(units / (decimal)AmountScale)</c>, without the decimal division when the integer is exact.
    /// </summary>
    /// <remarks>Both sides are the correctly rounded double of the same quotient: the decimal conversion divides the
    /// integer mantissa (exact below 2^53) by the power of ten of its scale, and the quotient's value does not depend on
    /// the scale. Checked against the decimal path by a property test.</remarks>
    internal static double MoneyAsDouble(long units) =>
        units is > -ExactUnits and < ExactUnits ? units / (double)Utf8PurchaseFields.AmountScale : (double)(units / (decimal)Utf8PurchaseFields.AmountScale);

    /// <summary>
    /// A batch's values as the columns a compiled rule reads: the same values a <see cref="SegmentPopulation"/> of
    /// <see cref="ToFacts"/> holds, written from the batch's buffers into buffers kept from batch to batch. A column is
    /// filled when a rule first asks for it in a batch, so fields that no rule names cost nothing.
    /// </summary>
    /// <remarks><threadsafety>Owned by the worker that owns the batch.</threadsafety></remarks>
    private sealed class BatchColumns : ISegmentColumnSource
    {
        private const int NoCode = -1;
        private const int Always = -1;

        private readonly SegmentationEngine _engine;
        private readonly Tiers.TierLadder? _ladder;
        private readonly TagId[] _tagIds;
        private readonly int _bins;
        private readonly double[] _rfmScores;
        private readonly Dictionary<string, SegmentColumn> _columns = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _filledIn = new(StringComparer.Ordinal);
        private readonly int[] _stageCodes = new int[256];
        private readonly int[] _rfmSegmentCodes = new int[256];
        private SegmentationBatch? _batch;
        private int _stamp;
        private int _capacity;

        public BatchColumns(SegmentSetEvaluator owner, SegmentationEngine engine)
        {
            Owner = owner;
            _engine = engine;
            var options = engine.Options;
            _ladder = options.TierPolicy?.Ladder;
            _tagIds = [.. engine.TagNames.Select(TagId.FromString)];

            // rfm_score depends on r, f and m only: one value per triple, computed as RfmCustomerScore.WeightedScore does
            // for the scale ToFacts builds (default weights).
            _bins = options.RfmBins;
            var weights = new RfmOptions { Bins = options.RfmBins }.Weights;
            var side = _bins + 1;
            _rfmScores = new double[side * side * side];
            for (var r = 1; r <= _bins; r++)
            {
                for (var f = 1; f <= _bins; f++)
                {
                    for (var m = 1; m <= _bins; m++)
                    {
                        _rfmScores[(((r * side) + f) * side) + m] = (double)weights.Combine(r, f, m);
                    }
                }
            }

            Array.Fill(_stageCodes, NoCode);
            Array.Fill(_rfmSegmentCodes, NoCode);
        }

        public SegmentSetEvaluator Owner { get; }

        public ulong[] Scratch { get; } = new ulong[EvalNode.BlockWords];

        public int Count { get; private set; }

        private SegmentationBatch Batch => _batch!;

        public void Reset(SegmentationBatch batch)
        {
            _batch = batch;
            Count = batch.Length;
            _stamp++;
            if (Count > _capacity)
            {
                // New buffers: the text columns' dictionaries go with them, so the codes are looked up again.
                _capacity = Math.Max(Count, 64);
                _columns.Clear();
                _filledIn.Clear();
                Array.Fill(_stageCodes, NoCode);
                Array.Fill(_rfmSegmentCodes, NoCode);
            }
        }

        public AttributeColumns? Attribute(string key) => null; // the engine has no profile cards, so no custom attributes

        public void OrHolders(TagId tag, ulong[] bits, long asOfTicks)
        {
            // Auto-tags never expire, so the as-of instant does not matter.
            ulong mask = 0;
            for (var t = 0; t < _tagIds.Length; t++)
            {
                if (_tagIds[t] == tag)
                {
                    mask |= 1UL << t;
                }
            }

            if (mask == 0)
            {
                return;
            }

            var tags = Batch.Tags;
            for (var j = 0; j < tags.Length; j++)
            {
                if ((tags[j] & mask) != 0)
                {
                    bits[j >> 6] |= 1UL << j;
                }
            }
        }

        public SegmentColumn? Column(string field)
        {
            if (_filledIn.TryGetValue(field, out var stamp) && (stamp == _stamp || stamp == Always))
            {
                return _columns[field];
            }

            var column = Fill(field);
            if (column is not null)
            {
                _filledIn[field] = IsConstant(field) ? Always : _stamp;
            }

            return column;
        }

        // Columns whose values are the same for every row of every batch: filled once per set of buffers.
        private static bool IsConstant(string field) => field is Field.DaysSinceLastInteraction or Field.PurchaseDays or Field.Complaints or Field.Referrals or Field.Nps
            or Field.Satisfaction or Field.MarketingConsent or Field.Kind or Field.Region or Field.Industry or Field.CompanySize or Field.Channel or Field.Owner;

        private SegmentColumn? Fill(string field)
        {
            var facts = Batch.Facts;
            var start = Batch.Start;
            switch (field)
            {
                case Field.DaysSinceLastPurchase:
                    // NoDay is IntColumn.Missing, and a day's start instant maps back to the same day.
                    return Copy(field, facts.LastPurchaseDay.Slice(start, Count), isDay: true);
                case Field.DaysSinceFirstPurchase:
                    return Copy(field, facts.FirstPurchaseDay.Slice(start, Count), isDay: true);
                case Field.DaysSinceCreated:
                {
                    // The card is created at the first purchase, or at the as-of instant without one.
                    var values = Ints(field, isDay: true);
                    var first = facts.FirstPurchaseDay.Slice(start, Count);
                    var asOfDay = IntColumn.EpochDay(facts.AsOfInstant);
                    for (var j = 0; j < first.Length; j++)
                    {
                        values.Values[j] = first[j] == CustomerFacts.NoDay ? asOfDay : first[j];
                    }

                    return values;
                }

                case Field.DaysSinceLastInteraction:
                    return Constant(Ints(field, isDay: true), IntColumn.Missing);
                case Field.PurchaseCount:
                    return Copy(field, facts.PurchaseCount.Slice(start, Count), isDay: false);
                case Field.PurchaseDays or Field.Complaints or Field.Referrals:
                    return Constant(Ints(field, isDay: false), 0);
                case Field.Nps:
                    return Constant(Ints(field, isDay: false), IntColumn.Missing);
                case Field.R:
                    return Score(field, Batch.R);
                case Field.F:
                    return Score(field, Batch.F);
                case Field.M:
                    return Score(field, Batch.M);
                case Field.NetSpend or Field.GrossSpend:
                {
                    var values = Doubles(field).Values;
                    var net = facts.NetSpendUnits.Slice(start, Count);
                    for (var j = 0; j < net.Length; j++)
                    {
                        values[j] = MoneyAsDouble(net[j]);
                    }

                    return _columns[field];
                }

                case Field.AverageSpend:
                {
                    var values = Doubles(field).Values;
                    var net = facts.NetSpendUnits.Slice(start, Count);
                    var count = facts.PurchaseCount.Slice(start, Count);
                    for (var j = 0; j < net.Length; j++)
                    {
                        // ActivitySummary.AverageSpend: (gross − refunds) / count, in decimal.
                        values[j] = count[j] == 0 ? double.NaN
                            : (double)(((net[j] / (decimal)Utf8PurchaseFields.AmountScale) - decimal.Zero) / count[j]);
                    }

                    return _columns[field];
                }

                case Field.Satisfaction:
                    return Constant(Doubles(field), double.NaN);
                case Field.RfmScore:
                {
                    var values = Doubles(field).Values;
                    var r = Batch.R;
                    var f = Batch.F;
                    var m = Batch.M;
                    var side = _bins + 1;
                    for (var j = 0; j < r.Length; j++)
                    {
                        values[j] = r[j] == 0 ? double.NaN : _rfmScores[(((r[j] * side) + f[j]) * side) + m[j]];
                    }

                    return _columns[field];
                }

                case Field.Clv:
                {
                    var values = Doubles(field).Values;
                    var clv = Batch.Clv;
                    for (var j = 0; j < clv.Length; j++)
                    {
                        // ToFacts keeps the CLV as the decimal of the float (7 significant digits).
                        values[j] = float.IsNaN(clv[j]) ? double.NaN : (double)(decimal)clv[j];
                    }

                    return _columns[field];
                }

                case Field.PAlive:
                    return Widen(field, Batch.PAlive);
                case Field.ChurnScore:
                    return Widen(field, Batch.ChurnScore);
                case Field.ChurnLevel:
                {
                    var column = Bytes(field);
                    var levels = Batch.ChurnLevel;
                    for (var j = 0; j < levels.Length; j++)
                    {
                        column.Values[j] = (byte)levels[j];
                    }

                    return column;
                }

                case Field.Tier:
                {
                    var column = Bytes(field);
                    var tiers = Batch.Tier;
                    for (var j = 0; j < tiers.Length; j++)
                    {
                        // A ladder's tier at index k has level k.
                        column.Values[j] = tiers[j] == SegmentationBatch.NoLevel || _ladder is null ? ByteColumn.Missing : tiers[j];
                    }

                    return column;
                }

                case Field.MarketingConsent:
                    return Constant(Bytes(field), 0);
                case Field.Stage:
                {
                    var column = Texts(field);
                    var stages = Batch.Stage;
                    for (var j = 0; j < stages.Length; j++)
                    {
                        var b = stages[j];
                        if (b == SegmentationBatch.NoLevel)
                        {
                            column.Codes[j] = 0;
                            continue;
                        }

                        if (_stageCodes[b] == NoCode)
                        {
                            _stageCodes[b] = column.Intern(_engine.StageName(b));
                        }

                        column.Codes[j] = _stageCodes[b];
                    }

                    return column;
                }

                case Field.RfmSegment:
                {
                    var column = Texts(field);
                    var r = Batch.R;
                    var segments = Batch.RfmSegment;
                    for (var j = 0; j < r.Length; j++)
                    {
                        // Not scored (r = 0) has no segment name.
                        if (r[j] == 0)
                        {
                            column.Codes[j] = 0;
                            continue;
                        }

                        var b = segments[j];
                        if (_rfmSegmentCodes[b] == NoCode)
                        {
                            _rfmSegmentCodes[b] = column.Intern(_engine.RfmSegmentName(b));
                        }

                        column.Codes[j] = _rfmSegmentCodes[b];
                    }

                    return column;
                }

                case Field.Kind:
                {
                    var column = Texts(field);
                    Array.Fill(column.Codes, column.Intern("person"));
                    return column;
                }

                case Field.Region or Field.Industry or Field.CompanySize or Field.Channel or Field.Owner:
                    return Texts(field); // all missing (code 0)
                default:
                    return null;
            }
        }

        private IntColumn Copy(string field, ReadOnlySpan<int> source, bool isDay)
        {
            var column = Ints(field, isDay);
            source.CopyTo(column.Values);
            return column;
        }

        private IntColumn Score(string field, ReadOnlySpan<byte> scores)
        {
            var column = Ints(field, isDay: false);
            var values = column.Values;
            var r = Batch.R; // scored exactly when r > 0; f and m are then 1..k too
            for (var j = 0; j < scores.Length; j++)
            {
                values[j] = r[j] == 0 ? IntColumn.Missing : scores[j];
            }

            return column;
        }

        private DoubleColumn Widen(string field, ReadOnlySpan<float> source)
        {
            var column = Doubles(field);
            var values = column.Values;
            for (var j = 0; j < source.Length; j++)
            {
                values[j] = source[j]; // NaN stays NaN: missing
            }

            return column;
        }

        private static IntColumn Constant(IntColumn column, int value)
        {
            Array.Fill(column.Values, value);
            return column;
        }

        private static DoubleColumn Constant(DoubleColumn column, double value)
        {
            Array.Fill(column.Values, value);
            return column;
        }

        private static ByteColumn Constant(ByteColumn column, byte value)
        {
            Array.Fill(column.Values, value);
            return column;
        }

        private IntColumn Ints(string field, bool isDay) => (IntColumn)Buffer(field, () => new IntColumn(new int[_capacity], isDay));

        private DoubleColumn Doubles(string field) => (DoubleColumn)Buffer(field, () => new DoubleColumn(new double[_capacity]));

        private ByteColumn Bytes(string field) => (ByteColumn)Buffer(field, () => new ByteColumn(new byte[_capacity]));

        private TextColumn Texts(string field) => (TextColumn)Buffer(field, () => new TextColumn(_capacity));

        private SegmentColumn Buffer(string field, Func<SegmentColumn> create)
        {
            if (!_columns.TryGetValue(field, out var column))
            {
                _columns.Add(field, column = create());
            }

            return column;
        }
    }
}
