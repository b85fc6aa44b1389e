using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CustomerSegmentation.Churn;
using CustomerSegmentation.Cli.Output;
using CustomerSegmentation.Engine;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>
/// Writes the engine's batches as the <c>run</c> CSV (UTF-8, LF, ids quoted per RFC 4180 when needed): each worker formats
/// its batch into a pooled buffer and hands it over; whichever worker holds the next batch in order appends every
/// consecutive ready buffer, outside the lock, while the others go on scoring (at most a few batches ahead).
/// </summary>
internal sealed class RunCsvSink : ISegmentationBatchSink, IDisposable
{
    public const string Header = "customer_id,recency_days,frequency,monetary,r,f,m,rfm_segment,p_alive,expected_purchases,clv,tier,stage,churn_level,churn_score,tags,segments";

    private static readonly SearchValues<byte> NeedsQuotes = SearchValues.Create(",\"\r\n"u8);

    private readonly object _gate = new();
    private readonly FileStream _stream;
    private readonly byte[][] _segments;
    private readonly byte[][] _tiers;
    private readonly byte[][] _stages;
    private readonly byte[][] _levels;
    private readonly byte[][] _tags;
    private readonly byte[][] _members;
    private const int MaxPending = 8;
    private readonly Dictionary<int, (byte[] Buffer, int Length)> _pending = [];
    private readonly Stack<byte[]> _free = new();
    private readonly ThreadLocal<NumberCache[]> _caches = new(() => [new(4), new(4), new(2), new(4)]);
    private int _next;
    private bool _writing;
    private long _bytes;
    private long _busyTicks;

