using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Commands;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The run CSV sink: the cached float formatting writes exactly what <see cref="float.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// writes, and batches handed over out of order by many workers come out in batch order, byte for byte as with one worker.
/// </summary>
public class RunCsvSinkTests
{
    private static readonly LocalDate AsOf = new(2025, 12, 31);

    private static readonly Gen<float> Value = Gen.OneOf(
        Gen.Choose(0, 10000).Select(i => i / 10000f),
        Gen.Choose(0, 200).Select(i => i / 7f),
        Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle),
        Gen.Elements(0f, -0f, 1f, 0.99995f, 0.00005f, 123456.789f, float.NaN, float.MaxValue, float.Epsilon));

    [Property(MaxTest = 100)]
    public Property NumberCache_WritesWhatTryFormatWrites_Holds() =>
        Prop.ForAll(Gen.ArrayOf(Value).ToArbitrary(), Gen.Elements(4, 2).ToArbitrary(), (values, decimals) =>
        {
            var format = "0." + new string('#', decimals);
            var cache = new RunCsvSink.NumberCache(decimals);
            var buffer = new byte[128];
            var expected = new byte[128];
            foreach (var v in values.Concat(values).Concat(values.Reverse()))
            {
                var n = cache.Put(v, buffer, 0);
                var m = 0;
                if (!float.IsNaN(v))
                {
                    v.TryFormat(expected, out m, format, CultureInfo.InvariantCulture);
                }

                if (!buffer.AsSpan(0, n).SequenceEqual(expected.AsSpan(0, m)))
                {
                    return false;
                }
            }

            return true;
        });

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(7, 5)]
    [InlineData(64, 3)]
    public void Write_ManyWorkersSmallBatches_GivesTheSingleWorkerFile(int batchSize, int threads)
    {
        var random = new Random(11);
        var builder = new PurchaseFactsBuilder(AsOf, 1);
        var batch = builder.CreateBatch();
        for (var i = 0; i < 3000; i++)
        {
            var id = random.Next(5) == 0 ? $"Shop, \"{random.Next(30)}\"" : $"C{random.Next(700)}";
            batch.Add(Encoding.UTF8.GetBytes(id), Utf8PurchaseFields.ToEpochDay(AsOf.PlusDays(random.Next(-800, 1))), random.Next(-2000, 90000) * 100L);
        }

        builder.Add(batch, 0);
        var facts = builder.Build();
        using var dir = new CliRunner();
        string Write(SegmentationEngineOptions options, string name)
        {
            var engine = new SegmentationEngine(options);
            var path = Path.Combine(Path.GetDirectoryName(dir.Input)!, name);
            using (var sink = new RunCsvSink(path, engine))
            {
                engine.Run(facts, sink);
                var bytes = sink.Finish();
                Assert.Equal(new FileInfo(path).Length, bytes);
            }

            return File.ReadAllText(path, Encoding.UTF8);
        }

        var single = Write(new SegmentationEngineOptions { MaxDegreeOfParallelism = 1, BatchSize = 1 << 16 }, "one.csv");
        var many = Write(new SegmentationEngineOptions { MaxDegreeOfParallelism = threads, BatchSize = batchSize }, "many.csv");
        Assert.Equal(facts.Count + 1, single.Count(c => c == '\n'));
        Assert.Equal(single, many);
    }
}
