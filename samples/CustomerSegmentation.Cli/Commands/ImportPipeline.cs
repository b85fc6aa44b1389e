using System.Collections.Concurrent;
using System.Text;
using CustomerSegmentation.Cli.Input;
using CustomerSegmentation.Storage;
using nietras.SeparatedValues;

namespace CustomerSegmentation.Cli.Commands;

/// <summary>Where the import's batches go: one call per batch, one transaction each.</summary>
/// <param name="batch">The rows; the call must not keep it.</param>
internal delegate void AppendBatch(PurchaseColumnsBuilder batch);

/// <summary>What the import read and stored.</summary>
internal sealed record ImportOutcome(long Stored, long BadRows, InputProblem? Problem, string Parser);

/// <summary>
/// The import as a pipeline of two threads: the calling thread reads the CSV in row-aligned chunks and parses each
/// straight into the columns of a <see cref="PurchaseColumnsBuilder"/> (the UTF-8 fast path of <c>rfm</c>, with its row
/// rules), while a writer thread appends the previous batch to the store. Two batches alternate, so parsing and writing
/// overlap and no object is made per row. Input the fast path leaves to Sep (lenient quotes, invalid UTF-8, UTF-16) is
/// read with Sep from the first row of the batch being filled, so that every row is stored once.
/// </summary>
internal sealed class ImportPipeline : IDisposable
{
    /// <summary>The first and last epoch days whose UTC midnight the SQL stores hold (64-bit nanoseconds since 1970).</summary>
    private const int MinDay = -106_751, MaxDay = 106_751;

    private readonly string _path;
    private readonly int _batchRows;
    private readonly bool _skipBadRows;
    private readonly AppendBatch _append;
    private readonly Action<long> _onStored;
    private readonly BlockingCollection<Batch> _full = new(boundedCapacity: 1);
    private readonly BlockingCollection<Batch> _free = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Thread _writer;
    private Batch _current;
    private long _handedBadRows;
    private long _stored;
    private Exception? _failure;
    private bool _finished;

    /// <param name="path">The purchases CSV.</param>
    /// <param name="batchRows">Rows per batch (one transaction).</param>
    /// <param name="skipBadRows">Whether bad rows are counted and skipped instead of stopping the import.</param>
    /// <param name="append">Appends one batch (runs on the writer thread).</param>
    /// <param name="onStored">Called on the writer thread with the rows stored so far after each batch.</param>
    public ImportPipeline(string path, int batchRows, bool skipBadRows, AppendBatch append, Action<long> onStored)
    {
        _path = path;
        _batchRows = batchRows;
        _skipBadRows = skipBadRows;
        _append = append;
        _onStored = onStored;
        _current = new Batch(batchRows);
        _free.Add(new Batch(batchRows));
        _writer = new Thread(Write) { IsBackground = true, Name = "import-writer" };
        _writer.Start();
    }

    /// <summary>Gets the rows stored (committed) so far.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Reads the whole file and stores its rows; a bad row (without skipping) stops before its batch is written.</summary>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="Exception">Whatever the store threw (the failed batch was rolled back by the store).</exception>
    public ImportOutcome Run()
    {
        var parser = "utf8";
        (long Offset, string Reason)? stop;
        long resumeAt;
        try
        {
            (stop, resumeAt) = RunUtf8();
        }
        catch (InputProblemException e)
        {
            Finish(writeCurrent: false);
            return new ImportOutcome(_stored, 0, e.Problem, parser);
        }
        catch (IrregularInputException)
        {
            (stop, resumeAt) = (null, 0); // the header (UTF-16, lenient quotes): Sep reads the whole file
        }

        InputProblem? problem = null;
        if (resumeAt >= 0)
        {
            parser = "sep";
            _current.Reset();
            problem = RunSep(resumeAt);
        }
        else if (stop is { } s)
        {
            problem = new InputProblem(_path, LineLocator.LinesAt(_path, [s.Offset])[0], s.Reason);
        }

        Finish(writeCurrent: problem is null);
        return new ImportOutcome(_stored, _handedBadRows, problem, parser);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_finished)
        {
            _abort.Cancel();
            _full.CompleteAdding();
            _writer.Join();
        }

