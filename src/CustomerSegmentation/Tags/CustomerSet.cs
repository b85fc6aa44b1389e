using System.Collections;
using System.Numerics;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Tags;

/// <summary>
/// A set of customers answered by a <see cref="TagIndex"/> query: a bitset over the index's customer ordinals, so
/// counting, membership and set algebra cost one bit per known customer, not one entry per assignment.
/// </summary>
/// <remarks>A set is a snapshot: later changes to the index do not change it. Enumeration is in the order customers first became known to the index.</remarks>
/// <threadsafety>Immutable; safe to share between threads.</threadsafety>
public sealed class CustomerSet : IReadOnlyCollection<CustomerId>
{
    private readonly TagIndex _index;
    private readonly ulong[] _bits;

    internal CustomerSet(TagIndex index, ulong[] bits)
    {
        _index = index;
        _bits = bits;
        var count = 0;
        foreach (var w in bits)
        {
            count += BitOperations.PopCount(w);
        }

        Count = count;
    }

    /// <summary>Gets the number of customers in the set.</summary>
    public int Count { get; }

    /// <summary>Tells whether a customer is in the set.</summary>
    /// <param name="customerId">The customer.</param>
    /// <returns><see langword="true"/> when the customer is a member.</returns>
    public bool Contains(CustomerId customerId)
    {
        var o = _index.OrdinalOf(customerId);
        return o >= 0 && (o >> 6) < _bits.Length && (_bits[o >> 6] & (1UL << o)) != 0;
    }

    /// <summary>Returns the customers in both sets.</summary>
    /// <param name="other">A set from the same index.</param>
    /// <returns>The intersection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> comes from another index.</exception>
    public CustomerSet Intersect(CustomerSet other) => Combine(other, static (a, b) => a & b);

    /// <summary>Returns the customers in either set.</summary>
    /// <param name="other">A set from the same index.</param>
    /// <returns>The union.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> comes from another index.</exception>
    public CustomerSet Union(CustomerSet other) => Combine(other, static (a, b) => a | b);

    /// <summary>Returns the customers in this set but not in <paramref name="other"/>.</summary>
    /// <param name="other">A set from the same index.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> comes from another index.</exception>
    public CustomerSet Except(CustomerSet other) => Combine(other, static (a, b) => a & ~b);

    /// <inheritdoc />
    public IEnumerator<CustomerId> GetEnumerator()
    {
        for (var w = 0; w < _bits.Length; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                yield return _index.CustomerAt((w << 6) + BitOperations.TrailingZeroCount(word));
                word &= word - 1;
            }
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private CustomerSet Combine(CustomerSet other, Func<ulong, ulong, ulong> op)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other._index, _index))
        {
            throw new ArgumentException("Both sets must come from the same tag index.", nameof(other));
        }

        var bits = new ulong[Math.Max(_bits.Length, other._bits.Length)];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = op(i < _bits.Length ? _bits[i] : 0, i < other._bits.Length ? other._bits[i] : 0);
        }

        return new CustomerSet(_index, bits);
    }
}
