using System.Diagnostics;
using CustomerSegmentation.Segments;
using static CustomerSegmentation.Segments.SegmentRules;

namespace CustomerSegmentation.Tests.Segments;

public class SegmentParserTests
{
    private static SegmentRule Parse(string text)
    {
        var result = SegmentParser.Parse(text);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return result.Value!;
    }

    public static TheoryData<string, SegmentRule> Operators => new()
    {
        { "days_since_last_purchase > 60", Field("days_since_last_purchase").GreaterThan(60) },
        { "purchase_count >= 3", Field("purchase_count").AtLeast(3) },
        { "net_spend < 100.50", Field("net_spend").LessThan(100.5m) },
        { "nps <= -1", Field("nps").AtMost(-1) },
        { "region = \"上海\"", Field("region").EqualTo("上海") },
        { "region == \"上海\"", Field("region").EqualTo("上海") },
        { "region != \"上海\"", Field("region").NotEqualTo("上海") },
        { "tier >= \"B\"", TierAtLeast("B") },
        { "stage in (\"active\", \"repeat\")", StageIn("active", "repeat") },
        { "stage not in (\"lost\")", Field("stage").NotIn(SegmentValue.Of("lost")) },
        { "p_alive between 0.2 and 0.8", Field("p_alive").Between(0.2m, 0.8m) },
        { "has_tag(\"Industry/IT\")", HasTag("Industry/IT") },
        { "has_exact_tag(\"it\")", HasExactTag("it") },
        { "attr(\"plan\") = \"gold\"", Attribute("plan").EqualTo("gold") },
        { "is_set(clv)", Field("clv").IsSet() },
        { "is_set(attr(\"plan\"))", Attribute("plan").IsSet() },
        { "marketing_consent", Field("marketing_consent").EqualTo(true) },
        { "marketing_consent = false", Field("marketing_consent").EqualTo(false) },
        { "true", True },
        { "false", False },
        { "not has_tag(\"VIP\")", Not(HasTag("VIP")) },
        { "r = 5 and f = 5", Field("r").EqualTo(5).And(Field("f").EqualTo(5)) },
        { "r = 5 or f = 5", Field("r").EqualTo(5).Or(Field("f").EqualTo(5)) },
        { "r = 1 or r = 2 and f = 3", Field("r").EqualTo(1).Or(Field("r").EqualTo(2).And(Field("f").EqualTo(3))) },
        { "(r = 1 or r = 2) and f = 3", Field("r").EqualTo(1).Or(Field("r").EqualTo(2)).And(Field("f").EqualTo(3)) },
        { "not r = 1 and f = 3", Not(Field("r").EqualTo(1)).And(Field("f").EqualTo(3)) },
        { "TIER >= \"B\" AND Stage IN (\"active\")", TierAtLeast("B").And(StageIn("active")) },
        { "region = \"say \\\"hi\\\"\\n\\u0041\"", Field("region").EqualTo("say \"hi\"\nA") },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void Parse_EachOperator_GivesTheBuiltRule(string text, SegmentRule expected)
    {
        var rule = Parse(text);
        Assert.Equal(expected, rule);
        Assert.Equal(expected, Parse(rule.ToString()));
    }

    [Fact]
    public void Parse_IssueExample_GivesTheConjunctionOfFourClauses()
    {
        var rule = Parse("tier >= \"B\" and stage in (\"active\", \"repeat\") and has_tag(\"Industry/IT\") and days_since_last_purchase > 60");
        var expected = TierAtLeast("B").And(StageIn("active", "repeat")).And(HasTag("Industry/IT")).And(DaysSinceLastPurchaseOver(60));
        Assert.Equal(expected, rule);
        Assert.Equal("tier >= \"B\" and stage in (\"active\", \"repeat\") and has_tag(\"Industry/IT\") and days_since_last_purchase > 60", rule.ToString());
    }

    [Fact]
    public void ToString_RightNestedAnd_KeepsItsParentheses()
    {
        var rule = Field("r").EqualTo(1).And(Field("f").EqualTo(2).And(Field("m").EqualTo(3)));
        Assert.Equal("r = 1 and (f = 2 and m = 3)", rule.ToString());
        Assert.Equal(rule, Parse(rule.ToString()));
    }

    public static TheoryData<string, int, int, string> Malformed => new()
    {
        { "", 1, 1, "expected an expression, found end of input" },
        { "tier >=", 1, 8, "expected a value (number, string, true or false), found end of input" },
        { "tierr = \"B\"", 1, 1, "expected a field, a function or '(', found unknown name 'tierr'" },
        { "tier >= \"B\" and", 1, 16, "expected an expression, found end of input" },
        { "(tier >= \"B\"", 1, 13, "expected ')', found end of input" },
        { "tier >= \"B\")", 1, 12, "expected 'and', 'or' or end of input, found ')'" },
        { "stage in (\"active\" \"repeat\")", 1, 20, "expected ',' or ')', found string \"repeat\"" },
        { "stage in ()", 1, 11, "expected a value (number, string, true or false), found ')'" },
        { "stage in \"active\"", 1, 10, "expected '(', found string \"active\"" },
        { "has_tag(5)", 1, 9, "expected a string (the tag id or path), found number 5" },
        { "has_tag(\"IT\"", 1, 13, "expected ')', found end of input" },
        { "days_since_last_purchase between 10 20", 1, 37, "expected 'and', found number 20" },
        { "region = \"x", 1, 10, "expected '\"' to close the string, found end of input" },
        { "region = \"a\\qb\"", 1, 12, "expected an escape \\\" \\\\ \\n \\r \\t or \\uXXXX, found '\\q'" },
        { "net_spend > 1e5", 1, 13, "expected a number such as 60 or -0.5, found '1e5'" },
        { "tier @ \"B\"", 1, 6, "expected a comparison operator, 'in', 'not in' or 'between' after 'tier', found unexpected character '@'" },
        { "not", 1, 4, "expected an expression, found end of input" },
        { "tier >= \"B\" or or stage = \"new\"", 1, 16, "expected an expression, found 'or'" },
        { "attr(plan) = \"gold\"", 1, 6, "expected a string (the attribute key), found 'plan'" },
        { "purchase_count > 99999999999999999999999999999999", 1, 18, "expected a number between -79228162514264337593543950335 and 79228162514264337593543950335, found '99999999999999999999999999999999'" },
        { "tier >= \"B\"\nand stage in (\"active\",)", 2, 24, "expected a value (number, string, true or false), found ')'" },
        { "= 5", 1, 1, "expected an expression, found '='" },
        { "has_exact_tag \"x\"", 1, 15, "expected '(', found string \"x\"" },
        { "is_set(5)", 1, 8, "expected a field or attr(\"key\"), found number 5" },
        { "region = abc", 1, 10, "expected a value (number, string, true or false), found 'abc'" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_Malformed_ReportsMessageAndPosition(string text, int line, int column, string message)
    {
        var result = SegmentParser.Parse(text);
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal($"line {line}, column {column}: {message}", error.Message);
        Assert.Throws<FormatException>(() => result.GetValueOrThrow());
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOneInTextOrder()
    {
        var result = SegmentParser.Parse("tierr = 1 and stage in () or has_tag(");
        Assert.Equal(
            [
                "line 1, column 1: expected a field, a function or '(', found unknown name 'tierr'",
                "line 1, column 25: expected a value (number, string, true or false), found ')'",
                "line 1, column 38: expected a string (the tag id or path), found end of input",
            ],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Parse_TooDeep_StopsAtTheLimit()
    {
        var text = new string('(', 70) + "true" + new string(')', 70);
        var error = Assert.Single(SegmentParser.Parse(text).Errors);
        Assert.Equal("line 1, column 65: expected at most 64 nested parentheses or 'not's, found deeper nesting", error.Message);
        Assert.True(SegmentParser.Parse(new string('(', 64) + "true" + new string(')', 64)).IsValid);
    }

    [Fact]
    public void Parse_TooLong_IsRejectedWithoutReading()
    {
        var error = Assert.Single(SegmentParser.Parse(new string('a', SegmentParser.MaxLength + 1)).Errors);
        Assert.Equal("line 1, column 1: expected at most 65536 characters, found 65537 characters", error.Message);
    }

    [Fact]
    public void Parse_ManyMistakes_StopsAtMaxErrors()
    {
        var text = string.Join(" and ", Enumerable.Repeat("x", 200));
        var result = SegmentParser.Parse(text);
        Assert.Equal(SegmentParser.MaxErrors, result.Errors.Length);
    }

    [Fact]
    public void Parse_FuzzedStrings_NeverThrowAndStayFast()
    {
        var rng = new Random(20261202);
        const string alphabet = "()\",=<>!-._\\ \n\tabdefginorstuvx0123456789高😀@#";
        string[] words = ["and", "or", "not", "in", "between", "tier", "stage", "has_tag", "attr", "is_set", "\"B\"", "60", "(", ")", ",", ">=", "="];
        var seeds = Operators.Select(r => (string)r[0]).ToArray();
        var watch = Stopwatch.StartNew();
        var valid = 0;
        for (var i = 0; i < 40_000; i++)
        {
            string text;
            switch (i % 3)
            {
                case 0:
                    text = new string([.. Enumerable.Range(0, rng.Next(0, 60)).Select(_ => alphabet[rng.Next(alphabet.Length)])]);
                    break;
                case 1:
                    text = string.Join(' ', Enumerable.Range(0, rng.Next(0, 25)).Select(_ => words[rng.Next(words.Length)]));
                    break;
                default:
                    var chars = seeds[rng.Next(seeds.Length)].ToCharArray();
                    for (var k = rng.Next(1, 4); k > 0 && chars.Length > 0; k--)
                    {
                        chars[rng.Next(chars.Length)] = (char)rng.Next(0, 0x3000);
                    }

                    text = new string(chars);
                    break;
            }

            var result = SegmentParser.Parse(text);
            Assert.Equal(result.IsValid, result.Value is not null);
            Assert.True(result.IsValid || result.Errors.All(e => e.Line >= 1 && e.Column >= 1 && e.Offset <= text.Length));
            if (result.IsValid)
            {
                valid++;
                Assert.Equal(result.Value, SegmentParser.Parse(result.Value!.ToString()).Value);
            }
        }

        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 20);
        Assert.True(valid > 0, "the fuzzer never produced a valid expression");
    }

    [Fact]
    public void Parse_HugeFlatConjunction_IsLinear()
    {
        var text = string.Join(" and ", Enumerable.Repeat("r = 1", 5_000));
        var watch = Stopwatch.StartNew();
        var result = SegmentParser.Parse(text);
        Assert.True(result.IsValid);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0, 5);
    }
}
