using System.Collections.Immutable;
using System.Text.Json;
using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Scoring;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tiers;
using LifecycleMove = CustomerSegmentation.Lifecycle.LifecycleMove;
using LifecycleTrigger = CustomerSegmentation.Lifecycle.LifecycleTrigger;
using TagAssignment = CustomerSegmentation.Tags.TagAssignment;
using TagSource = CustomerSegmentation.Tags.TagSource;
using CustomerSegmentation.ValueModels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;

namespace CustomerSegmentation.Tests.Privacy;

public class ErasureTests
{
    private static readonly Instant Now = PrivacyGenerators.AsOf;
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly Instant Start = Instant.FromUtc(2025, 1, 1, 0, 0);

    private sealed record World(InMemoryCustomerStore Customers, InMemoryActivityStore Activity, InMemoryTombstoneStore Tombstones, InMemoryAuditSink Audit, CustomerEraser Eraser);

    private static World NewWorld()
    {
        var customers = new InMemoryCustomerStore();
        var activity = new InMemoryActivityStore();
        var tombstones = new InMemoryTombstoneStore();
        var audit = new InMemoryAuditSink();
        return new(customers, activity, tombstones, audit, new CustomerEraser(customers, activity, new Pseudonymiser(Key), tombstones, audit, new FakeClock(Now), PrivacyGenerators.Schema));
    }

    [Fact]
    public async Task Erase_RemovesPersonalData_KeepsActivityUnderPseudonym_AndReports()
    {
        var w = NewWorld();
        var c = new Customer(new CustomerId("C0001"), CustomerKind.Person, "张伟", Start)
        {
            Emails = ["Zhang.Wei@Example.com"], Phones = ["138 1234 5678"], Region = "华东", Owner = "wang.fang", Birthday = new(new AnnualDate(5, 4), 1988),
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("vipLevel", 3m).Add("wechat", "wx_zw").Add("idNumber", "110105194912310021"),
        };
        await w.Customers.UpsertAsync(c, 0);
        await w.Customers.UpsertAsync(new Customer(new CustomerId("C0002"), CustomerKind.Person, "李娜", Start), 0);
        await w.Activity.AppendAsync([
            new Purchase(c.Id, Start + Duration.FromDays(1), Money.Of(100m, "CNY")),
            new Referral(new CustomerId("C0002"), c.Id, Start + Duration.FromDays(2)),
            new Interaction(c.Id, InteractionKind.Complaint, Start + Duration.FromDays(3), satisfaction: 2),
        ]);

        var report = await w.Eraser.EraseAsync("dpo", c.Id);

        Assert.True(report.ProfileFound);
        Assert.StartsWith(Pseudonymiser.IdPrefix, report.Pseudonym.Value, StringComparison.Ordinal);
        Assert.Equal(3, report.ActivityRecordsRekeyed);
        Assert.Equal(2, report.ContactPointsTombstoned);
        Assert.Equal<string>([ProfileFields.DisplayName, ProfileFields.Emails, ProfileFields.Phones, ProfileFields.Birthday, "idNumber", "wechat"], report.FieldsRemoved);
        Assert.Equal<string>([ProfileFields.Region, ProfileFields.Owner, "vipLevel"], report.FieldsKept);
        Assert.NotEmpty(report.HostActions);
        Assert.Null(await w.Customers.GetAsync(c.Id));
        var anonymised = (await w.Customers.GetAsync(report.Pseudonym))!;
        Assert.Equal(string.Empty, anonymised.DisplayName);
        Assert.True(anonymised.Emails.IsEmpty && anonymised.Phones.IsEmpty && anonymised.Birthday is null);
        Assert.Empty(await ToList(w.Activity.StreamForCustomerAsync(c.Id)));
        Assert.Equal(2, (await ToList(w.Activity.StreamForCustomerAsync(report.Pseudonym))).Count);
        var referral = Assert.IsType<Referral>(Assert.Single(await ToList(w.Activity.StreamForCustomerAsync(new CustomerId("C0002")))));
        Assert.Equal(report.Pseudonym, referral.Referred);
        var entry = Assert.Single(w.Audit.Entries);
        Assert.Equal(AuditAction.Erasure, entry.Action);
        Assert.DoesNotContain("张伟", report.Explanation + entry, StringComparison.Ordinal);

        // a later import of the same phone (another notation) is flagged; the host decides
        var again = await w.Eraser.CheckImportAsync("import", new Customer(new CustomerId("N1"), CustomerKind.Person, "Z. Wei", Now) { Phones = ["+86 138-1234-5678"], Emails = ["other@example.com"] });
        Assert.True(again.IsMatch);
        Assert.Equal<string>(["Phones[0]"], again.MatchedFields);
        Assert.False((await w.Eraser.CheckImportAsync("import", new Customer(new CustomerId("N2"), CustomerKind.Person, "x", Now) { Emails = ["new@example.com"] })).IsMatch);

        // erasing again is harmless
        var rerun = await w.Eraser.EraseAsync("dpo", c.Id);
        Assert.False(rerun.ProfileFound);
        Assert.Equal(0, rerun.ActivityRecordsRekeyed);
    }

