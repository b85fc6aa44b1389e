using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args is ["dedupe-recall", ..])
{
    CustomerSegmentation.Benchmarks.DataQuality.DedupeBenchmarkData.RunRecall(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, !args.Contains("no-region"));
    return;
}

if (args is ["dedupe-prepare-profile", ..])
{
    CustomerSegmentation.Benchmarks.DataQuality.DedupeBenchmarkData.RunPrepareProfile(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

if (args is ["segments-measure", ..])
{
    CustomerSegmentation.Benchmarks.Segments.SegmentMeasuredRun.Run(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

if (args is ["storage-summary", var method, var schema, var asOf])
{
    CustomerSegmentation.Benchmarks.Storage.SummaryMeasuredRun.Run(method, schema, NodaTime.Text.LocalDatePattern.Iso.Parse(asOf).GetValueOrThrow());
    return;
}

var rest = new List<string>();
IConfig config = DefaultConfig.Instance;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--sizes" && i + 1 < args.Length)
    {
        // Read by BenchSizes here and inherited by out-of-process benchmark processes.
        Environment.SetEnvironmentVariable(CustomerSegmentation.Benchmarks.BenchSizes.Variable, args[++i]);
    }
    else if (args[i].Equals("--inProcess", StringComparison.OrdinalIgnoreCase))
    {
        // BenchmarkDotNet's own --inProcess uses the in-process toolchain's default time limit, too short for a 10 M
        // setup plus a LINQ baseline; this mutator applies the same toolchain with a 3-hour limit to whatever job is chosen.
        config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(new Job("InProcess").WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(3), logOutput: true)).AsMutator());
    }
    else
    {
        rest.Add(args[i]);
    }
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config);

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- --sizes 1000000 --filter '*' --job Short --inProcess</c>
/// (see benchmarks/README.md).
/// </summary>
public partial class Program;
