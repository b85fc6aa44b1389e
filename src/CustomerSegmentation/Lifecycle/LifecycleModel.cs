using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Lifecycle;

/// <summary>
/// A validated lifecycle model: stages, the transitions allowed between them, and the automatic rules that move
/// customers by their activity as of an instant. Build one with <see cref="LifecycleModelBuilder"/>,
/// <see cref="CreateDefault(DefaultLifecycleOptions?)"/> or <see cref="FromJson(string)"/>.
/// </summary>
/// <remarks>
/// <para>Evaluation tries the rules of the customer's current stage in declaration order; the first whose conditions
/// all hold moves the customer, and the rules of the new stage are tried again at the same instant, until none holds.
/// Rule cycles that could fire at one instant are rejected when the model is built, so every evaluation ends and a
/// second evaluation at the same instant changes nothing.</para>
/// </remarks>
/// <threadsafety>Immutable and safe to share between threads.</threadsafety>
public sealed partial class LifecycleModel
{
    /// <summary>The largest number of stages a model may have (stages are indexed by a byte in the columnar API).</summary>
    public const int MaxStages = 255;

    private readonly Dictionary<string, int> _stageIndex;
    private readonly bool[] _allowed;
    private readonly ImmutableArray<string>[] _allowedTargets;
    private readonly CompiledRule[] _compiled;
    private readonly int[] _ruleStart;
    private readonly bool[] _stageReadsRecency;
    private readonly bool[] _stageReadsDaysInStage;
    private readonly bool _fixedOffset;
    private readonly long _offsetTicks;

    internal LifecycleModel(IEnumerable<LifecycleStage> stages, IEnumerable<LifecycleTransition> transitions, IEnumerable<LifecycleRule> rules, string? initialStage, DateTimeZone? zone)
    {
        Stages = [.. stages];
        Transitions = [.. transitions];
        Rules = [.. rules];
        Zone = zone ?? DateTimeZone.Utc;
        var errors = new List<string>();
        _stageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        Validate(initialStage, errors);
        if (errors.Count > 0)
        {
            throw new LifecycleModelException(errors);
        }

        InitialStage = initialStage ?? Stages[0].Id;
        var n = Stages.Length;
        _allowed = new bool[n * n];
        foreach (var t in Transitions)
        {
            _allowed[(_stageIndex[t.From] * n) + _stageIndex[t.To]] = true;
        }

        _allowedTargets = new ImmutableArray<string>[n];
        for (var i = 0; i < n; i++)
        {
            var targets = ImmutableArray.CreateBuilder<string>();
            for (var j = 0; j < n; j++)
            {
                if (_allowed[(i * n) + j])
                {
                    targets.Add(Stages[j].Id);
                }
            }

            _allowedTargets[i] = targets.ToImmutable();
        }

        // Rules grouped by stage, keeping declaration order inside each stage.
        var compiled = new List<CompiledRule>();
        _ruleStart = new int[n + 1];
        for (var s = 0; s < n; s++)
        {
            _ruleStart[s] = compiled.Count;
            for (var r = 0; r < Rules.Length; r++)
            {
                var rule = Rules[r];
                if (rule.From.Contains(Stages[s].Id))
                {
                    compiled.Add(new CompiledRule(r, (byte)_stageIndex[rule.To], rule));
                }
            }
        }

        _ruleStart[n] = compiled.Count;
        _compiled = [.. compiled];
        _stageReadsRecency = new bool[n];
        _stageReadsDaysInStage = new bool[n];
        for (var s = 0; s < n; s++)
        {
            for (var i = _ruleStart[s]; i < _ruleStart[s + 1]; i++)
            {
                _stageReadsRecency[s] |= _compiled[i].CheckWithin || _compiled[i].CheckNoPurchase;
                _stageReadsDaysInStage[s] |= _compiled[i].MinDaysInStage >= 0;
            }
        }
        _fixedOffset = Zone.MinOffset == Zone.MaxOffset;
        _offsetTicks = Zone.MinOffset.Ticks;
    }

    /// <summary>Gets the stages, in display order; a stage's position is its index in the columnar API.</summary>
    public ImmutableArray<LifecycleStage> Stages { get; }

