using System.Text;
using CustomerSegmentation.Pipeline;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Pipeline;

/// <summary>A synthetic purchase log shaped like the peers' generator: ids C00000000.., 3.45 rows per customer, time-ordered-ish.</summary>
internal sealed class RfmPopulation
{
    public static readonly LocalDate AsOf = new(2025, 12, 31);

    public RfmPopulation(int customers, int seed = 11)
    {
        var random = new Random(seed);
        var rows = (int)(customers * 3.45);
        Ids = new byte[customers][];
        IdStrings = new string[customers];
        for (var i = 0; i < customers; i++)
        {
            IdStrings[i] = $"C{i:D8}";
            Ids[i] = Encoding.ASCII.GetBytes(IdStrings[i]);
        }

        Customer = new int[rows];
        Day = new int[rows];
        Amount = new long[rows];
        var asOf = Utf8PurchaseFields.ToEpochDay(AsOf);
        for (var r = 0; r < rows; r++)
        {
            Customer[r] = random.Next(customers);
            Day[r] = asOf - random.Next(0, 1095);
            Amount[r] = random.Next(-500, 200_000) * 100L;
        }
    }

    public byte[][] Ids { get; }

    public string[] IdStrings { get; }

    public int[] Customer { get; }

    public int[] Day { get; }

    public long[] Amount { get; }

    public List<PurchaseBatchBuilder> Batches(RfmAggregatesBuilder builder, int rowsPerBatch = 150_000)
    {
        var batches = new List<PurchaseBatchBuilder>();
        var batch = builder.CreateBatch();
        for (var r = 0; r < Customer.Length; r++)
        {
            batch.Add(Ids[Customer[r]], Day[r], Amount[r]);
            if (batch.Count == rowsPerBatch)
            {
                batches.Add(batch);
                batch = builder.CreateBatch();
            }
        }

        batches.Add(batch);
        return batches;
    }
}
