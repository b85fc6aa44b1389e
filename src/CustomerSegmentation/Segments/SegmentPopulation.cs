using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using static CustomerSegmentation.Segments.SegmentFields;

namespace CustomerSegmentation.Segments;

/// <summary>
/// Many customers' <see cref="CustomerFacts"/> stored in columns (one array per field, text dictionary-encoded, tags
/// as posting lists), which is what a <see cref="SegmentSet"/> evaluates over.
/// </summary>
/// <remarks>
/// Money and scores are compared as <see cref="double"/> (about 15 significant digits); profiles sum the exact
/// <see cref="decimal"/> amounts. Instants are kept as UTC days (for the <c>days_since_*</c> fields) and tag expiries as
/// ticks, so a population can be evaluated as of any instant. Custom attribute values that are numbers, strings or
/// booleans become columns; other values (dates, lists, ...) are counted in <see cref="UnsupportedAttributeValues"/>.
/// </remarks>
/// <threadsafety>Immutable once created; safe to evaluate from several threads.</threadsafety>
public sealed class SegmentPopulation : ISegmentColumnSource
{
    private readonly CustomerId[] _ids;
    private readonly Dictionary<string, SegmentColumn> _columns;
    private readonly Dictionary<TagId, TagPosting> _tags;
    private readonly Dictionary<string, AttributeColumns> _attributes;
    private readonly Lazy<FrozenDictionary<CustomerId, int>> _ordinals;

    private SegmentPopulation(
        CustomerId[] ids,
        Dictionary<string, SegmentColumn> columns,
        Dictionary<TagId, TagPosting> tags,
        Dictionary<string, AttributeColumns> attributes,
        decimal[] netSpend,
        decimal?[] clv,
        string?[] tierNames,
        Currency? currency,
        ImmutableDictionary<string, int> unsupported)
    {
        _ids = ids;
        _columns = columns;
        _tags = tags;
        _attributes = attributes;
        ExactNetSpend = netSpend;
        ExactClv = clv;
        TierNames = tierNames;
        Currency = currency;
        UnsupportedAttributeValues = unsupported;
        _ordinals = new(() => _ids.Select((id, i) => (id, i)).ToFrozenDictionary(p => p.id, p => p.i));
    }

    /// <summary>Gets the number of customers.</summary>
    public int Count => _ids.Length;

    /// <summary>Gets the customers, in the order they were added (their ordinals).</summary>
    public IReadOnlyList<CustomerId> Ids => _ids;

    /// <summary>Gets the currency of every activity summary and CLV; <see langword="null"/> when no customer has one.</summary>
    public Currency? Currency { get; }

    /// <summary>Gets, per attribute key, how many values were neither numbers, strings nor booleans and so are invisible to rules.</summary>
    public ImmutableDictionary<string, int> UnsupportedAttributeValues { get; }

    internal decimal[] ExactNetSpend { get; }

    internal decimal?[] ExactClv { get; }

    internal string?[] TierNames { get; }

    internal IReadOnlyDictionary<TagId, TagPosting> Tags => _tags;

    /// <summary>Gets the ordinal of a customer.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns>The ordinal (0-based position), or -1 when the customer is not in the population.</returns>
    public int OrdinalOf(CustomerId customerId) => _ordinals.Value.TryGetValue(customerId, out var o) ? o : -1;

    SegmentColumn? ISegmentColumnSource.Column(string field) => Column(field);

    AttributeColumns? ISegmentColumnSource.Attribute(string key) => Attribute(key);

    void ISegmentColumnSource.OrHolders(TagId tag, ulong[] bits, long asOfTicks)
    {
        if (_tags.TryGetValue(tag, out var posting))
        {
            posting.OrInto(bits, asOfTicks);
        }
    }

    internal SegmentColumn? Column(string field) => _columns.GetValueOrDefault(field);

    internal AttributeColumns? Attribute(string key) => _attributes.GetValueOrDefault(key);

    internal TextColumn Text(string field) => (TextColumn)_columns[field];

