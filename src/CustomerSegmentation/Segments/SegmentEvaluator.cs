using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NodaTime;

namespace CustomerSegmentation.Segments;

/// <summary>
/// A bound rule compiled against one population and one as-of instant: a tree of nodes that fill membership bitsets one
/// block of <see cref="BlockWords"/> × 64 customers at a time (leaves read one column with SIMD compares; and/or stop
/// early when a block is already decided), and that can also test and describe one customer for explanations.
/// </summary>
internal abstract class EvalNode(SegmentRule source)
{
    public const int BlockWords = 64;

    public SegmentRule Source { get; } = source;

    /// <summary>Writes the bits of customers [64 * firstWord, 64 * (firstWord + dest.Length)); bits past the population are unspecified.</summary>
    public abstract void Eval(int firstWord, Span<ulong> dest);

    public abstract bool Test(int ordinal);

    /// <summary>What the customer's value is, for explanations; null for inner nodes.</summary>
    public virtual string? Observe(int ordinal) => null;

    public virtual IReadOnlyList<EvalNode> Children => [];

    public static EvalNode Compile(BoundRule rule, ISegmentColumnSource population, Instant asOf, Dictionary<string, ulong[]> tagCache) => rule switch
    {
        BoundConstant c => new ConstNode(c.Source, c.Value),
        BoundAnd a => new AndNode(a.Source, [.. a.Operands.Select(o => Compile(o, population, asOf, tagCache))]),
        BoundOr o => new OrNode(o.Source, [.. o.Operands.Select(x => Compile(x, population, asOf, tagCache))]),
        BoundNot n => new NotNode(n.Source, Compile(n.Operand, population, asOf, tagCache)),
        BoundRange r => CompileRange(r, population, asOf),
        BoundLevels l => CompileLevels(l, population),
        BoundTexts t => CompileTexts(t.Source, t.Operand.IsAttribute ? population.Attribute(t.Operand.Name)?.Texts : population.Column(t.Operand.Name) as TextColumn, t.Values, t.Negated, t.Operand),
        BoundTags t => CompileTags(t, population, asOf, tagCache),
        BoundIsSet s => CompileIsSet(s, population),
        _ => throw new ArgumentException($"Unknown bound rule {rule.GetType().Name}.", nameof(rule)),
    };

    private static EvalNode CompileRange(BoundRange r, ISegmentColumnSource population, Instant asOf)
    {
        var column = r.Operand.IsAttribute ? population.Attribute(r.Operand.Name)?.Numbers : population.Column(r.Operand.Name);
        switch (column)
        {
            case DoubleColumn d:
            {
                var lo = r.Low is { } l ? (double)l : double.NegativeInfinity;
                var hi = r.High is { } h ? (double)h : double.PositiveInfinity;
                if (r.Low is not null && !r.LowInclusive)
                {
                    lo = Math.BitIncrement(lo);
                }

                if (r.High is not null && !r.HighInclusive)
                {
                    hi = Math.BitDecrement(hi);
                }

                return new DoubleRangeNode(r.Source, r.Operand.ToString(), d.Values, lo, hi, r.Outside);
            }

            case IntColumn i:
            {
                // Whole-number bounds: x > 2.5 is x >= 3; x < 3 is x <= 2. Computed in decimal, clamped to a safe long span.
                var lo = r.Low is { } l ? (long)Clamp(r.LowInclusive ? Math.Ceiling(l) : Math.Floor(l) + 1) : long.MinValue / 4;
                var hi = r.High is { } h ? (long)Clamp(r.HighInclusive ? Math.Floor(h) : Math.Ceiling(h) - 1) : long.MaxValue / 4;
                var day = 0;
                if (i.IsDay)
                {
                    // days = asOfDay - value, so days in [lo, hi] is value in [asOfDay - hi, asOfDay - lo].
                    day = IntColumn.EpochDay(asOf);
                    (lo, hi) = (day - hi, day - lo);
                }

                lo = Math.Max(lo, IntColumn.Missing + 1L);
                hi = Math.Min(hi, int.MaxValue);
                return new IntRangeNode(r.Source, r.Operand.ToString(), i.Values, (int)Math.Min(lo, int.MaxValue), (int)Math.Max(hi, IntColumn.Missing), lo <= hi, r.Outside, i.IsDay ? day : null);
            }

            default:
                return new ConstNode(r.Source, false);
        }
    }

    private static decimal Clamp(decimal v) => Math.Clamp(v, -1_000_000_000_000m, 1_000_000_000_000m);

