using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>
/// Collects the stages, allowed transitions and rules of a lifecycle model; <see cref="Build"/> validates them and
/// returns an immutable <see cref="LifecycleModel"/>. Not thread-safe.
/// </summary>
public sealed class LifecycleModelBuilder
{
    /// <summary>Creates an empty builder.</summary>
    public LifecycleModelBuilder()
    {
    }

    /// <summary>Creates a builder holding a copy of a model, to change it.</summary>
    /// <param name="model">The model to start from.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    public LifecycleModelBuilder(LifecycleModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var s in model.Stages)
        {
            Stages.Add(s);
        }

        foreach (var t in model.Transitions)
        {
            Transitions.Add(t);
        }

        foreach (var r in model.Rules)
        {
            Rules.Add(r);
        }

        InitialStage = model.InitialStage;
        Zone = model.Zone;
    }

    /// <summary>Gets the stages, in display order.</summary>
    public IList<LifecycleStage> Stages { get; } = [];

    /// <summary>Gets the allowed transitions (manual and automatic).</summary>
    public IList<LifecycleTransition> Transitions { get; } = [];

    /// <summary>Gets the automatic rules, in the order they are tried.</summary>
    public IList<LifecycleRule> Rules { get; } = [];

    /// <summary>Gets or sets the stage every customer starts in.</summary>
    /// <value>Defaults to <see langword="null"/>: the first stage.</value>
    public string? InitialStage { get; set; }

    /// <summary>Gets or sets the time zone whose calendar days the rules count.</summary>
    /// <value>Defaults to <see cref="DateTimeZone.Utc"/>.</value>
    public DateTimeZone Zone { get; set; } = DateTimeZone.Utc;

    /// <summary>Adds a stage.</summary>
    /// <param name="id">The stage id.</param>
    /// <param name="displayName">A human-readable name, if any.</param>
    /// <param name="excludedFromFunnel">Whether customers touching the stage are left out of funnels.</param>
    /// <returns>This builder.</returns>
    public LifecycleModelBuilder AddStage(string id, string? displayName = null, bool excludedFromFunnel = false)
    {
        Stages.Add(new LifecycleStage(id, displayName, excludedFromFunnel));
        return this;
    }

    /// <summary>Allows moves from one stage to others.</summary>
    /// <param name="from">The stage left.</param>
    /// <param name="to">The stages that may be entered from it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="to"/> is <see langword="null"/>.</exception>
    public LifecycleModelBuilder Allow(string from, params string[] to)
    {
        ArgumentNullException.ThrowIfNull(to);
        foreach (var t in to)
        {
            Transitions.Add(new LifecycleTransition(from, t));
        }

        return this;
    }

    /// <summary>Adds an automatic rule after the existing ones.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is <see langword="null"/>.</exception>
    public LifecycleModelBuilder AddRule(LifecycleRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Rules.Add(rule);
        return this;
    }

    /// <summary>Replaces the rule with the same id as <paramref name="rule"/>, keeping its position.</summary>
    /// <param name="rule">The new rule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No rule has that id.</exception>
    public LifecycleModelBuilder ReplaceRule(LifecycleRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].Id == rule.Id)
            {
                Rules[i] = rule;
                return this;
            }
        }

        throw new ArgumentException($"No rule has the id '{rule.Id}'.", nameof(rule));
    }

    /// <summary>Validates the configuration and builds the model.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="LifecycleModelException">
    /// The configuration is invalid: no stages, a malformed or duplicate id, an unknown initial stage, a transition or
    /// rule naming an unknown stage, a rule whose move is not an allowed transition or that has no condition or bad
    /// thresholds, a stage unreachable from the initial stage, or instant rules forming a cycle.
    /// </exception>
    public LifecycleModel Build() => new(Stages, Transitions, Rules, InitialStage, Zone);
}