        _abort.Dispose();
        _full.Dispose();
        _free.Dispose();
    }

    /// <summary>Checks a data row as <c>rfm</c> does, plus what the store needs (a valid id, a storable day); null when valid.</summary>
    internal static string? Check(int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount, out int day, out long units)
    {
        var reason = PurchaseRowRules.Check(fieldCount, id, date, amount, out day, out units);
        if (reason is not null)
        {
            return reason;
        }

        if (!PurchaseColumnsBuilder.IsValidCustomerId(id))
        {
            return "customer_id is not a valid id (white space only, control characters or too long)";
        }

        return day is < MinDay or > MaxDay
            ? $"date '{PurchaseRowRules.Show(date)}' is outside the range the store holds (1677-09-22 to 2262-04-11)"
            : null;
    }

    /// <summary>The fast path; returns the stop (a bad row) or the offset Sep must resume at (-1: none needed).</summary>
    private ((long Offset, string Reason)? Stop, long ResumeAt) RunUtf8()
    {
        var buffers = new byte[2][];
        var turn = 0;
        var scratch = new Utf8CsvRows.Scratch();
        var sink = new Sink(this);
        var verdict = RowVerdict.Continue;
        long firstChunk = -1;
        Utf8PurchaseReader.ForEachChunk(
            _path,
            Utf8PurchaseReader.DefaultBlockSize,
            size =>
            {
                // Parsing is done inside onChunk, so the buffer handed out two chunks ago is free again.
                ref var b = ref buffers[turn++ & 1];
                if (b is null || b.Length < size)
                {
                    b = new byte[size];
                }

                return b;
            },
            (buffer, start, length, offset) =>
            {
                if (firstChunk < 0)
                {
                    firstChunk = offset;
                }

                verdict = Utf8CsvRows.Parse(buffer.AsSpan(start, length), offset, ref sink, ref scratch);
                return verdict == RowVerdict.Continue;
            });
        return verdict switch
        {
            RowVerdict.Stop => (sink.Stop, -1),
            RowVerdict.Irregular => (null, _current.FirstRowOffset >= 0 ? _current.FirstRowOffset : Math.Max(firstChunk, 0)),
            _ => (null, -1),
        };
    }

    /// <summary>Sep from a row start (0: the file start, header included) to the end; returns the stopping problem or null.</summary>
    private InputProblem? RunSep(long offset)
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        stream.Position = offset;
        var firstLine = offset == 0 ? 1 : LineLocator.LinesAt(_path, [offset])[0];
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(stream);
        var buffers = new[] { new byte[256], new byte[64], new byte[64] };
        var header = offset == 0;
        foreach (var row in reader)
        {
            var n = row.ColCount;
            var id = Encode(n > 0 ? row[0].Span : default, ref buffers[0]);
            var date = Encode(n > 1 ? row[1].Span : default, ref buffers[1]);
            var amount = Encode(n > 2 ? row[2].Span : default, ref buffers[2]);
            var line = firstLine + row.LineNumberFrom - 1;
            if (header)
            {
                header = false;
                if (!PurchaseRowRules.IsHeader(n, id, date, amount))
                {
                    return new InputProblem(_path, line, PurchaseRowRules.HeaderReason(n, id, date, amount));
                }

                continue;
            }

            if (Take(n, id, date, amount, -1) is { } reason)
            {
                return new InputProblem(_path, line, reason);
            }
        }

        return header ? new InputProblem(_path, 1, "the file is empty (no header)") : null;
    }

    private static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> text, ref byte[] buffer)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[max];
        }

        return buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer));
    }

    /// <summary>Takes one data row into the current batch (handing the full one to the writer first); returns the reason when it stops the import.</summary>
    private string? Take(int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount, long rowOffset)
    {
        if (_current.Columns.Count >= _batchRows)
        {
            Hand();
        }

        if (_current.FirstRowOffset < 0)
        {
            _current.FirstRowOffset = rowOffset;
        }

        var reason = Check(fieldCount, id, date, amount, out var day, out var units);
        if (reason is not null)
        {
            _current.BadRows++;
            return _skipBadRows ? null : reason;
        }

        _current.Columns.Add(id, day, units);
        return null;
    }

    private void Hand()
    {
        try
        {
            _full.Add(_current, _abort.Token);
            _handedBadRows += _current.BadRows;
            _current = _free.Take(_abort.Token);
            _current.Reset();
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }
    }

    private void Finish(bool writeCurrent)
    {
        if (writeCurrent && _current.Columns.Count > 0 && _failure is null)
        {
            try
            {
                _full.Add(_current, _abort.Token);
            }
            catch (OperationCanceledException) when (_failure is not null)
            {
            }
        }

        if (writeCurrent)
        {
            _handedBadRows += _current.BadRows;
        }

        _full.CompleteAdding();
        _writer.Join();
        _finished = true;
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
        }
    }

    private void Write()
    {
        try
        {
            foreach (var batch in _full.GetConsumingEnumerable(_abort.Token))
            {
                _append(batch.Columns);
                _onStored(Interlocked.Add(ref _stored, batch.Columns.Count));
                _free.Add(batch);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
            _abort.Cancel();
        }
    }

    private sealed class Batch(int rows)
    {
        public PurchaseColumnsBuilder Columns { get; } = new(rows);

        /// <summary>Gets or sets the byte offset of the batch's first row (-1: none yet; rows from Sep have none).</summary>
        public long FirstRowOffset { get; set; } = -1;

        public long BadRows { get; set; }

        public void Reset()
        {
            Columns.Clear();
            FirstRowOffset = -1;
            BadRows = 0;
        }
    }

    private struct Sink(ImportPipeline pipeline) : IRowSink
    {
        public (long Offset, string Reason)? Stop { get; private set; }

        public RowVerdict Row(long rowOffset, int fieldCount, ReadOnlySpan<byte> id, ReadOnlySpan<byte> date, ReadOnlySpan<byte> amount)
        {
            if (!Ascii.IsValid(id) && !System.Text.Unicode.Utf8.IsValid(id))
            {
                return RowVerdict.Irregular;
            }

            if (pipeline.Take(fieldCount, id, date, amount, rowOffset) is { } reason)
            {
                Stop = (rowOffset, reason);
                return RowVerdict.Stop;
            }

            return RowVerdict.Continue;
        }
    }
}
