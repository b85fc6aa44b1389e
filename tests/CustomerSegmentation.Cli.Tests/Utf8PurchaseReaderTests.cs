using System.Globalization;
using System.Text;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Pipeline;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The reader's scheduler over many small chunks: whatever the chunk size, worker and partition counts, the aggregates
/// (and their order) are the same, a bad row stops at its own line, and skipped rows are all counted.
/// </summary>
public class Utf8PurchaseReaderTests
{
    private static readonly LocalDate AsOf = new(2025, 12, 31);

    [Property(MaxTest = 60)]
    public Property Aggregates_AnyChunkWorkerAndPartitionCount_AreIdentical() =>
        Prop.ForAll(
            Gen.Choose(1, 400).ToArbitrary(),
            Gen.Elements(16, 40, 100, 1000).ToArbitrary(),
            (from w in Gen.Choose(1, 4) from p in Gen.Elements(1, 3, 8, 16) select (Workers: w, Partitions: p)).ToArbitrary(),
            (rows, blockSize, counts) =>
            {
                var (workers, partitions) = counts;
                using var cli = new CliRunner();
                cli.WriteInput(File(rows, seed: rows));
                var expected = Aggregate(cli.Input, 1 << 20, 1, 1, skip: false, out var expectedReport);
                var actual = Aggregate(cli.Input, blockSize, workers, partitions, skip: false, out var report);
                return actual.SequenceEqual(expected) && report.Rows == rows && expectedReport.Rows == rows;
            });

    [Property(MaxTest = 40)]
    public Property Facts_ThroughTheHooks_AnyChunkWorkerAndPartitionCount_AreIdentical() =>
        Prop.ForAll(
            Gen.Choose(1, 400).ToArbitrary(),
            Gen.Elements(16, 40, 100, 1000).ToArbitrary(),
            (from w in Gen.Choose(1, 4) from p in Gen.Elements(1, 3, 8, 16) select (Workers: w, Partitions: p)).ToArbitrary(),
            (rows, blockSize, counts) =>
            {
                var (workers, partitions) = counts;
                using var cli = new CliRunner();
                cli.WriteInput(File(rows, seed: rows + 1));
                var expected = Facts(cli.Input, 1 << 20, 1, 1, out var expectedReport);
                var actual = Facts(cli.Input, blockSize, workers, partitions, out var report);
                return actual.SequenceEqual(expected) && report.Rows == rows && expectedReport.Rows == rows
                    && expected.Select(e => e.Split(' ')[0]).SequenceEqual(Aggregate(cli.Input, 1 << 20, 1, 1, skip: false, out _).Select(a => a.Split(' ')[0]));
            });

    [Theory]
    [InlineData(16, 2, 8)]
    [InlineData(64, 3, 4)]
    [InlineData(1 << 20, 1, 1)]
    public void BadRow_InALaterChunk_StopsAtItsLine(int blockSize, int workers, int partitions)
    {
        using var cli = new CliRunner();
        var text = new StringBuilder(Encoding.UTF8.GetString(File(300, seed: 7)));
        var lines = text.ToString().Split('\n').ToList();
        lines[200] = "C9,2025-02-30,1.00"; // line 201 of the file (the header is line 1)
        lines[250] = "C9,2025-01-01,abc";
        cli.WriteInput(string.Join('\n', lines));
        var ex = Assert.Throws<InputProblemException>(() => Aggregate(cli.Input, blockSize, workers, partitions, skip: false, out _));
        Assert.Equal(201, ex.Problem.Line);
        Assert.Contains("bad date '2025-02-30'", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipBadRows_ManyChunks_CountsEveryBadRowOnce()
    {
        using var cli = new CliRunner();
        var lines = Encoding.UTF8.GetString(File(500, seed: 3)).Split('\n').ToList();
        for (var i = 10; i <= 490; i += 40)
        {
            lines[i] = "C1,not-a-date,1";
        }

        cli.WriteInput(string.Join('\n', lines));
        Aggregate(cli.Input, 32, 2, 8, skip: true, out var report);
        Assert.Equal(13, report.BadRows);
        Assert.Equal(500 - 13, report.Rows);
        Assert.Equal(10, report.FirstBadRows.Count);
        Assert.Equal(11, report.FirstBadRows[0].Line);
    }

    private static byte[] File(int rows, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("customer_id,date,amount\n");
        for (var i = 0; i < rows; i++)
        {
            var id = random.Next(4) == 0 ? $"a-long-customer-id-of-many-bytes-{random.Next(20)}" : $"C{random.Next(60)}";
            var date = new LocalDate(2024, 1, 1).PlusDays(random.Next(700));
            var amount = (random.Next(-2000, 90000) / 100m).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{id},{date:yyyy-MM-dd},{amount}").Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static List<string> Facts(string path, int blockSize, int workers, int partitions, out ReadReport report)
    {
        var builder = new CustomerSegmentation.Engine.PurchaseFactsBuilder(AsOf, partitions);
        report = new Utf8PurchaseReader(path, builder.Partitions, builder.CreatePurchaseBatch, builder.Add, false, blockSize, workers).Read();
        var facts = builder.Build(workers);
        return [.. Enumerable.Range(0, facts.Count).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $"{facts.GetId(i).Value} {facts.PurchaseCount[i]} {facts.NetSpendUnits[i]} {facts.FirstPurchaseDay[i]} {facts.LastPurchaseDay[i]} {facts.GapDays[i]}"))];
    }

    private static List<string> Aggregate(string path, int blockSize, int workers, int partitions, bool skip, out ReadReport report)
    {
        var builder = new RfmAggregatesBuilder(AsOf, partitions);
        report = new Utf8PurchaseReader(path, builder, skip, blockSize, workers).Read();
        var aggregates = builder.Build();
        var result = new List<string>();
        for (var b = 0; b < aggregates.BlockCount; b++)
        {
            for (var i = 0; i < aggregates.BlockLength(b); i++)
            {
                result.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Encoding.UTF8.GetString(aggregates.GetCustomerIdUtf8(b, i))} {aggregates.GetFrequency(b, i)} {aggregates.GetMonetaryUnits(b, i)} {aggregates.GetRecencyDays(b, i)}"));
            }
        }

        return result;
    }
}
