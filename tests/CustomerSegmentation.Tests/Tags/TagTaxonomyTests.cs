using CustomerSegmentation.Tags;
using static CustomerSegmentation.Tests.Tags.TagSamples;

namespace CustomerSegmentation.Tests.Tags;

public class TagTaxonomyTests
{
    [Fact]
    public void FindByName_ChineseNameAliasAndCase_ResolveToTheSameTag()
    {
        var taxonomy = Taxonomy();
        Assert.Equal("vip", taxonomy.FindByName("value", "VIP客户")!.Id.Value);
        Assert.Equal("vip", taxonomy.FindByName("value", " vip客户 ")!.Id.Value);
        Assert.Equal("vip", taxonomy.FindByName("value", "贵宾")!.Id.Value);
        Assert.Equal("it", taxonomy.FindByName("industry", "it")!.Id.Value);
        Assert.Null(taxonomy.FindByName("region", "VIP客户"));
        Assert.Equal(["vip"], taxonomy.FindAllByName("贵宾").Select(t => t.Id.Value));
    }

    [Fact]
    public void Hierarchy_ThreeLevels_DescendantsAncestorsAndPath()
    {
        var taxonomy = Taxonomy();
        Assert.Equal(["software", "saas"], taxonomy.DescendantsOf("it").Select(t => t.Id.Value));
        Assert.Equal(["software", "it"], taxonomy.AncestorsOf("saas").Select(t => t.Id.Value));
        Assert.Equal(["software"], taxonomy.ChildrenOf("it").Select(t => t.Id.Value));
        Assert.Equal("IT行业 > 软件 > SaaS", taxonomy.PathOf("saas"));
        Assert.True(taxonomy.IsSelfOrDescendantOf("saas", "it"));
        Assert.False(taxonomy.IsSelfOrDescendantOf("it", "saas"));
        Assert.True(taxonomy.GroupOf("saas").Id == new TagGroupId("industry"));
        Assert.Equal(TagColour.Red, taxonomy.GetTag("vip").Colour);
        Assert.Equal("#FF0000", taxonomy.GetTag("vip").Colour.ToString());
    }

    [Fact]
    public void Build_DuplicateNameDifferingInCase_ThrowsNamingBothTags()
    {
        var builder = new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("a", "g", "Loyal").AddTag("b", "g", "LOYAL");
        var ex = Assert.Throws<TagTaxonomyException>(builder.Build);
        Assert.Equal(TaxonomyError.DuplicateName, ex.Error);
        Assert.Equal(["a", "b"], ex.TagIds.Select(t => t.Value));
    }

    [Fact]
    public void Build_AliasClashingWithChineseName_ThrowsDuplicateName()
    {
        var builder = new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("a", "g", "长期客户").AddTag("b", "g", "老客户", aliases: "长期客户");
        Assert.Equal(TaxonomyError.DuplicateName, Assert.Throws<TagTaxonomyException>(builder.Build).Error);
    }

    [Fact]
    public void Build_SameNameInDifferentGroups_IsAllowed()
    {
        var taxonomy = new TagTaxonomyBuilder().AddGroup("a", "A").AddGroup("b", "B").AddTag("x", "a", "Gold").AddTag("y", "b", "gold").Build();
        Assert.Equal(2, taxonomy.FindAllByName("GOLD").Length);
    }

