namespace CustomerSegmentation.Lifecycle;

/// <summary>The stage ids of the default model built by <see cref="LifecycleModel.CreateDefault(DefaultLifecycleOptions?)"/>.</summary>
public static class DefaultLifecycleStages
{
    /// <summary>A known contact without a purchase (潜在客户); the initial stage.</summary>
    public const string Prospect = "prospect";

    /// <summary>A customer after the first purchase (新客户).</summary>
    public const string New = "new";

    /// <summary>A one-purchase customer who has stayed and still bought within the active window (活跃客户).</summary>
    public const string Active = "active";

    /// <summary>A customer with at least two purchases who buys within the at-risk window (回头客).</summary>
    public const string Repeat = "repeat";

    /// <summary>A customer without a purchase for longer than the at-risk window (流失预警).</summary>
    public const string AtRisk = "at-risk";

    /// <summary>A customer without a purchase for longer than the lost window (流失客户).</summary>
    public const string Lost = "lost";

    /// <summary>A lost customer who bought again (赢回客户).</summary>
    public const string WonBack = "won-back";

    /// <summary>A customer disqualified by hand (无效客户): no automatic rule leaves it and funnels leave it out.</summary>
    public const string Invalid = "invalid";
}