    [Fact]
    public void Eraser_StoreWithoutRekeying_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CustomerEraser(new InMemoryCustomerStore(), new AppendOnlyStore(), new Pseudonymiser(Key), new InMemoryTombstoneStore(), new InMemoryAuditSink(), new FakeClock(Now)));
        Assert.Equal("activity", ex.ParamName);
    }

    [Fact]
    public async Task Export_HoldsEverything_AndIsAuditedAndPermissionChecked()
    {
        var w = NewWorld();
        var c = new Customer(new CustomerId("C0001"), CustomerKind.Person, "张伟", Start) { Emails = ["zhang.wei@example.com"], Owner = "wang.fang" };
        await w.Customers.UpsertAsync(c, 0);
        await w.Activity.AppendAsync([new Purchase(c.Id, Start + Duration.FromDays(1), Money.Of(88.5m, "CNY"), "O-1")]);
        var exporter = new PersonalDataExporter(w.Customers, w.Activity, AccessPolicy.Default, w.Audit, new FakeClock(Now));
        var sources = new PersonalDataSources
        {
            Tags = [new TagAssignment(c.Id, "vip", TagSource.Manual, Start), new TagAssignment(new CustomerId("other"), "x", TagSource.Manual, Start)],
            Scores = [new ValueScore(c.Id, "rfm", true, 4.2m, "555 Champions", "R 5 (3 days)")],
            LifecycleHistory = [new LifecycleMove("new", "active", Start + Duration.FromDays(1), LifecycleTrigger.Rule("first-purchase"), "first purchase")],
        };

        var export = await exporter.ExportAsync(new AccessCaller("dpo", AccessRoles.Owner, DataScope.All), c.Id, sources);

        Assert.Equal(ExportOutcome.Exported, export.Outcome);
        using var doc = JsonDocument.Parse(export.Json);
        var root = doc.RootElement;
        Assert.Equal("张伟", root.GetProperty("profile").GetProperty("DisplayName").GetString());
        Assert.Equal("zhang.wei@example.com", root.GetProperty("profile").GetProperty("Emails")[0].GetString());
        Assert.Equal("88.5", root.GetProperty("activity")[0].GetProperty("amount").GetString());
        Assert.Equal(1, root.GetProperty("tags").GetArrayLength());
        Assert.Equal("R 5 (3 days)", root.GetProperty("scores")[0].GetProperty("explanation").GetString());
        Assert.Equal("active", root.GetProperty("lifecycleHistory")[0].GetProperty("to").GetString());
        Assert.Contains(w.Audit.Entries, a => a.Action == AuditAction.Export && a.Allowed);

        var denied = await exporter.ExportAsync(new AccessCaller("aud", AccessRoles.Auditor, DataScope.All), c.Id);
        Assert.Equal(ExportOutcome.Denied, denied.Outcome);
        Assert.Empty(denied.Json);
        var outOfScope = await exporter.ExportAsync(new AccessCaller("li", AccessRoles.Owner, DataScope.OwnedBy("li.lei")), c.Id);
        Assert.Equal(ExportOutcome.NotFound, outOfScope.Outcome);
        Assert.Equal(2, w.Audit.Entries.Count(a => a.Action == AuditAction.Export && !a.Allowed));
    }

    private sealed record Statistics(decimal Revenue, string RfmCuts, string TierCounts, string BgNbd, string GammaGamma);

    private static async Task<Statistics> Measure(IActivityStore activity)
    {
        var records = await ToList(activity.StreamRangeAsync(Instant.MinValue, Instant.MaxValue));
        var revenue = records.OfType<Purchase>().Sum(p => p.Amount.Amount);
        var summaries = await ToList(new ActivityStoreSummarySource(activity).GetSummariesAsync(Now));
        var rfm = new RfmScorer().Score(summaries, Now);
        var cuts = string.Join("|", new[] { rfm.Scale.Recency, rfm.Scale.Frequency, rfm.Scale.Monetary }.Select(c => string.Join(",", c.Values)));
        var policy = new QuantileTierPolicy("q", TierLadder.Of("C", "B", "A"), TierMetric.NetSpend, [new("A", 0.2m), new("B", 0.3m)]);
        var tiers = string.Join(",", policy.Assign([.. summaries.Select(TierSubject.From)], Now).GroupBy(a => a.Tier.Name).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        var builder = new BtydSummaryBuilder(new LocalDate(2025, 12, 31));
        foreach (var p in records.OfType<Purchase>())
        {
            builder.Add(p.CustomerId, p.At, p.Amount.Amount);
        }

        var data = builder.Build();
        static string Fit(Func<string> fit)
        {
            try
            {
                return fit();
            }
            catch (Exception ex) when (ex is ModelNotIdentifiableException or ModelConvergenceException)
            {
                return ex.GetType().Name + ": " + ex.Message;
            }
        }

        return new Statistics(
            revenue,
            cuts,
            tiers,
            Fit(() => BgNbdModel.Fit(data).Parameters.ToString() + " " + BgNbdModel.Fit(data).FitReport!.LogLikelihood.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            Fit(() => GammaGammaModel.Fit(data).Parameters.ToString()));
    }

    [Property(MaxTest = 25)]
    public Property Erasure_LeavesPopulationStatisticsUnchanged_Holds() =>
        Prop.ForAll(
            (from n in Gen.Choose(4, 14)
             from purchases in (from who in Gen.Choose(0, n - 1) from day in Gen.Choose(0, 360) from cents in Gen.Choose(-2_000, 90_000) select (Who: who, Day: day, Cents: cents)).ArrayOf().Where(a => a.Length > 3)
             from erase in Gen.Choose(0, n - 1).ArrayOf()
             select (N: n, Purchases: purchases, Erase: erase)).ToArbitrary(),
            input =>
            {
                var w = NewWorld();
                var ids = Enumerable.Range(0, input.N).Select(i => new CustomerId($"C{i:D3}")).ToArray();
                foreach (var id in ids)
                {
                    w.Customers.UpsertAsync(new Customer(id, CustomerKind.Person, "张伟" + id.Value, Start) { Phones = ["13812345678"] }, 0).AsTask().GetAwaiter().GetResult();
                }

                // repeat buyers on several days so the models have something to fit
                var batch = input.Purchases.SelectMany(p => new ActivityRecord[]
                {
                    new Purchase(ids[p.Who], Start + Duration.FromDays(p.Day), Money.Of(p.Cents / 100m, "CNY")),
                    new Purchase(ids[p.Who], Start + Duration.FromDays((p.Day * 7 % 300) + 1), Money.Of(Math.Abs(p.Cents) / 50m, "CNY")),
                }).Append(new Referral(ids[0], ids[^1], Start + Duration.FromDays(5))).ToArray();
                w.Activity.AppendAsync(batch).AsTask().GetAwaiter().GetResult();
                var before = Measure(w.Activity).GetAwaiter().GetResult();
                foreach (var e in input.Erase.Distinct())
                {
                    w.Eraser.EraseAsync("dpo", ids[e]).AsTask().GetAwaiter().GetResult();
                }

                var after = Measure(w.Activity).GetAwaiter().GetResult();
                return (before == after).Label($"before {before}\nafter  {after}");
            });

    [Fact]
    public async Task Erasure_OfAQuarterOfAFittablePopulation_KeepsEveryStatisticBitForBit()
    {
        var w = NewWorld();
        var random = new Random(7);
        var ids = Enumerable.Range(0, 60).Select(i => new CustomerId($"C{i:D3}")).ToArray();
        var batch = new List<ActivityRecord>();
        foreach (var id in ids)
        {
            await w.Customers.UpsertAsync(new Customer(id, CustomerKind.Person, "张伟", Start) { Emails = [$"{id.Value}@example.com"] }, 0);
            var day = random.Next(0, 120);
            var typical = Math.Exp(random.NextDouble() * 4) * 20; // spend differs between customers far more than within one
            for (var k = random.Next(1, 8); k > 0 && day < 365; k--, day += random.Next(5, 90))
            {
                batch.Add(new Purchase(id, Start + Duration.FromDays(day), Money.Of(Math.Round((decimal)(typical * (0.8 + (0.4 * random.NextDouble()))), 2), "CNY")));
            }
        }

        await w.Activity.AppendAsync(batch);
        var before = await Measure(w.Activity);
        foreach (var id in ids.Where((_, i) => i % 4 == 1))
        {
            await w.Eraser.EraseAsync("dpo", id);
        }

        var after = await Measure(w.Activity);
        Assert.DoesNotContain("Exception", before.BgNbd, StringComparison.Ordinal); // the models really were fitted
        Assert.DoesNotContain("Exception", before.GammaGamma, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Equal(45, await CountCustomers(w.Customers, c => !c.Id.Value.StartsWith(Pseudonymiser.IdPrefix, StringComparison.Ordinal)));
        Assert.Equal(15, await CountCustomers(w.Customers, c => c.Id.Value.StartsWith(Pseudonymiser.IdPrefix, StringComparison.Ordinal) && c.Emails.IsEmpty && c.DisplayName.Length == 0));
    }

    private static async Task<int> CountCustomers(ICustomerStore store, Func<Customer, bool> predicate)
    {
        var n = 0;
        await foreach (var page in store.StreamAllAsync())
        {
            n += page.Count(predicate);
        }

        return n;
    }

    private static async Task<List<T>> ToList<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private sealed class AppendOnlyStore : IActivityStore
    {
        public ValueTask AppendAsync(IReadOnlyCollection<ActivityRecord> records, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public IAsyncEnumerable<ActivityRecord> StreamForCustomerAsync(CustomerId customerId, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<ActivityRecord>();

        public IAsyncEnumerable<ActivityRecord> StreamRangeAsync(Instant from, Instant to, CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<ActivityRecord>();
    }
}