    private static EvalNode CompileLevels(BoundLevels l, ISegmentColumnSource population)
    {
        var column = l.Operand.IsAttribute ? population.Attribute(l.Operand.Name)?.Booleans : population.Column(l.Operand.Name) as ByteColumn;
        if (column is null)
        {
            return new ConstNode(l.Source, false);
        }

        var table = new byte[256];
        for (var k = 0; k < l.Allowed.Length && k < ByteColumn.Missing; k++)
        {
            table[k] = l.Allowed[k] ? (byte)1 : (byte)0;
        }

        return new ByteTableNode(l.Source, l.Operand.ToString(), column.Values, table, l.Names);
    }

    private static EvalNode CompileTexts(SegmentRule source, TextColumn? column, string[] values, bool negated, SegmentOperand operand)
    {
        if (column is null)
        {
            return new ConstNode(source, false);
        }

        var table = new byte[column.Dictionary.Count];
        foreach (var v in values)
        {
            var code = column.CodeOf(v);
            if (code > 0)
            {
                table[code] = 1;
            }
        }

        if (negated)
        {
            for (var k = 1; k < table.Length; k++)
            {
                table[k] ^= 1;
            }
        }

        return new CodeTableNode(source, operand.ToString(), column, table);
    }

    private static EvalNode CompileTags(BoundTags t, ISegmentColumnSource population, Instant asOf, Dictionary<string, ulong[]> cache)
    {
        var key = string.Join('\u0001', t.Tags.Select(x => x.Value));
        if (!cache.TryGetValue(key, out var bits))
        {
            bits = new ulong[(population.Count + 63) >> 6];
            var ticks = asOf.ToUnixTimeTicks();
            foreach (var tag in t.Tags)
            {
                population.OrHolders(tag, bits, ticks);
            }

            cache.Add(key, bits);
        }

        return new BitsNode(t.Source, bits, t.Tags);
    }

    private static EvalNode CompileIsSet(BoundIsSet s, ISegmentColumnSource population)
    {
        var rule = s.Source;
        if (!s.Operand.IsAttribute)
        {
            return population.Column(s.Operand.Name) switch
            {
                IntColumn i => new IntRangeNode(rule, s.Operand.ToString(), i.Values, IntColumn.Missing + 1, int.MaxValue, true, false, null),
                DoubleColumn d => new DoubleRangeNode(rule, s.Operand.ToString(), d.Values, double.NegativeInfinity, double.PositiveInfinity, false),
                ByteColumn b => new ByteTableNode(rule, s.Operand.ToString(), b.Values, AllButMissing(), null),
                TextColumn t => CompileTexts(rule, t, [], true, s.Operand),
                _ => new ConstNode(rule, false),
            };
        }

        var columns = population.Attribute(s.Operand.Name);
        var parts = new List<EvalNode>();
        if (columns?.Numbers is { } n && s.Slot is null or SegmentValueKind.Number)
        {
            parts.Add(new DoubleRangeNode(rule, s.Operand.ToString(), n.Values, double.NegativeInfinity, double.PositiveInfinity, false));
        }

        if (columns?.Texts is { } tx && s.Slot is null or SegmentValueKind.Text)
        {
            parts.Add(CompileTexts(rule, tx, [], true, s.Operand));
        }

        if (columns?.Booleans is { } bo && s.Slot is null or SegmentValueKind.Boolean)
        {
            parts.Add(new ByteTableNode(rule, s.Operand.ToString(), bo.Values, AllButMissing(), ["false", "true"]));
        }

        return parts.Count switch
        {
            0 => new ConstNode(rule, false),
            1 => parts[0],
            _ => new OrNode(rule, [.. parts]),
        };
    }

    private static byte[] AllButMissing()
    {
        var table = new byte[256];
        Array.Fill(table, (byte)1, 0, ByteColumn.Missing);
        return table;
    }

    protected static int Valid(int length, int firstWord, int words) => Math.Clamp(length - (firstWord << 6), 0, words << 6);
}

internal sealed class ConstNode(SegmentRule source, bool value) : EvalNode(source)
{
    public override void Eval(int firstWord, Span<ulong> dest) => dest.Fill(value ? ulong.MaxValue : 0UL);

    public override bool Test(int ordinal) => value;
}

internal sealed class AndNode(SegmentRule source, EvalNode[] children) : EvalNode(source)
{
    private readonly ulong[] _scratch = new ulong[BlockWords];

    public override IReadOnlyList<EvalNode> Children => children;

    public override void Eval(int firstWord, Span<ulong> dest)
    {
        children[0].Eval(firstWord, dest);
        var tmp = _scratch.AsSpan(0, dest.Length);
        for (var c = 1; c < children.Length; c++)
        {
            if (!dest.ContainsAnyExcept(0UL))
            {
                return; // nobody left in this block: the remaining operands cannot add anyone
            }

            children[c].Eval(firstWord, tmp);
            for (var w = 0; w < dest.Length; w++)
            {
                dest[w] &= tmp[w];
            }
        }
    }

    public override bool Test(int ordinal) => children.All(c => c.Test(ordinal));
}