    [Fact]
    public void Build_Cycle_ThrowsNamingTheTagsOnIt()
    {
        var builder = new TagTaxonomyBuilder().AddGroup("g", "G")
            .AddTag("a", "g", "A", parentId: "c").AddTag("b", "g", "B", parentId: "a").AddTag("c", "g", "C", parentId: "b").AddTag("d", "g", "D", parentId: "a");
        var ex = Assert.Throws<TagTaxonomyException>(builder.Build);
        Assert.Equal(TaxonomyError.Cycle, ex.Error);
        Assert.Equal(["a", "b", "c"], ex.TagIds.Select(t => t.Value).Order());
        Assert.Contains("->", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", TaxonomyError.UnknownParent)]
    [InlineData("other", TaxonomyError.InvalidParent)]
    public void Build_BadParent_ThrowsSpecificError(string parent, TaxonomyError expected)
    {
        var builder = new TagTaxonomyBuilder().AddGroup("g", "G").AddGroup("h", "H").AddTag("other", "h", "Other").AddTag("a", "g", "A", parentId: parent);
        var ex = Assert.Throws<TagTaxonomyException>(builder.Build);
        Assert.Equal(expected, ex.Error);
        Assert.Contains(new TagId("a"), ex.TagIds);
    }

    [Fact]
    public void Build_OtherInconsistencies_ThrowSpecificErrors()
    {
        Assert.Equal(TaxonomyError.DuplicateTagId, Assert.Throws<TagTaxonomyException>(() => new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("a", "g", "A").AddTag("a", "g", "B").Build()).Error);
        Assert.Equal(TaxonomyError.UnknownGroup, Assert.Throws<TagTaxonomyException>(() => new TagTaxonomyBuilder().AddTag("a", "g", "A").Build()).Error);
        Assert.Equal(TaxonomyError.InvalidName, Assert.Throws<TagTaxonomyException>(() => new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("a", "g", "  ").Build()).Error);
        Assert.Equal(TaxonomyError.DuplicateGroupName, Assert.Throws<TagTaxonomyException>(() => new TagTaxonomyBuilder().AddGroup("g", "行业").AddGroup("h", "行业").Build()).Error);
        Assert.Equal(TaxonomyError.DuplicateGroupId, Assert.Throws<TagTaxonomyException>(() => new TagTaxonomyBuilder().AddGroup("g", "A").AddGroup("g", "B").Build()).Error);
        var activeWithSuccessor = new TagTaxonomyBuilder().AddGroup("g", "G").AddTag("b", "g", "B").AddTag(new Tag("a", "g", "A") { SuccessorId = new TagId("b") });
        Assert.Equal(TaxonomyError.InvalidSuccessor, Assert.Throws<TagTaxonomyException>(activeWithSuccessor.Build).Error);
    }

    [Fact]
    public void Rename_KeepsIdAndOldNameAsAlias()
    {
        var taxonomy = Taxonomy();
        var change = taxonomy.Rename("long-term", "老客户");
        var next = change.Current;
        Assert.Equal(taxonomy.Version + 1, next.Version);
        Assert.Equal("老客户", next.GetTag("long-term").Name);
        Assert.Equal("long-term", next.FindByName("relationship", "长期客户")!.Id.Value);
        Assert.True(change.Migration.IsEmpty);
        Assert.Equal(TaxonomyOperation.Rename, change.Operation);
        Assert.Equal("长期客户", taxonomy.GetTag("long-term").Name); // the old version is unchanged
    }

    [Fact]
    public void Rename_ToANameTakenInTheGroup_Throws()
    {
        var ex = Assert.Throws<TagTaxonomyException>(() => Taxonomy().Rename("potential", "vip客户"));
        Assert.Equal(TaxonomyError.DuplicateName, ex.Error);
        Assert.Equal(["vip", "potential"], ex.TagIds.Select(t => t.Value));
    }

    [Fact]
    public void Move_UnderOwnDescendant_ThrowsCycle()
    {
        var ex = Assert.Throws<TagTaxonomyException>(() => Taxonomy().Move("it", "saas"));
        Assert.Equal(TaxonomyError.Cycle, ex.Error);
        Assert.Contains(new TagId("it"), ex.TagIds);
    }

    [Fact]
    public void Move_ToRootAndIntoAnotherParent_UpdatesHierarchy()
    {
        var next = Taxonomy().Move("saas", "it").Current;
        Assert.Equal(["software", "saas"], next.ChildrenOf("it").Select(t => t.Id.Value));
        var root = next.Move("software", null).Current;
        Assert.Empty(root.AncestorsOf("software"));
        Assert.Equal(TaxonomyError.InvalidParent, Assert.Throws<TagTaxonomyException>(() => next.Move("saas", "vip")).Error);
    }

    [Fact]
    public void Merge_SourceNamesBecomeAliasesChildrenMoveAndIdStillResolves()
    {
        var change = Taxonomy().Merge("software", "it");
        var next = change.Current;
        Assert.Equal(TagStatus.Merged, next.GetTag("software").Status);
        Assert.Equal("it", next.ResolveCurrent("software").Value);
        Assert.Equal("it", next.FindByName("industry", "软件")!.Id.Value);
        Assert.Equal(["saas"], next.ChildrenOf("it").Select(t => t.Id.Value));
        Assert.Equal("it", change.Migration.Map("software").Value);
        Assert.Equal("saas", change.Migration.Map("saas").Value);
    }

    [Fact]
    public void Merge_IntoOwnDescendant_TargetTakesTheSourcePlace()
    {
        var next = Taxonomy().Merge("it", "saas").Current;
        Assert.Empty(next.AncestorsOf("saas"));
        Assert.Equal(["software"], next.ChildrenOf("saas").Select(t => t.Id.Value));
        Assert.Equal("saas", next.FindByName("industry", "IT")!.Id.Value);
    }

    [Fact]
    public void Merge_AcrossGroupsOrIntoItself_Throws()
    {
        var taxonomy = Taxonomy();
        Assert.Equal(TaxonomyError.InvalidOperation, Assert.Throws<TagTaxonomyException>(() => taxonomy.Merge("vip", "east")).Error);
        Assert.Equal(TaxonomyError.InvalidOperation, Assert.Throws<TagTaxonomyException>(() => taxonomy.Merge("vip", "vip")).Error);
        Assert.Equal(TaxonomyError.UnknownTag, Assert.Throws<TagTaxonomyException>(() => taxonomy.Merge("vip", "nope")).Error);
    }

    [Fact]
    public void Retire_WithAndWithoutSuccessor()
    {
        var taxonomy = Taxonomy();
        var keep = taxonomy.Retire("finance");
        Assert.Equal(TagStatus.Retired, keep.Current.GetTag("finance").Status);
        Assert.True(keep.Migration.IsEmpty);
        Assert.Equal("finance", keep.Current.FindByName("industry", "金融业")!.Id.Value);

        var moved = taxonomy.Retire("potential", "general");
        Assert.Equal("general", moved.Migration.Map("potential").Value);
        Assert.Equal("general", moved.Current.ResolveCurrent("potential").Value);
        Assert.Equal(TaxonomyError.InvalidOperation, Assert.Throws<TagTaxonomyException>(() => keep.Current.Retire("finance")).Error);
        Assert.Equal(TaxonomyError.InvalidOperation, Assert.Throws<TagTaxonomyException>(() => taxonomy.Retire("vip", "east")).Error);
    }

    [Fact]
    public void AddTagAndGroup_AppendAndValidate()
    {
        var taxonomy = Taxonomy();
        var next = taxonomy.AddGroup(new TagGroup("source", "来源")).Current.AddTag(new Tag("trade-show", "source", "展会")).Current;
        Assert.Equal(taxonomy.Version + 2, next.Version);
        Assert.Equal(taxonomy.Tags.Length, next.OrdinalOfForTests("trade-show"));
        Assert.Throws<TagTaxonomyException>(() => next.AddTag(new Tag("x", "source", "展会")));
    }

    [Fact]
    public void TagColour_ParseAndFormat()
    {
        Assert.Equal(new TagColour(0x12, 0xAB, 0xEF), TagColour.Parse("#12abef"));
        Assert.Equal("#12ABEF", TagColour.Parse("12ABEF").ToString());
        Assert.False(TagColour.TryParse("#12ABE", out _));
        Assert.Throws<FormatException>(() => TagColour.Parse("red"));
    }
}

internal static class TaxonomyTestExtensions
{
    public static int OrdinalOfForTests(this TagTaxonomy taxonomy, string id) => taxonomy.OrdinalOf(new TagId(id));
}
