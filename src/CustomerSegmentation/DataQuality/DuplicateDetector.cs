using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.DataQuality;

/// <summary>
/// Finds pairs of customer records that may be the same customer, with a score and evidence for each, without
/// comparing every record with every other.
/// </summary>
/// <remarks>
/// <para><b>Candidate keys (blocking).</b> Exact keys: each normalised email (<see cref="EmailAddress.Parse"/>), each phone
/// in E.164 (<see cref="PhoneNumber.Parse"/>), the external id and every key of a host rule. Records sharing an exact key
/// are always a candidate pair, whatever their names (unless more than <see cref="DuplicateDetectionOptions.MaxExactGroupSize"/>
/// records share it: then the key is reported in <see cref="DuplicateReport.SkippedKeys"/>). Fuzzy blocks: the same
/// organisation, the same region, the same phone prefix; within a block the folded names are compared, all pairs for a
/// block of at most <see cref="DuplicateDetectionOptions.MaxBlockSize"/> records, each record with its
/// <see cref="DuplicateDetectionOptions.WindowSize"/> next neighbours in folded-name order and again in reversed-name order
/// for a larger block. A folded name held by more than <see cref="DuplicateDetectionOptions.MaxNameRepeats"/> records of a
/// block is a common name there (张伟 in a province) and pairs no one by name alone. Region and phone-prefix blocks are
/// weak (a province holds millions): names within them must be at least <see cref="DuplicateDetectionOptions.WeakBlockThreshold"/> similar. So a
/// million records cost a few million comparisons, not 5·10¹¹.</para>
/// <para><b>Score.</b> With <c>s</c> the Jaro-Winkler similarity of the folded names (<see cref="NameFolding"/>,
/// <see cref="JaroWinkler"/>) and <c>k = 1 − Π(1 − wᵢ)</c> over the weights of the shared exact keys: a pair with a
/// shared key scores <c>k + (1 − k)·s</c> (a shared phone, 0.8, with names 0.93 similar gives 0.986; with unrelated
/// names 0.3 it gives 0.86); a pair with no shared key scores <c>s</c> and is kept only when <c>s ≥ threshold</c>.
/// So an exact key always outranks the same names without it, and similar names raise a shared key's score.</para>
/// <para><b>Determinism.</b> Records are processed in ordinal id order and every pair is scored with the lower id first,
/// so the result does not depend on the input order or on threads, and a pair appears once.</para>
/// </remarks>
/// <threadsafety>Immutable; <see cref="Find"/> may be called from several threads. It uses up to
/// <see cref="Environment.ProcessorCount"/> threads itself.</threadsafety>
public sealed class DuplicateDetector
{
    private const int FixedKinds = 3;

    /// <summary>Creates a detector.</summary>
    /// <param name="options">The options; <see cref="DuplicateDetectionOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="DataQualityConfigurationException">The options are invalid.</exception>
    public DuplicateDetector(DuplicateDetectionOptions? options = null)
    {
        Options = options ?? DuplicateDetectionOptions.Default;
        Options.Validate();
    }

    /// <summary>Gets the options.</summary>
    public DuplicateDetectionOptions Options { get; }

    /// <summary>Gets the cumulative seconds at the end of each phase of the last search (for the benchmark's measured run).</summary>
    internal IReadOnlyList<(string Phase, double Seconds)> LastPhases { get; private set; } = [];

    /// <summary>Searches records for duplicates.</summary>
    /// <param name="customers">The records; each id at most once.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The candidates, best first, and what the search did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is or holds <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An id appears twice.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled.</exception>
    public DuplicateReport Find(IEnumerable<Customer> customers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var records = customers.ToArray();
        foreach (var c in records)
        {
            ArgumentNullException.ThrowIfNull(c, nameof(customers));
        }

        Array.Sort(records, static (x, y) => x.Id.CompareTo(y.Id));
        for (var i = 1; i < records.Length; i++)
        {
            if (records[i].Id == records[i - 1].Id)
            {
                throw new ArgumentException($"The customer id '{records[i].Id}' appears more than once.", nameof(customers));
            }
        }

        var phase = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<(string, double)>();
        var prepared = new Prepared[records.Length];
        var unusable = new ConcurrentBag<string>();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, records.Length, parallel, i => prepared[i] = Prepare(records[i], unusable));