    public RunCsvSink(string path, SegmentationEngine engine)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var o = engine.Options;
        _segments = [.. Enumerable.Range(0, o.RfmSegments.Rules.Length + 2).Select(i => Field(engine.RfmSegmentName(i)))];
        _tiers = [.. Enumerable.Range(0, 256).Select(i => i < engine.TierNames.Length ? Field(engine.TierNames[i]) : [])];
        _stages = [.. Enumerable.Range(0, 256).Select(i => i < engine.StageNames.Length ? Field(engine.StageNames[i]) : [])];
        _levels = [.. Enum.GetValues<ChurnRiskLevel>().Select(l => Field(l.ToString().ToLowerInvariant()))];
        _tags = [.. engine.TagNames.Select(Field)];
        _members = [.. engine.SegmentNames.Select(Field)];
        var header = Encoding.UTF8.GetBytes(Header + "\n");
        _stream.Write(header);
        _bytes = header.Length;
    }

    /// <summary>Gets the seconds the workers spent formatting and writing, summed over workers.</summary>
    public double BusySeconds => Interlocked.Read(ref _busyTicks) / (double)Stopwatch.Frequency;

    public void Write(SegmentationBatch batch)
    {
        var started = Stopwatch.GetTimestamp();
        byte[] buffer;
        lock (_gate)
        {
            // Bounded look-ahead: a worker may run this many batches ahead of the file's end before it waits.
            while (batch.Index - _next >= MaxPending)
            {
                Monitor.Wait(_gate);
            }

            buffer = _free.Count > 0 ? _free.Pop() : new byte[1 << 20];
        }

        var w = Format(batch, ref buffer, _caches.Value!);
        lock (_gate)
        {
            _pending[batch.Index] = (buffer, w);
            if (_writing || batch.Index != _next)
            {
                // Another worker writes (or will, when the batch before this one is formatted): go on with the next batch.
                Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
                return;
            }

            _writing = true;
        }

        // This worker writes every consecutive ready batch, outside the lock, so the others never wait for the disk.
        while (true)
        {
            (byte[] Buffer, int Length) ready;
            lock (_gate)
            {
                if (!_pending.Remove(_next, out ready))
                {
                    _writing = false;
                    Monitor.PulseAll(_gate);
                    break;
                }
            }

            _stream.Write(ready.Buffer, 0, ready.Length);
            lock (_gate)
            {
                _bytes += ready.Length;
                _next++;
                _free.Push(ready.Buffer);
                Monitor.PulseAll(_gate);
            }
        }

        Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
    }

    public long Finish()
    {
        lock (_gate)
        {
            if (_pending.Count > 0 || _writing)
            {
                throw new InvalidOperationException("A batch is missing: the output would have a gap.");
            }
        }

        _stream.Flush();
        return _bytes;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _caches.Dispose();
    }

    /// <summary>Quotes a text field per RFC 4180 when it needs it, as UTF-8.</summary>
    private static byte[] Field(string text) => Encoding.UTF8.GetBytes(PurchaseRows.Quote(text));

    private static int Put(ReadOnlySpan<byte> bytes, Span<byte> span, int p)
    {
        bytes.CopyTo(span[p..]);
        return p + bytes.Length;
    }


    private static int Mask(ulong mask, byte[][] names, Span<byte> span, int p)
    {
        // Names joined by ';' inside one field; a name needing quotes is already quoted on its own.
        var first = true;
        while (mask != 0)
        {
            var bit = System.Numerics.BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            if (!first)
            {
                span[p++] = (byte)';';
            }

            first = false;
            p = Put(names[bit], span, p);
        }

        return p;
    }

    private int Format(SegmentationBatch batch, ref byte[] buffer, NumberCache[] numbers)
    {
        var facts = batch.Facts;
        var w = 0;
        var extra = 64 + _tags.Sum(t => t.Length + 1) + _members.Sum(m => m.Length + 1);
        for (var j = 0; j < batch.Length; j++)
        {
            var i = batch.Start + j;
            var id = facts.GetIdUtf8(i);
            var need = (2 * id.Length) + 256 + extra;
            if (buffer.Length - w < need)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, w + need));
            }

            var span = buffer.AsSpan(w);
            int p;
            if (id.IndexOfAny(NeedsQuotes) < 0)
            {
                p = Put(id, span, 0);
            }
            else
            {
                p = 0;
                span[p++] = (byte)'"';
                foreach (var b in id)
                {
                    if (b == (byte)'"')
                    {
                        span[p++] = (byte)'"';
                    }

                    span[p++] = b;
                }

                span[p++] = (byte)'"';
            }

            span[p++] = (byte)',';
            var recency = facts.RecencyDays(i);
            if (recency >= 0)
            {
                Utf8Formatter.TryFormat(recency, span[p..], out var n);
                p += n;
            }

            span[p++] = (byte)',';
            Utf8Formatter.TryFormat(facts.PurchaseCount[i], span[p..], out var fn);
            p += fn;
            span[p++] = (byte)',';
            p += Utf8PurchaseFields.FormatAmount(facts.NetSpendUnits[i], span[p..]);
            span[p++] = (byte)',';
            p = Score(batch.R[j], span, p);
            span[p++] = (byte)',';
            p = Score(batch.F[j], span, p);
            span[p++] = (byte)',';
            p = Score(batch.M[j], span, p);
            span[p++] = (byte)',';
            p = Put(_segments[batch.RfmSegment[j]], span, p);
            span[p++] = (byte)',';
            p = numbers[0].Put(batch.PAlive[j], span, p);
            span[p++] = (byte)',';
            p = numbers[1].Put(batch.ExpectedPurchases[j], span, p);
            span[p++] = (byte)',';
            p = numbers[2].Put(batch.Clv[j], span, p);
            span[p++] = (byte)',';
            p = Put(_tiers[batch.Tier[j]], span, p);
            span[p++] = (byte)',';
            p = Put(_stages[batch.Stage[j]], span, p);
            span[p++] = (byte)',';
            p = Put(_levels[(int)batch.ChurnLevel[j]], span, p);
            span[p++] = (byte)',';
            p = numbers[3].Put(batch.ChurnScore[j], span, p);
            span[p++] = (byte)',';
            p = Mask(batch.Tags[j], _tags, span, p);
            span[p++] = (byte)',';
            p = Mask(batch.Segments[j], _members, span, p);
            span[p++] = (byte)'\n';
            w += p;
        }

        return w;
    }

    private static int Score(byte score, Span<byte> span, int p)
    {
        if (score == 0)
        {
            return p;
        }

        Utf8Formatter.TryFormat(score, span[p..], out var n);
        return p + n;
    }

    /// <summary>
    /// One column's float formatting ("0.####" for 4 decimals) with a small direct-mapped cache of recent values (per
    /// thread): scores repeat a lot. A miss takes <see cref="FixedDecimalsFloat"/>'s fast path, or the custom format
    /// string when that declines, so the bytes never differ from
    /// <see cref="float.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>'s.
    /// </summary>
    internal sealed class NumberCache(int decimals)
    {
        private readonly string _format = "0." + new string('#', decimals);
        private const int Bits = 12;
        private const int Width = 16;
        private readonly uint[] _keys = new uint[1 << Bits];
        private readonly byte[] _lengths = new byte[1 << Bits];
        private readonly byte[] _text = new byte[(1 << Bits) * Width];

        /// <summary>Writes <paramref name="value"/> at <paramref name="p"/> (nothing for NaN) and returns the new position.</summary>
        public int Put(float value, Span<byte> span, int p)
        {
            if (float.IsNaN(value))
            {
                return p;
            }

            var bits = BitConverter.SingleToUInt32Bits(value);
            var slot = (int)((bits * 0x9E3779B1u) >> (32 - Bits));
            int n = _lengths[slot];
            if (n != 0 && _keys[slot] == bits)
            {
                _text.AsSpan(slot * Width, n).CopyTo(span[p..]);
                return p + n;
            }

            n = FixedDecimalsFloat.TryWrite(value, decimals, span[p..]);
            if (n < 0)
            {
                value.TryFormat(span[p..], out n, _format, CultureInfo.InvariantCulture);
            }

            if (n <= Width)
            {
                span.Slice(p, n).CopyTo(_text.AsSpan(slot * Width));
                _keys[slot] = bits;
                _lengths[slot] = (byte)n;
            }

            return p + n;
        }
    }
}
