using BenchmarkDotNet.Running;

if (args is ["dedupe-recall", ..])
{
    CustomerSegmentation.Benchmarks.DataQuality.DedupeBenchmarkData.RunRecall(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, !args.Contains("no-region"));
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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- --filter *</c>.</summary>
public partial class Program;
