using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/CustomerSegmentation.Benchmarks -- --filter *</c>.</summary>
public partial class Program;
