using System.Globalization;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Scoring;

/// <summary>One customer's RFM outcome: status, metric values, scores, code, weighted score and segment, with an explanation.</summary>
/// <remarks>
/// <para>When <see cref="Status"/> is <see cref="RfmStatus.NoPurchases"/> every score, value and segment is <see langword="null"/>
/// and <see cref="Explanation"/> says why.</para>
/// <para>A compact value (about 56 bytes) so that a million scores are one array, not a million objects. Instances come
/// from <see cref="RfmScorer"/>; the default value is not a score (its <see cref="Scale"/> is <see langword="null"/>).</para>
/// </remarks>
public readonly record struct RfmCustomerScore
{
    private readonly decimal _monetary;
    private readonly int _recencyDays;
    private readonly int _frequency;
    private readonly byte _r;
    private readonly byte _f;
    private readonly byte _m;

    private RfmCustomerScore(CustomerId customerId, RfmStatus status, RfmScale scale, int recencyDays, int frequency, decimal monetary, int r, int f, int m, string? segment)
    {
        CustomerId = customerId;
        Status = status;
        Scale = scale;
        _recencyDays = recencyDays;
        _frequency = frequency;
        _monetary = monetary;
        _r = checked((byte)r);
        _f = checked((byte)f);
        _m = checked((byte)m);
        Segment = segment;
    }

    /// <summary>Creates the score of a customer with purchases.</summary>
    internal static RfmCustomerScore Scored(CustomerId customerId, RfmScale scale, int recencyDays, int frequency, decimal monetary, int r, int f, int m, string segment) =>
        new(customerId, RfmStatus.Scored, scale, recencyDays, frequency, monetary, r, f, m, segment);

    /// <summary>Creates the outcome of a customer without purchases.</summary>
    internal static RfmCustomerScore NotScored(CustomerId customerId, RfmScale scale) =>
        new(customerId, RfmStatus.NoPurchases, scale, 0, 0, 0m, 0, 0, 0, null);

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets whether the customer was scored.</summary>
    public RfmStatus Status { get; }

    /// <summary>Gets the scale (cut points and options) the customer was scored on; shared by the whole run.</summary>
    public RfmScale Scale { get; }

    /// <summary>Gets the days since the last purchase, or <see langword="null"/> when not scored.</summary>
    public int? RecencyDays => IsScored ? _recencyDays : null;

    /// <summary>Gets the frequency value (purchases or distinct days, in the window if any), or <see langword="null"/>.</summary>
    public int? FrequencyValue => IsScored ? _frequency : null;

    /// <summary>Gets the monetary value (net or average spend, in the window if any), or <see langword="null"/>.</summary>
    public decimal? MonetaryValue => IsScored ? _monetary : null;

    /// <summary>Gets the recency score 1..k, or <see langword="null"/>.</summary>
    public int? R => IsScored ? _r : null;

    /// <summary>Gets the frequency score 1..k, or <see langword="null"/>.</summary>
    public int? F => IsScored ? _f : null;

    /// <summary>Gets the monetary score 1..k, or <see langword="null"/>.</summary>
    public int? M => IsScored ? _m : null;

    /// <summary>Gets the segment name from the table (a key such as <c>Champions</c>), or <see langword="null"/>.</summary>
    public string? Segment { get; }

    /// <summary>Gets a value indicating whether the customer was scored.</summary>
    public bool IsScored => Status == RfmStatus.Scored && Scale is not null;

    /// <summary>Gets the RFM code, e.g. <c>545</c>; with k = 10 the scores are separated by <c>-</c> (e.g. <c>10-4-7</c>). <see langword="null"/> when not scored.</summary>
    public string? Code => R is { } r && F is { } f && M is { } m
        ? (Scale.Options.Bins < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{r}{f}{m}")
            : string.Create(CultureInfo.InvariantCulture, $"{r}-{f}-{m}"))
        : null;

    /// <summary>Gets the weighted score on the 1..k scale (see <see cref="RfmWeights"/>), or <see langword="null"/>.</summary>
    public decimal? WeightedScore => R is { } r && F is { } f && M is { } m ? Scale.Options.Weights.Combine(r, f, m) : null;

    /// <summary>Gets the segment's display name (mapped by <see cref="RfmOptions.SegmentDisplayNames"/>, else the name), or <see langword="null"/>.</summary>
    public string? SegmentDisplayName => Segment is null ? null
        : Scale.Options.SegmentDisplayNames.TryGetValue(Segment, out var display) ? display : Segment;

    /// <summary>Gets how the scores came about: each metric's value, cut points and score, the code, weighted score and segment row.</summary>
    public string Explanation
    {
        get
        {
            if (Scale is null)
            {
                return "Not an RFM outcome (default value).";
            }

            if (!IsScored)
            {
                return "No RFM score: the customer has no purchases as of the as-of instant, so recency is undefined.";
            }

            var o = Scale.Options;
            var window = o.Window is null ? "all history" : $"window '{o.Window}'";
            var table = o.SegmentTable;
            var row = table.IndexOf(R!.Value, F!.Value, M!.Value);
            var rowText = row < 0
                ? $"no row of the segment table matches, so the fallback '{table.FallbackName}'"
                : $"row {row + 1} of the segment table (R {table.Rules[row].RMin}-{table.Rules[row].RMax}, F {table.Rules[row].FMin}-{table.Rules[row].FMax}, M {table.Rules[row].MMin}-{table.Rules[row].MMax}, first match wins)";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"R={R} from recency {RecencyDays} days ({Scale.Recency.Describe()}); "
                + $"F={F} from {(o.Window is null && o.Frequency == RfmFrequencyMeasure.DistinctPurchaseDays ? "distinct purchase days" : "purchases")} {FrequencyValue} in {window} ({Scale.Frequency.Describe()}); "
                + $"M={M} from {(o.Monetary == RfmMonetaryMeasure.NetSpend ? "net spend" : "average spend")} {MonetaryValue} in {window} ({Scale.Monetary.Describe()}); "
                + $"code {Code}; weighted score ({o.Weights.Recency}*R + {o.Weights.Frequency}*F + {o.Weights.Monetary}*M) / {o.Weights.Recency + o.Weights.Frequency + o.Weights.Monetary} = {WeightedScore:0.###}; "
                + $"segment '{Segment}' by {rowText}.");
        }
    }
}
