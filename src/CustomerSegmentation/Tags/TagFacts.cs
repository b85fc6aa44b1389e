using CustomerSegmentation.Activity;

namespace CustomerSegmentation.Tags;

/// <summary>
/// The built-in fact names that rules can read from the profile and the activity summary. Unknown names, and facts
/// the customer has no value for, are <see cref="FactValue.Missing"/>.
/// </summary>
/// <remarks>
/// Day counts use the evaluation's zone. Window facts read the summary's configured windows by name:
/// <c>activity.window.&lt;name&gt;.netSpend</c> and <c>activity.window.&lt;name&gt;.purchaseCount</c>.
/// Custom attributes: <c>customer.attribute.&lt;name&gt;</c>.
/// </remarks>
public static class TagFacts
{
    /// <summary><c>customer.kind</c>: <c>Person</c> or <c>Organisation</c>.</summary>
    public const string Kind = "customer.kind";

    /// <summary><c>customer.region</c>.</summary>
    public const string Region = "customer.region";

    /// <summary><c>customer.industry</c>.</summary>
    public const string Industry = "customer.industry";

    /// <summary><c>customer.companySize</c>.</summary>
    public const string CompanySize = "customer.companySize";

    /// <summary><c>customer.acquisitionChannel</c>.</summary>
    public const string AcquisitionChannel = "customer.acquisitionChannel";

    /// <summary><c>customer.owner</c>.</summary>
    public const string Owner = "customer.owner";

    /// <summary><c>customer.marketingConsent</c> (boolean).</summary>
    public const string MarketingConsent = "customer.marketingConsent";

    /// <summary><c>customer.createdAt</c> (instant).</summary>
    public const string CreatedAt = "customer.createdAt";

    /// <summary><c>customer.tenureDays</c>: whole days from the record's creation to the as-of instant.</summary>
    public const string TenureDays = "customer.tenureDays";

    /// <summary><c>customer.attribute.</c> followed by a custom attribute's name.</summary>
    public const string AttributePrefix = "customer.attribute.";

    /// <summary><c>activity.purchaseCount</c>.</summary>
    public const string PurchaseCount = "activity.purchaseCount";

    /// <summary><c>activity.distinctPurchaseDays</c>.</summary>
    public const string DistinctPurchaseDays = "activity.distinctPurchaseDays";

    /// <summary><c>activity.grossSpend</c>.</summary>
    public const string GrossSpend = "activity.grossSpend";

    /// <summary><c>activity.refundTotal</c>.</summary>
    public const string RefundTotal = "activity.refundTotal";

    /// <summary><c>activity.netSpend</c>.</summary>
    public const string NetSpend = "activity.netSpend";

    /// <summary><c>activity.averageSpend</c> (missing without purchases).</summary>
    public const string AverageSpend = "activity.averageSpend";

    /// <summary><c>activity.currency</c> (missing without purchases).</summary>
    public const string Currency = "activity.currency";

    /// <summary><c>activity.firstPurchaseAt</c> (instant).</summary>
    public const string FirstPurchaseAt = "activity.firstPurchaseAt";

    /// <summary><c>activity.lastPurchaseAt</c> (instant).</summary>
    public const string LastPurchaseAt = "activity.lastPurchaseAt";

    /// <summary><c>activity.recencyDays</c>: whole days since the last purchase (missing without purchases).</summary>
    public const string RecencyDays = "activity.recencyDays";

    /// <summary><c>activity.customerForDays</c>: whole days since the first purchase (missing without purchases).</summary>
    public const string CustomerForDays = "activity.customerForDays";

    /// <summary><c>activity.meanGapDays</c>: mean days between purchases (missing with fewer than two).</summary>
    public const string MeanGapDays = "activity.meanGapDays";

    /// <summary><c>activity.complaints</c>.</summary>
    public const string Complaints = "activity.complaints";

    /// <summary><c>activity.interactionCount</c>.</summary>
    public const string InteractionCount = "activity.interactionCount";

    /// <summary><c>activity.lastInteractionAt</c> (instant).</summary>
    public const string LastInteractionAt = "activity.lastInteractionAt";

    /// <summary><c>activity.meanSatisfaction</c> (1..5, missing when none).</summary>
    public const string MeanSatisfaction = "activity.meanSatisfaction";

    /// <summary><c>activity.lastNps</c> (0..10, missing when none).</summary>
    public const string LastNps = "activity.lastNps";

