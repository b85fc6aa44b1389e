using NodaTime;

namespace CustomerSegmentation.Segments;

/// <summary>A column of a <see cref="SegmentPopulation"/>.</summary>
internal abstract class SegmentColumn;

/// <summary>Whole numbers; <see cref="Missing"/> marks no value. Day columns hold UTC epoch days.</summary>
internal sealed class IntColumn(int[] values, bool isDay) : SegmentColumn
{
    public const int Missing = int.MinValue;

    public int[] Values { get; } = values;

    public bool IsDay { get; } = isDay;

    public static int EpochDay(Instant instant)
    {
        var day = Math.DivRem(instant.ToUnixTimeTicks(), NodaConstants.TicksPerDay, out var rest) - (rest < 0 ? 1 : 0);
        return (int)Math.Clamp(day, int.MinValue + 1, int.MaxValue);
    }
}

/// <summary>Real numbers; NaN marks no value (every comparison with NaN is false, which is the rule for missing values).</summary>
internal sealed class DoubleColumn(double[] values) : SegmentColumn
{
    public double[] Values { get; } = values;
}

/// <summary>Small ranks (tier levels, churn levels, booleans as 0/1); <see cref="Missing"/> marks no value.</summary>
internal sealed class ByteColumn(byte[] values) : SegmentColumn
{
    public const byte Missing = 255;

    public byte[] Values { get; } = values;
}

/// <summary>Dictionary-encoded text: code 0 is no value, code k is <c>Dictionary[k]</c>.</summary>
internal sealed class TextColumn : SegmentColumn
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);

    public TextColumn(int capacity)
    {
        Codes = new int[capacity];
        Dictionary.Add(null);
    }

    public int[] Codes { get; private set; }

    public List<string?> Dictionary { get; } = [];

    public int CodeOf(string value) => _codes.TryGetValue(value, out var c) ? c : -1;

    public void Set(int ordinal, string? value)
    {
        if (value is null)
        {
            return;
        }

        Codes[ordinal] = Intern(value);
    }

    /// <summary>Gets the code of a value, adding it to the dictionary when new (for sources that write <see cref="Codes"/> themselves).</summary>
    public int Intern(string value)
    {
        if (!_codes.TryGetValue(value, out var code))
        {
            code = Dictionary.Count;
            Dictionary.Add(value);
            _codes.Add(value, code);
        }

        return code;
    }

    public void Resize(int capacity)
    {
        var codes = Codes;
        Array.Resize(ref codes, capacity);
        Codes = codes;
    }
}

/// <summary>The holders of one tag: ordinals ascending, with the expiry of each (Unix ticks, long.MaxValue for never) when any expires.</summary>
internal sealed class TagPosting
{
    private int[] _ordinals = new int[4];
    private long[]? _expires;

    public int Count { get; private set; }

    public ReadOnlySpan<int> Ordinals => _ordinals.AsSpan(0, Count);

    public bool AnyExpiry => _expires is not null;

    public void Add(int ordinal, Instant? expiresAt)
    {
        if (Count == _ordinals.Length)
        {
            Array.Resize(ref _ordinals, Count * 2);
            if (_expires is not null)
            {
                Array.Resize(ref _expires, Count * 2);
            }
        }

        if (expiresAt is { } e && _expires is null)
        {
            _expires = new long[_ordinals.Length];
            Array.Fill(_expires, long.MaxValue, 0, Count);
        }

        if (_expires is not null)
        {
            _expires[Count] = expiresAt?.ToUnixTimeTicks() ?? long.MaxValue;
        }

        _ordinals[Count++] = ordinal;
    }

    public bool HoldsAt(int index, long asOfTicks) => _expires is null || _expires[index] > asOfTicks;

    public void OrInto(ulong[] bits, long asOfTicks)
    {
        var ordinals = Ordinals;
        for (var i = 0; i < ordinals.Length; i++)
        {
            if (HoldsAt(i, asOfTicks))
            {
                var o = ordinals[i];
                bits[o >> 6] |= 1UL << o;
            }
        }
    }
}

/// <summary>The columns of one custom attribute: numbers, text and booleans each get their own, created on first use.</summary>
internal sealed class AttributeColumns
{
    public DoubleColumn? Numbers { get; set; }

    public TextColumn? Texts { get; set; }

    public ByteColumn? Booleans { get; set; }
}
