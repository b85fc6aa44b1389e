using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Storage;

/// <summary>Thrown when a write expected a version that is no longer the stored one; nothing was written.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="customerId">The customer written.</param>
    /// <param name="expectedVersion">The version the writer expected.</param>
    /// <param name="actualVersion">The stored version (0 when the customer does not exist).</param>
    public ConcurrencyConflictException(CustomerId customerId, long expectedVersion, long actualVersion)
        : base($"Customer {customerId} was expected at version {expectedVersion} but is at version {actualVersion}; nothing was written.")
    {
        CustomerId = customerId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the customer written.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the version the writer expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the stored version (0 when the customer does not exist).</summary>
    public long ActualVersion { get; }
}
