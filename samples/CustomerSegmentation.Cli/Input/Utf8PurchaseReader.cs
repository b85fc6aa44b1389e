using System.Diagnostics;
using System.Text.Unicode;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Cli.Input;

/// <summary>Thrown when the fast path meets input it leaves to Sep (lenient quotes, invalid UTF-8 in an id).</summary>
internal sealed class IrregularInputException : Exception
{
    public IrregularInputException()
        : base("The input needs the general CSV reader.")
    {
    }
}

/// <summary>
/// The purchases hot path: reads the file in row-aligned chunks on one thread; worker threads take whatever task is
/// ready: parse the next chunk straight from the UTF-8 bytes into a batch split by customer hash into P partitions
/// (P = a few per worker), or fold partition <c>p</c> of the oldest chunk partition <c>p</c> has not taken yet into its
/// sub-tables. Each partition takes its chunks in input order (so results never depend on P or the worker count), but
/// no worker waits for a particular other one: when a core is taken away, the other workers go on with every partition.
/// No string per row, no locks in the loops (the scheduler's lock is taken a few times per 4 MB chunk).
/// </summary>
internal sealed class Utf8PurchaseReader
{
    public const int DefaultBlockSize = 4 << 20;

    private readonly object _gate = new();
    private readonly string _path;
    private readonly Func<PurchaseBatchBuilder> _createBatch;
    private readonly Action<PurchaseBatchBuilder, int> _fold;
    private readonly bool _skipBadRows;
    private readonly int _blockSize;
    private readonly int _workers;
    private readonly int _partitions;
    private readonly Chunk[] _ring;
    private readonly long[] _foldNext;
    private readonly bool[] _folding;
    private long _nextParse;
    private long _eofIndex = long.MaxValue;
    private (long Chunk, long Offset, string Reason)? _firstStop;
    private volatile bool _abort;
    private Exception? _failure;
    private long _bytesRead;

    /// <param name="path">The purchases CSV.</param>
    /// <param name="builder">The aggregates builder; its partitions are the fold tasks of each chunk.</param>
    /// <param name="skipBadRows">Whether bad rows are skipped and counted instead of stopping the read.</param>
    /// <param name="blockSize">The chunk size in bytes.</param>
    /// <param name="workers">The worker threads (0: one per partition of <paramref name="builder"/>).</param>
    public Utf8PurchaseReader(string path, RfmAggregatesBuilder builder, bool skipBadRows, int blockSize = DefaultBlockSize, int workers = 0)
        : this(path, builder.Partitions, builder.CreateBatch, builder.Add, skipBadRows, blockSize, workers)
    {
    }

    /// <summary>
    /// The same scheduler for any fold target that takes the Pipeline's row batches (e.g. the engine's facts builder):
    /// <paramref name="fold"/> is called for each partition of each chunk, in chunk order per partition, never twice at
    /// once for one partition.
    /// </summary>
    /// <param name="path">The purchases CSV.</param>
    /// <param name="partitions">The fold target's partition count (the batches' partitions).</param>
    /// <param name="createBatch">Creates an empty batch of the target (called once per ring slot).</param>
    /// <param name="fold">Folds partition <c>p</c> of a parsed batch into the target.</param>
    /// <param name="skipBadRows">Whether bad rows are skipped and counted instead of stopping the read.</param>
    /// <param name="blockSize">The chunk size in bytes.</param>
    /// <param name="workers">The worker threads (0: one per partition).</param>
    public Utf8PurchaseReader(
        string path, int partitions, Func<PurchaseBatchBuilder> createBatch, Action<PurchaseBatchBuilder, int> fold, bool skipBadRows, int blockSize = DefaultBlockSize, int workers = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _path = path;
        _createBatch = createBatch;
        _fold = fold;
        _skipBadRows = skipBadRows;
        _blockSize = blockSize;
        _partitions = partitions;
        _workers = workers > 0 ? workers : partitions;
        _ring = new Chunk[(3 * _workers) + 2];
        _foldNext = new long[_partitions];
        _folding = new bool[_partitions];
    }