    internal ByteColumn Bytes(string field) => (ByteColumn)_columns[field];

    /// <summary>Stores facts in columns.</summary>
    /// <param name="facts">The facts, one per customer.</param>
    /// <returns>The population.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="facts"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two facts have the same customer id (the message names it and both positions).</exception>
    /// <exception cref="MixedCurrencyException">Activity summaries use more than one currency: convert them first.</exception>
    public static SegmentPopulation Create(IEnumerable<CustomerFacts> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var capacity = facts.TryGetNonEnumeratedCount(out var n) ? Math.Max(n, 16) : 1024;
        var b = new Builder(capacity).Init();
        foreach (var f in facts)
        {
            ArgumentNullException.ThrowIfNull(f, nameof(facts));
            b.Add(f);
        }

        return b.Build();
    }

    private sealed class Builder(int capacity)
    {
        private static readonly string[] IntFields = [PurchaseCount, PurchaseDays, Complaints, Referrals, Nps, R, F, M];
        private static readonly string[] DayFields = [DaysSinceLastPurchase, DaysSinceFirstPurchase, DaysSinceLastInteraction, DaysSinceCreated];

        // The day columns' keys, built once: concatenating them in Add cost four strings per customer.
        private static readonly string LastPurchaseDayKey = DaysSinceLastPurchase + "#day";
        private static readonly string FirstPurchaseDayKey = DaysSinceFirstPurchase + "#day";
        private static readonly string LastInteractionDayKey = DaysSinceLastInteraction + "#day";
        private static readonly string CreatedDayKey = DaysSinceCreated + "#day";
        private static readonly string[] DoubleFields = [NetSpend, GrossSpend, AverageSpend, Satisfaction, RfmScore, Clv, PAlive, ChurnScore];
        private static readonly string[] ByteFields = [Tier, ChurnLevel, MarketingConsent];
        private static readonly string[] TextFields = [Stage, RfmSegment, Kind, Region, Industry, CompanySize, Channel, Owner];

        private readonly Dictionary<string, int[]> _ints = [];
        private readonly Dictionary<string, double[]> _doubles = [];
        private readonly Dictionary<string, byte[]> _bytes = [];
        private readonly Dictionary<string, TextColumn> _texts = [];
        private readonly Dictionary<TagId, TagPosting> _tags = [];
        private readonly Dictionary<string, AttributeColumns> _attributes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _unsupported = new(StringComparer.Ordinal);
        private readonly Dictionary<CustomerId, int> _seen = [];
        private readonly List<string?> _tierNames = [];
        private CustomerId[] _ids = new CustomerId[capacity];
        private decimal[] _net = new decimal[capacity];
        private decimal?[] _clv = new decimal?[capacity];
        private int _capacity = capacity;
        private int _count;
        private Currency? _currency;

