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

    private static readonly string[][] NoHostKeys = [];

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
    internal IReadOnlyList<(string Phase, double Seconds, double CpuSeconds)> LastPhases { get; private set; } = [];

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
        var ids = new string[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(records[i], nameof(customers));
            ids[i] = records[i].Id.Value;
        }

        // Ordinal id order (CustomerId.CompareTo is ordinal): record indexes then compare like ids.
        var inOrder = true;
        for (var i = 1; i < ids.Length && inOrder; i++)
        {
            inOrder = string.CompareOrdinal(ids[i - 1], ids[i]) < 0;
        }

        if (!inOrder)
        {
            Array.Sort(ids, records, StringComparer.Ordinal);
        }

        for (var i = 1; i < records.Length; i++)
        {
            if (string.Equals(ids[i], ids[i - 1], StringComparison.Ordinal))
            {
                throw new ArgumentException($"The customer id '{ids[i]}' appears more than once.", nameof(customers));
            }
        }

        var phase = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<(string, double, double)>();
        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        void Mark(string name) => phases.Add((name, phase.Elapsed.TotalSeconds, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds));
        var prepared = new Prepared[records.Length];
        var unusable = new ConcurrentBag<string>();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        var folded = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        Parallel.For(0, records.Length, parallel, i => prepared[i] = Prepare(records[i], unusable, folded));

        Mark("prepare");
        var rules = Options.Rules;
        var kinds = FixedKinds + rules.Length;
        var exactGroups = new Groups[kinds];
        var skipped = new ConcurrentBag<SkippedKey>();
        var fuzzyGroups = new Groups[3];
        Names names = default;

        // Every key kind is grouped on its own, and the name ranks are built beside them.
        Parallel.For(0, kinds + 4, parallel, k =>
        {
            if (k < kinds)
            {
                exactGroups[k] = Group(prepared, k, exact: true, Options.MaxExactGroupSize, (value, n) =>
                    skipped.Add(new SkippedKey(k < FixedKinds ? (DuplicateEvidenceKind)k : DuplicateEvidenceKind.HostRule, value, n, Options.MaxExactGroupSize)));
            }
            else if (k < kinds + 3)
            {
                fuzzyGroups[k - kinds] = Group(prepared, k - kinds, exact: false, int.MaxValue, null);
            }
            else
            {
                names = RankNames(prepared);
            }
        });

        Mark("group");
        var pairs = new List<long>();
        foreach (var groups in exactGroups)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var members = groups.Block(g);
                for (var x = 0; x < members.Length; x++)
                {
                    for (var y = x + 1; y < members.Length; y++)
                    {
                        pairs.Add(Pair(members[x], members[y]));
                    }
                }
            }
        }

        long comparisons = 0;
        var windowed = 0;
        long commonSkipped = 0;
        var blocks = new List<(int Kind, int Group)>();
        for (var kind = 0; kind < fuzzyGroups.Length; kind++)
        {
            for (var g = 0; g < fuzzyGroups[kind].Count; g++)
            {
                blocks.Add((kind, g));
            }
        }

        // The largest blocks first so that the two threads finish together.
        blocks.Sort((x, y) =>
        {
            var c = fuzzyGroups[y.Kind].Size(y.Group).CompareTo(fuzzyGroups[x.Kind].Size(x.Group));
            return c != 0 ? c : x.CompareTo(y);
        });
        var found = new ConcurrentBag<List<long>>();
        var next = -1;
        Parallel.For(
            0,
            Environment.ProcessorCount,
            parallel,
            () => new BlockScratch(),
            (_, state, scratch) =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < blocks.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (kind, g) = blocks[b];
                    var threshold = kind > 0 ? Math.Max(Options.Threshold, Options.WeakBlockThreshold) : Options.Threshold;
                    CompareBlock(names, fuzzyGroups[kind].Block(g), threshold, scratch);
                }

                return scratch;
            },
            scratch =>
            {
                found.Add(scratch.Output);
                Interlocked.Add(ref comparisons, scratch.Comparisons);
                Interlocked.Add(ref windowed, scratch.Windowed);
                Interlocked.Add(ref commonSkipped, scratch.CommonSkipped);
                scratch.Return();
            });

        Mark("compare");
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
            scored[i] = Score(records, prepared, names, a, b);
        });

        Mark("score");

        // The pairs are in (a, b) index order, which is ordinal id order: sorting by score, then by that position,
        // gives best first, then A, then B.
        var order = new List<(double Score, int Position)>(unique);
        for (var i = 0; i < scored.Length; i++)
        {
            if (scored[i] is { } c)
            {
                order.Add((c.Score, i));
            }
        }

        CollectionsMarshal.AsSpan(order).Sort(static (x, y) =>
        {
            var s = y.Score.CompareTo(x.Score);
            return s != 0 ? s : x.Position.CompareTo(y.Position);
        });
        var candidates = ImmutableArray.CreateBuilder<DuplicateCandidate>(order.Count);
        foreach (var (_, position) in order)
        {
            candidates.Add(scored[position]!);
        }

        Mark("sort");
        LastPhases = phases;
        return new DuplicateReport
        {
            Candidates = candidates.MoveToImmutable(),
            Customers = records.Length,
            Comparisons = comparisons,
            WindowedBlocks = windowed,
            CommonNamePairsSkipped = commonSkipped,
            SkippedKeys = [.. skipped.OrderBy(s => s.Kind).ThenBy(s => s.Value, StringComparer.Ordinal)],
            UnusableContacts = [.. unusable.Order(StringComparer.Ordinal)],
        };
    }

    private static long Pair(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    private static int KeyCount(in Prepared p, int kind, bool exact)
    {
        if (exact)
        {
            return kind switch
            {
                0 => p.Emails.Length,
                1 => p.Phones.Length,
                2 => p.ExternalId.Length == 0 ? 0 : 1,
                _ => p.HostKeys[kind - FixedKinds].Length,
            };
        }

        if (p.Name.Length == 0)
        {
            return 0;
        }

        return kind switch
        {
            0 => p.Organisation.Length == 0 ? 0 : 1,
            1 => p.Region.Length == 0 ? 0 : 1,
            _ => p.PhonePrefixes.Length,
        };
    }

    private static string Key(in Prepared p, int kind, bool exact, int j) => exact
        ? kind switch
        {
            0 => p.Emails[j],
            1 => p.Phones[j],
            2 => p.ExternalId,
            _ => p.HostKeys[kind - FixedKinds][j],
        }
        : kind switch
        {
            0 => p.Organisation,
            1 => p.Region,
            _ => p.PhonePrefixes[j],
        };

    /// <summary>Groups the records by one kind of key into blocks of at least two (at most <paramref name="maxSize"/>), stored flat.</summary>
    private static Groups Group(Prepared[] prepared, int kind, bool exact, int maxSize, Action<string, int>? onTooLarge)
    {
        var entries = 0;
        for (var i = 0; i < prepared.Length; i++)
        {
            entries += KeyCount(prepared[i], kind, exact);
        }

        // Exact keys are mostly distinct (one email per record): sized for all of them, no rehashing. Fuzzy keys repeat.
        var ids = new Dictionary<string, int>(exact ? entries : Math.Min(entries, 1 << 16), StringComparer.Ordinal);
        var counts = new List<int>();
        var keys = new List<string>();
        var entryGroup = new int[entries];
        var entryRecord = new int[entries];
        var e = 0;
        for (var i = 0; i < prepared.Length; i++)
        {
            var n = KeyCount(prepared[i], kind, exact);
            for (var j = 0; j < n; j++)
            {
                var key = Key(prepared[i], kind, exact, j);
                ref var g = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, key, out var exists);
                if (!exists)
                {
                    g = counts.Count;
                    counts.Add(0);
                    keys.Add(key);
                }

                counts[g]++;
                entryGroup[e] = g;
                entryRecord[e++] = i;
            }
        }

        // Kept groups get consecutive slices of one array, in the order their keys first appeared (record order).
        var start = new int[counts.Count];
        var offsets = new List<int> { 0 };
        var total = 0;
        for (var g = 0; g < counts.Count; g++)
        {
            var n = counts[g];
            start[g] = -1;
            if (n < 2)
            {
                continue;
            }

            if (n > maxSize)
            {
                onTooLarge?.Invoke(keys[g], n);
                continue;
            }

            start[g] = total;
            total += n;
            offsets.Add(total);
        }

        var members = new int[total];
        for (var x = 0; x < entries; x++)
        {
            var g = entryGroup[x];
            if (start[g] >= 0)
            {
                members[start[g]++] = entryRecord[x];
            }
        }

        return new Groups([.. offsets], members);
    }

    /// <summary>Gives every distinct folded name a rank in ordinal order, and in the order of the name read backwards.</summary>
    private static Names RankNames(Prepared[] prepared)
    {
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<string>();
        var nameId = new int[prepared.Length];
        for (var i = 0; i < prepared.Length; i++)
        {
            var name = prepared[i].Name;
            if (name.Length == 0)
            {
                nameId[i] = -1;
                continue;
            }

            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(distinct, name, out var exists);
            if (!exists)
            {
                id = unique.Count;
                unique.Add(name);
            }

            nameId[i] = id;
        }

        var rankOf = new int[unique.Count];
        var reversedRankOf = new int[unique.Count];
        void Rank(bool reversed, int[] into)
        {
            var keys = new string[unique.Count];
            var index = new int[unique.Count];
            for (var u = 0; u < keys.Length; u++)
            {
                keys[u] = reversed ? Reverse(unique[u]) : unique[u];
                index[u] = u;
            }

            Array.Sort(keys, index, StringComparer.Ordinal);
            for (var r = 0; r < index.Length; r++)
            {
                into[index[r]] = r;
            }
        }

        Parallel.Invoke(() => Rank(false, rankOf), () => Rank(true, reversedRankOf));
        var text = new string[prepared.Length];
        var rank = new int[prepared.Length];
        var reversedRank = new int[prepared.Length];
        for (var i = 0; i < prepared.Length; i++)
        {
            var id = nameId[i];
            text[i] = id < 0 ? string.Empty : unique[id];
            rank[i] = id < 0 ? -1 : rankOf[id];
            reversedRank[i] = id < 0 ? -1 : reversedRankOf[id];
        }

        return new Names(text, rank, reversedRank);
    }

    private static string Reverse(string s) => string.Create(s.Length, s, static (span, n) =>
    {
        n.AsSpan().CopyTo(span);
        span.Reverse();
    });

    private void CompareBlock(Names names, ReadOnlySpan<int> block, double threshold, BlockScratch scratch)
    {
        var maxRepeats = Options.MaxNameRepeats;
        var n = block.Length;
        var keys = scratch.Keys(n);
        var common = scratch.Common(n);
        var sorted = scratch.Sorted(n);
        var ranks = scratch.Ranks(n);
        var starts = scratch.Starts(n + 1);

        // Sorted by folded name, then by record (= id) order; equal names have equal ranks, so no string is compared.
        for (var x = 0; x < n; x++)
        {
            keys[x] = ((long)names.Rank[block[x]] << 32) | (uint)block[x];
        }

        keys.Sort();

        // The block's records, ranks and names (copied into one buffer) side by side in sorted order: the comparisons
        // below read only these, not strings spread over the heap.
        var chars = 0;
        for (var x = 0; x < n; x++)
        {
            var record = unchecked((int)keys[x]);
            sorted[x] = record;
            ranks[x] = (int)(keys[x] >> 32);
            starts[x] = chars;
            chars += names.Text[record].Length;
        }

        starts[n] = chars;
        var text = scratch.Chars(chars);
        for (var x = 0; x < n; x++)
        {
            names.Text[sorted[x]].CopyTo(text[starts[x]..]);
        }

        // Equal names sort next to each other: a run longer than MaxNameRepeats is a common name in this block.
        for (var x = 0; x < n;)
        {
            var y = x + 1;
            while (y < n && ranks[y] == ranks[x])
            {
                y++;
            }

            common[x..y].Fill(y - x > maxRepeats);
            x = y;
        }

        var view = new SortedBlock(sorted, ranks, starts, text, common);
        if (n <= Options.MaxBlockSize)
        {
            for (var x = 0; x < n; x++)
            {
                for (var y = x + 1; y < n; y++)
                {
                    Compare(view, x, y, threshold, scratch);
                }
            }

            return;
        }

        // Sorted-neighbourhood method, two passes: by folded name and by the name read backwards, so a typo near the
        // start of a name still meets its original in the second pass.
        scratch.Windowed++;
        var w = Options.WindowSize;
        for (var x = 0; x < n; x++)
        {
            var end = Math.Min(n, x + 1 + w);
            for (var y = x + 1; y < end; y++)
            {
                Compare(view, x, y, threshold, scratch);
            }
        }

        // Second order: equal reversed names are equal names, already in record order in the first pass, so the
        // position in the first pass breaks ties like the record index.
        for (var x = 0; x < n; x++)
        {
            keys[x] = ((long)names.ReversedRank[sorted[x]] << 32) | (uint)x;
        }

        keys.Sort();
        for (var x = 0; x < n; x++)
        {
            var px = unchecked((int)keys[x]);
            var end = Math.Min(n, x + 1 + w);
            for (var y = x + 1; y < end; y++)
            {
                Compare(view, px, unchecked((int)keys[y]), threshold, scratch);
            }
        }
    }

    /// <summary>Compares the names at two positions of a sorted block.</summary>
    private static void Compare(in SortedBlock block, int x, int y, double threshold, BlockScratch scratch)
    {
        if (block.Common[x] || block.Common[y])
        {
            scratch.CommonSkipped++;
            return;
        }

        scratch.Comparisons++;
        var a = block.Records[x];
        var b = block.Records[y];
        if (block.Ranks[x] == block.Ranks[y])
        {
            scratch.Output.Add(Pair(a, b));
            return;
        }

        // Score in id order so the similarity does not depend on the sort.
        var s = block.Name(a < b ? x : y);
        var t = block.Name(a < b ? y : x);
        if (JaroWinkler.CanReach(s, t, threshold) && JaroWinkler.Similarity(s, t) >= threshold)
        {
            scratch.Output.Add(Pair(a, b));
        }
    }

    private DuplicateCandidate? Score(Customer[] records, Prepared[] prepared, Names names, int a, int b)
    {
        ref readonly var pa = ref prepared[a];
        ref readonly var pb = ref prepared[b];
        var evidence = ImmutableArray.CreateBuilder<DuplicateEvidence>(4);
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
            if (FirstShared(pa.HostKeys[r], pb.HostKeys[r]) is not null
                && Options.Rules[r].Compare(records[a], records[b]) is { } hostEvidence)
            {
                evidence.Add(hostEvidence);
            }
        }

        var s = pa.Name.Length == 0 || pb.Name.Length == 0 ? 0.0 : names.Rank[a] == names.Rank[b] ? 1.0 : JaroWinkler.Similarity(names.Text[a], names.Text[b]);
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
            else if (FirstShared(pa.PhonePrefixes, pb.PhonePrefixes) is { } prefix)
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

    private static string? FirstShared(string[] a, string[] b)
    {
        foreach (var x in a)
        {
            if (Array.IndexOf(b, x) >= 0)
            {
                return x;
            }
        }

        return null;
    }

    private string OrganisationOf(Customer c) =>
        c.CustomAttributes.TryGetValue(Options.OrganisationAttribute, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

    private Prepared Prepare(Customer c, ConcurrentBag<string> unusable, ConcurrentDictionary<string, string> folded)
    {
        var name = NameFolding.Fold(c.DisplayName);
        if (Options.NameTransliterator is { } t && name.Length > 0)
        {
            name = NameFolding.Fold(t(name) ?? name);
        }

        // Most records hold zero or one email and phone: arrays of that size, no lists.
        string[] emails = [];
        foreach (var text in c.Emails)
        {
            var parsed = EmailAddress.Parse(text);
            if (parsed.TryGetValue(out var email))
            {
                if (Array.IndexOf(emails, email.Value) < 0)
                {
                    emails = [.. emails, email.Value];
                }
            }
            else
            {
                unusable.Add($"{c.Id}: email '{text}': {parsed.Error}");
            }
        }

        string[] phones = [];
        string[] prefixes = [];
        foreach (var text in c.Phones)
        {
            var parsed = PhoneNumber.Parse(text, Options.DefaultPhoneRegion);
            if (parsed.TryGetValue(out var phone))
            {
                if (Array.IndexOf(phones, phone.E164) < 0)
                {
                    phones = [.. phones, phone.E164];
                    var drop = Options.PhonePrefixDropDigits;
                    if (drop > 0 && phone.E164.Length - drop >= 6)
                    {
                        var prefix = phone.E164[..^drop];
                        if (Array.IndexOf(prefixes, prefix) < 0)
                        {
                            prefixes = [.. prefixes, prefix];
                        }
                    }
                }
            }
            else
            {
                unusable.Add($"{c.Id}: phone '{text}': {parsed.Error}");
            }
        }

        var hostKeys = Options.Rules.Length == 0 ? NoHostKeys : new string[Options.Rules.Length][];
        for (var r = 0; r < hostKeys.Length; r++)
        {
            hostKeys[r] = [.. Options.Rules[r].KeysOf(c).Where(k => !string.IsNullOrEmpty(k)).Distinct(StringComparer.Ordinal)];
        }

        return new Prepared(
            name,
            emails,
            phones,
            prefixes,
            AttributeKey(c, Options.ExternalIdAttribute, null),
            c.Kind == CustomerKind.Organisation ? string.Empty : AttributeKey(c, Options.OrganisationAttribute, folded),
            Options.BlockByRegion ? FoldShared(c.Region, folded) : string.Empty,
            hostKeys);
    }

    // Regions and organisations repeat across many records: each distinct text is folded once per search.
    private static string FoldShared(string? text, ConcurrentDictionary<string, string> folded) =>
        string.IsNullOrEmpty(text) ? string.Empty : folded.GetOrAdd(text, static t => NameFolding.Fold(t));

    private static string AttributeKey(Customer c, string attribute, ConcurrentDictionary<string, string>? folded)
    {
        if (attribute.Length == 0 || c.CustomAttributes.IsEmpty || !c.CustomAttributes.TryGetValue(attribute, out var v) || v is null)
        {
            return string.Empty;
        }

        var text = Convert.ToString(v, CultureInfo.InvariantCulture);
        return folded is null ? NameFolding.Fold(text) : FoldShared(text, folded);
    }

    private readonly record struct Prepared(
        string Name,
        string[] Emails,
        string[] Phones,
        string[] PhonePrefixes,
        string ExternalId,
        string Organisation,
        string Region,
        string[][] HostKeys);

    /// <summary>The folded names by record: one string per distinct name, its rank in ordinal order and in reversed order.</summary>
    private readonly record struct Names(string[] Text, int[] Rank, int[] ReversedRank);

    /// <summary>Blocks of one key kind: block <c>g</c> is <c>Members[Offsets[g]..Offsets[g + 1]]</c>.</summary>
    private sealed record Groups(int[] Offsets, int[] Members)
    {
        public int Count => Offsets.Length - 1;

        public int Size(int g) => Offsets[g + 1] - Offsets[g];

        public ReadOnlySpan<int> Block(int g) => Members.AsSpan(Offsets[g], Size(g));
    }

    /// <summary>A block in folded-name order: record indexes, name ranks, names and common-name flags by position.</summary>
    private readonly ref struct SortedBlock(Span<int> records, Span<int> ranks, Span<int> starts, Span<char> text, Span<bool> common)
    {
        public readonly ReadOnlySpan<int> Records = records;
        public readonly ReadOnlySpan<int> Ranks = ranks;
        public readonly ReadOnlySpan<bool> Common = common;
        private readonly ReadOnlySpan<int> _starts = starts;
        private readonly ReadOnlySpan<char> _text = text;

        public ReadOnlySpan<char> Name(int x) => _text[_starts[x].._starts[x + 1]];
    }

    /// <summary>One thread's buffers (pooled, reused from block to block) and counts.</summary>
    private sealed class BlockScratch
    {
        private long[] _keys = [];
        private bool[] _common = [];
        private int[] _sorted = [];
        private int[] _ranks = [];
        private int[] _starts = [];
        private char[] _chars = [];

        public List<long> Output { get; } = [];

        public long Comparisons { get; set; }

        public int Windowed { get; set; }

        public long CommonSkipped { get; set; }

        public Span<long> Keys(int n) => Rent(ref _keys, n).AsSpan(0, n);

        public Span<bool> Common(int n) => Rent(ref _common, n).AsSpan(0, n);

        public Span<int> Sorted(int n) => Rent(ref _sorted, n).AsSpan(0, n);

        public Span<int> Ranks(int n) => Rent(ref _ranks, n).AsSpan(0, n);

        public Span<int> Starts(int n) => Rent(ref _starts, n).AsSpan(0, n);

        public Span<char> Chars(int n) => Rent(ref _chars, n).AsSpan(0, n);

        public void Return()
        {
            Give(ref _keys);
            Give(ref _common);
            Give(ref _sorted);
            Give(ref _ranks);
            Give(ref _starts);
            Give(ref _chars);
        }

        private static T[] Rent<T>(ref T[] array, int n)
        {
            if (array.Length < n)
            {
                Give(ref array);
                array = System.Buffers.ArrayPool<T>.Shared.Rent(n);
            }

            return array;
        }

        private static void Give<T>(ref T[] array)
        {
            if (array.Length > 0)
            {
                System.Buffers.ArrayPool<T>.Shared.Return(array);
            }

            array = [];
        }
    }
}
