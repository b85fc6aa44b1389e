namespace CustomerSegmentation.Engagement;

/// <summary>
/// One figure behind a decision: a named value and, when the decision compared it with one, the threshold, e.g.
/// <c>days without follow-up 31 (threshold 30)</c>.
/// </summary>
/// <param name="Name">What was measured, e.g. <c>days without follow-up</c>.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Threshold">The threshold it was compared with, if any.</param>
public readonly record struct EngagementFigure(string Name, decimal Value, decimal? Threshold = null)
{
    /// <summary>Returns the figure as text, e.g. <c>held 50 (limit 50)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Threshold is { } t ? EngagementText.Inv($"{Name} {Value} (threshold {t})") : EngagementText.Inv($"{Name} {Value}");
}
