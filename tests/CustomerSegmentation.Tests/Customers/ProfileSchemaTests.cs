using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tests.Customers;

public class ProfileSchemaTests
{
    [Fact]
    public void Default_DescribesEveryCustomerField()
    {
        var schema = ProfileSchema.Default;
        var documented = typeof(Customer).GetProperties().Select(p => p.Name)
            .Except([nameof(Customer.Version), nameof(Customer.CustomAttributes)]).Order(StringComparer.Ordinal);
        Assert.Equal(documented, schema.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(PhoneRegion.China, schema.DefaultPhoneRegion);
        Assert.Equal(Duration.FromDays(365), schema.ReviewInterval);
        Assert.Equal(10, schema.MaxContactPoints);
        Assert.True(schema.AllowUndeclaredAttributes);
    }

    [Theory]
    [InlineData(ProfileFields.DisplayName, FieldKind.Text, FieldSensitivity.Personal, true)]
    [InlineData(ProfileFields.Emails, FieldKind.EmailList, FieldSensitivity.Personal, false)]
    [InlineData(ProfileFields.Phones, FieldKind.PhoneList, FieldSensitivity.Personal, false)]
    [InlineData(ProfileFields.Birthday, FieldKind.Birthday, FieldSensitivity.Personal, false)]
    [InlineData(ProfileFields.Industry, FieldKind.Text, FieldSensitivity.Public, false)]
    [InlineData(ProfileFields.Owner, FieldKind.Text, FieldSensitivity.Internal, false)]
    public void Default_FieldsHaveKindSensitivityAndRequired(string name, FieldKind kind, FieldSensitivity sensitivity, bool required)
    {
        var field = ProfileSchema.Default[name];
        Assert.Equal((kind, sensitivity, required), (field.Kind, field.Sensitivity, field.Required));
    }

    [Fact]
    public void Indexer_UnknownField_ThrowsKeyNotFound()
    {
        Assert.Throws<KeyNotFoundException>(() => ProfileSchema.Default["nope"]);
        Assert.False(ProfileSchema.Default.TryGetField("nope", out _));
    }

    [Fact]
    public void Builder_ConfigureAndAdd_BuildsChangedSchema()
    {
        var schema = ProfileSchema.Default.ToBuilder()
            .Configure(ProfileFields.Phones, f => f with { Required = true, CompletenessWeight = 5 })
            .AddCustomAttribute("vipLevel", FieldKind.Number, FieldSensitivity.Internal, completenessWeight: 1, description: "会员等级")
            .Build();

        Assert.True(schema[ProfileFields.Phones].Required);
        Assert.Equal(5, schema[ProfileFields.Phones].CompletenessWeight);
        Assert.True(schema["vipLevel"].IsCustomAttribute);
        Assert.False(ProfileSchema.Default[ProfileFields.Phones].Required);
        Assert.Equal(schema.Fields.Length, schema.ToBuilder().Build().Fields.Length);
    }

    [Fact]
    public void Builder_ConfigureUnknownField_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new ProfileSchemaBuilder().Configure("nope", f => f));
    }

    public static TheoryData<string, Action<ProfileSchemaBuilder>> BadConfigurations => new()
    {
        { "renamed", b => b.Configure(ProfileFields.Owner, f => f with { Name = "Boss" }) },
        { "kind changed", b => b.Configure(ProfileFields.Owner, f => f with { Kind = FieldKind.Number }) },
        { "negative weight", b => b.Configure(ProfileFields.Owner, f => f with { CompletenessWeight = -1 }) },
        { "NaN weight", b => b.Configure(ProfileFields.Owner, f => f with { CompletenessWeight = double.NaN }) },
        { "zero max length", b => b.Configure(ProfileFields.Owner, f => f with { MaxLength = 0 }) },
        { "attribute shadows field", b => b.AddCustomAttribute(ProfileFields.Owner, FieldKind.Text) },
        { "duplicate attribute", b => b.AddCustomAttribute("x", FieldKind.Text).AddCustomAttribute("x", FieldKind.Number) },
        { "attribute kind", b => b.AddCustomAttribute("x", FieldKind.EmailList) },
        { "blank key", b => b.AddCustomAttribute(" ", FieldKind.Text) },
        { "control in key", b => b.AddCustomAttribute("a\nb", FieldKind.Text) },
        { "review interval", b => b.ReviewInterval = Duration.Zero },
        { "contact points", b => b.MaxContactPoints = 0 },
        { "region", b => b.DefaultPhoneRegion = (PhoneRegion)42 },
        { "sensitivity", b => b.Configure(ProfileFields.Owner, f => f with { Sensitivity = (FieldSensitivity)9 }) },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void Build_BadConfiguration_ThrowsProfileSchemaException(string what, Action<ProfileSchemaBuilder> configure)
    {
        var builder = new ProfileSchemaBuilder();
        configure(builder);
        var ex = Assert.Throws<ProfileSchemaException>(builder.Build);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
    }
}