    /// <summary>Gets the allowed transitions.</summary>
    public ImmutableArray<LifecycleTransition> Transitions { get; }

    /// <summary>Gets the automatic rules, in the order they are tried.</summary>
    public ImmutableArray<LifecycleRule> Rules { get; }

    /// <summary>Gets the stage every customer starts in.</summary>
    public string InitialStage { get; }

    /// <summary>Gets the time zone whose calendar days the rules count.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>Creates the default model (prospect → new → active → repeat → at-risk → lost → won-back, plus invalid).</summary>
    /// <param name="options">The figures of the default rules; <see langword="null"/> for the defaults.</param>
    /// <returns>The model.</returns>
    /// <exception cref="LifecycleModelException">The options make an invalid model (e.g. a zero window or fewer than 2 repeat purchases).</exception>
    public static LifecycleModel CreateDefault(DefaultLifecycleOptions? options = null) => CreateDefaultBuilder(options).Build();

    /// <summary>Creates a builder holding the default model, to change it before building.</summary>
    /// <param name="options">The figures of the default rules; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    public static LifecycleModelBuilder CreateDefaultBuilder(DefaultLifecycleOptions? options = null)
    {
        options ??= new DefaultLifecycleOptions();
        const string prospect = DefaultLifecycleStages.Prospect, newStage = DefaultLifecycleStages.New, active = DefaultLifecycleStages.Active,
            repeat = DefaultLifecycleStages.Repeat, atRisk = DefaultLifecycleStages.AtRisk, lost = DefaultLifecycleStages.Lost,
            wonBack = DefaultLifecycleStages.WonBack, invalid = DefaultLifecycleStages.Invalid;
        var b = new LifecycleModelBuilder { InitialStage = prospect, Zone = options.Zone ?? DateTimeZone.Utc }
            .AddStage(prospect, "Prospect (潜在客户)")
            .AddStage(newStage, "New (新客户)")
            .AddStage(active, "Active (活跃客户)")
            .AddStage(repeat, "Repeat (回头客)")
            .AddStage(atRisk, "At risk (流失预警)")
            .AddStage(lost, "Lost (流失客户)")
            .AddStage(wonBack, "Won back (赢回客户)")
            .AddStage(invalid, "Invalid (无效客户)", excludedFromFunnel: true)
            .Allow(prospect, newStage, invalid)
            .Allow(newStage, active, repeat, atRisk, invalid)
            .Allow(active, repeat, atRisk, invalid)
            .Allow(repeat, atRisk, invalid)
            .Allow(atRisk, lost, repeat, invalid)
            .Allow(lost, wonBack, invalid)
            .Allow(wonBack, repeat, atRisk, invalid)
            .Allow(invalid, prospect);
        b.AddRule(new LifecycleRule("first-purchase", [prospect], newStage) { MinPurchases = 1, Description = "The first purchase makes a prospect a new customer." });
        b.AddRule(new LifecycleRule("repeat-purchase", [newStage, active], repeat) { MinPurchases = options.RepeatPurchases, Description = "Enough purchases make a repeat customer." });
        b.AddRule(new LifecycleRule("becomes-active", [newStage], active) { MinDaysInStage = options.NewForDays, PurchasedWithin = options.ActiveWindow, Description = "A new customer who stayed and bought recently is active." });
        b.AddRule(new LifecycleRule("at-risk", [newStage, active, repeat, wonBack], atRisk) { NoPurchaseFor = options.AtRiskWindow, Description = "No purchase for longer than the at-risk window." });
        b.AddRule(new LifecycleRule("lost", [atRisk], lost) { NoPurchaseFor = options.LostWindow, Description = "No purchase for longer than the lost window." });
        b.AddRule(new LifecycleRule("recovered", [atRisk], repeat) { RequiresPurchaseSinceEntered = true, Description = "An at-risk customer bought again." });
        b.AddRule(new LifecycleRule("won-back", [lost], wonBack) { RequiresPurchaseSinceEntered = true, Description = "A lost customer bought again." });
        b.AddRule(new LifecycleRule("won-back-repeat", [wonBack], repeat) { RequiresPurchaseSinceEntered = true, Description = "A won-back customer bought once more." });
        return b;
    }

