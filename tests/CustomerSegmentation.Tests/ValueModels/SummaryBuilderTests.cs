using CustomerSegmentation.Customers;
using CustomerSegmentation.ValueModels;
using NodaTime;

namespace CustomerSegmentation.Tests.ValueModels;

public class SummaryBuilderTests
{
    private static readonly CustomerId Ann = new("ann");
    private static readonly CustomerId Bob = new("bob");
    private static readonly LocalDate CalibrationEnd = new(2024, 3, 31);

    [Fact]
    public void Build_SameDayPurchases_CountAsOnePeriodWithSummedAmount()
    {
        var data = new BtydSummaryBuilder(CalibrationEnd, timeUnit: BtydTimeUnit.Days)
            .Add(Ann, new LocalDate(2024, 1, 1), 10m)
            .Add(Ann, new LocalDate(2024, 1, 11), 5m)
            .Add(Ann, new LocalDate(2024, 1, 11), 7m)
            .Add(Ann, new LocalDate(2024, 1, 21), 30m)
            .Build();
        Assert.Equal(1, data.Count);
        Assert.Equal(2, data.Frequency[0]);
        Assert.Equal(20, data.Recency[0]);
        Assert.Equal(90, data.Age[0]);                         // 1 Jan → 31 Mar 2024 (leap year)
        Assert.Equal((12 + 30) / 2.0, data.AverageRepeatSpend[0]);
        Assert.False(data.HasHoldout);
        Assert.Equal(CalibrationEnd, data.CalibrationEnd);
    }

    [Fact]
    public void Build_Weeks_DividesDaysBySeven()
    {
        var data = new BtydSummaryBuilder(CalibrationEnd).Add(Ann, new LocalDate(2024, 3, 3), 1m).Add(Ann, new LocalDate(2024, 3, 17), 1m).Build();
        Assert.Equal(BtydTimeUnit.Weeks, data.TimeUnit);
        Assert.Equal(2, data.Recency[0]);
        Assert.Equal(4, data.Age[0]);
    }

    [Fact]
    public void Build_WithHoldout_CountsHoldoutDaysAndSpendAndIgnoresLaterRows()
    {
        var builder = new BtydSummaryBuilder(CalibrationEnd, new LocalDate(2024, 4, 30), BtydTimeUnit.Days);
        builder.Add(Ann, new LocalDate(2024, 3, 1), 10m)
            .Add(Ann, new LocalDate(2024, 4, 1), 4m)
            .Add(Ann, new LocalDate(2024, 4, 1), 6m)
            .Add(Ann, new LocalDate(2024, 4, 30), 1m)
            .Add(Ann, new LocalDate(2024, 5, 1), 99m)
            .Add(Bob, new LocalDate(2024, 4, 2), 3m);    // first buys after calibration: not in the cohort
        var data = builder.Build();
        Assert.Equal([Ann], data.CustomerIds.ToArray());
        Assert.Equal(0, data.Frequency[0]);
        Assert.Equal(0, data.AverageRepeatSpend[0]);
        Assert.Equal(30, data.HoldoutLength);
        Assert.Equal(2, data.HoldoutPurchases[0]);
        Assert.Equal(11, data.HoldoutSpend[0]);
        Assert.Equal(1, builder.CustomersExcluded);
        Assert.Equal(1, builder.RowsIgnored);
        Assert.Equal(6, builder.RowsAdded);
    }

    [Fact]
    public void Add_Instant_UsesTheZonesCalendarDay()
    {
        var shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var builder = new BtydSummaryBuilder(CalibrationEnd, timeUnit: BtydTimeUnit.Days, zone: shanghai);
        builder.Add(Ann, Instant.FromUtc(2024, 3, 1, 0, 0), 1m).Add(Ann, Instant.FromUtc(2024, 3, 30, 17, 0), 1m); // 31 Mar 01:00 in Shanghai
        var data = builder.Build();
        Assert.Equal(30, data.Recency[0]);
    }

    [Fact]
    public void Constructor_HoldoutNotAfterCalibration_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BtydSummaryBuilder(CalibrationEnd, CalibrationEnd));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BtydSummaryBuilder(CalibrationEnd, timeUnit: (BtydTimeUnit)3));
        Assert.Throws<ArgumentException>(() => new BtydSummaryBuilder(CalibrationEnd).Add(default, CalibrationEnd, 1m));
    }

    [Fact]
    public void FromColumns_InvalidRows_ThrowNamingTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => BtydData.FromColumns(BtydTimeUnit.Weeks, [1, 2], [1, 5], [2, 4]));
        Assert.Contains("Row 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BtydData.FromColumns(BtydTimeUnit.Weeks, [0.5], [0], [1]));
        Assert.Throws<ArgumentException>(() => BtydData.FromColumns(BtydTimeUnit.Weeks, [0], [1], [1]));
        Assert.Throws<ArgumentException>(() => BtydData.FromColumns(BtydTimeUnit.Weeks, [0, 1], [0], [1, 1]));
        var ok = BtydData.FromColumns(BtydTimeUnit.Days, [0, 3], [0, 2], [1, 4], [0, 9], [Ann, Bob], new BtydHoldoutColumns(5, [1, 0], [2, 0]));
        Assert.Equal([1], ok.RepeatBuyerRows());
        Assert.True(ok.HasHoldout);
    }
}
