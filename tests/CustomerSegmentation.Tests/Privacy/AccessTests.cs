using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Privacy;
using CustomerSegmentation.Storage;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Testing;

namespace CustomerSegmentation.Tests.Privacy;

public class AccessTests
{
    private static readonly Instant Now = PrivacyGenerators.AsOf;

    private static Customer Zhang() => new(new CustomerId("C0001"), CustomerKind.Person, "张伟", Now - Duration.FromDays(30))
    {
        Emails = ["zhang.wei@example.com"],
        Phones = ["+8613812345678"],
        Region = "广东省",
        Owner = "wang.fang",
        Birthday = new Birthday(new AnnualDate(5, 4), 1988),
        CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("wechat", "wx_zhangwei88"),
    };

    private static async Task<(CustomerAccess Access, InMemoryAuditSink Audit, InMemoryCustomerStore Store, Customer Stored)> SetUp(AccessPolicy? policy = null)
    {
        var store = new InMemoryCustomerStore();
        var stored = await store.UpsertAsync(Zhang(), 0);
        var audit = new InMemoryAuditSink();
        return (new CustomerAccess(store, policy ?? AccessPolicy.Default, audit, new FakeClock(Now)), audit, store, stored);
    }

    private static AccessCaller Caller(string role, DataScope? scope = null) => new("actor." + role, role, scope ?? DataScope.All);

