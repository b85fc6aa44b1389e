namespace CustomerSegmentation.Tags;

/// <summary>Who decided on an assignment: a person (manual) or an auto-tagging rule.</summary>
public enum TagSourceKind
{
    /// <summary>Assigned by a person or a host process; rules never remove or override it.</summary>
    Manual = 0,

    /// <summary>Assigned by an auto-tagging rule; removed again when the rule's condition stops holding.</summary>
    Rule = 1,
}

/// <summary>The source of an assignment: <see cref="Manual"/>, or the id of the rule that assigned it.</summary>
public readonly record struct TagSource
{
    private TagSource(TagSourceKind kind, string? ruleId)
    {
        Kind = kind;
        RuleId = ruleId;
    }

    /// <summary>Gets the manual source.</summary>
    public static TagSource Manual => default;

    /// <summary>Gets the kind of source.</summary>
    public TagSourceKind Kind { get; }

    /// <summary>Gets the rule's id when <see cref="Kind"/> is <see cref="TagSourceKind.Rule"/>; otherwise <see langword="null"/>.</summary>
    public string? RuleId { get; }

    /// <summary>Gets a value indicating whether the source is manual.</summary>
    public bool IsManual => Kind == TagSourceKind.Manual;

    /// <summary>Creates the source of a rule.</summary>
    /// <param name="ruleId">The rule's id; not empty.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ruleId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="ruleId"/> is empty or white space.</exception>
    public static TagSource Rule(string ruleId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        return new TagSource(TagSourceKind.Rule, ruleId);
    }

    /// <summary>Returns <c>manual</c> or <c>rule:&lt;id&gt;</c>.</summary>
    /// <returns>The source as text.</returns>
    public override string ToString() => IsManual ? "manual" : "rule:" + RuleId;
}
