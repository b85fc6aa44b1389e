using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace CustomerSegmentation.Segments;

/// <summary>
/// A hand-written recursive-descent parser for the segment expression language (grammar in <c>docs/segments.md</c>).
/// It never throws on any text: it returns a <see cref="SegmentParseResult"/> with every error and its position.
/// </summary>
/// <remarks>
/// Work is linear in the length of the text: the text is limited to <see cref="MaxLength"/> characters, nesting
/// (parentheses and <c>not</c>) to <see cref="MaxDepth"/> levels, and the report to <see cref="MaxErrors"/> errors.
/// After an error the parser skips to the next <c>and</c>, <c>or</c> or <c>)</c> and goes on, so one run reports all
/// independent mistakes.
/// </remarks>
/// <threadsafety>Stateless; safe to call from several threads.</threadsafety>
public static class SegmentParser
{
    /// <summary>The longest text accepted, in UTF-16 code units.</summary>
    public const int MaxLength = 65_536;

    /// <summary>The deepest nesting of parentheses and <c>not</c> accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most errors reported for one text.</summary>
    public const int MaxErrors = 50;

    /// <summary>Parses an expression.</summary>
    /// <param name="text">The expression, e.g. <c>tier &gt;= "B" and stage in ("active", "repeat")</c>.</param>
    /// <returns>The rule, or every error found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static SegmentParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            var tooLong = new SegmentParseError(1, 1, 0, $"at most {MaxLength} characters", $"{text.Length} characters");
            return new SegmentParseResult(text, null, [tooLong]);
        }

        var parser = new Parser(text);
        var rule = parser.ParseAll();
        return new SegmentParseResult(text, rule, parser.Errors.ToImmutable());
    }

    private enum TokenKind
    {
        End,
        Identifier,
        Number,
        String,
        LeftParen,
        RightParen,
        Comma,
        Operator,
        Invalid,
    }

    private readonly record struct Token(TokenKind Kind, int Offset, int Length, string Text, decimal Number, SegmentComparison Op, string? Problem, string? ProblemExpected);

    private sealed class Parser
    {
        private readonly string _text;
        private readonly List<Token> _tokens = [];
        private readonly List<int> _lineStarts = [0];
        private int _pos;
        private int _depth;
        private bool _abandoned;

        public Parser(string text)
        {
            _text = text;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }

            Lex();
        }

        public ImmutableArray<SegmentParseError>.Builder Errors { get; } = ImmutableArray.CreateBuilder<SegmentParseError>();

        private Token Current => _tokens[_pos];

        public SegmentRule ParseAll()
        {
            var rule = ParseOr();
            while (Current.Kind != TokenKind.End && !_abandoned)
            {
                if (IsKeyword(Current, "and") || IsKeyword(Current, "or"))
                {
                    // After a stray token, go on reading "and ..." / "or ..." so that later mistakes are reported too.
                    Advance();
                    ParseAnd();
                    continue;
                }

                Error(Current, "'and', 'or' or end of input");
                do
                {
                    Advance();
                }
                while (Current.Kind != TokenKind.End && !IsKeyword(Current, "and") && !IsKeyword(Current, "or"));
            }

            return rule;
        }

        private SegmentRule ParseOr()
        {
            var left = ParseAnd();
            while (!_abandoned && IsKeyword(Current, "or"))
            {
                Advance();
                left = new OrRule(left, ParseAnd());
            }

            return left;
        }

        private SegmentRule ParseAnd()
        {
            var left = ParseUnary();
            while (!_abandoned && IsKeyword(Current, "and"))
            {
                Advance();
                left = new AndRule(left, ParseUnary());
            }

            return left;
        }

        private SegmentRule ParseUnary()
        {
            if (_abandoned)
            {
                return SegmentRules.False;
            }

            if (IsKeyword(Current, "not"))
            {
                var notToken = Current;
                if (!Enter(notToken))
                {
                    return SegmentRules.False;
                }

                Advance();
                var operand = ParseUnary();
                _depth--;
                return new NotRule(operand);
            }

            return ParsePrimary();
        }

        private bool Enter(Token at)
        {
            if (++_depth <= MaxDepth)
            {
                return true;
            }

            Error(at, $"at most {MaxDepth} nested parentheses or 'not's", "deeper nesting");
            _abandoned = true;
            _pos = _tokens.Count - 1;
            return false;
        }

        private SegmentRule ParsePrimary()
        {
            var t = Current;
            switch (t.Kind)
            {
                case TokenKind.LeftParen:
                {
                    if (!Enter(t))
                    {
                        return SegmentRules.False;
                    }

                    Advance();
                    var inner = ParseOr();
                    _depth--;
                    if (!_abandoned)
                    {
                        Expect(TokenKind.RightParen, "')'");
                    }

                    return inner;
                }

                case TokenKind.Identifier:
                    return ParseNamed(t);
                default:
                    return Fail(t, "an expression");
            }
        }

        private SegmentRule ParseNamed(Token t)
        {
            var name = t.Text;
            switch (name)
            {
                case "true":
                    Advance();
                    return SegmentRules.True;
                case "false":
                    Advance();
                    return SegmentRules.False;
                case SegmentFields.HasTagFunction:
                case SegmentFields.HasExactTagFunction:
                {
                    Advance();
                    if (!Expect(TokenKind.LeftParen, "'('"))
                    {
                        return Recover();
                    }

                    if (Current.Kind != TokenKind.String)
                    {
                        return Fail(Current, "a string (the tag id or path)", 1);
                    }

                    var tag = Current.Text;
                    Advance();
                    return Expect(TokenKind.RightParen, "')'") ? new HasTagRule(tag, name == SegmentFields.HasTagFunction) : Recover(1);
                }

                case SegmentFields.IsSetFunction:
                {
                    Advance();
                    if (!Expect(TokenKind.LeftParen, "'('"))
                    {
                        return Recover();
                    }

                    var operand = ParseOperand(out var opened);
                    if (operand is null)
                    {
                        return Recover(1 + opened);
                    }

                    return Expect(TokenKind.RightParen, "')'") ? new IsSetRule(operand) : Recover(1);
                }

                default:
                {
                    if (IsReserved(name))
                    {
                        return Fail(t, "an expression");
                    }

                    var operand = ParseOperand(out var opened);
                    if (operand is null)
                    {
                        Recover(opened);
                        return Recover(); // and the comparison that followed the bad operand
                    }

                    return ParseComparison(operand);
                }
            }
        }

        private SegmentOperand? ParseOperand(out int opened)
        {
            opened = 0;
            var t = Current;
            if (t.Kind == TokenKind.Identifier && t.Text == SegmentFields.AttributeFunction)
            {
                Advance();
                if (!Expect(TokenKind.LeftParen, "'('"))
                {
                    return null;
                }

                opened = 1;
                if (Current.Kind != TokenKind.String)
                {
                    Error(Current, "a string (the attribute key)");
                    return null;
                }

                var key = Current.Text;
                Advance();
                if (!Expect(TokenKind.RightParen, "')'"))
                {
                    return null;
                }

                opened = 0;
                return SegmentOperand.Attribute(key);
            }

            if (t.Kind == TokenKind.Identifier && SegmentFields.Find(t.Text) is not null)
            {
                Advance();
                return SegmentOperand.Field(t.Text);
            }

            Error(t, t.Kind == TokenKind.Identifier && !IsReserved(t.Text) ? "a field, a function or '('" : "a field or attr(\"key\")",
                t.Kind == TokenKind.Identifier && !IsReserved(t.Text) ? $"unknown name '{Show(t)}'" : null);
            return null;
        }

        private SegmentRule ParseComparison(SegmentOperand operand)
        {
            var t = Current;
            if (t.Kind == TokenKind.Operator)
            {
                Advance();
                var value = ParseValue();
                return value is { } v ? new ComparisonRule(operand, t.Op, v) : Recover();
            }

            if (IsKeyword(t, "in"))
            {
                Advance();
                return ParseList(operand, false);
            }

            if (IsKeyword(t, "not") && _pos + 1 < _tokens.Count && IsKeyword(_tokens[_pos + 1], "in"))
            {
                Advance();
                Advance();
                return ParseList(operand, true);
            }

            if (IsKeyword(t, "between"))
            {
                Advance();
                var low = ParseValue();
                if (low is null)
                {
                    return Recover();
                }

                if (!IsKeyword(Current, "and"))
                {
                    return Fail(Current, "'and'");
                }

                Advance();
                var high = ParseValue();
                return high is { } h ? new BetweenRule(operand, low.Value, h) : Recover();
            }

            if (!operand.IsAttribute && SegmentFields.Find(operand.Name)?.Kind == SegmentFieldKind.Boolean)
            {
                // A bare boolean field reads as "= true": marketing_consent and ...
                return new ComparisonRule(operand, SegmentComparison.Equal, SegmentValue.Of(true));
            }

            return Fail(t, $"a comparison operator, 'in', 'not in' or 'between' after '{operand}'");
        }

        private SegmentRule ParseList(SegmentOperand operand, bool negated)
        {
            if (!Expect(TokenKind.LeftParen, "'('"))
            {
                return Recover();
            }

            var values = ImmutableArray.CreateBuilder<SegmentValue>();
            while (true)
            {
                var v = ParseValue();
                if (v is null)
                {
                    return Recover(1);
                }

                values.Add(v.Value);
                if (Current.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }

                if (Current.Kind == TokenKind.RightParen)
                {
                    Advance();
                    return new InRule(operand, values.ToImmutable(), negated);
                }

                return Fail(Current, "',' or ')'", 1);
            }
        }

        private SegmentValue? ParseValue()
        {
            var t = Current;
            switch (t.Kind)
            {
                case TokenKind.Number:
                    Advance();
                    return SegmentValue.Of(t.Number);
                case TokenKind.String:
                    Advance();
                    return SegmentValue.Of(t.Text);
                case TokenKind.Identifier when t.Text is "true" or "false":
                    Advance();
                    return SegmentValue.Of(t.Text == "true");
                default:
                    Error(t, "a value (number, string, true or false)");
                    return null;
            }
        }

        private bool Expect(TokenKind kind, string expected)
        {
            if (Current.Kind == kind)
            {
                Advance();
                return true;
            }

            Error(Current, expected);
            return false;
        }

        private SegmentRule Fail(Token at, string expected, int open = 0)
        {
            Error(at, expected);
            return Recover(open);
        }

        // Skips to the next token that can continue the enclosing expression (and, or, ')' or the end), always
        // consuming the offending token so that every loop makes progress.
        private SegmentRule Recover(int open = 0)
        {
            while (Current.Kind != TokenKind.End && !IsKeyword(Current, "and") && !IsKeyword(Current, "or"))
            {
                var t = Current;
                if (t.Kind == TokenKind.RightParen)
                {
                    if (open == 0)
                    {
                        break; // it closes an enclosing group: leave it to that group
                    }

                    open--;
                    Advance();
                    if (open == 0)
                    {
                        break;
                    }

                    continue;
                }

                if (t.Kind == TokenKind.LeftParen)
                {
                    open++;
                }

                Advance();
            }

            return SegmentRules.False;
        }

        private void Error(Token at, string expected, string? found = null)
        {
            if (at.Kind == TokenKind.Invalid)
            {
                expected = at.ProblemExpected ?? expected;
                found = at.Problem;
            }

            if (Errors.Count > 0 && Errors[^1].Offset == at.Offset)
            {
                return; // one error per position: recovery may meet the same bad token twice
            }

            if (Errors.Count >= MaxErrors)
            {
                _abandoned = true;
                _pos = _tokens.Count - 1;
                return;
            }

            var line = _lineStarts.BinarySearch(at.Offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            Errors.Add(new SegmentParseError(line + 1, at.Offset - _lineStarts[line] + 1, at.Offset, expected, found ?? Describe(at)));
        }

        private void Advance()
        {
            if (_pos < _tokens.Count - 1)
            {
                _pos++;
            }
        }

        private static bool IsKeyword(Token t, string keyword) => t.Kind == TokenKind.Identifier && t.Text == keyword;

        private static bool IsReserved(string name) => name is "and" or "or" or "not" or "in" or "between" or "true" or "false";

        private string Show(Token t) => _text.Substring(t.Offset, Math.Min(t.Length, 40));

        private string Describe(Token t) => t.Kind switch
        {
            TokenKind.End => "end of input",
            TokenKind.Number => $"number {Show(t)}",
            TokenKind.String => $"string {Show(t)}",
            _ => $"'{Show(t)}'",
        };

        private void Lex()
        {
            var s = _text;
            var i = 0;
            while (i < s.Length)
            {
                var c = s[i];
                if (c is ' ' or '\t' or '\r' or '\n')
                {
                    i++;
                    continue;
                }

                var start = i;
                if (char.IsAsciiLetter(c) || c == '_')
                {
                    while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
                    {
                        i++;
                    }

                    // Keywords, fields and functions are case-insensitive; they are kept in lower case.
                    Add(TokenKind.Identifier, start, i - start, s[start..i].ToLowerInvariant());
                }
                else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
                {
                    i++;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }

                    if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                    {
                        i++;
                        while (i < s.Length && char.IsAsciiDigit(s[i]))
                        {
                            i++;
                        }
                    }

                    if (i < s.Length && (char.IsAsciiLetter(s[i]) || s[i] == '_' || s[i] == '.'))
                    {
                        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_' || s[i] == '.'))
                        {
                            i++;
                        }

                        AddInvalid(start, i - start, "a number such as 60 or -0.5", $"'{Clip(s[start..i])}'");
                    }
                    else if (decimal.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                    {
                        _tokens.Add(new Token(TokenKind.Number, start, i - start, string.Empty, number, default, null, null));
                    }
                    else
                    {
                        AddInvalid(start, i - start, "a number between -79228162514264337593543950335 and 79228162514264337593543950335", $"'{Clip(s[start..i])}'");
                    }
                }
                else if (c == '"')
                {
                    i = LexString(start);
                }
                else
                {
                    i++;
                    switch (c)
                    {
                        case '(':
                            Add(TokenKind.LeftParen, start, 1, "(");
                            break;
                        case ')':
                            Add(TokenKind.RightParen, start, 1, ")");
                            break;
                        case ',':
                            Add(TokenKind.Comma, start, 1, ",");
                            break;
                        case '=':
                            if (i < s.Length && s[i] == '=')
                            {
                                i++;
                            }

                            AddOp(start, i - start, SegmentComparison.Equal);
                            break;
                        case '!' when i < s.Length && s[i] == '=':
                            i++;
                            AddOp(start, 2, SegmentComparison.NotEqual);
                            break;
                        case '<' or '>':
                            var orEqual = i < s.Length && s[i] == '=';
                            if (orEqual)
                            {
                                i++;
                            }

                            AddOp(start, i - start, c == '<'
                                ? orEqual ? SegmentComparison.LessOrEqual : SegmentComparison.Less
                                : orEqual ? SegmentComparison.GreaterOrEqual : SegmentComparison.Greater);
                            break;
                        default:
                            if (char.IsHighSurrogate(c) && i < s.Length && char.IsLowSurrogate(s[i]))
                            {
                                i++;
                            }

                            AddInvalid(start, i - start, null, $"unexpected character '{Printable(s[start..i])}'");
                            break;
                    }
                }
            }

            _tokens.Add(new Token(TokenKind.End, s.Length, 0, string.Empty, 0m, default, null, null));
        }

        private int LexString(int start)
        {
            var s = _text;
            var sb = new StringBuilder();
            var i = start + 1;
            while (i < s.Length)
            {
                var c = s[i];
                if (c == '"')
                {
                    Add(TokenKind.String, start, i + 1 - start, sb.ToString());
                    return i + 1;
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    i++;
                    continue;
                }

                if (i + 1 >= s.Length)
                {
                    break;
                }

                var e = s[i + 1];
                switch (e)
                {
                    case '"': sb.Append('"'); i += 2; continue;
                    case '\\': sb.Append('\\'); i += 2; continue;
                    case 'n': sb.Append('\n'); i += 2; continue;
                    case 'r': sb.Append('\r'); i += 2; continue;
                    case 't': sb.Append('\t'); i += 2; continue;
                    case 'u' when i + 5 < s.Length && ushort.TryParse(s.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                        sb.Append((char)code);
                        i += 6;
                        continue;
                    default:
                        // Report at the escape, then skip the rest of the string so that its end is not read as a new one.
                        var end = s.IndexOf('"', i + 2);
                        AddInvalid(i, 2, "an escape \\\" \\\\ \\n \\r \\t or \\uXXXX", $"'\\{Printable(e.ToString())}'");
                        return end < 0 ? s.Length : end + 1;
                }
            }

            AddInvalid(start, s.Length - start, "'\"' to close the string", "end of input");
            return s.Length;
        }

        private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

        private static string Printable(string text) => text.Length == 1 && char.IsControl(text[0])
            ? "\\u" + ((int)text[0]).ToString("x4", CultureInfo.InvariantCulture)
            : char.IsSurrogate(text[0]) && text.Length == 1 ? "\\u" + ((int)text[0]).ToString("x4", CultureInfo.InvariantCulture) : text;

        private void Add(TokenKind kind, int offset, int length, string text) => _tokens.Add(new Token(kind, offset, length, text, 0m, default, null, null));

        private void AddOp(int offset, int length, SegmentComparison op) => _tokens.Add(new Token(TokenKind.Operator, offset, length, string.Empty, 0m, op, null, null));

        private void AddInvalid(int offset, int length, string? expected, string problem) =>
            _tokens.Add(new Token(TokenKind.Invalid, offset, length, string.Empty, 0m, default, problem, expected));
    }
}