        phases.Add(("prepare", phase.Elapsed.TotalSeconds));
        var rules = Options.Rules;
        var kinds = FixedKinds + rules.Length;
        var exactGroups = new List<int[]>[kinds];
        var skipped = new ConcurrentBag<SkippedKey>();
        var fuzzyGroups = new List<int[]>[3];
        Parallel.For(0, kinds + 3, parallel, k =>
        {
            if (k < kinds)
            {
                exactGroups[k] = Group(prepared, p => ExactKeys(p, k), Options.MaxExactGroupSize, (value, n) =>
                    skipped.Add(new SkippedKey(k < FixedKinds ? (DuplicateEvidenceKind)k : DuplicateEvidenceKind.HostRule, value, n, Options.MaxExactGroupSize)));
            }
            else
            {
                var f = k - kinds;
                fuzzyGroups[f] = Group(prepared, p => FuzzyKey(p, f), int.MaxValue, null);
            }
        });

        phases.Add(("group", phase.Elapsed.TotalSeconds));
        var pairs = new List<long>();
        foreach (var groups in exactGroups)
        {
            foreach (var g in groups)
            {
                for (var x = 0; x < g.Length; x++)
                {
                    for (var y = x + 1; y < g.Length; y++)
                    {
                        pairs.Add(Pair(g[x], g[y]));
                    }
                }
            }
        }

        long comparisons = 0;
        var windowed = 0;
        long commonSkipped = 0;
        var blocks = fuzzyGroups.SelectMany((g, kind) => g.Select(members => (Members: members, Weak: kind > 0))).ToArray();
        var found = new ConcurrentBag<List<long>>();
        Parallel.ForEach(
            Partitioner.Create(0, Math.Max(1, blocks.Length), Math.Max(1, blocks.Length / (Environment.ProcessorCount * 8))),
            parallel,
            () => (List: new List<long>(), Comparisons: 0L, Windowed: 0, Common: 0L),
            (range, _, local) =>
            {
                for (var b = range.Item1; b < Math.Min(range.Item2, blocks.Length); b++)
                {
                    local.Comparisons += CompareBlock(prepared, blocks[b].Members, blocks[b].Weak ? Math.Max(Options.Threshold, Options.WeakBlockThreshold) : Options.Threshold, local.List, ref local.Windowed, ref local.Common);
                }

                return local;
            },
            local =>
            {
                found.Add(local.List);
                Interlocked.Add(ref comparisons, local.Comparisons);
                Interlocked.Add(ref windowed, local.Windowed);
                Interlocked.Add(ref commonSkipped, local.Common);
            });

        phases.Add(("compare", phase.Elapsed.TotalSeconds));
        foreach (var list in found)
        {
            pairs.AddRange(list);
        }

