using CustomerSegmentation.Tags;
using NodaTime;
using static CustomerSegmentation.Tests.Tags.TagSamples;

namespace CustomerSegmentation.Tests.Tags;

public class TagIndexTests
{
    [Fact]
    public void Assign_RecordsWhoWhenSourceAndExpiry()
    {
        var index = new TagIndex(Taxonomy());
        var expires = T0 + Duration.FromDays(30);
        var result = index.Assign(C("c1"), "vip", TagSource.Manual, T0, "王经理", expires);
        Assert.Equal(TagAssignmentOutcome.Assigned, result.Outcome);
        var a = Assert.Single(index.TagsOf(C("c1")));
        Assert.Equal(new TagAssignment(C("c1"), "vip", TagSource.Manual, T0, "王经理", expires), a);
        Assert.Equal(TagChangeKind.Assigned, Assert.Single(result.Changes).Kind);
        Assert.Equal(1, index.AssignmentCount);
    }

    [Fact]
    public void Assign_SingleSelectGroup_ReplacesAndRecordsThePreviousTag()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "potential", TagSource.Manual, T0);
        var result = index.Assign(C("c1"), "vip", TagSource.Manual, T1, "李四");
        Assert.Equal(TagAssignmentOutcome.Replaced, result.Outcome);
        var change = Assert.Single(result.Changes);
        Assert.Equal(TagChangeKind.Replaced, change.Kind);
        Assert.Equal("potential", change.PreviousTagId!.Value.Value);
        Assert.Equal(["vip"], index.TagsOf(C("c1"), "value").Select(t => t.TagId.Value));
        Assert.False(index.Has(C("c1"), "potential"));
        Assert.Equal(0, index.CountWith("potential"));
    }

    [Fact]
    public void Assign_MultiSelectGroup_KeepsSeveralTags()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "it", TagSource.Manual, T0);
        index.Assign(C("c1"), "finance", TagSource.Manual, T0);
        Assert.Equal(["it", "finance"], index.TagsOf(C("c1"), "industry").Select(t => t.TagId.Value));
    }

    [Fact]
    public void Assign_RuleNeverOverridesManual()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "general", TagSource.Manual, T0);
        var sameGroup = index.Assign(C("c1"), "vip", TagSource.Rule("r1"), T1);
        Assert.Equal(TagAssignmentOutcome.KeptManual, sameGroup.Outcome);
        Assert.Empty(sameGroup.Changes);
        var sameTag = index.Assign(C("c1"), "general", TagSource.Rule("r1"), T1);
        Assert.Equal(TagAssignmentOutcome.KeptManual, sameTag.Outcome);
        Assert.True(index.Find(C("c1"), "general")!.Source.IsManual);
    }

    [Fact]
    public void Assign_ManualOverRuleTag_UpdatesTheSource()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "vip", TagSource.Rule("r1"), T0);
        var result = index.Assign(C("c1"), "vip", TagSource.Manual, T1, "王经理");
        Assert.Equal(TagAssignmentOutcome.Updated, result.Outcome);
        Assert.Equal(TagSource.Manual, index.Find(C("c1"), "vip")!.Source);
        Assert.Equal(T0, index.Find(C("c1"), "vip")!.AssignedAt);
        Assert.Equal(TagAssignmentOutcome.Unchanged, index.Assign(C("c1"), "vip", TagSource.Manual, T2).Outcome);
    }

    [Fact]
    public void Assign_RetiredMergedOrUnknownTag_IsRejectedWithReason()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        index.Apply(taxonomy.Retire("finance"), T0);
        var retired = index.Assign(C("c1"), "finance", TagSource.Manual, T0);
        Assert.Equal(TagAssignmentOutcome.Rejected, retired.Outcome);
        Assert.Contains("RETIRED", Assert.Single(retired.Errors), StringComparison.Ordinal);
        index.Apply(index.Taxonomy.Merge("software", "it"), T0);
        Assert.Contains("'it'", Assert.Single(index.Assign(C("c1"), "software", TagSource.Manual, T0).Errors), StringComparison.Ordinal);
        Assert.False(index.Assign(C("c1"), "nope", TagSource.Manual, T0).IsValid);
        Assert.False(index.Assign(C("c1"), "vip", TagSource.Manual, T1, expiresAt: T0).IsValid);
        Assert.Equal(0, index.AssignmentCount);
        Assert.Throws<ArgumentException>(() => index.Assign(default, "vip", TagSource.Manual, T0));
    }

    [Fact]
    public void Queries_HasTagDescendantsGroupAndCustomers()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "saas", TagSource.Manual, T0);
        index.Assign(C("c2"), "it", TagSource.Manual, T0);
        index.Assign(C("c3"), "manufacturing", TagSource.Manual, T0);
        index.Assign(C("c3"), "east", TagSource.Manual, T0);

        Assert.True(index.Has(C("c1"), "saas"));
        Assert.False(index.Has(C("c1"), "it"));
        Assert.True(index.HasOrDescendant(C("c1"), "it"));
        Assert.False(index.HasOrDescendant(C("c3"), "it"));
        Assert.Equal(["c2"], index.CustomersWith("it").Select(c => c.Value));
        Assert.Equal(["c1", "c2"], index.CustomersWith("it", includeDescendants: true).Select(c => c.Value));
        Assert.Equal(2, index.CountWith("it", includeDescendants: true));
        Assert.Equal(["manufacturing"], index.TagsOf(C("c3"), "industry").Select(t => t.TagId.Value));
        Assert.Empty(index.TagsOf(C("unknown")));
        Assert.Throws<ArgumentException>(() => index.CustomersWith("nope"));
    }

    [Fact]
    public void CustomerSet_Algebra()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "it", TagSource.Manual, T0);
        index.Assign(C("c1"), "east", TagSource.Manual, T0);
        index.Assign(C("c2"), "it", TagSource.Manual, T0);
        index.Assign(C("c3"), "east", TagSource.Manual, T0);
        var it = index.CustomersWith("it");
        var east = index.CustomersWith("east");
        Assert.Equal(["c1"], it.Intersect(east).Select(c => c.Value));
        Assert.Equal(["c1", "c2", "c3"], it.Union(east).Select(c => c.Value));
        Assert.Equal(["c2"], it.Except(east).Select(c => c.Value));
        Assert.True(it.Contains(C("c2")));
        Assert.False(it.Contains(C("c3")));
    }

    [Fact]
    public void Expiry_QueriesAsOfLeaveExpiredOutAndRemoveExpiredPurges()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "vip", TagSource.Manual, T0, expiresAt: T1);
        index.Assign(C("c2"), "vip", TagSource.Manual, T0);
        Assert.True(index.Has(C("c1"), "vip", T0));
        Assert.False(index.Has(C("c1"), "vip", T1));
        Assert.Equal(["c2"], index.CustomersWith("vip", asOf: T1).Select(c => c.Value));
        Assert.Equal(2, index.CountWith("vip"));
        Assert.Empty(index.TagsOf(C("c1"), T2));
        var purged = index.RemoveExpired(T1);
        Assert.Equal(TagChangeKind.Expired, Assert.Single(purged).Kind);
        Assert.Equal(1, index.CountWith("vip"));
    }

    [Fact]
    public void Remove_DropsTheAssignment()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "vip", TagSource.Rule("r"), T0);
        var change = index.Remove(C("c1"), "vip", T1, "王经理");
        Assert.Equal(TagChangeKind.Removed, change!.Kind);
        Assert.Equal(TagSource.Rule("r"), change.Source);
        Assert.Null(index.Remove(C("c1"), "vip", T1));
        Assert.Equal(0, index.CountWith("vip"));
    }

    [Fact]
    public void Apply_Merge_MovesAssignmentsKeepingInstantsAndManualWins()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "software", TagSource.Manual, T0, "张三");
        index.Assign(C("c2"), "software", TagSource.Manual, T0);
        index.Assign(C("c2"), "it", TagSource.Rule("r"), T1);
        var changes = index.Apply(index.Taxonomy.Merge("software", "it"), T2, "admin");
        Assert.Equal(2, changes.Length);
        Assert.All(changes, c => Assert.Equal(TagChangeKind.Migrated, c.Kind));
        Assert.Equal(new TagAssignment(C("c1"), "it", TagSource.Manual, T0, "张三"), index.Find(C("c1"), "it"));
        Assert.True(index.Find(C("c2"), "it")!.Source.IsManual);
        Assert.Equal(2, index.CountWith("it"));
        Assert.Equal(0, index.CountWith("software"));
        Assert.Equal(["c1", "c2"], index.CustomersWith("it", includeDescendants: true).Select(c => c.Value));
    }

    [Fact]
    public void Apply_RetireWithSuccessor_MovesAndWithoutKeeps()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "potential", TagSource.Manual, T0);
        index.Assign(C("c2"), "finance", TagSource.Manual, T0);
        index.Apply(index.Taxonomy.Retire("potential", "general"), T1);
        index.Apply(index.Taxonomy.Retire("finance"), T1);
        Assert.True(index.Has(C("c1"), "general"));
        Assert.True(index.Has(C("c2"), "finance"));
        Assert.Equal(TagStatus.Retired, index.Taxonomy.GetTag("finance").Status);
    }

    [Fact]
    public void Apply_ChangeFromAnotherVersion_Throws()
    {
        var taxonomy = Taxonomy();
        var index = new TagIndex(taxonomy);
        var stale = taxonomy.Rename("vip", "贵宾客户");
        index.Apply(taxonomy.Rename("general", "普通客户"), T0);
        Assert.Throws<ArgumentException>(() => index.Apply(stale, T0));
    }

    [Fact]
    public void Postings_DenseTag_SwitchesToBitsetAndBackWithSameAnswers()
    {
        var index = new TagIndex(Taxonomy());
        const int n = 8192;
        for (var i = 0; i < n; i++)
        {
            index.Assign(C("c" + i), i % 2 == 0 ? "east" : "south", TagSource.Manual, T0);
        }

        Assert.Equal(n / 2, index.CountWith("east"));
        Assert.True(index.CustomersWith("east").Contains(C("c4096")));
        for (var i = 0; i < n; i += 2)
        {
            index.Remove(C("c" + i), "east", T1);
        }

        Assert.Equal(0, index.CountWith("east"));
        Assert.Equal(n / 2, index.CountWith("south"));
        Assert.True(index.EstimateBytes() > 0);
    }

    [Fact]
    public void Assignments_EnumeratesEverythingForSaving()
    {
        var index = new TagIndex(Taxonomy());
        index.Assign(C("c1"), "vip", TagSource.Manual, T0);
        index.Assign(C("c1"), "it", TagSource.Rule("r"), T0);
        index.Assign(C("c2"), "east", TagSource.Manual, T0);
        var copy = new TagIndex(index.Taxonomy);
        foreach (var a in index.Assignments())
        {
            copy.Assign(a);
        }

        Assert.Equal(index.Assignments().ToHashSet(), copy.Assignments().ToHashSet());
    }
}