    /// <summary><c>activity.referralsMade</c>.</summary>
    public const string ReferralsMade = "activity.referralsMade";

    /// <summary><c>activity.window.</c> followed by a window name and <c>.netSpend</c> or <c>.purchaseCount</c>.</summary>
    public const string WindowPrefix = "activity.window.";

    internal static FactValue BuiltIn(string name, TagEvaluationContext context)
    {
        var c = context.Customer;
        if (name.StartsWith(AttributePrefix, StringComparison.Ordinal))
        {
            return c.CustomAttributes.TryGetValue(name[AttributePrefix.Length..], out var v) ? FactValue.FromObject(v) : FactValue.Missing;
        }

        switch (name)
        {
            case Kind: return FactValue.FromText(c.Kind.ToString());
            case Region: return Text(c.Region);
            case Industry: return Text(c.Industry);
            case CompanySize: return Text(c.CompanySize);
            case AcquisitionChannel: return Text(c.AcquisitionChannel);
            case Owner: return Text(c.Owner);
            case MarketingConsent: return FactValue.FromBoolean(c.MarketingConsent);
            case CreatedAt: return FactValue.FromInstant(c.CreatedAt);
            case TenureDays: return FactValue.FromNumber(ActivitySummary.DaysBetween(c.CreatedAt, context.AsOf, context.Zone));
        }

        if (context.Activity is not { } a)
        {
            return FactValue.Missing;
        }

        if (name.StartsWith(WindowPrefix, StringComparison.Ordinal))
        {
            return Window(a, name[WindowPrefix.Length..]);
        }

        return name switch
        {
            PurchaseCount => FactValue.FromNumber(a.PurchaseCount),
            DistinctPurchaseDays => FactValue.FromNumber(a.DistinctPurchaseDays),
            GrossSpend => FactValue.FromNumber(a.GrossSpend),
            RefundTotal => FactValue.FromNumber(a.RefundTotal),
            NetSpend => FactValue.FromNumber(a.NetSpend),
            AverageSpend => a.AverageSpend is { } avg ? FactValue.FromNumber(avg) : FactValue.Missing,
            Currency => a.Currency is { } cur ? FactValue.FromText(cur.Code) : FactValue.Missing,
            FirstPurchaseAt => Instant(a.FirstPurchaseAt),
            LastPurchaseAt => Instant(a.LastPurchaseAt),
            RecencyDays => a.RecencyDays(context.Zone) is { } r ? FactValue.FromNumber(r) : FactValue.Missing,
            CustomerForDays => a.FirstPurchaseAt is { } f ? FactValue.FromNumber(ActivitySummary.DaysBetween(f, context.AsOf, context.Zone)) : FactValue.Missing,
            MeanGapDays => a.MeanGap is { } g ? FactValue.FromNumber(Math.Round((decimal)g.TotalDays, 4)) : FactValue.Missing,
            Complaints => FactValue.FromNumber(a.Complaints),
            InteractionCount => FactValue.FromNumber(a.InteractionCount),
            LastInteractionAt => Instant(a.LastInteractionAt),
            MeanSatisfaction => a.MeanSatisfaction is { } s ? FactValue.FromNumber(Math.Round((decimal)s, 4)) : FactValue.Missing,
            LastNps => a.LastNps is { } n ? FactValue.FromNumber(n) : FactValue.Missing,
            ReferralsMade => FactValue.FromNumber(a.ReferralsMade),
            _ => FactValue.Missing,
        };
    }

    private static FactValue Text(string? value) => value is null ? FactValue.Missing : FactValue.FromText(value);

    private static FactValue Instant(NodaTime.Instant? value) => value is { } i ? FactValue.FromInstant(i) : FactValue.Missing;

    private static FactValue Window(ActivitySummary a, string rest)
    {
        var dot = rest.LastIndexOf('.');
        if (dot <= 0)
        {
            return FactValue.Missing;
        }

        var windowName = rest[..dot];
        var field = rest[(dot + 1)..];
        foreach (var w in a.Windows)
        {
            if (string.Equals(w.Name, windowName, StringComparison.Ordinal))
            {
                return field switch
                {
                    "netSpend" => FactValue.FromNumber(w.NetSpend),
                    "purchaseCount" => FactValue.FromNumber(w.PurchaseCount),
                    _ => FactValue.Missing,
                };
            }
        }

        return FactValue.Missing;
    }
}
