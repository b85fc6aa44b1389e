using CustomerSegmentation.Customers;
using CustomerSegmentation.Tags;
using NodaTime;

namespace CustomerSegmentation.Tests.Tags;

/// <summary>The worked example of docs/tags.md: colour tags for value, a three-level industry hierarchy, Chinese names.</summary>
internal static class TagSamples
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 1, 5, 9, 0);
    public static readonly Instant T1 = Instant.FromUtc(2026, 2, 1, 9, 0);
    public static readonly Instant T2 = Instant.FromUtc(2026, 3, 1, 9, 0);

    public static TagTaxonomy Taxonomy() => new TagTaxonomyBuilder()
        .AddGroup("value", "客户价值", TagSelection.Single)
        .AddTag("vip", "value", "VIP客户", colour: TagColour.Red, aliases: "贵宾")
        .AddTag("potential", "value", "潜在客户", colour: TagColour.Green)
        .AddTag("general", "value", "一般客户", colour: TagColour.Blue)
        .AddGroup("industry", "行业")
        .AddTag("it", "industry", "IT行业", aliases: "IT")
        .AddTag("software", "industry", "软件", parentId: "it")
        .AddTag("saas", "industry", "SaaS", parentId: "software")
        .AddTag("manufacturing", "industry", "制造业")
        .AddTag("finance", "industry", "金融业")
        .AddGroup("relationship", "客户关系")
        .AddTag("high-value", "relationship", "高价值客户")
        .AddTag("long-term", "relationship", "长期客户")
        .AddGroup("region", "地区", TagSelection.Single)
        .AddTag("east", "region", "华东")
        .AddTag("south", "region", "华南")
        .Build();

    public static CustomerId C(string id) => new(id);

    public static Customer Customer(string id, string? region = null, string? industry = null) =>
        new(new CustomerId(id), CustomerKind.Organisation, id, T0) { Region = region, Industry = industry };
}
