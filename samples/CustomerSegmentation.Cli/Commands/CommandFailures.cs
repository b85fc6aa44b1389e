using CustomerSegmentation.Cli.Input;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>What the purchase-reading commands (<c>rfm</c>, <c>run</c>) report the same way: skipped rows, and the failures that end a run.</summary>
internal static class CommandFailures
{
    /// <summary>Prints the count of skipped bad rows and the first of them (nothing when none was skipped).</summary>
    public static void PrintSkipped(TextWriter error, string command, long badRows, IReadOnlyList<InputProblem> firstBadRows)
    {
        if (badRows == 0)
        {
            return;
        }

        error.WriteLine($"custseg {command}: skipped {badRows} bad row(s); the first {firstBadRows.Count}:");
        foreach (var p in firstBadRows)
        {
            error.WriteLine($"  {p}");
        }
    }

    /// <summary>
    /// Reports a failure that ends a run and gives its exit code: malformed input (<see cref="CliApp.BadInput"/>: a bad
    /// row, or a net spend beyond 64-bit units) or a file that cannot be read or written (<see cref="CliApp.IoError"/>).
    /// </summary>
    /// <returns>The exit code, or null when the exception is none of these (it then propagates).</returns>
    public static int? Report(Exception e, TextWriter error, string command, string input)
    {
        switch (e)
        {
            case InputProblemException p:
                error.WriteLine($"custseg {command}: {p.Problem}");
                return CliApp.BadInput;
            case OverflowException:
                if (Environment.GetEnvironmentVariable("CUSTSEG_DEBUG") == "1")
                {
                    error.WriteLine(e);
                }

                error.WriteLine($"custseg {command}: {input}: a customer's net spend is too large for 64-bit arithmetic");
                return CliApp.BadInput;
            case IOException or UnauthorizedAccessException:
                error.WriteLine($"custseg {command}: {e.Message}");
                return CliApp.IoError;
            default:
                return null;
        }
    }
}
