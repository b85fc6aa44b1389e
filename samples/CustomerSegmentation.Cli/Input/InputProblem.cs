namespace CustomerSegmentation.Cli.Input;

/// <summary>A malformed row (or header): where it is and why it is rejected.</summary>
/// <param name="File">The input file.</param>
/// <param name="Line">The 1-based line where the row starts.</param>
/// <param name="Reason">Why the row is rejected.</param>
internal sealed record InputProblem(string File, long Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>Thrown when the input stops the run (a bad row without --skip-bad-rows, a bad header, an empty file).</summary>
internal sealed class InputProblemException(InputProblem problem) : Exception(problem.ToString())
{
    public InputProblem Problem { get; } = problem;
}

/// <summary>What a reader did: rows taken, rows after the as-of date, bad rows skipped (with the first few).</summary>
internal sealed record ReadReport(long Rows, long RowsAfterAsOf, long BadRows, IReadOnlyList<InputProblem> FirstBadRows, string Parser)
{
    public double ParseSeconds { get; init; }

    public double AggregateSeconds { get; init; }

    public double WallSeconds { get; init; }
}