    [Fact]
    public async Task View_Hidden_FieldIsAbsent()
    {
        var (access, _, _, _) = await SetUp();
        var view = (await access.GetViewAsync(Caller(AccessRoles.Analyst), new CustomerId("C0001")))!;
        Assert.False(view.TryGetField(ProfileFields.DisplayName, out _));
        Assert.False(view.TryGetField(ProfileFields.Phones, out _));
        Assert.False(view.TryGetField("wechat", out _));
        Assert.Equal("广东省", view.TryGetField(ProfileFields.Region, out var region) ? region.Value : null);
        Assert.DoesNotContain("张", view.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_Masked_FieldIsMasked()
    {
        var (access, audit, _, _) = await SetUp();
        var view = (await access.GetViewAsync(Caller(AccessRoles.Auditor), new CustomerId("C0001")))!;
        Assert.True(view.TryGetField(ProfileFields.DisplayName, out var name));
        Assert.True(name.IsMasked);
        Assert.Equal("张*", name.Value);
        Assert.Equal<string>(["z***@example.com"], view.TryGetField(ProfileFields.Emails, out var e) ? e.Values : []);
        Assert.Equal<string>(["138****5678"], view.TryGetField(ProfileFields.Phones, out var p) ? p.Values : []);
        Assert.Equal("****-**-**", view.TryGetField(ProfileFields.Birthday, out var b) ? b.Value : null);
        Assert.Equal("w***", view.TryGetField("wechat", out var w) ? w.Value : null);
        Assert.Empty(audit.Entries); // nothing personal was shown in clear
    }

    [Fact]
    public async Task View_Read_FieldIsClearAndAudited()
    {
        var (access, audit, _, _) = await SetUp();
        var view = (await access.GetViewAsync(Caller(AccessRoles.TeamLead), new CustomerId("C0001")))!;
        Assert.True(view.TryGetField(ProfileFields.Phones, out var phones));
        Assert.Equal(FieldPermission.Read, phones.Permission);
        Assert.False(phones.IsWritable);
        Assert.Equal("+8613812345678", phones.Value);
        var entry = Assert.Single(audit.Entries);
        Assert.Equal(AuditAction.Read, entry.Action);
        Assert.Equal("actor.team-lead", entry.Actor);
        Assert.Equal(Now, entry.At);
        Assert.Contains(ProfileFields.Phones, entry.Fields);
        Assert.DoesNotContain("13812345678", entry.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WriteField_IsWrittenAndAudited()
    {
        var (access, audit, store, stored) = await SetUp();
        var result = await access.WriteAsync(Caller(AccessRoles.Owner, DataScope.OwnedBy("wang.fang")), stored.Id, stored.Version, [new(ProfileFields.Phones, new[] { "13912345678" })]);
        Assert.Equal(FieldWriteOutcome.Written, result.Outcome);
        var now = (await store.GetAsync(stored.Id))!;
        Assert.Equal<string>(["13912345678"], now.Phones);
        Assert.Equal(Now, now.UpdatedAt);
        Assert.Equal(2, now.Version);
        Assert.Contains(audit.Entries, a => a.Action == AuditAction.Change && a.Allowed);
    }

    [Theory]
    [InlineData(AccessRoles.TeamLead, ProfileFields.Phones)]   // read only
    [InlineData(AccessRoles.Auditor, ProfileFields.DisplayName)] // masked
    [InlineData(AccessRoles.Analyst, ProfileFields.Emails)]   // hidden
    [InlineData(AccessRoles.Owner, ProfileFields.CreatedAt)]  // system field
    [InlineData("no-such-role", ProfileFields.Region)]        // unknown role
    public async Task Write_NotWritableField_IsDeniedAndChangesNothing(string role, string field)
    {
        var (access, audit, store, stored) = await SetUp();
        var result = await access.WriteAsync(Caller(role), stored.Id, stored.Version, [new(ProfileFields.Region, "浙江省"), new(field, "SECRET-VALUE")]);
        Assert.Equal(FieldWriteOutcome.Denied, result.Outcome);
        Assert.Contains(field, result.DeniedFields);
        Assert.Equal(stored, await store.GetAsync(stored.Id));
        var entry = Assert.Single(audit.Entries, a => !a.Allowed);
        Assert.Equal(AuditAction.Change, entry.Action);
        Assert.DoesNotContain("SECRET-VALUE", entry.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_InvalidValue_IsInvalidWithMaskedReason()
    {
        var (access, _, store, stored) = await SetUp();
        var result = await access.WriteAsync(Caller(AccessRoles.Owner), stored.Id, stored.Version, [new(ProfileFields.Phones, new[] { "0101234567" })]);
        Assert.Equal(FieldWriteOutcome.Invalid, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("Phones[0]", problem.Field);
        Assert.Contains("******4567", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("0101234567", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(stored, await store.GetAsync(stored.Id));
    }

    [Fact]
    public async Task Write_OutOfScopeOrGivingAway_ChangesNothing()
    {
        var (access, _, store, stored) = await SetUp();
        var other = await access.WriteAsync(Caller(AccessRoles.Owner, DataScope.OwnedBy("li.lei")), stored.Id, stored.Version, [new(ProfileFields.Region, "x")]);
        Assert.Equal(FieldWriteOutcome.NotFound, other.Outcome);
        Assert.Null(other.View);
        var away = await access.WriteAsync(Caller(AccessRoles.Owner, DataScope.OwnedBy("wang.fang")), stored.Id, stored.Version, [new(ProfileFields.Owner, "li.lei")]);
        Assert.Equal(FieldWriteOutcome.Denied, away.Outcome);
        var stale = await access.WriteAsync(Caller(AccessRoles.Owner), stored.Id, 7, [new(ProfileFields.Region, "x")]);
        Assert.Equal(FieldWriteOutcome.Conflict, stale.Outcome);
        Assert.Equal(stored, await store.GetAsync(stored.Id));
    }

    [Fact]
    public void Policy_GrantsOverrideSensitivityDefaults_AndBadConfigurationThrows()
    {
        var policy = new AccessPolicyBuilder(ProfileSchema.Default)
            .AddRole("marketing", FieldPermission.Read, FieldPermission.Masked, FieldPermission.Hidden)
            .Grant("marketing", ProfileFields.MarketingConsent, FieldPermission.Read)
            .Build();
        Assert.Equal(FieldPermission.Read, policy.PermissionFor("marketing", ProfileFields.MarketingConsent));
        Assert.Equal(FieldPermission.Hidden, policy.PermissionFor("marketing", ProfileFields.Phones));
        Assert.Equal(FieldPermission.Masked, policy.PermissionFor("marketing", ProfileFields.Owner));
        Assert.Equal(FieldPermission.Hidden, policy.PermissionFor("marketing", "undeclaredAttribute"));
        Assert.Equal(FieldPermission.Hidden, policy.PermissionFor("nobody", ProfileFields.Industry));
        Assert.Equal(FieldPermission.Read, AccessPolicy.Default.PermissionFor(AccessRoles.Owner, ProfileFields.Id));
        Assert.Throws<AccessPolicyException>(() => new AccessPolicyBuilder(ProfileSchema.Default).Build());
        Assert.Throws<AccessPolicyException>(() => new AccessPolicyBuilder(ProfileSchema.Default).AddRole("a b", 0, 0, 0).Build());
        Assert.Throws<AccessPolicyException>(() => new AccessPolicyBuilder(ProfileSchema.Default).AddRole("a", 0, 0, 0).Grant("b", ProfileFields.Region, FieldPermission.Read).Build());
        Assert.Throws<AccessPolicyException>(() => new AccessPolicyBuilder(ProfileSchema.Default).AddRole("a", 0, 0, 0).Grant("a", "nope", FieldPermission.Read).Build());
        Assert.Throws<AccessPolicyException>(() => new AccessPolicyBuilder(ProfileSchema.Default).AddRole("a", (FieldPermission)9, 0, 0).Build());
    }

    [Fact]
    public void CustomerToString_MasksPersonalValues()
    {
        var text = Zhang().ToString();
        Assert.Contains("DisplayName = 张*", text, StringComparison.Ordinal);
        Assert.Contains("z***@example.com", text, StringComparison.Ordinal);
        Assert.Contains("138****5678", text, StringComparison.Ordinal);
        Assert.DoesNotContain("张伟", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wx_zhangwei88", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1988", text, StringComparison.Ordinal);
    }

    [Property(MaxTest = 100)]
    public Property MaskedViewToStringJsonAndAudit_NeverContainPersonalValues_Holds() =>
        Prop.ForAll(
            PrivacyGenerators.Customers(1).ToArbitrary(),
            customer =>
            {
                var audit = new InMemoryAuditSink();
                var access = new CustomerAccess(new InMemoryCustomerStore(), AccessPolicy.CreateDefault(PrivacyGenerators.Schema), audit, new FakeClock(Now), PrivacyGenerators.Masker);
                var masked = access.View(Caller(AccessRoles.Auditor), customer)!;
                _ = access.View(Caller(AccessRoles.Owner), customer); // clear read: audited by field name
                _ = access.View(Caller(AccessRoles.Owner, DataScope.OwnedBy("nobody")), customer); // denied: audited
                string[] outputs = [masked.ToString(), masked.ToJson(), customer.ToString(), .. audit.Entries.Select(a => a.ToString())];
                var leak = outputs.Select(o => PrivacyGenerators.FindLeak(customer, o)).FirstOrDefault(l => l is not null);
                return (leak is null && audit.Entries.Length == 2).Label($"leaked '{leak}'");
            });

    private static readonly string[] TextFields = [ProfileFields.DisplayName, ProfileFields.Region, ProfileFields.Industry, ProfileFields.CompanySize, ProfileFields.AcquisitionChannel, "note", "vipNote"];

    private static readonly Gen<AccessPolicy> Policies =
        from pub in Gen.Elements(Enum.GetValues<FieldPermission>())
        from intern in Gen.Elements(Enum.GetValues<FieldPermission>())
        from personal in Gen.Elements(Enum.GetValues<FieldPermission>())
        from grants in (from f in Gen.Elements(TextFields.Take(5).ToArray()) from p in Gen.Elements(Enum.GetValues<FieldPermission>()) select (Item1: f, Item2: p)).ArrayOf()
        select grants.Take(4).Aggregate(
            new AccessPolicyBuilder(ProfileSchema.Default).AddRole("admin", FieldPermission.Write, FieldPermission.Write, FieldPermission.Write).AddRole("caller", pub, intern, personal),
            (b, g) => b.Grant("caller", g.Item1, g.Item2)).Build();

    // op: (who: 0 caller, 1 admin), (kind: 0 view, 1 write, 2 export), field index
    private static readonly Gen<(int Who, int Kind, int Field)[]> Operations =
        (from who in Gen.Choose(0, 1) from kind in Gen.Choose(0, 2) from field in Gen.Choose(0, TextFields.Length - 1) select (who, kind, field)).ArrayOf();

    [Property(MaxTest = 100)]
    public Property Caller_NeverSeesHiddenField_WhateverTheOrderOfOperations_Holds() =>
        Prop.ForAll(
            Policies.ToArbitrary(),
            Operations.ToArbitrary(),
            (policy, ops) =>
            {
                var store = new InMemoryCustomerStore();
                var audit = new InMemoryAuditSink();
                var access = new CustomerAccess(store, policy, audit, new FakeClock(Now));
                var exporter = new PersonalDataExporter(store, new InMemoryActivityStore(), policy, audit, new FakeClock(Now));
                var caller = Caller("caller");
                var admin = Caller("admin");
                var id = new CustomerId("C0001");
                var hidden = TextFields.Where(f => policy.PermissionFor("caller", f) <= FieldPermission.Masked).ToHashSet();
                var secrets = new List<string>();
                var counter = 0;
                string Secret(string field)
                {
                    var s = $"SECRET{field}{counter++:D3}";
                    if (hidden.Contains(field))
                    {
                        secrets.Add(s);
                    }

                    return s;
                }

                var initial = new Customer(id, CustomerKind.Organisation, Secret(ProfileFields.DisplayName), Now - Duration.FromDays(1))
                {
                    Region = Secret(ProfileFields.Region), Industry = Secret(ProfileFields.Industry), CompanySize = Secret(ProfileFields.CompanySize),
                    AcquisitionChannel = Secret(ProfileFields.AcquisitionChannel),
                    CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("note", Secret("note")).Add("vipNote", Secret("vipNote")),
                };
                store.UpsertAsync(initial, 0).AsTask().GetAwaiter().GetResult();
                var seen = new List<string>();
                var hiddenShown = false;
                foreach (var (who, kind, f) in ops)
                {
                    var field = TextFields[f];
                    var actor = who == 0 ? caller : admin;
                    var version = store.GetAsync(id).AsTask().GetAwaiter().GetResult()!.Version;
                    switch (kind)
                    {
                        case 0:
                            var view = access.GetViewAsync(actor, id).AsTask().GetAwaiter().GetResult()!;
                            if (who == 0)
                            {
                                seen.Add(view.ToString());
                                seen.Add(view.ToJson());
                                hiddenShown |= view.Fields.Any(v => hidden.Contains(v.Name) && v.Permission > FieldPermission.Masked) || view.Fields.Any(v => policy.PermissionFor("caller", v.Name) == FieldPermission.Hidden);
                            }

                            break;
                        case 1:
                            var value = who == 0 ? $"CALLER{counter++}" : Secret(field);
                            var result = access.WriteAsync(actor, id, version, [new(field, value)]).AsTask().GetAwaiter().GetResult();
                            if (who == 0)
                            {
                                seen.Add(result.Explanation);
                                seen.AddRange(result.Problems.Select(p => p.ToString()));
                                if (result.View is { } v)
                                {
                                    seen.Add(v.ToJson());
                                }
                            }

                            break;
                        default:
                            var export = exporter.ExportAsync(actor, id).AsTask().GetAwaiter().GetResult();
                            if (who == 0)
                            {
                                seen.Add(export.Json);
                                seen.Add(export.Explanation);
                            }

                            break;
                    }
                }

                seen.AddRange(audit.Entries.Select(a => a.ToString()));
                var leak = secrets.FirstOrDefault(s => seen.Any(o => o.Contains(s, StringComparison.Ordinal)));
                return (leak is null && !hiddenShown).Label($"leaked {leak}, hidden shown {hiddenShown}");
            });
}
