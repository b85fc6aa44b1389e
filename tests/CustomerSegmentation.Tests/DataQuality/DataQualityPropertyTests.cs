using System.Collections.Immutable;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tags;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;
using static CustomerSegmentation.Tests.DataQuality.DuplicateDetectorTests;

namespace CustomerSegmentation.Tests.DataQuality;

/// <summary>Records drawn from small pools so that shared keys, normalisation twins and similar names are common.</summary>
internal static class DataQualitySamples
{
    private static readonly string[] Names = ["张三", "张 三", "张三丰", "李娜", "Li Na", "LI NA", "José Müller", "Jose Muller", "Anna Schmidt", "Ann Schmidt", "王芳", "王 芳"];
    private static readonly string[] Emails = ["li.na@example.com", "li.na@EXAMPLE.com", "zs@example.cn", "anna@x.de", "wf@qq.com", "bad-email"];
    private static readonly string[] Phones = ["+86 138 1234 5678", "＋８６１３８１２３４５６７８", "+8613900000000", "+49 30 1234567", "12345"];
    private static readonly string[] Orgs = ["华为", "ACME", "acme"];
    private static readonly string[] Keys = ["level", "wechat", "source"];
    private static readonly string[] Values = ["gold", "silver", "web", "wf88"];

    public static Customer Random(Random r, string id)
    {
        var attrs = ImmutableDictionary<string, object>.Empty;
        foreach (var k in Keys)
        {
            if (r.Next(3) == 0)
            {
                attrs = attrs.SetItem(k, Values[r.Next(Values.Length)]);
            }
        }

        if (r.Next(2) == 0)
        {
            attrs = attrs.SetItem("organisation", Orgs[r.Next(Orgs.Length)]);
        }

        return new Customer(new CustomerId(id), CustomerKind.Person, Names[r.Next(Names.Length)], T0 + Duration.FromDays(r.Next(100)))
        {
            Emails = [.. Enumerable.Range(0, r.Next(3)).Select(_ => Emails[r.Next(Emails.Length)]).Distinct()],
            Phones = [.. Enumerable.Range(0, r.Next(3)).Select(_ => Phones[r.Next(Phones.Length)]).Distinct()],
            Region = r.Next(3) == 0 ? null : (r.Next(2) == 0 ? "上海" : "北京"),
            Owner = r.Next(2) == 0 ? null : "owner" + r.Next(3),
            MarketingConsent = r.Next(2) == 0,
            CustomAttributes = attrs,
            UpdatedAt = T0 + Duration.FromDays(100 + r.Next(100)),
            LastVerifiedAt = r.Next(2) == 0 ? null : T0 + Duration.FromDays(r.Next(100)),
        };
    }
}

public class DataQualityPropertyTests
{
    private static TagIndex NewTags() => new(new TagTaxonomyBuilder()
        .AddGroup("i", "Interest").AddTag("tea", "i", "Tea").AddTag("golf", "i", "Golf").AddTag("wine", "i", "Wine")
        .AddGroup("l", "Level", TagSelection.Single).AddTag("gold", "l", "Gold").AddTag("silver", "l", "Silver")
        .Build());

    private static readonly string[] TagIds = ["tea", "golf", "wine", "gold", "silver"];

    private static async Task<(InMemoryCustomerStore Store, InMemoryCustomerAliasStore Aliases, InMemoryActivityStore Activity, TagIndex Tags, Customer A, Customer B, List<TagAssignment> TagsBefore, MergeResult Result)> MergeRandom(int seed)
    {
        var r = new Random(seed);
        var store = new InMemoryCustomerStore();
        var aliases = new InMemoryCustomerAliasStore();
        var activity = new InMemoryActivityStore();
        var tags = NewTags();
        var a = await store.UpsertAsync(DataQualitySamples.Random(r, "A"), 0);
        var b = await store.UpsertAsync(DataQualitySamples.Random(r, "B"), 0);
        foreach (var id in new[] { a.Id, b.Id })
        {
            foreach (var t in TagIds.Where(_ => r.Next(2) == 0))
            {
                tags.Assign(id, new TagId(t), TagSource.Manual, T0 + Duration.FromHours(r.Next(100)));
            }

            await activity.AppendAsync([.. Enumerable.Range(0, r.Next(4)).Select(i => new Purchase(id, T0 + Duration.FromDays(r.Next(50)), new Money(i + 1, Currency.Cny)))]);
        }

        var before = tags.TagsOf(a.Id).Concat(tags.TagsOf(b.Id)).ToList();
        var merger = new CustomerMerger(store, aliases, new FakeClock(T0 + Duration.FromDays(400)), tags: tags);
        var result = await merger.MergeAsync(a.Id, b.Id, "prop");
        return (store, aliases, activity, tags, a, b, before, result);
    }

