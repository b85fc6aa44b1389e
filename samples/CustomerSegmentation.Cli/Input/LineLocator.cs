namespace CustomerSegmentation.Cli.Input;

/// <summary>Turns byte offsets of row starts into 1-based line numbers (CRLF, LF and CR each end a line, as in Sep).</summary>
internal static class LineLocator
{
    public static long[] LinesAt(string path, IReadOnlyList<long> sortedOffsets)
    {
        var lines = new long[sortedOffsets.Count];
        if (lines.Length == 0)
        {
            return lines;
        }

        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        long position = 0;
        long count = 0;
        var prevCr = false;
        var next = 0;
        while (next < lines.Length)
        {
            var read = file.Read(buffer);
            var data = buffer.AsSpan(0, Math.Max(read, 0));
            while (next < lines.Length && (read <= 0 || sortedOffsets[next] < position + read))
            {
                var upTo = (int)Math.Clamp(sortedOffsets[next] - position, 0, data.Length);
                lines[next] = 1 + count + Utf8CsvRows.CountLineEnds(data[..upTo], prevCr, out _);
                next++;
            }

            if (read <= 0)
            {
                break;
            }

            count += Utf8CsvRows.CountLineEnds(data, prevCr, out prevCr);
            position += read;
        }

        return lines;
    }
}
