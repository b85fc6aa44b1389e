using System.Text;
using CustomerSegmentation.Cli.Input;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>The vectorised split for quote-free chunks must cut exactly the rows and fields of the general split.</summary>
public class Utf8CsvRowsTests
{
    // Quote-free text rich in separators and line ends of every kind, including multi-byte characters and CR at the end.
    private static readonly Gen<byte[]> QuoteFree =
        Gen.Elements("a", "C0001", ",", ",", "\n", "\r", "\r\n", "2025-01-01", "-12.5", "客户", " ", "x".PadRight(70, 'x'))
            .ArrayOf()
            .Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts)));

    [Property(MaxTest = 2000)]
    public Property Unquoted_EqualsGeneralSplit_Holds() =>
        Prop.ForAll(QuoteFree.ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), (bytes, stopAfter) =>
        {
            var fast = Rows(bytes, general: false, stopAfter);
            var general = Rows(bytes, general: true, stopAfter);
            return fast.SequenceEqual(general);
        });

    [Fact]
    public void Unquoted_RowsOfEveryLineEnd_AreCut()
    {
        var rows = Rows("a,b,c\r\nd,e\rf\n\n,,\r\ng,h,i,j"u8.ToArray(), general: false, stopAfter: 0);
        Assert.Equal(
            ["0:3:a|b|c", "7:2:d|e|", "11:1:f||", "13:1:||", "14:3:||", "18:4:g|h|i", "verdict Continue"],
            rows);
    }

    [Fact]
    public void Unquoted_ChunkLongerThanOneVectorBlock_SplitsAcrossBlocks()
    {
        var text = string.Concat(Enumerable.Range(0, 500).Select(i => $"C{i:D8},2025-01-{1 + (i % 28):D2},{i}.5\n"));
        var rows = Rows(Encoding.UTF8.GetBytes(text), general: false, stopAfter: 0);
        Assert.Equal(501, rows.Count);
        Assert.Equal(Rows(Encoding.UTF8.GetBytes(text), general: true, stopAfter: 0), rows);
        Assert.EndsWith(":3:C00000499|2025-01-24|499.5", rows[^2], StringComparison.Ordinal);
    }

    private static List<string> Rows(byte[] bytes, bool general, int stopAfter)
    {
        var found = new List<string>();
        var sink = new Recorder(found, stopAfter);
        var scratch = new Utf8CsvRows.Scratch();
        var verdict = general
            ? Utf8CsvRows.ParseGeneral(bytes, 0, ref sink, ref scratch)
            : Utf8CsvRows.ParseUnquoted(bytes, 0, ref sink);
        found.Add($"verdict {verdict}");
        return found;
    }

    private readonly struct Recorder(List<string> rows, int stopAfter) : IRowSink
    {
        public RowVerdict Row(long rowOffset, int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount)
        {
            rows.Add($"{rowOffset}:{fieldCount}:{Encoding.UTF8.GetString(id)}|{Encoding.UTF8.GetString(date)}|{Encoding.UTF8.GetString(amount)}");
            return stopAfter > 0 && rows.Count == stopAfter ? RowVerdict.Stop : RowVerdict.Continue;
        }
    }
}