    /// <summary>Gets the stage with an id.</summary>
    /// <param name="id">The stage id.</param>
    /// <returns>The stage.</returns>
    /// <exception cref="ArgumentException">The model has no such stage.</exception>
    public LifecycleStage GetStage(string id) => Stages[IndexOf(id)];

    /// <summary>Gets the index of a stage (its position in <see cref="Stages"/>, the value used by the columnar API).</summary>
    /// <param name="id">The stage id.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentException">The model has no such stage.</exception>
    public int IndexOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _stageIndex.TryGetValue(id, out var i) ? i : throw new ArgumentException($"The model has no stage '{id}'.", nameof(id));
    }

    /// <summary>Tells whether the model has a stage.</summary>
    /// <param name="id">The stage id.</param>
    /// <returns><see langword="true"/> when the stage exists.</returns>
    public bool HasStage(string? id) => id is not null && _stageIndex.ContainsKey(id);

    /// <summary>Tells whether the model allows a move (manual or automatic).</summary>
    /// <param name="from">The stage left.</param>
    /// <param name="to">The stage entered.</param>
    /// <returns><see langword="true"/> when <c>from → to</c> is an allowed transition; <see langword="false"/> for unknown stages.</returns>
    public bool IsAllowed(string from, string to) =>
        from is not null && to is not null && _stageIndex.TryGetValue(from, out var f) && _stageIndex.TryGetValue(to, out var t)
        && _allowed[(f * Stages.Length) + t];

    /// <summary>Gets the stages that may be entered from a stage, in stage order.</summary>
    /// <param name="from">The stage left.</param>
    /// <returns>The allowed targets.</returns>
    /// <exception cref="ArgumentException">The model has no such stage.</exception>
    public ImmutableArray<string> AllowedTargets(string from) => _allowedTargets[IndexOf(from)];

    /// <summary>Starts a customer's lifecycle in the initial stage.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="startedAt">When the customer became known (entered the initial stage).</param>
    /// <returns>The lifecycle, without moves.</returns>
    /// <exception cref="ArgumentException">The id is the default value.</exception>
    public CustomerLifecycle Start(CustomerId customerId, Instant startedAt) => new(customerId, InitialStage, startedAt);

    private void Validate(string? initialStage, List<string> errors)
    {
        if (Stages.IsEmpty)
        {
            errors.Add("A model needs at least one stage.");
            return;
        }

        if (Stages.Length > MaxStages)
        {
            errors.Add($"A model has at most {MaxStages} stages (got {Stages.Length}).");
        }

        for (var i = 0; i < Stages.Length; i++)
        {
            var s = Stages[i];
            if (s is null || !LifecycleStage.IsValidId(s.Id))
            {
                errors.Add($"Stage #{i + 1} has a malformed id '{s?.Id}' (1..64 ASCII letters, digits, '-' or '_').");
            }
            else if (!_stageIndex.TryAdd(s.Id, i))
            {
                errors.Add($"The stage '{s.Id}' is declared twice.");
            }
        }

        if (initialStage is not null && !_stageIndex.ContainsKey(initialStage))
        {
            errors.Add($"The initial stage '{initialStage}' is not a stage of the model.");
        }

        var seen = new HashSet<LifecycleTransition>();
        foreach (var t in Transitions)
        {
            if (!_stageIndex.ContainsKey(t.From ?? string.Empty))
            {
                errors.Add($"The transition {t} leaves an unknown stage '{t.From}'.");
            }

            if (!_stageIndex.ContainsKey(t.To ?? string.Empty))
            {
                errors.Add($"The transition {t} points to an unknown stage '{t.To}'.");
            }

            if (t.From == t.To)
            {
                errors.Add($"The transition {t} does not change stage.");
            }

            if (!seen.Add(t))
            {
                errors.Add($"The transition {t} is declared twice.");
            }
        }

        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            ValidateRule(rule, seen, ruleIds, errors);
        }

        if (errors.Count > 0)
        {
            return;
        }

        // Every stage must be reachable from the initial stage through allowed transitions.
        var start = initialStage ?? Stages[0].Id;
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var s))
        {
            foreach (var t in Transitions)
            {
                if (t.From == s && reached.Add(t.To))
                {
                    queue.Enqueue(t.To);
                }
            }
        }

        foreach (var s in Stages)
        {
            if (!reached.Contains(s.Id))
            {
                errors.Add($"The stage '{s.Id}' cannot be reached from the initial stage '{start}'.");
            }
        }

        FindInstantCycle(errors);
    }

    private void ValidateRule(LifecycleRule rule, HashSet<LifecycleTransition> allowed, HashSet<string> ruleIds, List<string> errors)
    {
        if (rule is null)
        {
            errors.Add("A rule is null.");
            return;
        }

        if (!LifecycleStage.IsValidId(rule.Id))
        {
            errors.Add($"The rule id '{rule.Id}' is malformed (1..64 ASCII letters, digits, '-' or '_').");
        }
        else if (!ruleIds.Add(rule.Id))
        {
            errors.Add($"The rule '{rule.Id}' is declared twice.");
        }

        if (!_stageIndex.ContainsKey(rule.To ?? string.Empty))
        {
            errors.Add($"The rule '{rule.Id}' points to an unknown stage '{rule.To}'.");
        }

        if (rule.From.IsDefaultOrEmpty)
        {
            errors.Add($"The rule '{rule.Id}' applies to no stage (From is empty).");
        }
        else
        {
            foreach (var f in rule.From)
            {
                if (!_stageIndex.ContainsKey(f ?? string.Empty))
                {
                    errors.Add($"The rule '{rule.Id}' applies to an unknown stage '{f}'.");
                }
                else if (!allowed.Contains(new LifecycleTransition(f!, rule.To!)) && _stageIndex.ContainsKey(rule.To ?? string.Empty))
                {
                    errors.Add($"The rule '{rule.Id}' moves {f} → {rule.To}, which is not an allowed transition.");
                }
            }

            if (rule.From.Distinct().Count() != rule.From.Length)
            {
                errors.Add($"The rule '{rule.Id}' names a stage twice in From.");
            }
        }

        if (!rule.HasConditions)
        {
            errors.Add($"The rule '{rule.Id}' has no condition.");
        }

        if (rule.MinPurchases is < 0)
        {
            errors.Add($"The rule '{rule.Id}' has a negative MinPurchases.");
        }

        if (rule.MaxPurchases is < 0 || (rule.MaxPurchases is { } max && rule.MinPurchases is { } min && max < min))
        {
            errors.Add($"The rule '{rule.Id}' has MaxPurchases below zero or below MinPurchases.");
        }

        if (rule.MinDaysInStage is < 1)
        {
            errors.Add($"The rule '{rule.Id}' has MinDaysInStage below 1 (leave it unset instead).");
        }

        if (rule.PurchasedWithin is { Days: < 1 } || rule.NoPurchaseFor is { Days: < 1 })
        {
            errors.Add($"The rule '{rule.Id}' has an empty window; create windows with LifecycleWindow.OfDays or OfMedianGap.");
        }
    }

    private void FindInstantCycle(List<string> errors)
    {
        // Instant rules can chain at one evaluation instant; a cycle of them would never settle.
        var n = Stages.Length;
        var edges = new List<(int To, string Rule)>[n];
        for (var i = 0; i < n; i++)
        {
            edges[i] = [];
        }

        foreach (var rule in Rules)
        {
            if (rule.IsInstant)
            {
                foreach (var f in rule.From)
                {
                    edges[_stageIndex[f]].Add((_stageIndex[rule.To], rule.Id));
                }
            }
        }

        var state = new byte[n]; // 0 new, 1 on the path, 2 done
        var path = new List<(int From, string Rule)>();
        for (var i = 0; i < n; i++)
        {
            if (state[i] == 0 && Visit(i))
            {
                return;
            }
        }

        bool Visit(int s)
        {
            state[s] = 1;
            foreach (var (to, ruleId) in edges[s])
            {
                path.Add((s, ruleId));
                if (state[to] == 1)
                {
                    var cycle = path.Skip(path.FindIndex(p => p.From == to)).Select(p => p.Rule);
                    errors.Add($"The rules {string.Join(", ", cycle)} can fire in a cycle at one instant (through '{Stages[to].Id}'); give one of them MinDaysInStage or RequiresPurchaseSinceEntered.");
                    return true;
                }

                if (state[to] == 0 && Visit(to))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }

            state[s] = 2;
            return false;
        }
    }
}