internal sealed class OrNode(SegmentRule source, EvalNode[] children) : EvalNode(source)
{
    private readonly ulong[] _scratch = new ulong[BlockWords];

    public override IReadOnlyList<EvalNode> Children => children;

    public override void Eval(int firstWord, Span<ulong> dest)
    {
        children[0].Eval(firstWord, dest);
        var tmp = _scratch.AsSpan(0, dest.Length);
        for (var c = 1; c < children.Length; c++)
        {
            if (!dest.ContainsAnyExcept(ulong.MaxValue))
            {
                return; // everyone is in already
            }

            children[c].Eval(firstWord, tmp);
            for (var w = 0; w < dest.Length; w++)
            {
                dest[w] |= tmp[w];
            }
        }
    }

    public override bool Test(int ordinal) => children.Any(c => c.Test(ordinal));
}

internal sealed class NotNode(SegmentRule source, EvalNode child) : EvalNode(source)
{
    public override IReadOnlyList<EvalNode> Children => [child];

    public override void Eval(int firstWord, Span<ulong> dest)
    {
        child.Eval(firstWord, dest);
        for (var w = 0; w < dest.Length; w++)
        {
            dest[w] = ~dest[w];
        }
    }

    public override bool Test(int ordinal) => !child.Test(ordinal);
}

/// <summary>value in [lo, hi] (or, when outside, set and not in it) over an int column; int.MinValue is missing.</summary>
internal sealed class IntRangeNode(SegmentRule source, string name, int[] values, int lo, int hi, bool nonEmpty, bool outside, int? asOfDay) : EvalNode(source)
{
    private readonly uint _span = nonEmpty ? unchecked((uint)(hi - lo)) : 0;

    public override void Eval(int firstWord, Span<ulong> dest)
    {
        var valid = Valid(values.Length, firstWord, dest.Length);
        var start = firstWord << 6;
        if (!nonEmpty)
        {
            // Nothing is inside an empty range; "outside" it is everyone with a value.
            var node = new IntRangeNode(Source, name, values, IntColumn.Missing + 1, int.MaxValue, true, false, asOfDay);
            if (outside)
            {
                node.Eval(firstWord, dest);
            }
            else
            {
                dest.Clear();
            }

            return;
        }

        ref var p = ref MemoryMarshal.GetArrayDataReference(values);
        var full = valid >> 6;
        var w = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vlo = Vector256.Create(lo);
            var vspan = Vector256.Create(_span);
            var vmissing = Vector256.Create(IntColumn.Missing);
            for (; w < full; w++)
            {
                ref var q = ref Unsafe.Add(ref p, start + (w << 6));
                ulong m = 0;
                for (var k = 0; k < 8; k++)
                {
                    var v = Vector256.LoadUnsafe(ref q, (nuint)(k * 8));
                    var d = (v - vlo).AsUInt32();
                    var hit = outside
                        ? Vector256.GreaterThan(d, vspan) & ~Vector256.Equals(v, vmissing).AsUInt32()
                        : Vector256.LessThanOrEqual(d, vspan);
                    m |= (ulong)hit.ExtractMostSignificantBits() << (k * 8);
                }

                dest[w] = m;
            }
        }

        for (; w < dest.Length; w++)
        {
            ulong m = 0;
            var n = Math.Min(64, valid - (w << 6));
            for (var b = 0; b < n; b++)
            {
                m |= (Hit(values[start + (w << 6) + b]) ? 1UL : 0UL) << b;
            }

            dest[w] = m;
        }
    }

    private bool Hit(int v)
    {
        if (!nonEmpty)
        {
            return outside && v != IntColumn.Missing;
        }

        var inside = unchecked((uint)(v - lo)) <= _span;
        return outside ? v != IntColumn.Missing && !inside : inside;
    }

    public override bool Test(int ordinal) => Hit(values[ordinal]);

    public override string Observe(int ordinal)
    {
        var v = values[ordinal];
        if (v == IntColumn.Missing)
        {
            return $"{name} has no value";
        }

        var shown = asOfDay is { } d ? (long)d - v : v;
        return string.Create(CultureInfo.InvariantCulture, $"{name} = {shown}");
    }
}

/// <summary>value in [lo, hi] (or, when outside, set and not in it) over a double column; NaN is missing.</summary>
internal sealed class DoubleRangeNode(SegmentRule source, string name, double[] values, double lo, double hi, bool outside) : EvalNode(source)
{
    public override void Eval(int firstWord, Span<ulong> dest)
    {
        var valid = Valid(values.Length, firstWord, dest.Length);
        var start = firstWord << 6;
        ref var p = ref MemoryMarshal.GetArrayDataReference(values);
        var full = valid >> 6;
        var w = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vlo = Vector256.Create(lo);
            var vhi = Vector256.Create(hi);
            for (; w < full; w++)
            {
                ref var q = ref Unsafe.Add(ref p, start + (w << 6));
                ulong m = 0;
                for (var k = 0; k < 16; k++)
                {
                    var v = Vector256.LoadUnsafe(ref q, (nuint)(k * 4));
                    var hit = outside
                        ? Vector256.LessThan(v, vlo) | Vector256.GreaterThan(v, vhi)
                        : Vector256.GreaterThanOrEqual(v, vlo) & Vector256.LessThanOrEqual(v, vhi);
                    m |= (ulong)hit.ExtractMostSignificantBits() << (k * 4);
                }

                dest[w] = m;
            }
        }