    /// <summary>Gets the number of bytes read so far (for progress).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>
    /// Reads the file: checks the header row, then hands every chunk (whole rows, split where Sep would split) to
    /// <paramref name="onChunk"/> in order. Buffers come from <paramref name="acquire"/> (at least the size asked; null stops).
    /// </summary>
    /// <exception cref="InputProblemException">Empty file or bad header.</exception>
    public static void ForEachChunk(
        string path, int blockSize, Func<int, byte[]?> acquire, Func<byte[], int, int, long, bool> onChunk, Action<long>? progress = null)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        blockSize = Math.Max(blockSize, 16);
        var buffer = acquire(blockSize);
        var filled = 0;
        long fileOffset = 0;
        long bufferOffset = 0;
        var headerChecked = false;
        var skip = 0;
        var eof = false;
        while (buffer is not null)
        {
            while (!eof && filled < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(filled), fileOffset);
                if (read == 0)
                {
                    eof = true;
                    break;
                }

                filled += read;
                fileOffset += read;
                progress?.Invoke(read);
            }

            if (!headerChecked)
            {
                CheckHeader(path, buffer.AsSpan(0, filled), eof, out var headerEnd);
                if (headerEnd < 0)
                {
                    buffer = Grow(buffer, filled); // a header row longer than the buffer
                    continue;
                }

                headerChecked = true;
                skip = headerEnd;
            }

            var data = buffer.AsSpan(skip, filled - skip);
            var end = eof ? data.Length : Utf8CsvRows.LastRowEnd(data);
            if (end <= 0 && !eof)
            {
                buffer = Grow(buffer, filled); // a row longer than the buffer
                continue;
            }

            if (end > 0 && !onChunk(buffer, skip, end, bufferOffset + skip))
            {
                return;
            }

            if (eof)
            {
                return;
            }

            // The partial last row moves to the front of the next buffer (the consumer still reads the old one).
            var tail = filled - skip - end;
            var next = acquire(Math.Max(blockSize, tail + (blockSize / 2)));
            if (next is null)
            {
                return;
            }