        public void Add(CustomerFacts f)
        {
            if (!_seen.TryAdd(f.Id, _count))
            {
                throw new ArgumentException($"Customer {f.Id} appears twice in the facts (positions {_seen[f.Id]} and {_count}).", "facts");
            }

            if (_count == _capacity)
            {
                Grow();
            }

            var i = _count++;
            _ids[i] = f.Id;
            var c = f.Customer;
            var a = f.Activity;
            if (a?.Currency is { } currency)
            {
                if (_currency is { } first && first != currency)
                {
                    throw new MixedCurrencyException(f.Id, [first, currency]);
                }

                _currency = currency;
            }

            Day(LastPurchaseDayKey, i, a?.LastPurchaseAt);
            Day(FirstPurchaseDayKey, i, a?.FirstPurchaseAt);
            Day(LastInteractionDayKey, i, a?.LastInteractionAt);
            Day(CreatedDayKey, i, c.CreatedAt);
            Int(PurchaseCount, i, a?.PurchaseCount);
            Int(PurchaseDays, i, a?.DistinctPurchaseDays);
            Int(Complaints, i, a?.Complaints);
            Int(Referrals, i, a?.ReferralsMade);
            Int(Nps, i, a?.LastNps);
            Int(R, i, f.Rfm?.R);
            Int(F, i, f.Rfm?.F);
            Int(M, i, f.Rfm?.M);
            Real(NetSpend, i, a?.NetSpend);
            Real(GrossSpend, i, a?.GrossSpend);
            Real(AverageSpend, i, a?.AverageSpend);
            _doubles[Satisfaction][i] = a?.MeanSatisfaction ?? double.NaN;
            Real(RfmScore, i, f.Rfm?.WeightedScore);
            Real(Clv, i, f.Clv);
            _doubles[PAlive][i] = f.PAlive ?? double.NaN;
            _doubles[ChurnScore][i] = f.ChurnScore ?? double.NaN;
            _net[i] = a?.NetSpend ?? 0m;
            _clv[i] = f.Clv;

            if (f.Tier is { } tier)
            {
                if (tier.Level is < 0 or >= ByteColumn.Missing)
                {
                    throw new ArgumentException($"Customer {f.Id} has tier '{tier.Name}' at level {tier.Level}; levels run from 0 to 254.", "facts");
                }

                while (_tierNames.Count <= tier.Level)
                {
                    _tierNames.Add(null);
                }

                _tierNames[tier.Level] ??= tier.Name;
                _bytes[Tier][i] = (byte)tier.Level;
            }

            _bytes[ChurnLevel][i] = f.ChurnLevel is { } level ? (byte)level : ByteColumn.Missing;
            _bytes[MarketingConsent][i] = c.MarketingConsent ? (byte)1 : (byte)0;
            _texts[Stage].Set(i, f.Stage);
            _texts[RfmSegment].Set(i, f.Rfm?.Segment);
            _texts[Kind].Set(i, c.Kind == CustomerKind.Person ? "person" : "organisation");
            _texts[Region].Set(i, c.Region);
            _texts[Industry].Set(i, c.Industry);
            _texts[CompanySize].Set(i, c.CompanySize);
            _texts[Channel].Set(i, c.AcquisitionChannel);
            _texts[Owner].Set(i, c.Owner);

            foreach (var t in f.Tags)
            {
                if (!_tags.TryGetValue(t.TagId, out var posting))
                {
                    _tags.Add(t.TagId, posting = new TagPosting());
                }

                posting.Add(i, t.ExpiresAt);
            }

            foreach (var (key, value) in c.CustomAttributes)
            {
                AddAttribute(i, key, value);
            }
        }

        public SegmentPopulation Build()
        {
            Resize(_count);
            var columns = new Dictionary<string, SegmentColumn>(StringComparer.Ordinal);
            foreach (var (k, v) in _ints)
            {
                var isDay = k.EndsWith("#day", StringComparison.Ordinal);
                columns[isDay ? k[..^4] : k] = new IntColumn(v, isDay);
            }

            foreach (var (k, v) in _doubles)
            {
                columns[k] = new DoubleColumn(v);
            }

            foreach (var (k, v) in _bytes)
            {
                columns[k] = new ByteColumn(v);
            }

            foreach (var (k, v) in _texts)
            {
                columns[k] = v;
            }

            return new SegmentPopulation(_ids, columns, _tags, _attributes, _net, _clv, [.. _tierNames], _currency, _unsupported.ToImmutableDictionary(StringComparer.Ordinal));
        }

        private void Day(string key, int i, NodaTime.Instant? at) => Ints(key)[i] = at is { } t ? IntColumn.EpochDay(t) : IntColumn.Missing;

        private void Int(string field, int i, int? value) => Ints(field)[i] = value ?? IntColumn.Missing;

        private void Real(string field, int i, decimal? value) => Doubles(field)[i] = value is { } v ? (double)v : double.NaN;

        private int[] Ints(string key)
        {
            if (!_ints.TryGetValue(key, out var a))
            {
                _ints.Add(key, a = new int[_capacity]);
            }

            return a;
        }

