using System.Collections.Immutable;

namespace CustomerSegmentation.Segments;

/// <summary>One error found by <see cref="SegmentParser.Parse"/>, with its position in the text.</summary>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1, in UTF-16 code units (a tab counts as one).</param>
/// <param name="Offset">The offset in the text, from 0.</param>
/// <param name="Expected">What the parser expected there, e.g. <c>')'</c> or <c>a value (number, string, true or false)</c>.</param>
/// <param name="Found">What it found, e.g. <c>end of input</c>, <c>'tierr'</c>, <c>number 5</c>.</param>
public sealed record SegmentParseError(int Line, int Column, int Offset, string Expected, string Found)
{
    /// <summary>Gets the error as one sentence: <c>line 1, column 9: expected a value (number, string, true or false), found end of input</c>.</summary>
    public string Message => $"line {Line}, column {Column}: expected {Expected}, found {Found}";

    /// <summary>Returns <see cref="Message"/>.</summary>
    /// <returns>The message.</returns>
    public override string ToString() => Message;
}

/// <summary>The outcome of parsing a segment expression: the rule, or every error found.</summary>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed record SegmentParseResult
{
    internal SegmentParseResult(string text, SegmentRule? value, ImmutableArray<SegmentParseError> errors)
    {
        Text = text;
        Value = errors.IsEmpty ? value : null;
        Errors = errors;
    }

    /// <summary>Gets the parsed text.</summary>
    public string Text { get; }

    /// <summary>Gets the rule; <see langword="null"/> when there are errors.</summary>
    public SegmentRule? Value { get; }

    /// <summary>Gets every error, in text order (at most <see cref="SegmentParser.MaxErrors"/>); empty when the text parsed.</summary>
    public ImmutableArray<SegmentParseError> Errors { get; }

    /// <summary>Gets whether the text parsed.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>Returns the rule or throws.</summary>
    /// <returns>The rule.</returns>
    /// <exception cref="FormatException">The text has errors; the message lists them all.</exception>
    public SegmentRule GetValueOrThrow() => Value ?? throw new FormatException(
        $"The segment expression has {Errors.Length} error(s): {string.Join("; ", Errors.Select(e => e.Message))}");
}
