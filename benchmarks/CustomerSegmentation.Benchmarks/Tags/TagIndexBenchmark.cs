using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Tags;

/// <summary>
/// "Customers with tag X" and "customers with tag X or any descendant" over 5 000 tags × 1 000 000 or 10 000 000 customers,
/// <see cref="TagIndex"/> against the naive LINQ scan over per-customer tag lists.
/// </summary>
[MemoryDiagnoser]
public class TagQueryBenchmark
{
    private TagBenchmarkData.Shared _data = null!;
    private HashSet<TagId> _subtree = null!;
    private TagId _root;
    private TagId _sparse;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = TagBenchmarkData.Get(Customers);
        _root = TagBenchmarkData.TagName(7, 0); // a popular root (bitset) with 9 children and a grandchild
        _sparse = TagBenchmarkData.TagName(33, 47);
        _subtree = [_root, .. _data.Taxonomy.DescendantsOf(_root).Select(t => t.Id)];
        Console.WriteLine($"// subtree of {_root}: {_subtree.Count} tags, {Index_WithDescendants():N0} customers; {_sparse}: {Index_SparseTag():N0} customers");
    }

    [Benchmark(Baseline = true, Description = "LINQ scan: tag or descendants")]
    public int Linq_WithDescendants() => _data.Naive.Where(kv => kv.Value.Any(_subtree.Contains)).Count();

    [Benchmark(Description = "TagIndex: tag or descendants")]
    public int Index_WithDescendants() => _data.Index.CustomersWith(_root, includeDescendants: true).Count;

    [Benchmark(Description = "LINQ scan: one sparse tag")]
    public int Linq_SparseTag() => _data.Naive.Where(kv => kv.Value.Contains(_sparse)).Count();

    [Benchmark(Description = "TagIndex: one sparse tag")]
    public int Index_SparseTag() => _data.Index.CustomersWith(_sparse).Count;
}

/// <summary>
/// Assigning 10 000 tags to random customers (half into single-select groups, where the tag replaces the one held)
/// and removing them again, on the 5 000-tag data set (1 M or 10 M customers): <see cref="TagIndex"/> against per-customer lists kept
/// with LINQ (a single-select check, a duplicate check, then add; remove by value).
/// </summary>
[MemoryDiagnoser]
public class TagAssignBenchmark
{
    private const int Operations = 10_000;
    private TagBenchmarkData.Shared _data = null!;
    private Dictionary<TagId, TagGroup> _groupOf = null!;
    private CustomerId[] _targets = null!;
    private TagId[] _tags = null!;

    public static IEnumerable<int> Sizes => BenchSizes.Customers;

    [ParamsSource(nameof(Sizes))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = TagBenchmarkData.Get(Customers);
        var taxonomy = _data.Taxonomy;
        _groupOf = taxonomy.Tags.ToDictionary(t => t.Id, t => taxonomy.GroupOf(t.Id));
        var rng = new Random(7);
        _targets = [.. Enumerable.Range(0, Operations).Select(_ => _data.Ids[rng.Next(_data.Ids.Length)])];
        // Tag 99 of a group: usually new for the customer; in a single-select group (every fifth) it replaces the tag held there.
        _tags = [.. Enumerable.Range(0, Operations).Select(i => new TagId(TagBenchmarkData.TagName(i % 2 == 0 ? 5 * rng.Next(10) : 1 + rng.Next(49), 99)))];
    }

    [Benchmark(Baseline = true, Description = "LINQ lists: assign + remove")]
    public int Linq_AssignThenRemove()
    {
        var changed = 0;
        for (var i = 0; i < Operations; i++)
        {
            var list = _data.Naive[_targets[i]];
            var group = _groupOf[_tags[i]];
            var tag = _tags[i];
            if (list.Contains(tag))
            {
                continue;
            }

            if (group.IsSingleSelect)
            {
                list.RemoveAll(t => _groupOf[t].Id == group.Id);
            }

            list.Add(tag);
            changed++;
        }

        for (var i = 0; i < Operations; i++)
        {
            changed -= _data.Naive[_targets[i]].Remove(_tags[i]) ? 1 : 0;
        }

        return changed;
    }

    [Benchmark(Description = "TagIndex: assign + remove")]
    public int Index_AssignThenRemove()
    {
        var changed = 0;
        var later = TagBenchmarkData.At + Duration.FromDays(1);
        for (var i = 0; i < Operations; i++)
        {
            changed += _data.Index.Assign(_targets[i], _tags[i], TagSource.Manual, later, "bench").Changes.Length;
        }

        for (var i = 0; i < Operations; i++)
        {
            changed -= _data.Index.Remove(_targets[i], _tags[i], later) is null ? 0 : 1;
        }

        return changed;
    }
}