    [Property(MaxTest = 150)]
    public bool Merge_LosesNothing_Holds(int seed)
    {
        var (store, aliases, activity, tags, a, b, tagsBefore, result) = MergeRandom(seed).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            return false;
        }

        var merged = store.GetAsync(a.Id).AsTask().GetAwaiter().GetResult()!;
        var dropped = result.Record!.Dropped;
        bool Kept(string field, string value, IEnumerable<string> on) => on.Contains(value) || dropped.Any(d => d.Field == field && d.Value == value);
        var contacts = a.Emails.Concat(b.Emails).All(e => Kept("Emails", e, merged.Emails))
            && a.Phones.Concat(b.Phones).All(p => Kept("Phones", p, merged.Phones));
        var attributes = a.CustomAttributes.Concat(b.CustomAttributes).All(kv =>
            Equals(merged.CustomAttributes.GetValueOrDefault(kv.Key), kv.Value) || dropped.Any(d => d.Field == $"CustomAttributes[{kv.Key}]" && d.Value == (string)kv.Value));
        var tagged = tagsBefore.All(t => tags.Has(a.Id, t.TagId) || dropped.Any(d => d.Field == "Tags" && d.Value == t.TagId.ToString()));
        var view = new AliasResolvingActivityStore(activity, aliases);
        var rows = view.StreamForCustomerAsync(a.Id).ToListAsync().AsTask().GetAwaiter().GetResult();
        var rawA = activity.StreamForCustomerAsync(a.Id).ToListAsync().AsTask().GetAwaiter().GetResult();
        var rawB = activity.StreamForCustomerAsync(b.Id).ToListAsync().AsTask().GetAwaiter().GetResult();
        var activityKept = rows.Count == rawA.Count + rawB.Count
            && rawA.Concat(rawB).All(x => rows.Any(y => y.At == x.At && ((Purchase)y).Amount == ((Purchase)x).Amount))
            && rows.All(y => y.CustomerId == a.Id);
        return contacts && attributes && tagged && activityKept;
    }

    [Property(MaxTest = 150)]
    public bool Undo_AfterMerge_GivesBackOriginals_Holds(int seed)
    {
        var (store, aliases, _, tags, a, b, tagsBefore, result) = MergeRandom(seed).GetAwaiter().GetResult();
        var merger = new CustomerMerger(store, aliases, new FakeClock(T0), tags: tags);
        var undo = merger.UndoAsync(result.Record!).AsTask().GetAwaiter().GetResult();
        var a2 = store.GetAsync(a.Id).AsTask().GetAwaiter().GetResult()!;
        var b2 = store.GetAsync(b.Id).AsTask().GetAwaiter().GetResult()!;
        var tagsAfter = tags.TagsOf(a.Id).Concat(tags.TagsOf(b.Id)).ToList();
        return undo.Succeeded
            && (a with { Version = 0 }).Equals(a2 with { Version = 0 })
            && (b with { Version = 0 }).Equals(b2 with { Version = 0 })
            && aliases.Count == 0
            && tagsAfter.Count == tagsBefore.Count && tagsBefore.All(tagsAfter.Contains);
    }

    private static List<Customer> Population(int seed, int count)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => DataQualitySamples.Random(r, $"C{r.Next(1000):D3}-{i}"))];
    }

    [Property(MaxTest = 60)]
    public bool Find_SymmetricAndIndependentOfInputOrder_Holds(int seed, PositiveInt size)
    {
        var people = Population(seed, 2 + (size.Get % 40));
        var detector = new DuplicateDetector(new DuplicateDetectionOptions { MaxBlockSize = 8, WindowSize = 3 });
        var forward = detector.Find(people);
        var shuffled = people.OrderBy(_ => Guid.NewGuid()).ToList();
        var reversed = Enumerable.Reverse(people).ToList();
        var pairs = forward.Candidates.Select(c => (c.A, c.B)).ToList();
        return forward.Candidates.SequenceEqual(detector.Find(shuffled).Candidates)
            && forward.Candidates.SequenceEqual(detector.Find(reversed).Candidates)
            && forward.Candidates.All(c => c.A < c.B && c.Score is >= 0 and <= 1)
            && pairs.Distinct().Count() == pairs.Count;
    }

    [Property(MaxTest = 100)]
    public bool Find_SharedExactKey_AlwaysFound_Holds(int seed, PositiveInt size, NonNegativeInt x, NonNegativeInt y, bool byPhone)
    {
        var people = Population(seed, 2 + (size.Get % 40));
        var i = x.Get % people.Count;
        var j = y.Get % people.Count;
        if (i == j)
        {
            j = (j + 1) % people.Count;
        }

        var key = byPhone ? "+86 186 0000 9999" : "shared.key@example.org";
        people[i] = byPhone ? people[i] with { Phones = people[i].Phones.Add(key) } : people[i] with { Emails = people[i].Emails.Add(key) };
        people[j] = byPhone ? people[j] with { Phones = people[j].Phones.Add("+8618600009999") } : people[j] with { Emails = people[j].Emails.Add("shared.key@EXAMPLE.org") };
        var (lo, hi) = people[i].Id < people[j].Id ? (people[i].Id, people[j].Id) : (people[j].Id, people[i].Id);
        var found = new DuplicateDetector().Find(people).Candidates.FirstOrDefault(c => c.A == lo && c.B == hi);
        return found is not null && found.HasExactKey;
    }

    private static string LatinOrCjk(int seed, int length)
    {
        var r = new Random(seed);
        return new string([.. Enumerable.Range(0, length % 24).Select(_ => r.Next(4) == 0 ? (char)r.Next(0x4E00, 0x4E40) : (char)r.Next(0x20, 0x250))]);
    }

    [Property(MaxTest = 300)]
    public bool Fold_LatinFastPath_EqualsFullNormalisation_Holds(int seed, NonNegativeInt length)
    {
        var text = LatinOrCjk(seed, length.Get);
        return NameFolding.Fold(text) == NameFolding.FoldGeneral(text);
    }

    [Property(MaxTest = 300)]
    public bool JaroWinkler_UpperBound_NeverBelowSimilarity_Holds(int seed, NonNegativeInt la, NonNegativeInt lb)
    {
        // Short strings over a small alphabet share many characters; long ones take the flag path beyond 64 units.
        var r = new Random(seed);
        string Make(int n) => new([.. Enumerable.Range(0, n).Select(_ => "abcdeé张三"[r.Next(8)])]);
        var a = Make(la.Get % 90);
        var b = Make(lb.Get % 90);
        var s = JaroWinkler.Similarity(a, b);
        return JaroWinkler.CanReach(a, b, s) && s == ReferenceJaroWinkler(a, b) && s is >= 0 and <= 1;
    }

    // The textbook algorithm with flag arrays, to check the bit-mask matching against.
    private static double ReferenceJaroWinkler(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1.0 : 0.0;
        }

        if (a == b)
        {
            return 1.0;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        var ma = new bool[a.Length];
        var mb = new bool[b.Length];
        var m = 0;
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = Math.Max(0, i - window); j <= Math.Min(b.Length - 1, i + window); j++)
            {
                if (!mb[j] && a[i] == b[j])
                {
                    ma[i] = mb[j] = true;
                    m++;
                    break;
                }
            }
        }

        if (m == 0)
        {
            return 0.0;
        }

        var matchedB = Enumerable.Range(0, b.Length).Where(j => mb[j]).Select(j => b[j]).ToArray();
        var matchedA = Enumerable.Range(0, a.Length).Where(i => ma[i]).Select(i => a[i]).ToArray();
        var half = matchedA.Zip(matchedB).Count(p => p.First != p.Second);
        var jaro = (((double)m / a.Length) + ((double)m / b.Length) + ((m - (half / 2.0)) / m)) / 3.0;
        var prefix = 0;
        while (prefix < Math.Min(JaroWinkler.MaxPrefix, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return Math.Min(1.0, jaro + (prefix * JaroWinkler.PrefixScale * (1.0 - jaro)));
    }
}