        var span = CollectionsMarshal.AsSpan(pairs);
        span.Sort();
        var unique = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (i == 0 || span[i] != span[i - 1])
            {
                span[unique++] = span[i];
            }
        }

        var scored = new DuplicateCandidate?[unique];
        var pairArray = span[..unique].ToArray();
        Parallel.For(0, unique, parallel, i =>
        {
            var a = (int)(pairArray[i] >> 32);
            var b = (int)(pairArray[i] & 0xFFFFFFFF);
            scored[i] = Score(records, prepared, a, b);
        });

        phases.Add(("score", phase.Elapsed.TotalSeconds));
        var candidates = scored.Where(c => c is not null).Select(c => c!).ToArray();
        Array.Sort(candidates, static (x, y) =>
        {
            var s = y.Score.CompareTo(x.Score);
            if (s != 0)
            {
                return s;
            }

            var a = x.A.CompareTo(y.A);
            return a != 0 ? a : x.B.CompareTo(y.B);
        });

        phases.Add(("sort", phase.Elapsed.TotalSeconds));
        LastPhases = phases;
        return new DuplicateReport
        {
            Candidates = [.. candidates],
            Customers = records.Length,
            Comparisons = comparisons,
            WindowedBlocks = windowed,
            CommonNamePairsSkipped = commonSkipped,
            SkippedKeys = [.. skipped.OrderBy(s => s.Kind).ThenBy(s => s.Value, StringComparer.Ordinal)],
            UnusableContacts = [.. unusable.Order(StringComparer.Ordinal)],
        };
    }

    private static long Pair(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    private static List<int[]> Group(Prepared[] prepared, Func<Prepared, IEnumerable<string>> keysOf, int maxSize, Action<string, int>? onTooLarge)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new List<int>();
        var keys = new List<string>();
        var entryGroup = new List<int>(prepared.Length);
        var entryRecord = new List<int>(prepared.Length);
        for (var i = 0; i < prepared.Length; i++)
        {
            foreach (var key in keysOf(prepared[i]))
            {
                ref var g = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, key, out var exists);
                if (!exists)
                {
                    g = counts.Count;
                    counts.Add(0);
                    keys.Add(key);
                }

                counts[g]++;
                entryGroup.Add(g);
                entryRecord.Add(i);
            }
        }

        var slot = new int[counts.Count];
        var members = new int[counts.Count][];
        for (var g = 0; g < counts.Count; g++)
        {
            var n = counts[g];
            if (n < 2)
            {
                continue;
            }

            if (n > maxSize)
            {
                onTooLarge?.Invoke(keys[g], n);
                continue;
            }

            members[g] = new int[n];
        }

        for (var e = 0; e < entryGroup.Count; e++)
        {
            var g = entryGroup[e];
            if (members[g] is { } m)
            {
                m[slot[g]++] = entryRecord[e];
            }
        }

        return [.. members.Where(m => m is not null)];
    }

    private static IEnumerable<string> ExactKeys(Prepared p, int kind) => kind switch
    {
        0 => p.Emails,
        1 => p.Phones,
        2 => p.ExternalId.Length == 0 ? [] : [p.ExternalId],
        _ => p.HostKeys[kind - FixedKinds],
    };

    private static IEnumerable<string> FuzzyKey(Prepared p, int kind)
    {
        if (p.Name.Length == 0)
        {
            return [];
        }

        return kind switch
        {
            0 => p.Organisation.Length == 0 ? [] : [p.Organisation],
            1 => p.Region.Length == 0 ? [] : [p.Region],
            _ => p.PhonePrefixes,
        };
    }

    private long CompareBlock(Prepared[] prepared, int[] block, double threshold, List<long> output, ref int windowed, ref long commonSkipped)
    {
        var maxRepeats = Options.MaxNameRepeats;
        long comparisons = 0;
        long skippedHere = 0;
        var sorted = (int[])block.Clone();
        Array.Sort(sorted, (i, j) =>
        {
            var c = string.CompareOrdinal(prepared[i].Name, prepared[j].Name);
            return c != 0 ? c : i.CompareTo(j);
        });

        // Equal names sort next to each other: a run longer than MaxNameRepeats is a common name in this block.
        HashSet<int>? common = null;
        for (var x = 0; x < sorted.Length;)
        {
            var y = x + 1;
            while (y < sorted.Length && prepared[sorted[y]].Name == prepared[sorted[x]].Name)
            {
                y++;
            }

            if (y - x > maxRepeats)
            {
                common ??= [];
                for (var k = x; k < y; k++)
                {
                    common.Add(sorted[k]);
                }
            }

            x = y;
        }

        void Compare(int a, int b)
        {
            if (common is not null && (common.Contains(a) || common.Contains(b)))
            {
                skippedHere++;
                return;
            }

            comparisons++;

            // Score in id order so the similarity does not depend on the sort.
            var s = a < b ? JaroWinkler.Similarity(prepared[a].Name, prepared[b].Name) : JaroWinkler.Similarity(prepared[b].Name, prepared[a].Name);
            if (s >= threshold)
            {
                output.Add(Pair(a, b));
            }
        }

        if (block.Length <= Options.MaxBlockSize)
        {
            for (var x = 0; x < sorted.Length; x++)
            {
                for (var y = x + 1; y < sorted.Length; y++)
                {
                    Compare(sorted[x], sorted[y]);
                }
            }

            commonSkipped += skippedHere;
            return comparisons;
        }

        // Sorted-neighbourhood method, two passes: by folded name and by the name read backwards, so a typo near the
        // start of a name still meets its original in the second pass.
        windowed++;
        var w = Options.WindowSize;
        for (var pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                Array.Sort(sorted, (i, j) =>
                {
                    var c = string.CompareOrdinal(prepared[i].ReversedName, prepared[j].ReversedName);
                    return c != 0 ? c : i.CompareTo(j);
                });
            }

            for (var x = 0; x < sorted.Length; x++)
            {
                var end = Math.Min(sorted.Length, x + 1 + w);
                for (var y = x + 1; y < end; y++)
                {
                    Compare(sorted[x], sorted[y]);
                }
            }
        }

        commonSkipped += skippedHere;
        return comparisons;
    }

    private DuplicateCandidate? Score(Customer[] records, Prepared[] prepared, int a, int b)
    {
        var pa = prepared[a];
        var pb = prepared[b];
        var evidence = ImmutableArray.CreateBuilder<DuplicateEvidence>();
        foreach (var e in pa.Emails)
        {
            if (Array.IndexOf(pb.Emails, e) >= 0)
            {
                evidence.Add(new(DuplicateEvidenceKind.SameEmail, "email", e, Options.EmailWeight));
            }
        }

        foreach (var e in pa.Phones)
        {
            if (Array.IndexOf(pb.Phones, e) >= 0)
            {
                evidence.Add(new(DuplicateEvidenceKind.SamePhone, "phone", e, Options.PhoneWeight));
            }
        }

        if (pa.ExternalId.Length > 0 && pa.ExternalId == pb.ExternalId)
        {
            evidence.Add(new(DuplicateEvidenceKind.SameExternalId, "external id", pa.ExternalId, Options.ExternalIdWeight));
        }

        for (var r = 0; r < Options.Rules.Length; r++)
        {
            if (pa.HostKeys[r].Intersect(pb.HostKeys[r], StringComparer.Ordinal).Any()
                && Options.Rules[r].Compare(records[a], records[b]) is { } hostEvidence)
            {
                evidence.Add(hostEvidence);
            }
        }

        var s = pa.Name.Length > 0 && pb.Name.Length > 0 ? JaroWinkler.Similarity(pa.Name, pb.Name) : 0.0;
        double score;
        if (evidence.Count > 0)
        {
            var miss = 1.0;
            foreach (var e in evidence)
            {
                miss *= 1.0 - Math.Clamp(e.Weight, 0.0, 1.0);
            }

            var k = 1.0 - miss;
            score = k + ((1.0 - k) * s);
            evidence.Add(new(DuplicateEvidenceKind.SimilarNames, "names", string.Empty, s));
        }
        else
        {
            if (s < Options.Threshold)
            {
                return null;
            }

            score = s;
            evidence.Add(new(DuplicateEvidenceKind.SimilarNames, "names", string.Empty, s));
            if (pa.Organisation.Length > 0 && pa.Organisation == pb.Organisation)
            {
                evidence.Add(new(DuplicateEvidenceKind.SameOrganisation, "organisation", OrganisationOf(records[a]), 0));
            }
            else if (s < Options.WeakBlockThreshold)
            {
                return null;
            }
            else if (Options.BlockByRegion && pa.Region.Length > 0 && pa.Region == pb.Region)
            {
                evidence.Add(new(DuplicateEvidenceKind.SameRegion, "region", records[a].Region ?? string.Empty, 0));
            }
            else if (pa.PhonePrefixes.Intersect(pb.PhonePrefixes, StringComparer.Ordinal).FirstOrDefault() is { } prefix)
            {
                evidence.Add(new(DuplicateEvidenceKind.SamePhonePrefix, "phone prefix", prefix, 0));
            }
            else
            {
                return null;
            }
        }

        return new DuplicateCandidate(records[a].Id, records[b].Id, Math.Clamp(score, 0.0, 1.0), evidence.ToImmutable());
    }

    private string OrganisationOf(Customer c) =>
        c.CustomAttributes.TryGetValue(Options.OrganisationAttribute, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

    private Prepared Prepare(Customer c, ConcurrentBag<string> unusable)
    {
        var name = NameFolding.Fold(c.DisplayName);
        if (Options.NameTransliterator is { } t && name.Length > 0)
        {
            name = NameFolding.Fold(t(name) ?? name);
        }

        var emails = new List<string>(c.Emails.Length);
        foreach (var text in c.Emails)
        {
            var parsed = EmailAddress.Parse(text);
            if (parsed.TryGetValue(out var email))
            {
                if (!emails.Contains(email.Value))
                {
                    emails.Add(email.Value);
                }
            }
            else
            {
                unusable.Add($"{c.Id}: email '{text}': {parsed.Error}");
            }
        }

        var phones = new List<string>(c.Phones.Length);
        var prefixes = new List<string>(c.Phones.Length);
        foreach (var text in c.Phones)
        {
            var parsed = PhoneNumber.Parse(text, Options.DefaultPhoneRegion);
            if (parsed.TryGetValue(out var phone))
            {
                if (!phones.Contains(phone.E164))
                {
                    phones.Add(phone.E164);
                    var drop = Options.PhonePrefixDropDigits;
                    if (drop > 0 && phone.E164.Length - drop >= 6)
                    {
                        var prefix = phone.E164[..^drop];
                        if (!prefixes.Contains(prefix))
                        {
                            prefixes.Add(prefix);
                        }
                    }
                }
            }
            else
            {
                unusable.Add($"{c.Id}: phone '{text}': {parsed.Error}");
            }
        }

        var hostKeys = new string[Options.Rules.Length][];
        for (var r = 0; r < hostKeys.Length; r++)
        {
            hostKeys[r] = [.. Options.Rules[r].KeysOf(c).Where(k => !string.IsNullOrEmpty(k)).Distinct(StringComparer.Ordinal)];
        }

        return new Prepared(
            name,
            string.Create(name.Length, name, static (span, n) =>
            {
                n.AsSpan().CopyTo(span);
                span.Reverse();
            }),
            [.. emails],
            [.. phones],
            [.. prefixes],
            AttributeKey(c, Options.ExternalIdAttribute),
            c.Kind == CustomerKind.Organisation ? string.Empty : AttributeKey(c, Options.OrganisationAttribute),
            Options.BlockByRegion ? NameFolding.Fold(c.Region) : string.Empty,
            hostKeys);
    }

    private static string AttributeKey(Customer c, string attribute) =>
        attribute.Length > 0 && c.CustomAttributes.TryGetValue(attribute, out var v) && v is not null
            ? NameFolding.Fold(Convert.ToString(v, CultureInfo.InvariantCulture))
            : string.Empty;

    private sealed record Prepared(
        string Name,
        string ReversedName,
        string[] Emails,
        string[] Phones,
        string[] PhonePrefixes,
        string ExternalId,
        string Organisation,
        string Region,
        string[][] HostKeys);
}
