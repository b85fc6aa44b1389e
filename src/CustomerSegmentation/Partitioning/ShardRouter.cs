using System.Text;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Partitioning;

/// <summary>
/// Routes a customer to one of N shards by a stable hash of its id (64-bit FNV-1a of the UTF-8 bytes, modulo N), the same
/// in every process and on every machine, so that every row of a customer lands on the same shard.
/// </summary>
/// <remarks>
/// Citus hashes its distribution column with its own function; this router is for hosts that shard over plain servers
/// or partitions of their own. A customer's results never depend on the shard count: the merged statistics are exact.
/// </remarks>
public static class ShardRouter
{
    /// <summary>The shard of a customer.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="shards">The number of shards, at least 1.</param>
    /// <returns>The shard index, 0..<paramref name="shards"/> − 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shards"/> is less than 1.</exception>
    public static int ShardOf(CustomerId customerId, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Span<byte> buffer = stackalloc byte[CustomerId.MaxLength * 3];
        var n = Encoding.UTF8.GetBytes(customerId.Value, buffer);
        var hash = 14695981039346656037UL;
        foreach (var b in buffer[..n])
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return (int)(hash % (ulong)shards);
    }
}