        for (; w < dest.Length; w++)
        {
            ulong m = 0;
            var n = Math.Min(64, valid - (w << 6));
            for (var b = 0; b < n; b++)
            {
                m |= (Hit(values[start + (w << 6) + b]) ? 1UL : 0UL) << b;
            }

            dest[w] = m;
        }
    }

    // NaN (missing) fails every comparison, so it is neither inside nor outside.
    private bool Hit(double v) => outside ? v < lo || v > hi : v >= lo && v <= hi;

    public override bool Test(int ordinal) => Hit(values[ordinal]);

    public override string Observe(int ordinal) => double.IsNaN(values[ordinal])
        ? $"{name} has no value"
        : string.Create(CultureInfo.InvariantCulture, $"{name} = {values[ordinal]:G15}");
}

/// <summary>table[value] over a byte column (tier levels, churn levels, booleans; 255 missing).</summary>
internal sealed class ByteTableNode(SegmentRule source, string name, byte[] values, byte[] table, string[]? names) : EvalNode(source)
{
    public override void Eval(int firstWord, Span<ulong> dest)
    {
        var valid = Valid(values.Length, firstWord, dest.Length);
        var start = firstWord << 6;
        for (var w = 0; w < dest.Length; w++)
        {
            ulong m = 0;
            var n = Math.Min(64, valid - (w << 6));
            var s = values.AsSpan(start + (w << 6), Math.Max(n, 0));
            for (var b = 0; b < s.Length; b++)
            {
                m |= (ulong)table[s[b]] << b;
            }

            dest[w] = m;
        }
    }

    public override bool Test(int ordinal) => table[values[ordinal]] != 0;

    public override string Observe(int ordinal)
    {
        var v = values[ordinal];
        return v == ByteColumn.Missing ? $"{name} has no value"
            : names is not null && v < names.Length ? $"{name} = {names[v]}"
            : string.Create(CultureInfo.InvariantCulture, $"{name} = level {v}");
    }
}

/// <summary>table[code] over a dictionary-encoded text column (code 0 is missing and never in the table).</summary>
internal sealed class CodeTableNode(SegmentRule source, string name, TextColumn column, byte[] table) : EvalNode(source)
{
    public override void Eval(int firstWord, Span<ulong> dest)
    {
        var codes = column.Codes;
        var valid = Valid(codes.Length, firstWord, dest.Length);
        var start = firstWord << 6;
        for (var w = 0; w < dest.Length; w++)
        {
            ulong m = 0;
            var n = Math.Min(64, valid - (w << 6));
            var s = codes.AsSpan(start + (w << 6), Math.Max(n, 0));
            for (var b = 0; b < s.Length; b++)
            {
                m |= (ulong)table[s[b]] << b;
            }

            dest[w] = m;
        }
    }

    public override bool Test(int ordinal) => table[column.Codes[ordinal]] != 0;

    public override string Observe(int ordinal) => column.Codes[ordinal] == 0
        ? $"{name} has no value"
        : $"{name} = {SegmentValue.Quote(column.Dictionary[column.Codes[ordinal]]!)}";
}

/// <summary>A precomputed bitset (holders of a tag or its subtree at the as-of instant).</summary>
internal sealed class BitsNode(SegmentRule source, ulong[] bits, Tags.TagId[] tags) : EvalNode(source)
{
    public override void Eval(int firstWord, Span<ulong> dest)
    {
        var n = Math.Clamp(bits.Length - firstWord, 0, dest.Length);
        bits.AsSpan(firstWord, n).CopyTo(dest);
        dest[n..].Clear();
    }

    public override bool Test(int ordinal) => (bits[ordinal >> 6] & (1UL << ordinal)) != 0;

    public override string Observe(int ordinal) => Test(ordinal)
        ? $"holds one of {string.Join(", ", tags.Take(5))}{(tags.Length > 5 ? ", ..." : string.Empty)}"
        : tags.Length == 1 ? $"does not hold {tags[0]}" : $"holds none of the {tags.Length} tags";

    public static int Count(ulong[] bits)
    {
        var n = 0;
        foreach (var w in bits)
        {
            n += BitOperations.PopCount(w);
        }

        return n;
    }
}
