using BenchmarkDotNet.Running;

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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- --filter *</c>.</summary>
public partial class Program;
