using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Tests.Customers;

public class ProfileCompletenessTests
{
    private static readonly Instant Created = Instant.FromUtc(2026, 1, 1, 0, 0);

    [Fact]
    public void Evaluate_NameOnlyPerson_ScoresNameWeightOverPersonWeights()
    {
        var person = new Customer(new CustomerId("P1"), CustomerKind.Person, "李娜", Created);

        var report = ProfileCompleteness.Evaluate(person, ProfileSchema.Default);

        var personFields = ProfileSchema.Default.Fields.Where(f => f.AppliesToKind(CustomerKind.Person)).ToList();
        Assert.Equal(personFields.Sum(f => f.CompletenessWeight), report.PossibleWeight);
        Assert.Equal(ProfileSchema.Default[ProfileFields.DisplayName].CompletenessWeight, report.EarnedWeight);
        Assert.Equal(report.EarnedWeight / report.PossibleWeight, report.Score, 12);
        Assert.Equal<string>([ProfileFields.DisplayName], report.Present);
        Assert.DoesNotContain(report.Missing, m => m.StartsWith(ProfileFields.Industry, StringComparison.Ordinal));
        Assert.Contains("Emails (2)", report.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FullOrganisation_ScoresOne()
    {
        var org = new Customer(new CustomerId("O1"), CustomerKind.Organisation, "腾飞科技", Created)
        {
            Emails = ["sales@tengfei.cn"],
            Phones = ["+8675512345678"],
            Region = "广东省",
            Industry = "制造业",
            CompanySize = "200-499",
            AcquisitionChannel = "展会",
            Owner = "王芳",
            LastVerifiedAt = Created,
        };

        var report = ProfileCompleteness.Evaluate(org, ProfileSchema.Default);

        Assert.Equal(1.0, report.Score);
        Assert.Empty(report.Missing);
        Assert.EndsWith("nothing missing", report.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CustomAttributeWeights_Count()
    {
        var schema = new ProfileSchemaBuilder().AddCustomAttribute("wechat", FieldKind.Text, completenessWeight: 3).Build();
        var without = new Customer(new CustomerId("P1"), CustomerKind.Person, "李娜", Created);
        var with = without with { CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("wechat", "wx_lina") };
        var blank = without with { CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("wechat", "  ") };

        Assert.Equal(3, ProfileCompleteness.Evaluate(with, schema).EarnedWeight - ProfileCompleteness.Evaluate(without, schema).EarnedWeight);
        Assert.Equal(ProfileCompleteness.Evaluate(without, schema).Score, ProfileCompleteness.Evaluate(blank, schema).Score);
    }

    [Fact]
    public void Evaluate_NoWeightedField_ScoresOne()
    {
        var builder = new ProfileSchemaBuilder();
        foreach (var f in ProfileSchema.Default.Fields)
        {
            builder.Configure(f.Name, x => x with { CompletenessWeight = 0 });
        }

        var report = ProfileCompleteness.Evaluate(new Customer(new CustomerId("P1"), CustomerKind.Person, "x", Created), builder.Build());
        Assert.Equal(1.0, report.Score);
        Assert.Equal(0, report.PossibleWeight);
    }

    [Property(MaxTest = 200)]
    public Property Evaluate_ScoreInUnitIntervalAndMonotone_Holds() =>
        Prop.ForAll(CustomerArbitraries.Customers.ToArbitrary(), c =>
        {
            var report = ProfileCompleteness.Evaluate(c, ProfileSchema.Default);
            var more = ProfileCompleteness.Evaluate(c with { Owner = "王芳", LastVerifiedAt = Created }, ProfileSchema.Default);
            return report.Score is >= 0 and <= 1 && more.Score >= report.Score
                && report.Present.Length + report.Missing.Length == ProfileSchema.Default.Fields.Count(f => f.CompletenessWeight > 0 && f.AppliesToKind(c.Kind));
        });
}
