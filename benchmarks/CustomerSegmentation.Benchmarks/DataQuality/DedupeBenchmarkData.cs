using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using NodaTime;

namespace CustomerSegmentation.Benchmarks.DataQuality;

/// <summary>
/// A synthetic customer base with planted duplicates (seeded): 98 % originals, 2 % copies of an original made the way
/// duplicates arise, in four kinds, each a quarter of the copies.
/// </summary>
/// <remarks>
/// Kinds: 0 the same email with the domain in upper case and the name re-spaced; 1 the same phone written with
/// full-width digits, no email; 2 a one-character typo in the name within the same organisation, no shared contact;
/// 3 the name in full-width or accent-stripped form within the same region, no shared contact.
/// </remarks>
internal static class DedupeBenchmarkData
{
    private static readonly string[] Family = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "欧阳", "司马"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "晨", "宇"];
    private static readonly string[] First = ["José", "Anna", "Müller", "François", "Zoë", "Björn", "Li", "Mary", "John", "Søren", "Łukasz", "Inês", "Renée", "Chloé", "Jürgen", "Noël"];
    private static readonly string[] Last = ["García", "Schmidt", "Müller", "Dubois", "Nowak", "Silva", "Rossi", "Jensen", "Novák", "O'Brien", "Smith", "Lefèvre", "Weiß", "Kowalski", "Martín", "Björk"];
    private static readonly string[] Regions = [.. Enumerable.Range(0, 31).Select(i => "Region" + i.ToString("D2", CultureInfo.InvariantCulture))];

    public static (Customer[] Customers, (CustomerId A, CustomerId B, int Kind)[] Planted) Create(int count, double duplicateShare = 0.02, int seed = 42)
    {
        var r = new Random(seed);
        var dups = (int)(count * duplicateShare);
        var originals = count - dups;
        var result = new Customer[count];
        var t0 = Instant.FromUtc(2025, 1, 1, 0, 0);
        for (var i = 0; i < originals; i++)
        {
            var chinese = r.Next(3) != 0;
            var name = chinese
                ? Family[r.Next(Family.Length)] + Given[r.Next(Given.Length)] + (r.Next(2) == 0 ? Given[r.Next(Given.Length)] : string.Empty)
                : $"{First[r.Next(First.Length)]} {Last[r.Next(Last.Length)]} {(char)('A' + r.Next(26))}{(char)('a' + r.Next(26))}{(char)('a' + r.Next(26))}";
            var attrs = ImmutableDictionary<string, object>.Empty;
            if (r.Next(10) < 3)
            {
                // Organisation sizes are skewed: a few have thousands of contacts.
                var org = r.Next(10) == 0 ? r.Next(20) : r.Next(20_000);
                attrs = attrs.Add("organisation", "Org" + org.ToString(CultureInfo.InvariantCulture));
            }

            result[i] = new Customer(new CustomerId("C" + i.ToString("D8", CultureInfo.InvariantCulture)), CustomerKind.Person, name, t0)
            {
                Emails = r.Next(10) < 7 ? ["u" + i.ToString(CultureInfo.InvariantCulture) + "@example.com"] : [],
                Phones = r.Next(10) < 8 ? ["+86 1" + (3 + r.Next(7)).ToString(CultureInfo.InvariantCulture) + r.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture)] : [],
                Region = r.Next(10) < 9 ? Regions[r.Next(Regions.Length)] : null,
                CustomAttributes = attrs,
            };
        }

        var planted = new (CustomerId, CustomerId, int)[dups];
        for (var d = 0; d < dups; d++)
        {
            var kind = d % 4;
            Customer o;
            do
            {
                o = result[r.Next(originals)];
            }
            while ((kind == 0 && o.Emails.IsEmpty) || (kind == 1 && o.Phones.IsEmpty) || (kind == 2 && !o.CustomAttributes.ContainsKey("organisation")) || (kind == 3 && o.Region is null));

            var id = new CustomerId("D" + d.ToString("D8", CultureInfo.InvariantCulture));
            var copy = new Customer(id, CustomerKind.Person, o.DisplayName, t0) { Region = o.Region, CustomAttributes = o.CustomAttributes };
            copy = kind switch
            {
                0 => copy with { Emails = [o.Emails[0].Replace("@example.com", "@EXAMPLE.COM", StringComparison.Ordinal)], DisplayName = Respace(o.DisplayName) },
                1 => copy with { Phones = [FullWidth(o.Phones[0])] },
                2 => copy with { DisplayName = Typo(o.DisplayName, r) },
                _ => copy with { DisplayName = r.Next(2) == 0 ? FullWidth(o.DisplayName) : StripAccents(o.DisplayName) },
            };
            result[originals + d] = copy;
            planted[d] = (o.Id, id, kind);
        }

        return (result, planted);
    }

    /// <summary>A measured run: detection time, candidates and the recall of the planted pairs per kind.</summary>
    public static void RunRecall(int count, bool byRegion = true)
    {
        var (customers, planted) = Create(count);
        var detector = new DuplicateDetector(new DuplicateDetectionOptions { BlockByRegion = byRegion });
        detector.Find(customers.Take(20_000)); // warm-up (JIT), not measured
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var report = detector.Find(customers);
        var seconds = sw.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine("phases (cumulative s, wall/cpu): " + string.Join(", ", detector.LastPhases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Seconds:F2}/{p.CpuSeconds:F2}"))));
        var found = report.Candidates.Select(c => (c.A, c.B)).ToHashSet();
        var perKind = planted.GroupBy(p => p.Kind).OrderBy(g => g.Key)
            .Select(g => $"kind {g.Key}: {g.Count(p => found.Contains(p.A < p.B ? (p.A, p.B) : (p.B, p.A)))}/{g.Count()}");
        var exactNames = report.Candidates.Count(c => c.Evidence.Any(e => e.Kind == DuplicateEvidenceKind.SimilarNames && e.Weight == 1.0) && !c.HasExactKey);
        Console.WriteLine($"fuzzy candidates with equal folded names: {exactNames}; by block: {string.Join(", ", report.Candidates.Where(c => !c.HasExactKey).GroupBy(c => c.Evidence[^1].Kind).Select(g => $"{g.Key} {g.Count()}"))}");
        var hits = planted.Count(p => found.Contains(p.A < p.B ? (p.A, p.B) : (p.B, p.A)));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"dedupe {count} customers (region blocks {(byRegion ? "on" : "off")}), {planted.Length} planted: {seconds:F2} s (cpu {cpuSeconds:F2} s user+sys), {report.Candidates.Length} candidates, {report.Comparisons} comparisons, {report.WindowedBlocks} windowed blocks, recall {(double)hits / planted.Length:P2} ({string.Join(", ", perKind)}), peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB"));
    }

    /// <summary>Single-thread CPU cost of each preparation step over the base (to see where the prepare phase goes).</summary>
    public static void RunPrepareProfile(int count)
    {
        var (customers, _) = Create(count);
        void Time(string what, Func<Customer, int> step)
        {
            var sw = Stopwatch.StartNew();
            long sum = 0;
            foreach (var c in customers)
            {
                sum += step(c);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {sw.Elapsed.TotalMilliseconds:F0} ms ({sum})"));
        }

        for (var round = 0; round < 2; round++)
        {
            Time("fold name", c => NameFolding.Fold(c.DisplayName).Length);
            Time("fold region", c => NameFolding.Fold(c.Region).Length);
            Time("email parse", c => c.Emails.Sum(e => EmailAddress.Parse(e).TryGetValue(out var v) ? v.Value.Length : 0));
            Time("phone parse", c => c.Phones.Sum(e => PhoneNumber.Parse(e).TryGetValue(out var v) ? v.E164.Length : 0));
            Time("attribute lookups", c => (c.CustomAttributes.TryGetValue("external_id", out _) ? 1 : 0) + (c.CustomAttributes.TryGetValue("organisation", out _) ? 1 : 0));
        }

        var gc = GC.GetTotalPauseDuration();
        var sw2 = Stopwatch.StartNew();
        new DuplicateDetector().Find(customers);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Find {sw2.Elapsed.TotalSeconds:F2} s, GC pauses {(GC.GetTotalPauseDuration() - gc).TotalSeconds:F2} s, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
    }

    private static string Respace(string name) => name.Contains(' ', StringComparison.Ordinal) ? name.Replace(" ", "  ", StringComparison.Ordinal) : string.Join(' ', name.ToCharArray());

    private static string FullWidth(string text) => new([.. text.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c == ' ' ? '\u3000' : c)]);

    private static string StripAccents(string text) => new([.. text.Select(c => c switch { 'é' or 'è' or 'ë' => 'e', 'ü' => 'u', 'ö' or 'ø' => 'o', 'ç' => 'c', 'ê' => 'e', 'ł' or 'Ł' => 'l', 'ß' => 's', _ => c })]);

    private static string Typo(string name, Random r)
    {
        var letters = name.ToCharArray();
        if (letters.Length < 3)
        {
            return name + "x";
        }

        var i = 1 + r.Next(letters.Length - 1);
        return r.Next(2) == 0 ? name.Remove(i, 1) : name[..i] + (char)(name[i] == 'x' ? 'y' : 'x') + name[(i + 1)..];
    }
}
