using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CustomerSegmentation.Tests.Customers;

public class CustomerValidatorTests
{
    private static readonly Instant AsOf = Instant.FromUtc(2026, 12, 1, 12, 0);
    private static readonly Instant Created = Instant.FromUtc(2026, 6, 1, 9, 0);
    private static readonly CustomerValidator Validator = new(ProfileSchema.Default);

    private static Customer Person(string name = "张伟") => new(new CustomerId("C001"), CustomerKind.Person, name, Created);

    [Fact]
    public void Validate_CleanChineseCustomer_IsValidAndNormalised()
    {
        var customer = Person("  张伟 ") with
        {
            Emails = [" Zhang.Wei@Example.COM ", "zhang.wei@example.com", "张伟@例子.中国"],
            Phones = ["138 1234 5678", "+86 138-1234-5678", "0755-12345678"],
            Region = " 广东省 ",
            Owner = "",
            Birthday = new Birthday(new AnnualDate(2, 29), 1988),
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("vipLevel", 3).Add("wechat", " wx_zw ").Add("score", 4.5),
        };

        var result = Validator.Validate(customer, AsOf);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var n = result.Normalized;
        Assert.Equal("张伟", n.DisplayName);
        Assert.Equal<string>(["Zhang.Wei@example.com", "zhang.wei@example.com", "张伟@例子.中国"], n.Emails);
        Assert.Equal<string>(["+8613812345678", "+8675512345678"], n.Phones);
        Assert.Equal("广东省", n.Region);
        Assert.Null(n.Owner);
        Assert.Equal(3m, n.CustomAttributes["vipLevel"]);
        Assert.Equal(4.5m, n.CustomAttributes["score"]);
        Assert.Equal("wx_zw", n.CustomAttributes["wechat"]);
        Assert.Same(n, result.GetValueOrThrow());
    }