        private double[] Doubles(string key)
        {
            if (!_doubles.TryGetValue(key, out var a))
            {
                _doubles.Add(key, a = new double[_capacity]);
            }

            return a;
        }

        private void AddAttribute(int i, string key, object? value)
        {
            if (!_attributes.TryGetValue(key, out var columns))
            {
                _attributes.Add(key, columns = new AttributeColumns());
            }

            switch (value)
            {
                case string s:
                    columns.Texts ??= new TextColumn(_capacity);
                    columns.Texts.Set(i, s);
                    break;
                case bool flag:
                    if (columns.Booleans is null)
                    {
                        var bytes = new byte[_capacity];
                        Array.Fill(bytes, ByteColumn.Missing);
                        columns.Booleans = new ByteColumn(bytes);
                    }

                    columns.Booleans.Values[i] = flag ? (byte)1 : (byte)0;
                    break;
                case int or long or short or byte or sbyte or uint or ushort or ulong or float or double or decimal:
                    if (columns.Numbers is null)
                    {
                        var numbers = new double[_capacity];
                        Array.Fill(numbers, double.NaN);
                        columns.Numbers = new DoubleColumn(numbers);
                    }

                    columns.Numbers.Values[i] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    _unsupported[key] = _unsupported.GetValueOrDefault(key) + 1;
                    break;
            }
        }

        private void Grow() => Resize(checked(Math.Max(16, _capacity * 2)));

        private void Resize(int capacity)
        {
            if (capacity == _capacity && _ids.Length == capacity)
            {
                EnsureAll();
                return;
            }

            EnsureAll();
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _net, capacity);
            Array.Resize(ref _clv, capacity);
            foreach (var k in _ints.Keys.ToList())
            {
                var a = _ints[k];
                Array.Resize(ref a, capacity);
                _ints[k] = a;
            }

            foreach (var k in _doubles.Keys.ToList())
            {
                var a = _doubles[k];
                Array.Resize(ref a, capacity);
                _doubles[k] = a;
            }

            foreach (var k in _bytes.Keys.ToList())
            {
                var a = _bytes[k];
                Array.Resize(ref a, capacity);
                if (capacity > _capacity)
                {
                    Array.Fill(a, ByteColumn.Missing, _capacity, capacity - _capacity);
                }

                _bytes[k] = a;
            }

            foreach (var t in _texts.Values)
            {
                t.Resize(capacity);
            }

            foreach (var attr in _attributes.Values)
            {
                attr.Texts?.Resize(capacity);
                if (attr.Numbers is { } n)
                {
                    var a = n.Values;
                    Array.Resize(ref a, capacity);
                    if (capacity > _capacity)
                    {
                        Array.Fill(a, double.NaN, _capacity, capacity - _capacity);
                    }

                    attr.Numbers = new DoubleColumn(a);
                }

                if (attr.Booleans is { } bo)
                {
                    var a = bo.Values;
                    Array.Resize(ref a, capacity);
                    if (capacity > _capacity)
                    {
                        Array.Fill(a, ByteColumn.Missing, _capacity, capacity - _capacity);
                    }

                    attr.Booleans = new ByteColumn(a);
                }
            }

            _capacity = capacity;
        }

        // The fixed columns exist from the first customer on, so Add can index them directly.
        private void EnsureAll()
        {
            foreach (var k in IntFields)
            {
                Ints(k);
            }

            foreach (var k in DayFields)
            {
                Ints(k + "#day");
            }

            foreach (var k in DoubleFields)
            {
                Doubles(k);
            }

            foreach (var k in ByteFields)
            {
                if (!_bytes.ContainsKey(k))
                {
                    var a = new byte[_capacity];
                    Array.Fill(a, ByteColumn.Missing);
                    _bytes.Add(k, a);
                }
            }

            foreach (var k in TextFields)
            {
                if (!_texts.ContainsKey(k))
                {
                    _texts.Add(k, new TextColumn(_capacity));
                }
            }
        }

        public Builder Init()
        {
            EnsureAll();
            return this;
        }
    }
}
