using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Tags;

/// <summary>
/// 5 000 tags (50 groups × 100 tags: 10 roots with 9 children each, the first child of each root with a grandchild
/// chain, every fifth group single-select) over 1 000 000 or 10 000 000 customers with 4..12 tags each (≈ 8 M
/// assignments per million customers): a third
/// of the picks come from 50 popular tags (dense, stored as bitsets), the rest uniformly from all tags.
/// </summary>
internal static class TagBenchmarkData
{
    public const int Groups = 50;
    public const int TagsPerGroup = 100;
    public static readonly Instant At = Instant.FromUtc(2026, 1, 1, 0, 0);

    public static TagTaxonomy Taxonomy()
    {
        var builder = new TagTaxonomyBuilder();
        for (var g = 0; g < Groups; g++)
        {
            builder.AddGroup("g" + g, "组" + g, g % 5 == 0 ? TagSelection.Single : TagSelection.Multiple);
            for (var t = 0; t < TagsPerGroup; t++)
            {
                var root = t / 10 * 10;
                // 10 roots (t % 10 == 0); children under their root; t % 10 == 2 sits under t % 10 == 1 (three levels).
                string? parent = t % 10 == 0 ? null : t % 10 == 2 ? TagName(g, root + 1) : TagName(g, root);
                builder.AddTag(TagName(g, t), "g" + g, "标签" + g + "-" + t, parent);
            }
        }

        return builder.Build();
    }

    public static string TagName(int group, int tag) => "t" + group + "." + tag;

    /// <summary>
    /// The index and the naive per-customer lists, built once per process and size: run in-process (<c>--inProcess</c>)
    /// so every benchmark case reuses them instead of spending minutes on setup.
    /// </summary>
    public static Shared Get(int customers) => SharedData.Get("tags", customers, () => Build(customers));

    public static CustomerId[] CustomerIds(int customers) => [.. Enumerable.Range(0, customers).Select(i => new CustomerId("C" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>The tag picks per customer (taxonomy ordinals), the same for the index and the baseline.</summary>
    public static int[][] Picks(int customers, int seed = 42)
    {
        var rng = new Random(seed);
        var total = Groups * TagsPerGroup;
        var picks = new int[customers][];
        for (var c = 0; c < customers; c++)
        {
            var k = rng.Next(4, 13);
            var set = new int[k];
            for (var n = 0; n < k;)
            {
                var t = rng.Next(3) == 0 ? rng.Next(50) * TagsPerGroup / 2 % total : rng.Next(total);
                if (System.Array.IndexOf(set, t, 0, n) < 0)
                {
                    set[n++] = t;
                }
            }

            picks[c] = set;
        }

        return picks;
    }

    private static Shared Build(int customers)
    {
        var taxonomy = Taxonomy();
        var ids = CustomerIds(customers);
        var picks = Picks(customers);
        var before = GC.GetTotalMemory(true);
        var index = new TagIndex(taxonomy, ids.Length);
        var tags = taxonomy.Tags;
        for (var c = 0; c < ids.Length; c++)
        {
            foreach (var t in picks[c])
            {
                index.Assign(ids[c], tags[t].Id, TagSource.Manual, At);
            }
        }

        var afterIndex = GC.GetTotalMemory(true);
        var naive = new Dictionary<CustomerId, List<TagId>>(ids.Length);
        foreach (var a in index.Assignments())
        {
            if (!naive.TryGetValue(a.CustomerId, out var list))
            {
                naive[a.CustomerId] = list = new List<TagId>(4);
            }

            list.Add(a.TagId);
        }

        var afterNaive = GC.GetTotalMemory(true);
        var report = $"TagIndex: {index.AssignmentCount:N0} assignments over {index.CustomerCount:N0} customers and {tags.Length:N0} tags; "
            + $"managed heap +{(afterIndex - before) / 1048576.0:F0} MiB (the id-to-ordinal dictionary included, the id strings themselves not), "
            + $"EstimateBytes {index.EstimateBytes() / 1048576.0:F0} MiB; naive Dictionary<CustomerId, List<TagId>> +{(afterNaive - afterIndex) / 1048576.0:F0} MiB";
        Console.WriteLine("// " + report);
        return new Shared(taxonomy, ids, index, naive);
    }

    internal sealed record Shared(TagTaxonomy Taxonomy, CustomerId[] Ids, TagIndex Index, Dictionary<CustomerId, List<TagId>> Naive);
}