    [Fact]
    public void Validate_RecordWithManyProblems_ListsEveryProblemWithField()
    {
        var customer = Person("   ") with
        {
            Emails = ["li.na@example", "ok@example.com", "bad\u0000@example.com"],
            Phones = ["12345", "13812345678"],
            Region = new string('x', 10_000),
            Owner = "王\n芳",
            Birthday = new Birthday(new AnnualDate(2, 29), 1990),
            LastVerifiedAt = AsOf + Duration.FromDays(1),
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("tags", new[] { "a" }).Add("ratio", double.NaN),
        };

        var result = Validator.Validate(customer, AsOf);

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                (ProfileFields.DisplayName, ValidationCodes.Required),
                ("Emails[0]", ValidationCodes.InvalidEmail),
                ("Emails[2]", ValidationCodes.ControlCharacter),
                ("Phones[0]", ValidationCodes.InvalidPhone),
                (ProfileFields.Region, ValidationCodes.TooLong),
                (ProfileFields.Owner, ValidationCodes.ControlCharacter),
                (ProfileFields.Birthday, ValidationCodes.InvalidValue),
                (ProfileFields.LastVerifiedAt, ValidationCodes.InFuture),
                ("CustomAttributes[ratio]", ValidationCodes.WrongType),
                ("CustomAttributes[tags]", ValidationCodes.WrongType),
            ],
            result.Problems.Select(p => (p.Field, p.Code)));
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason)));
        Assert.Equal<string>(["li.na@example", "ok@example.com", "bad\u0000@example.com"], result.Normalized.Emails);
        var ex = Assert.Throws<ProfileValidationException>(() => result.GetValueOrThrow());
        Assert.Equal<ValidationProblem>(result.Problems, ex.Problems);
        Assert.Contains("Emails[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProblemReasons_QuoteTheFigures()
    {
        var result = Validator.Validate(Person(new string('名', 201)), AsOf);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("DisplayName: DisplayName has 201 characters, more than the 200 allowed.", problem.ToString());
    }

    [Fact]
    public void Validate_BirthdayAfterAsOf_IsInFuture()
    {
        var result = Validator.Validate(Person() with { Birthday = new Birthday(new AnnualDate(12, 25), 2026) }, AsOf);
        Assert.Equal(ValidationCodes.InFuture, Assert.Single(result.Problems).Code);
    }

    [Theory]
    [InlineData(1849)]
    [InlineData(2027)]
    public void Validate_BirthYearOutOfRange_IsInvalid(int year)
    {
        var result = Validator.Validate(Person() with { Birthday = new Birthday(new AnnualDate(1, 1), year) }, AsOf);
        Assert.Equal(ValidationCodes.InvalidValue, Assert.Single(result.Problems).Code);
    }

    [Fact]
    public void Validate_AuditInstantsOutOfOrder_AreReported()
    {
        var customer = new Customer(new CustomerId("C1"), CustomerKind.Person, "Zoë", AsOf + Duration.FromHours(1)) { UpdatedAt = AsOf };
        var result = Validator.Validate(customer, AsOf);
        Assert.Equal(
            [(ProfileFields.CreatedAt, ValidationCodes.InFuture), (ProfileFields.UpdatedAt, ValidationCodes.InvalidValue)],
            result.Problems.Select(p => (p.Field, p.Code)));
    }

    [Fact]
    public void Validate_TooManyEmails_IsReported()
    {
        var emails = Enumerable.Range(0, 11).Select(i => $"u{i}@example.com").ToImmutableArray();
        var result = Validator.Validate(Person() with { Emails = emails }, AsOf);
        Assert.Equal((ProfileFields.Emails, ValidationCodes.TooMany), Assert.Single(result.Problems) is var p ? (p.Field, p.Code) : default);
    }

    [Fact]
    public void Validate_RequiredFieldsFromSchema_AreEnforcedPerKind()
    {
        var schema = new ProfileSchemaBuilder()
            .Configure(ProfileFields.Phones, f => f with { Required = true })
            .Configure(ProfileFields.Industry, f => f with { Required = true })
            .AddCustomAttribute("taxId", FieldKind.Text, FieldSensitivity.Internal, required: true)
            .Build();
        var validator = new CustomerValidator(schema);

        var person = validator.Validate(Person() with { Phones = ["bad"] }, AsOf);
        var org = validator.Validate(new Customer(new CustomerId("O1"), CustomerKind.Organisation, "腾飞科技", Created), AsOf);

        Assert.Equal(["Phones[0]", ProfileFields.Phones, "CustomAttributes[taxId]"], person.Problems.Select(p => p.Field));
        Assert.Equal([ProfileFields.Phones, ProfileFields.Industry, "CustomAttributes[taxId]"], org.Problems.Select(p => p.Field));
        Assert.All(org.Problems, p => Assert.Equal(ValidationCodes.Required, p.Code));
    }

    [Fact]
    public void Validate_DeclaredAttributeOfWrongKind_IsReported()
    {
        var schema = new ProfileSchemaBuilder().AddCustomAttribute("vipLevel", FieldKind.Number).AddCustomAttribute("since", FieldKind.Date).Build();
        var customer = Person() with
        {
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("vipLevel", "gold").Add("since", new LocalDate(2020, 1, 1)),
        };

        var result = schema.Validate(customer, AsOf);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("CustomAttributes[vipLevel]", ValidationCodes.WrongType), (problem.Field, problem.Code));
        Assert.Contains("Number", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndeclaredAttributeWhenForbidden_IsReported()
    {
        var schema = new ProfileSchemaBuilder { AllowUndeclaredAttributes = false }.Build();
        var result = schema.Validate(Person() with { CustomAttributes = ImmutableDictionary<string, object>.Empty.Add("x", true) }, AsOf);
        Assert.Equal(ValidationCodes.Undeclared, Assert.Single(result.Problems).Code);
    }

    [Fact]
    public void Validate_PhonesUseSchemaRegion()
    {
        var schema = new ProfileSchemaBuilder { DefaultPhoneRegion = PhoneRegion.Germany }.Build();
        var result = schema.Validate(Person() with { Phones = ["030 12345678"] }, AsOf);
        Assert.Equal<string>(["+493012345678"], result.Normalized.Phones);
    }

    [Fact]
    public void Validate_UnicodeNames_AreAccepted()
    {
        foreach (var name in new[] { "欧阳娜娜", "Zoë Ørsted", "Nguyễn Văn A", "😀 Smile Ltd", "株式会社テスト" })
        {
            Assert.True(Validator.Validate(Person(name), AsOf).IsValid, name);
        }
    }

    [Fact]
    public void Validate_DecomposedAccents_AreComposedToNfc()
    {
        var result = Validator.Validate(Person("Zoe\u0308"), AsOf);
        Assert.Equal("Zoë", result.Normalized.DisplayName);
    }

    [Fact]
    public void Validate_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Validator.Validate(null!, AsOf));
        Assert.Throws<ArgumentNullException>(() => new CustomerValidator(null!));
    }

    private static Gen<Customer> HostileCustomers { get; } =
        from name in CustomerArbitraries.HostileStrings
        from email in Gen.OneOf(CustomerArbitraries.HostileStrings, CustomerArbitraries.ValidEmails)
        from phone in Gen.OneOf(CustomerArbitraries.HostileStrings, CustomerArbitraries.ChinesePhones)
        from region in CustomerArbitraries.HostileStrings
        from key in Gen.OneOf(CustomerArbitraries.HostileStrings, Gen.Constant("note"))
        from kind in Gen.Elements((CustomerKind)0, (CustomerKind)1, (CustomerKind)7)
        from year in Gen.Choose(-5, 10_000)
        select new Customer(new CustomerId("H1"), kind, name, Created)
        {
            Emails = [email, email],
            Phones = [phone],
            Region = region,
            Owner = name,
            Birthday = new Birthday(new AnnualDate(2, 29), year),
            CustomAttributes = ImmutableDictionary<string, object>.Empty.Add(key, region).Add("n", (double)year / 7),
        };

    [Property(MaxTest = 200)]
    public Property Validate_AnyHostileCustomer_NeverThrows_Holds() =>
        Prop.ForAll(HostileCustomers.ToArbitrary(), c =>
        {
            var result = Validator.Validate(c, AsOf);
            return result.IsValid == result.Problems.IsEmpty && result.Problems.All(p => p.Field.Length > 0 && p.Reason.Length > 0);
        });

    [Property(MaxTest = 200)]
    public Property Validate_Normalisation_IsIdempotent_Holds() =>
        Prop.ForAll(Gen.OneOf(HostileCustomers, CustomerArbitraries.Customers).ToArbitrary(), c =>
        {
            var first = Validator.Validate(c, AsOf);
            var second = Validator.Validate(first.Normalized, AsOf);
            return second.Normalized.Equals(first.Normalized) && second.Problems.SequenceEqual(first.Problems);
        });

    [Property(MaxTest = 200)]
    public Property Validate_GeneratedRealisticCustomers_AreValid_Holds() =>
        Prop.ForAll(CustomerArbitraries.Customers.ToArbitrary(), c =>
        {
            var r = Validator.Validate(c, AsOf);
            return r.IsValid.Label(string.Join("; ", r.Problems));
        });
}
