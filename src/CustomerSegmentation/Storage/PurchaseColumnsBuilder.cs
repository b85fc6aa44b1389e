using System.Text;
using System.Text.Unicode;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Pipeline;

namespace CustomerSegmentation.Storage;

/// <summary>
/// A reusable batch of purchases held as columns: each customer id's UTF-8 bytes, the UTC epoch day and the amount in
/// units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>. A bulk loader fills it straight from parsed CSV fields and
/// hands it to a store's column append (for example <c>PostgreSqlActivityStore.AppendPurchasesAsync</c>), so that no
/// object is made per row. Each row stands for a <see cref="Activity.Purchase"/> at UTC midnight of its day with
/// quantity 1 and no order id.
/// </summary>
/// <remarks>
/// Ids are checked when added with the rules of <see cref="CustomerId"/> (1..<see cref="CustomerId.MaxLength"/>
/// UTF-16 code units, not white space only, no control characters) and must be valid UTF-8; ids are copied, so the
/// caller's buffer may be reused as soon as <see cref="Add"/> returns.
/// <threadsafety>Not thread-safe while filled; safe to read from several threads once filled.</threadsafety>
/// </remarks>
public sealed class PurchaseColumnsBuilder
{
    private byte[] _ids;
    private int[] _idEnds;
    private int[] _days;
    private long[] _units;
    private int _idBytes;

    /// <summary>Creates an empty batch.</summary>
    /// <param name="capacity">The rows to make room for at first (it grows as needed).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public PurchaseColumnsBuilder(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        capacity = Math.Max(capacity, 16);
        _ids = new byte[capacity * 12];
        _idEnds = new int[capacity];
        _days = new int[capacity];
        _units = new long[capacity];
    }

    /// <summary>Gets the number of rows.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the epoch day (days since 1970-01-01, UTC) of every row.</summary>
    public ReadOnlySpan<int> EpochDays => _days.AsSpan(0, Count);

    /// <summary>Gets the amount of every row in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>.</summary>
    public ReadOnlySpan<long> AmountUnits => _units.AsSpan(0, Count);

    /// <summary>Tells whether UTF-8 bytes make a valid <see cref="CustomerId"/> (the rules of <see cref="CustomerId.IsValid"/>); never throws.</summary>
    /// <param name="utf8">The candidate id's bytes.</param>
    /// <returns><see langword="true"/> when the bytes are valid UTF-8 and <see cref="CustomerId.IsValid"/> accepts their text.</returns>
    public static bool IsValidCustomerId(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return false;
        }

        if (Ascii.IsValid(utf8))
        {
            // ASCII: one UTF-16 unit per byte; control characters are 0x00-0x1F and 0x7F, white space is ' ' and 0x09-0x0D.
            return utf8.Length <= CustomerId.MaxLength
                && utf8.IndexOfAnyInRange((byte)0x00, (byte)0x1F) < 0
                && utf8.IndexOf((byte)0x7F) < 0
                && utf8.IndexOfAnyExcept((byte)' ') >= 0;
        }

        return Utf8.IsValid(utf8) && CustomerId.IsValid(Encoding.UTF8.GetString(utf8));
    }

    /// <summary>Gets the UTF-8 bytes of row <paramref name="index"/>'s customer id.</summary>
    /// <param name="index">The row, 0-based.</param>
    /// <returns>The bytes (valid until the batch is changed).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a row.</exception>
    public ReadOnlySpan<byte> GetCustomerId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var start = index == 0 ? 0 : _idEnds[index - 1];
        return _ids.AsSpan(start, _idEnds[index] - start);
    }

    /// <summary>Adds one purchase.</summary>
    /// <param name="customerId">The customer id's UTF-8 bytes (see <see cref="IsValidCustomerId"/>).</param>
    /// <param name="epochDay">The purchase's UTC date as days since 1970-01-01 (see <see cref="Utf8PurchaseFields"/>).</param>
    /// <param name="amountUnits">The amount in units of 1/<see cref="Utf8PurchaseFields.AmountScale"/>; negative for a refund.</param>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is not a valid id; nothing was added.</exception>
    public void Add(ReadOnlySpan<byte> customerId, int epochDay, long amountUnits)
    {
        if (!IsValidCustomerId(customerId))
        {
            throw new ArgumentException(
                $"A customer id must be valid UTF-8 of 1..{CustomerId.MaxLength} characters, not white space only, without control characters.",
                nameof(customerId));
        }

        if (Count == _days.Length)
        {
            var rows = Count * 2;
            Array.Resize(ref _idEnds, rows);
            Array.Resize(ref _days, rows);
            Array.Resize(ref _units, rows);
        }

        if (_idBytes + customerId.Length > _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _idBytes + customerId.Length));
        }

        customerId.CopyTo(_ids.AsSpan(_idBytes));
        _idBytes += customerId.Length;
        _idEnds[Count] = _idBytes;
        _days[Count] = epochDay;
        _units[Count] = amountUnits;
        Count++;
    }

    /// <summary>Empties the batch for reuse, keeping its buffers.</summary>
    public void Clear()
    {
        Count = 0;
        _idBytes = 0;
    }
}
