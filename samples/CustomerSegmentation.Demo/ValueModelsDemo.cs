using CustomerSegmentation.Activity;
using CustomerSegmentation.ValueModels;
using static CustomerSegmentation.Demo.TextTable;

namespace CustomerSegmentation.Demo;

/// <summary>Value models (ValueModels/): BG/NBD and Gamma-Gamma fitted on the generated purchases, P(alive) and 12-month CLV.</summary>
public static class ValueModelsDemo
{
    public static void Run(DemoPopulation population, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(output);

        // Calibrate on everything up to the day before the as-of instant (the as-of instant is midnight UTC).
        var calibrationEnd = population.AsOf.InUtc().Date.PlusDays(-1);
        var builder = new BtydSummaryBuilder(calibrationEnd, timeUnit: BtydTimeUnit.Weeks);
        foreach (var purchase in population.Records.SelectMany(g => g).OfType<Purchase>())
        {
            builder.Add(purchase.CustomerId, purchase.At, purchase.Amount.Amount);   // refunds net into their day
        }

        var data = builder.Build();
        output.WriteLine();
        output.WriteLine(Inv($"== Customer lifetime value (客户终身价值), BG/NBD + Gamma-Gamma on {data.Count} buyers, calibration to {calibrationEnd:uuuu-MM-dd} =="));
        try
        {
            var purchases = BgNbdModel.Fit(data);
            var spend = GammaGammaModel.Fit(data);
            output.WriteLine($"  BG/NBD: {purchases.Parameters}");
            output.WriteLine($"  Gamma-Gamma: {spend.Parameters}; {spend.FitReport!.Correlation.Explanation}");

            var clv = new ClvCalculator(purchases, spend, new ClvOptions { Margin = 0.3 });   // 12 monthly steps, 1 % per month
            var values = clv.Values(data);
            var pAlive = purchases.ProbabilityAlive(data);
            var next90 = purchases.ConditionalExpectedPurchases(90.0 / 7, data);
            output.WriteLine(Inv($"  Total 12-month CLV at 30 % margin: {values.Sum():N0} CNY; expected purchases in the next 90 days: {next90.Sum():N0}"));
            output.WriteLine("  Top 5 by CLV:");
            Write(output, ["customer", "repeat purchases", "weeks since first", "P(alive)", "purchases next 90 d", "CLV (CNY)"],
                Enumerable.Range(0, data.Count).OrderByDescending(i => values[i]).Take(5).Select(i => (IReadOnlyList<string>)
                [
                    data.CustomerIds[i].Value,
                    Inv($"{data.Frequency[i]:0}"),
                    Inv($"{data.Age[i]:0.0}"),
                    Inv($"{pAlive[i]:0.000}"),
                    Inv($"{next90[i]:0.00}"),
                    Inv($"{values[i]:N0}"),
                ]));
        }
        catch (ModelNotIdentifiableException ex)
        {
            output.WriteLine($"  The {ex.Model} model cannot be fitted on this data: {ex.Reason}");
        }
        catch (ModelConvergenceException ex)
        {
            output.WriteLine($"  The fit did not converge: {ex.Message}");
        }
    }
}
