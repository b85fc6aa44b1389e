using System.Text;
using CustomerSegmentation.Cli.Input;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The UTF-8 fast path must split every input into exactly the rows Sep yields (line, field count, fields), or hand
/// the file to Sep; and the command's outcome must be the same with either reader.
/// </summary>
public class ReaderEquivalenceTests
{
    private static readonly Gen<string> Ids = Gen.OneOf(
        Gen.Choose(0, 40).Select(i => $"C{i:D8}"),
        Gen.Choose(0, 10).Select(i => $"客户{i}"),
        Gen.Choose(0, 10).Select(i => $"\"Shop, Inc. {i}\""),
        Gen.Choose(0, 5).Select(i => $"\"say \"\"hi\"\" {i}\""),
        Gen.Choose(0, 5).Select(i => $"\"two\r\nlines {i}\""),
        Gen.Choose(0, 5).Select(i => $"\"C{i}\""),
        Gen.Choose(0, 5).Select(i => $"a-customer-id-longer-than-sixteen-bytes-{i}"),
        Gen.Constant(string.Empty),
        Gen.Constant("\"\""));

    private static readonly Gen<string> Dates = Gen.Frequency(
        (8, Gen.Choose(-800, 30).Select(d => new DateOnly(2025, 12, 31).AddDays(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
        (2, Gen.Elements("2025-06-01T10:00:00Z", "\"2025-06-01T23:30:00-02:00\"", "2025-06-01T00:00:00.5+08:00")),
        (1, Gen.Elements("2025-13-01", "01/02/2025", "", "2025-1-1")));

    private static readonly Gen<string> Amounts = Gen.Frequency(
        (8, Gen.Choose(-5000, 90000).Select(c => (c / 100m).ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Elements("\"12.5\"", "abc", "1,5", "\"1,5\"", "", "12.34567")));

    private static readonly Gen<string> RegularRows = Gen.Frequency(
        (30, from id in Ids from date in Dates from amount in Amounts select $"{id},{date},{amount}"),
        (1, Gen.Constant(string.Empty)),
        (1, from id in Ids select $"{id},2025-01-01"),
        (1, from id in Ids select $"{id},2025-01-01,5,extra"));

    private static readonly Gen<string> Rows = Gen.Frequency(
        (60, RegularRows),
        (1, Gen.Elements("a\"b,2025-01-01,5", "\"ab\"c,2025-01-01,5", "\"open,2025-01-01,5")));

    private static readonly Gen<byte[]> Files = FilesOf(Rows);

    private static readonly Gen<byte[]> RegularFiles = FilesOf(RegularRows);

    [Property(MaxTest = 200)]
    public Property FastPath_RegularCsv_StaysFastAndEqualsSep_Holds() =>
        Prop.ForAll(RegularFiles.ToArbitrary(), Gen.Elements(16, 37, 256, 1 << 16).ToArbitrary(), (file, blockSize) =>
        {
            using var cli = new CliRunner();
            cli.WriteInput(file);
            var fast = Utf8PurchaseReader.ReadRawRows(cli.Input, blockSize);
            var sep = SepPurchaseReader.ReadRawRows(cli.Input);
            return fast is not null && fast.Count == sep.Count && fast.Skip(1).Zip(sep.Skip(1)).All(p => Same(p.First, p.Second));
        });

    [Property(MaxTest = 200)]
    public Property FastPathRows_EqualSepRows_Holds() =>
        Prop.ForAll(Files.ToArbitrary(), Gen.Elements(16, 37, 256, 1 << 16).ToArbitrary(), (file, blockSize) =>
        {
            using var cli = new CliRunner();
            cli.WriteInput(file);
            var fast = Utf8PurchaseReader.ReadRawRows(cli.Input, blockSize);
            if (fast is null)
            {
                return true.Label("left to Sep");
            }

            var sep = SepPurchaseReader.ReadRawRows(cli.Input);
            return (fast.Count == sep.Count && fast.Skip(1).Zip(sep.Skip(1)).All(p => Same(p.First, p.Second))).Label("same rows");
        });

    [Property(MaxTest = 100)]
    public Property CommandOutcome_SameWithEitherReader_Holds() =>
        Prop.ForAll(Files.ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (file, skip) =>
        {
            using var cli = new CliRunner();
            cli.WriteInput(file);
            string[] extra = skip ? ["--skip-bad-rows"] : [];
            var auto = cli.Rfm(extra: [.. extra, "--parser", "auto", "--threads", "3"]);
            var autoOut = File.Exists(cli.Output) ? File.ReadAllBytes(cli.Output) : [];
            File.Delete(cli.Output);
            var sep = cli.Rfm(extra: [.. extra, "--parser", "sep", "--threads", "1"]);
            var sepOut = File.Exists(cli.Output) ? File.ReadAllBytes(cli.Output) : [];
            return auto.Exit == sep.Exit && auto.Err == sep.Err && autoOut.AsSpan().SequenceEqual(sepOut);
        });

    [Fact]
    public void ReadRawRows_RegularQuotedInput_IsKeptOnTheFastPath()
    {
        using var cli = new CliRunner();
        cli.WriteInput(Encode(true, "customer_id,date,amount\r\n\"A,1\",2025-01-01,5\r\n\"x\r\ny\",2025-01-02,\"6\"\r\n客户,2025-01-03,7\r\n"));

        var fast = Utf8PurchaseReader.ReadRawRows(cli.Input, 16);

        Assert.NotNull(fast);
        var sep = SepPurchaseReader.ReadRawRows(cli.Input);
        Assert.Equal(4, fast.Count);
        Assert.All(fast.Skip(1).Zip(sep.Skip(1)), p => Assert.True(Same(p.First, p.Second), $"{p.First} vs {p.Second}"));
        Assert.Equal("x\r\ny", fast[2].Fields[0]);
        Assert.Equal(5, fast[3].Line);
    }

    [Theory]
    [InlineData("customer_id,date,amount\na\"b,2025-01-01,5\n")]
    [InlineData("customer_id,date,amount\n\"ab\"c,2025-01-01,5\n")]
    [InlineData("customer_id,date,amount\n\"open,2025-01-01,5\n")]
    public void ReadRawRows_LenientQuoting_IsLeftToSep(string text)
    {
        using var cli = new CliRunner();
        cli.WriteInput(Encode(false, text));

        Assert.Null(Utf8PurchaseReader.ReadRawRows(cli.Input, 1 << 16));
    }

    [Fact]
    public void ReadRawRows_InvalidUtf8Id_IsLeftToSepByTheCommand()
    {
        using var cli = new CliRunner();
        cli.WriteInput([.. "customer_id,date,amount\n"u8, 0xC3, 0x28, .. ",2025-12-01,5\n"u8]);

        var auto = cli.Rfm();
        var autoOut = File.ReadAllBytes(cli.Output);
        var sep = cli.Rfm(extra: ["--parser", "sep"]);

        Assert.Equal((0, 0), (auto.Exit, sep.Exit));
        Assert.Equal(File.ReadAllBytes(cli.Output), autoOut);
    }

    private static bool Same(SepPurchaseReader.RawRow fast, SepPurchaseReader.RawRow sep) =>
        fast.Line == sep.Line && fast.Fields.Length == sep.Fields.Length
        && fast.Fields.Take(3).SequenceEqual(sep.Fields.Take(3), StringComparer.Ordinal);

    private static Gen<byte[]> FilesOf(Gen<string> rows) =>
        from bom in ArbMap.Default.GeneratorFor<bool>()
        from newline in Gen.Elements("\n", "\r\n", "\r")
        from list in Gen.ListOf(rows)
        from finalNewline in ArbMap.Default.GeneratorFor<bool>()
        select Encode(bom, "customer_id,date,amount" + newline + string.Join(newline, list) + (finalNewline && list.Count > 0 ? newline : string.Empty));

    private static byte[] Encode(bool bom, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }
}
