using System.CommandLine;
using CustomerSegmentation.Cli.Commands;

namespace CustomerSegmentation.Cli;

/// <summary>Wires the commands; each command lives in its own file under Commands/.</summary>
internal static class CliApp
{
    /// <summary>Exit code: success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: malformed input data (bad header, bad row, empty file).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code: the input file is missing or cannot be read or written.</summary>
    public const int IoError = 3;

    public static RootCommand Build(TextWriter output, TextWriter error) =>
        new("custseg - customer segmentation from a purchases CSV")
        {
            RfmCommand.Create(output, error),
            ClvCommand.Create(output, error),
            ChurnCommand.Create(output, error),
            RunCommand.Create(output, error),
            DedupeCommand.Create(output, error),
            ImportCommand.Create(output, error),
        };

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Build(output, error).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
}
