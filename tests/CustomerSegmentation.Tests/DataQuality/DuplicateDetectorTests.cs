using System.Collections.Immutable;
using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using NodaTime;

namespace CustomerSegmentation.Tests.DataQuality;

public class DuplicateDetectorTests
{
    internal static readonly Instant T0 = Instant.FromUtc(2026, 1, 1, 0, 0);

    internal static Customer Person(string id, string name, string? email = null, string? phone = null, string? org = null, string? region = null, params (string Key, object Value)[] attributes)
    {
        var attrs = attributes.ToImmutableDictionary(a => a.Key, a => a.Value);
        if (org is not null)
        {
            attrs = attrs.SetItem("organisation", org);
        }

        return new Customer(new CustomerId(id), CustomerKind.Person, name, T0)
        {
            Emails = email is null ? [] : [email],
            Phones = phone is null ? [] : [phone],
            Region = region,
            CustomAttributes = attrs,
        };
    }

    private static DuplicateReport Find(params Customer[] customers) => new DuplicateDetector().Find(customers);

    [Theory]
    [InlineData("张 三", "张三")]
    [InlineData("ＺＨＡＮＧ　Ｓａｎ", "zhangsan")]
    [InlineData("José-Müller", "josemuller")]
    [InlineData("O'Brien, Mary", "obrienmary")]
    [InlineData("Ｌｉ・Ｎａ", "lina")]
    [InlineData("", "")]
    public void Fold_Variants_FoldToOneForm(string input, string expected) => Assert.Equal(expected, NameFolding.Fold(input));

    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("dixon", "dicksonx", 0.813)]
    [InlineData("abc", "xyz", 0.0)]
    public void JaroWinkler_PublishedExamples_Match(string a, string b, double expected) =>
        Assert.Equal(expected, JaroWinkler.Similarity(a, b), 3);

    [Fact]
    public void Find_SamePhoneFullWidthDigits_FoundWithPhoneEvidence()
    {
        var report = Find(
            Person("C1", "张三", phone: "+86 138 1234 5678"),
            Person("C2", "张 三", phone: "＋８６１３８１２３４５６７８"));
        var pair = Assert.Single(report.Candidates);
        Assert.Equal(("C1", "C2"), (pair.A.Value, pair.B.Value));
        Assert.Equal("same phone +8613812345678; names 1.00 similar", pair.EvidenceText);
        Assert.Equal(1.0, pair.Score, 6);
    }

    [Fact]
    public void Find_SameEmailDifferentNames_FoundButBelowSimilarNames()
    {
        var report = Find(
            Person("A", "Li Na", email: "li.na@EXAMPLE.com"),
            Person("B", "Wang Fang", email: " li.na@example.com "));
        var pair = Assert.Single(report.Candidates);
        Assert.StartsWith("same email li.na@example.com; names ", pair.EvidenceText, StringComparison.Ordinal);
        Assert.InRange(pair.Score, 0.9, 0.99);
    }

    [Fact]
    public void Find_AccentedNamesSameOrganisation_FoundByFuzzyBlock()
    {
        var report = Find(
            Person("P1", "José Müller", org: "ACME GmbH"),
            Person("P2", "Jose Muller", org: "Acme GmbH"),
            Person("P3", "Anna Schmidt", org: "ACME GmbH"));
        var pair = Assert.Single(report.Candidates);
        Assert.Equal(("P1", "P2"), (pair.A.Value, pair.B.Value));
        Assert.Equal("names 1.00 similar; same organisation ACME GmbH", pair.EvidenceText);
    }

    [Fact]
    public void Find_SimilarNamesWithoutSharedBlock_NotCompared()
    {
        var report = Find(Person("P1", "Jose Muller"), Person("P2", "Jose Muller"));
        Assert.Empty(report.Candidates);
        Assert.Equal(0, report.Comparisons);
    }

    [Fact]
    public void Find_ChineseNamesSameOrganisation_TypoFoundDifferentPersonNot()
    {
        var report = Find(
            Person("K1", "欧阳娜娜", org: "阿里巴巴"),
            Person("K2", "欧阳娜", org: "阿里巴巴"),
            Person("K3", "王芳", org: "阿里巴巴"));
        var pair = Assert.Single(report.Candidates);
        Assert.Equal(("K1", "K2"), (pair.A.Value, pair.B.Value));
        Assert.Equal("names 0.94 similar; same organisation 阿里巴巴", pair.EvidenceText);
    }

    [Fact]
    public void Find_SameRegionOnly_NeedsWeakBlockThreshold()
    {
        var report = Find(
            Person("R1", "欧阳娜娜", region: "浙江"),
            Person("R2", "欧阳娜", region: "浙江"),
            Person("R3", "Ｗａｎｇ Ｆａｎｇ", region: "浙江"),
            Person("R4", "wang fang", region: "浙江"));
        var pair = Assert.Single(report.Candidates);
        Assert.Equal(("R3", "R4"), (pair.A.Value, pair.B.Value));
        Assert.Equal("names 1.00 similar; same region 浙江", pair.EvidenceText);
    }

    [Fact]
    public void Find_CommonNameInBlock_PairsNobodyByNameAlone()
    {
        var report = Find([.. Enumerable.Range(0, 5).Select(i => Person($"W{i}", "张伟", org: "Big"))]);
        Assert.Empty(report.Candidates);
        Assert.Equal(10, report.CommonNamePairsSkipped);
    }

    [Fact]
    public void Find_TransliteratorMapsPinyin_ChineseAndLatinVariantsMatch()
    {
        var pinyin = new Dictionary<string, string>(StringComparer.Ordinal) { ["张三"] = "zhang san" };
        var detector = new DuplicateDetector(new DuplicateDetectionOptions { NameTransliterator = n => pinyin.GetValueOrDefault(n, n) });
        var report = detector.Find([Person("X1", "张三", org: "华为"), Person("X2", "Zhang San", org: "华为"), Person("X3", "张 三", org: "华为")]);
        Assert.Equal(3, report.Candidates.Length);
    }

    [Fact]
    public void Find_OrganisationWithManyContacts_WindowedNotQuadratic()
    {
        var people = Enumerable.Range(0, 3000).Select(i => Person($"E{i:D5}", $"Employee {i:D5} Surname", org: "Big Corp")).ToList();
        people.Add(Person("E99999", "Employee 01234 Surnam", org: "big corp"));
        var report = Find([.. people]);
        Assert.Equal(1, report.WindowedBlocks);
        Assert.True(report.Comparisons <= 3001L * 24, $"{report.Comparisons} comparisons");
        Assert.Contains(report.Candidates, c => c.A.Value == "E01234" && c.B.Value == "E99999");
    }

    [Fact]
    public void Find_SwitchboardPhoneSharedBy60_SkippedAndReported()
    {
        var people = Enumerable.Range(0, 60).Select(i => Person($"S{i:D2}", $"Person{i}", phone: "+86 10 8888 0000")).ToArray();
        var report = Find(people);
        var skipped = Assert.Single(report.SkippedKeys);
        Assert.Equal((DuplicateEvidenceKind.SamePhone, "+861088880000", 60, 50), (skipped.Kind, skipped.Value, skipped.Records, skipped.Limit));
    }

    [Fact]
    public void Find_ExternalIdAndHostRule_Found()
    {
        var detector = new DuplicateDetector(new DuplicateDetectionOptions { Rules = [new AttributeKeyRule("licence_no", "licence")] });
        var report = detector.Find([
            Person("O1", "某某科技有限公司", attributes: [("licence_no", "91 3100 00AB")]),
            Person("O2", "某某科技", attributes: [("licence_no", "913100００ab")]),
            Person("O3", "Foo", attributes: [("external_id", "SF-1")]),
            Person("O4", "Bar", attributes: [("external_id", "sf-1")]),
        ]);
        Assert.Equal(2, report.Candidates.Length);
        Assert.Contains(report.Candidates, c => c.EvidenceText.StartsWith("same licence 91310000ab", StringComparison.Ordinal));
        Assert.Contains(report.Candidates, c => c.EvidenceText.StartsWith("same external id sf1", StringComparison.Ordinal) && c.Score == 1.0);
    }

    [Fact]
    public void Find_InvalidContacts_ListedNotUsed()
    {
        var report = Find(Person("U1", "A", email: "not-an-email", phone: "12345"), Person("U2", "B", email: "not-an-email"));
        Assert.Empty(report.Candidates);
        Assert.Equal(3, report.UnusableContacts.Length);
        Assert.StartsWith("U1: email 'not-an-email'", report.UnusableContacts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Find_DuplicateId_Throws() =>
        Assert.Throws<ArgumentException>(() => Find(Person("D", "x"), Person("D", "y")));

    [Fact]
    public void Options_BadThreshold_ThrowWhenBuilt() =>
        Assert.Throws<DataQualityConfigurationException>(() => new DuplicateDetector(new DuplicateDetectionOptions { Threshold = 1.5 }));
}
