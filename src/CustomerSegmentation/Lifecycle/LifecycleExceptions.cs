using System.Collections.Immutable;

namespace CustomerSegmentation.Lifecycle;

/// <summary>Thrown when a lifecycle model is built (in C# or from JSON) with a configuration that cannot work; <see cref="Errors"/> lists every problem found.</summary>
public sealed class LifecycleModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">Every problem found, one sentence each.</param>
    /// <param name="innerException">The cause (e.g. a JSON syntax error), if any.</param>
    public LifecycleModelException(IEnumerable<string> errors, Exception? innerException = null)
        : this([.. errors ?? throw new ArgumentNullException(nameof(errors))], innerException)
    {
    }

    private LifecycleModelException(ImmutableArray<string> errors, Exception? innerException)
        : base("The lifecycle model is invalid: " + string.Join(" ", errors), innerException)
    {
        Errors = errors;
    }

    /// <summary>Gets every problem found, one sentence each.</summary>
    public ImmutableArray<string> Errors { get; }
}

/// <summary>Thrown by <see cref="LifecycleModel.Move(CustomerLifecycle, string, string, string, NodaTime.Instant)"/> (or <see cref="LifecycleMoveResult.GetValueOrThrow"/>) when the model does not allow a manual move; lists the moves that are allowed.</summary>
public sealed class IllegalLifecycleMoveException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="from">The customer's current stage.</param>
    /// <param name="to">The stage asked for.</param>
    /// <param name="allowedTargets">The stages the model allows from <paramref name="from"/>.</param>
    public IllegalLifecycleMoveException(string from, string to, IEnumerable<string> allowedTargets)
        : this(from, to, [.. allowedTargets ?? throw new ArgumentNullException(nameof(allowedTargets))])
    {
    }

    private IllegalLifecycleMoveException(string from, string to, ImmutableArray<string> allowed)
        : base(LifecycleMoveResult.IllegalMessage(from, to, allowed))
    {
        From = from;
        To = to;
        AllowedTargets = allowed;
    }

    /// <summary>Gets the customer's current stage.</summary>
    public string From { get; }

    /// <summary>Gets the stage asked for.</summary>
    public string To { get; }

    /// <summary>Gets the stages the model allows from <see cref="From"/>.</summary>
    public ImmutableArray<string> AllowedTargets { get; }
}
