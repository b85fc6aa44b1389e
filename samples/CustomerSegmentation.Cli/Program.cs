namespace CustomerSegmentation.Cli;

/// <summary>The entry point: only wires the commands (see <see cref="CliApp"/>).</summary>
internal static class Program
{
    private static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
