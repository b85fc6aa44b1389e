namespace CustomerSegmentation.Lifecycle;

/// <summary>One stage of a <see cref="LifecycleModel"/>, such as <c>prospect</c>, <c>active</c> or <c>lost</c>.</summary>
/// <param name="Id">
/// The stage's identifier: 1..64 characters, ASCII letters, digits, <c>-</c> and <c>_</c>; compared ordinally
/// (case-sensitive). Moves, rules, histories and JSON refer to stages by this id.
/// </param>
/// <param name="DisplayName">A human-readable name, e.g. <c>At risk (流失预警)</c>; the id when <see langword="null"/>.</param>
/// <param name="ExcludedFromFunnel">
/// Whether customers who touch this stage during a period are left out of that period's funnel (the default model's
/// <c>invalid</c> stage, 无效客户, is excluded). Defaults to <see langword="false"/>.
/// </param>
public sealed record LifecycleStage(string Id, string? DisplayName = null, bool ExcludedFromFunnel = false)
{
    /// <summary>Gets the name to show: <see cref="DisplayName"/>, or <see cref="Id"/> when it has none.</summary>
    public string Name => DisplayName ?? Id;

    /// <summary>Tells whether <paramref name="id"/> is a well-formed stage or rule id; never throws.</summary>
    /// <param name="id">The candidate id.</param>
    /// <returns><see langword="true"/> for 1..64 ASCII letters, digits, <c>-</c> or <c>_</c>.</returns>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An allowed move between two stages of a <see cref="LifecycleModel"/> (by stage id).</summary>
/// <param name="From">The stage left.</param>
/// <param name="To">The stage entered.</param>
public readonly record struct LifecycleTransition(string From, string To)
{
    /// <summary>Returns <c>from → to</c>.</summary>
    /// <returns>The transition as text.</returns>
    public override string ToString() => $"{From} → {To}";
}
