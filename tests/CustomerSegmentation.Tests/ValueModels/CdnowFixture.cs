using System.Globalization;
using CustomerSegmentation.Customers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Tests.ValueModels;

/// <summary>The CDNOW sample (Data/cdnow, MIT, from the lifetimes repository) summarised from its raw transactions, once per test run.</summary>
public sealed class CdnowFixture
{
    public static readonly LocalDate CalibrationEnd = new(1997, 9, 30);
    public static readonly LocalDate HoldoutEnd = new(1998, 6, 30);

    public CdnowFixture()
    {
        var builder = new BtydSummaryBuilder(CalibrationEnd, HoldoutEnd, BtydTimeUnit.Weeks);
        foreach (var line in File.ReadLines(DataPath("cdnow_sample_transactions.csv")).Skip(1))
        {
            var f = line.Split(',');
            var d = f[1];
            var date = new LocalDate(int.Parse(d[..4], CultureInfo.InvariantCulture), int.Parse(d[5..7], CultureInfo.InvariantCulture), int.Parse(d[8..10], CultureInfo.InvariantCulture));
            builder.Add(new CustomerId(f[0]), date, decimal.Parse(f[2], CultureInfo.InvariantCulture));
        }

        Builder = builder;
        Data = builder.Build();
        BgNbd = BgNbdModel.Fit(Data);
        GammaGamma = GammaGammaModel.Fit(Data);
    }

    public BtydSummaryBuilder Builder { get; }

    public BtydData Data { get; }

    public BgNbdModel BgNbd { get; }

    public GammaGammaModel GammaGamma { get; }

    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "cdnow", file);
}