            buffer.AsSpan(skip + end, tail).CopyTo(next);
            bufferOffset += skip + end;
            buffer = next;
            filled = tail;
            skip = 0;
        }
    }

    /// <summary>
    /// Every row of the file as the fast path splits it (header first), for comparing with Sep: the line each row
    /// starts on, its field count and its first three fields. Null when the fast path leaves the file to Sep.
    /// </summary>
    public static List<SepPurchaseReader.RawRow>? ReadRawRows(string path, int blockSize)
    {
        var found = new List<(long Offset, string[] Fields)>();
        try
        {
            var scratch = new Utf8CsvRows.Scratch();
            ForEachChunk(path, blockSize, n => new byte[n], (buffer, start, length, offset) =>
            {
                var sink = new RecordingSink(found);
                return Utf8CsvRows.Parse(buffer.AsSpan(start, length), offset, ref sink, ref scratch) == RowVerdict.Irregular
                    ? throw new IrregularInputException()
                    : true;
            });
        }
        catch (IrregularInputException)
        {
            return null;
        }

        var lines = LineLocator.LinesAt(path, [.. found.Select(f => f.Offset)]);
        var rows = new List<SepPurchaseReader.RawRow> { new(1, ["customer_id", "date", "amount"]) };
        rows.AddRange(found.Select((f, i) => new SepPurchaseReader.RawRow(lines[i], f.Fields)));
        return rows;
    }

    public ReadReport Read(Action<long>? progress = null)
    {
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < _ring.Length; i++)
        {
            _ring[i] = new Chunk(_createBatch());
        }

        var stats = new WorkerStats[_workers];
        var threads = new Thread[_workers];
        for (var w = 0; w < _workers; w++)
        {
            var id = w;
            stats[w] = new WorkerStats();
            threads[w] = new Thread(() => Work(id, stats[id])) { IsBackground = true, Name = $"rfm-worker-{id}" };
            threads[w].Start();
        }

        long index = 0;
        try
        {
            ReadChunks(ref index, progress);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }

        lock (_gate)
        {
            _eofIndex = Math.Min(_eofIndex, index);
            Monitor.PulseAll(_gate);
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }

        if (_firstStop is { } stop)
        {
            throw new InputProblemException(new InputProblem(_path, LineLocator.LinesAt(_path, [stop.Offset])[0], stop.Reason));
        }

        long rows = 0, after = 0, bad = 0;
        var examples = new List<(long Offset, string Reason)>();
        double parse = 0, aggregate = 0;
        foreach (var s in stats)
        {
            rows += s.Rows;
            after += s.RowsAfterAsOf;
            bad += s.BadRows;
            examples.AddRange(s.Examples);
            parse += s.ParseSeconds;
            aggregate += s.AggregateSeconds;
        }

        var firstOffsets = examples.OrderBy(e => e.Offset).Take(10).ToList();
        var lines = LineLocator.LinesAt(_path, [.. firstOffsets.Select(e => e.Offset)]);
        var problems = firstOffsets.Select((e, i) => new InputProblem(_path, lines[i], e.Reason)).ToList();
        return new ReadReport(rows, after, bad, problems, "utf8")
        {
            WallSeconds = wall.Elapsed.TotalSeconds,
            ParseSeconds = parse,
            AggregateSeconds = aggregate,
        };
    }

    private static void CheckHeader(string path, ReadOnlySpan<byte> data, bool eof, out int headerEnd)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || data.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new IrregularInputException(); // UTF-16: Sep's reader decodes it
        }

        var bom = data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var rest = data[bom..];
        if (eof && rest.IsEmpty)
        {
            throw new InputProblemException(new InputProblem(path, 1, "the file is empty (no header)"));
        }

        var end = eof ? rest.Length : Utf8CsvRows.LastRowEnd(rest);
        if (end < 0)
        {
            headerEnd = -1;
            return;
        }

        var sink = new HeaderSink();
        var scratch = new Utf8CsvRows.Scratch();
        if (Utf8CsvRows.Parse(rest[..end], 0, ref sink, ref scratch) == RowVerdict.Irregular)
        {
            throw new IrregularInputException();
        }

        if (!sink.IsHeader)
        {
            throw new InputProblemException(new InputProblem(path, 1, sink.Reason!));
        }

        headerEnd = bom + (int)(sink.SecondRowOffset ?? end);
    }

    private static byte[] Grow(byte[] buffer, int filled)
    {
        var bigger = new byte[buffer.Length * 2];
        buffer.AsSpan(0, filled).CopyTo(bigger);
        return bigger;
    }

    private void ReadChunks(ref long index, Action<long>? progress)
    {
        var i = 0L;
        try
        {
            ForEachChunk(
                _path,
                _blockSize,
                size =>
                {
                    // Chunk i's slot: wait until every worker is done with the chunk it held.
                    var slot = WaitFree(i);
                    if (slot is null)
                    {
                        return null;
                    }

                    if (slot.Buffer is null || slot.Buffer.Length < size)
                    {
                        slot.Buffer = new byte[size];
                    }

                    return slot.Buffer;
                },
                (buffer, start, length, offset) =>
                {
                    var slot = _ring[i % _ring.Length];
                    slot.Set(i, buffer, start, length, offset);
                    lock (_gate)
                    {
                        slot.State = ChunkState.Read;
                        Monitor.PulseAll(_gate);
                    }

                    i++;
                    return true;
                },
                read =>
                {
                    Interlocked.Add(ref _bytesRead, read);
                    progress?.Invoke(read);
                });
        }
        finally
        {
            index = i;
        }
    }

    private Chunk? WaitFree(long index)
    {
        var slot = _ring[index % _ring.Length];
        lock (_gate)
        {
            while (slot.State != ChunkState.Free && !_abort && index < _eofIndex)
            {
                Monitor.Wait(_gate);
            }

            return _abort || index >= _eofIndex ? null : slot;
        }
    }

    private void Fail(Exception ex)
    {
        lock (_gate)
        {
            _failure ??= ex;
            _abort = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Work(int me, WorkerStats stats)
    {
        try
        {
            var scratch = new Utf8CsvRows.Scratch();
            var sw = new Stopwatch();
            while (true)
            {
                Chunk? chunk;
                int partition;
                lock (_gate)
                {
                    while (!NextTask(me, out chunk, out partition))
                    {
                        if (_abort || Done())
                        {
                            return;
                        }

                        Monitor.Wait(_gate);
                    }
                }

                sw.Restart();
                if (partition < 0)
                {
                    ParseChunk(chunk!, ref scratch);
                    stats.ParseSeconds += sw.Elapsed.TotalSeconds;
                    stats.Rows += chunk!.Batch.Count;
                    stats.RowsAfterAsOf += chunk.Batch.RowsAfterAsOf;
                    stats.BadRows += chunk.BadRows;
                    stats.Examples.AddRange(chunk.Examples);
                    if (chunk.Verdict == RowVerdict.Irregular)
                    {
                        throw new IrregularInputException();
                    }

                    lock (_gate)
                    {
                        if (chunk.Verdict == RowVerdict.Stop)
                        {
                            // Rows up to the bad one count; nothing after this chunk is read. An earlier chunk may still stop first.
                            var (offset, reason) = chunk.Examples[0];
                            if (_firstStop is null || _firstStop.Value.Chunk > chunk.Index)
                            {
                                _firstStop = (chunk.Index, offset, reason);
                            }

                            _eofIndex = Math.Min(_eofIndex, chunk.Index + 1);
                        }

                        chunk.State = ChunkState.Parsed;
                        Monitor.PulseAll(_gate);
                    }
                }
                else
                {
                    _fold(chunk!.Batch, partition);
                    stats.AggregateSeconds += sw.Elapsed.TotalSeconds;
                    lock (_gate)
                    {
                        _foldNext[partition]++;
                        _folding[partition] = false;
                        if (--chunk.Pending == 0)
                        {
                            chunk.State = ChunkState.Free;
                        }

                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Under the lock: a fold task (oldest chunk of a free partition, partitions scanned from a per-worker start) or else a parse task.</summary>
    private bool NextTask(int me, out Chunk? chunk, out int partition)
    {
        if (!_abort)
        {
            for (var k = 0; k < _partitions; k++)
            {
                var p = (k + (me * _partitions / _workers)) % _partitions;
                var c = _foldNext[p];
                if (_folding[p] || c >= _eofIndex)
                {
                    continue;
                }

                var slot = _ring[c % _ring.Length];
                if (slot.Index == c && slot.State == ChunkState.Parsed)
                {
                    _folding[p] = true;
                    chunk = slot;
                    partition = p;
                    return true;
                }
            }

            var next = _nextParse;
            var toParse = _ring[next % _ring.Length];
            if (next < _eofIndex && toParse.Index == next && toParse.State == ChunkState.Read)
            {
                toParse.State = ChunkState.Parsing;
                toParse.Pending = _partitions;
                _nextParse = next + 1;
                chunk = toParse;
                partition = -1;
                return true;
            }
        }

        chunk = null;
        partition = 0;
        return false;
    }

    /// <summary>Under the lock: every partition took every chunk up to the end of the file (or of a stop).</summary>
    private bool Done()
    {
        if (_eofIndex == long.MaxValue)
        {
            return false;
        }

        foreach (var c in _foldNext)
        {
            if (c < _eofIndex)
            {
                return false;
            }
        }

        return true;
    }

    private void ParseChunk(Chunk chunk, ref Utf8CsvRows.Scratch scratch)
    {
        chunk.Batch.Clear();
        chunk.Examples.Clear();
        chunk.BadRows = 0;
        var sink = new BatchSink(chunk, _skipBadRows);
        chunk.Verdict = Utf8CsvRows.Parse(chunk.Data.Span, chunk.FileOffset, ref sink, ref scratch);
    }

    private enum ChunkState
    {
        Free,
        Read,
        Parsing,
        Parsed,
    }

    private struct HeaderSink : IRowSink
    {
        private bool _done;

        public bool IsHeader { get; private set; }

        public string? Reason { get; private set; }

        public long? SecondRowOffset { get; private set; }

        public RowVerdict Row(long rowOffset, int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount)
        {
            if (_done)
            {
                SecondRowOffset = rowOffset;
                return RowVerdict.Stop;
            }

            _done = true;
            IsHeader = PurchaseRowRules.IsHeader(fieldCount, id, date, amount);
            Reason = IsHeader ? null : PurchaseRowRules.HeaderReason(fieldCount, id, date, amount);
            return RowVerdict.Continue;
        }
    }

    private readonly struct RecordingSink(List<(long Offset, string[] Fields)> rows) : IRowSink
    {
        public RowVerdict Row(long rowOffset, int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount)
        {
            var strings = new string[fieldCount];
            for (var i = 0; i < fieldCount; i++)
            {
                strings[i] = i < 3 ? System.Text.Encoding.UTF8.GetString(i == 0 ? id : i == 1 ? date : amount) : "?";
            }

            rows.Add((rowOffset, strings));
            return RowVerdict.Continue;
        }
    }

    private struct BatchSink(Chunk chunk, bool skipBadRows) : IRowSink
    {
        private ulong _cachedDate0;
        private ushort _cachedDate1;
        private int _cachedDay = int.MinValue;

        public RowVerdict Row(long rowOffset, int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount)
        {
            int day;
            long units;
            string? reason;
            if (fieldCount == 3 && date.Length == 10 && _cachedDay != int.MinValue
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(date) == _cachedDate0
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(date[8..]) == _cachedDate1
                && !id.IsEmpty && Utf8PurchaseFields.TryParseAmount(amount, out units))
            {
                day = _cachedDay;
                reason = null;
            }
            else
            {
                reason = PurchaseRowRules.Check(fieldCount, id, date, amount, out day, out units);
                if (reason is null && date.Length == 10)
                {
                    _cachedDate0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(date);
                    _cachedDate1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(date[8..]);
                    _cachedDay = day;
                }
            }

            if (reason is not null)
            {
                chunk.BadRows++;
                if (chunk.Examples.Count < 10)
                {
                    chunk.Examples.Add((rowOffset, reason));
                }

                return skipBadRows ? RowVerdict.Continue : RowVerdict.Stop;
            }

            if (!IsAscii(id) && !Utf8.IsValid(id))
            {
                return RowVerdict.Irregular;
            }

            chunk.Batch.Add(id, day, units);
            return RowVerdict.Continue;
        }

        private static bool IsAscii(ReadOnlySpan<byte> id) => System.Text.Ascii.IsValid(id);
    }

    private sealed class Chunk(PurchaseBatchBuilder batch)
    {
        public int Pending;

        public long Index { get; private set; } = -1;

        public ChunkState State { get; set; }

        public byte[]? Buffer { get; set; }

        public ReadOnlyMemory<byte> Data { get; private set; }

        public long FileOffset { get; private set; }

        public PurchaseBatchBuilder Batch { get; } = batch;

        public RowVerdict Verdict { get; set; }

        public long BadRows { get; set; }

        public List<(long Offset, string Reason)> Examples { get; } = [];

        public void Set(long index, byte[] buffer, int start, int length, long offset)
        {
            Index = index;
            Buffer = buffer;
            Data = buffer.AsMemory(start, length);
            FileOffset = offset;
        }
    }

    private sealed class WorkerStats
    {
        public long Rows { get; set; }

        public long RowsAfterAsOf { get; set; }

        public long BadRows { get; set; }

        public List<(long Offset, string Reason)> Examples { get; } = [];

        public double ParseSeconds { get; set; }

        public double AggregateSeconds { get; set; }
    }
}
