using BenchmarkDotNet.Attributes;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.Tags;

/// <summary>
/// "Customers with tag X" and "customers with tag X or any descendant" over 5 000 tags × 1 000 000 customers,
/// <see cref="TagIndex"/> against the naive LINQ scan over per-customer tag lists.
/// </summary>
[MemoryDiagnoser]
public class TagQueryBenchmark
{
    private TagIndex _index = null!;
    private Dictionary<CustomerId, List<TagId>> _naive = null!;
    private TagTaxonomy _taxonomy = null!;
    private HashSet<TagId> _subtree = null!;
    private TagId _root;
    private TagId _sparse;

    [GlobalSetup]
    public void Setup()
    {
        _taxonomy = TagBenchmarkData.Taxonomy();
        var ids = TagBenchmarkData.CustomerIds();
        var picks = TagBenchmarkData.Picks();
        var before = GC.GetTotalMemory(true);
        _index = new TagIndex(_taxonomy, ids.Length);
        var tags = _taxonomy.Tags;
        for (var c = 0; c < ids.Length; c++)
        {
            foreach (var t in picks[c])
            {
                _index.Assign(ids[c], tags[t].Id, TagSource.Manual, TagBenchmarkData.At);
            }
        }

        var after = GC.GetTotalMemory(true);
        Console.WriteLine($"// TagIndex: {_index.AssignmentCount:N0} assignments, {_index.CustomerCount:N0} customers, heap +{(after - before) / 1048576.0:F0} MiB, estimate {_index.EstimateBytes() / 1048576.0:F0} MiB");

        _naive = new Dictionary<CustomerId, List<TagId>>(ids.Length);
        foreach (var a in _index.Assignments())
        {
            if (!_naive.TryGetValue(a.CustomerId, out var list))
            {
                _naive[a.CustomerId] = list = [];
            }

            list.Add(a.TagId);
        }

        Console.WriteLine($"// naive lists: heap +{(GC.GetTotalMemory(true) - after) / 1048576.0:F0} MiB");
        _root = TagBenchmarkData.TagName(7, 0); // popular root with 9 children and a grandchild
        _sparse = TagBenchmarkData.TagName(33, 47);
        _subtree = [_root, .. _taxonomy.DescendantsOf(_root).Select(t => t.Id)];
    }

    [Benchmark(Baseline = true, Description = "LINQ scan: tag or descendants")]
    public int Linq_WithDescendants() => _naive.Where(kv => kv.Value.Any(_subtree.Contains)).Count();

    [Benchmark(Description = "TagIndex: tag or descendants")]
    public int Index_WithDescendants() => _index.CustomersWith(_root, includeDescendants: true).Count;

    [Benchmark(Description = "LINQ scan: one sparse tag")]
    public int Linq_SparseTag() => _naive.Where(kv => kv.Value.Contains(_sparse)).Count();

    [Benchmark(Description = "TagIndex: one sparse tag (set)")]
    public int Index_SparseTag() => _index.CustomersWith(_sparse).Count;

    [Benchmark(Description = "TagIndex: one sparse tag (count)")]
    public int Index_SparseTagCount() => _index.CountWith(_sparse);
}

/// <summary>
/// Assigning 10 000 tags (half of them into single-select groups, replacing the customer's tag there) and removing
/// them again, on the 5 000 × 1 000 000 data set: <see cref="TagIndex"/> against per-customer lists maintained with LINQ.
/// </summary>
[MemoryDiagnoser]
public class TagAssignBenchmark
{
    private const int Operations = 10_000;
    private TagIndex _index = null!;
    private Dictionary<CustomerId, List<TagAssignment>> _naive = null!;
    private Dictionary<TagId, TagGroup> _groupOf = null!;
    private CustomerId[] _targets = null!;
    private TagId[] _tags = null!;

    [GlobalSetup]
    public void Setup()
    {
        var taxonomy = TagBenchmarkData.Taxonomy();
        var ids = TagBenchmarkData.CustomerIds();
        var picks = TagBenchmarkData.Picks();
        _index = new TagIndex(taxonomy, ids.Length);
        _naive = new Dictionary<CustomerId, List<TagAssignment>>(ids.Length);
        for (var c = 0; c < ids.Length; c++)
        {
            var list = new List<TagAssignment>(picks[c].Length);
            foreach (var t in picks[c])
            {
                var tag = taxonomy.Tags[t].Id;
                if (_index.Assign(ids[c], tag, TagSource.Manual, TagBenchmarkData.At).Outcome is TagAssignmentOutcome.Assigned)
                {
                    list.Add(new TagAssignment(ids[c], tag, TagSource.Manual, TagBenchmarkData.At));
                }
            }

            _naive[ids[c]] = list;
        }

        _groupOf = taxonomy.Tags.ToDictionary(t => t.Id, t => taxonomy.GroupOf(t.Id));
        var rng = new Random(7);
        _targets = [.. Enumerable.Range(0, Operations).Select(_ => ids[rng.Next(ids.Length)])];
        // Tag 99 of a group: mostly new for the customer; in single-select groups (every fifth) it replaces the tag held there.
        _tags = [.. Enumerable.Range(0, Operations).Select(i => new TagId(TagBenchmarkData.TagName(i % 2 == 0 ? 5 * rng.Next(10) : 1 + rng.Next(49), 99)))];
    }

    [Benchmark(Baseline = true, Description = "LINQ lists: assign + remove")]
    public int Linq_AssignThenRemove()
    {
        var changed = 0;
        for (var i = 0; i < Operations; i++)
        {
            var list = _naive[_targets[i]];
            var group = _groupOf[_tags[i]];
            if (group.IsSingleSelect)
            {
                list.RemoveAll(a => _groupOf[a.TagId].Id == group.Id);
            }

            if (!list.Any(a => a.TagId == _tags[i]))
            {
                list.Add(new TagAssignment(_targets[i], _tags[i], TagSource.Manual, TagBenchmarkData.At));
                changed++;
            }
        }

        for (var i = 0; i < Operations; i++)
        {
            changed -= _naive[_targets[i]].RemoveAll(a => a.TagId == _tags[i]);
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
            changed += _index.Assign(_targets[i], _tags[i], TagSource.Manual, later, "bench").Changes.Length;
        }

        for (var i = 0; i < Operations; i++)
        {
            changed -= _index.Remove(_targets[i], _tags[i], later) is null ? 0 : 1;
        }

        return changed;
    }
}
