using System.Collections.Frozen;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// Which customers a caller may see one by one: all, their own, their team's, none (aggregates only) or a host predicate.
/// A reusable filter: <see cref="ScopedCustomerStore"/> and <see cref="ScopedActivityStore"/> apply it to store queries,
/// <see cref="PersonalDataExporter"/> and <see cref="CustomerAccess"/> to exports and views, and segment evaluation applies it to its input
/// (evaluate over <c>new ScopedCustomerStore(store, scope).StreamAllAsync()</c>, or filter candidates with <see cref="Filter"/>).
/// </summary>
/// <remarks>
/// <para>Owner and team scopes compare <see cref="Customer.Owner"/> ordinally, after trimming; a customer without an owner is in no owner or team scope.</para>
/// <para><see cref="AggregatesOnly"/> includes no customer: an analyst with it sees population figures (counts, totals, model fits, pseudonymised
/// exports) but no single record.</para>
/// </remarks>
/// <threadsafety>Immutable when the predicate is; the built-in scopes are safe for concurrent use.</threadsafety>
public sealed class DataScope
{
    private readonly Func<Customer, bool> _predicate;

    private DataScope(string description, bool allowsRecords, Func<Customer, bool> predicate)
    {
        Description = description;
        AllowsRecords = allowsRecords;
        _predicate = predicate;
    }

    /// <summary>Gets the scope that includes every customer (e.g. for an auditor or a data protection officer).</summary>
    public static DataScope All { get; } = new("all customers", true, static _ => true);

    /// <summary>Gets the scope that includes no single customer: aggregates only.</summary>
    public static DataScope AggregatesOnly { get; } = new("aggregates only (no single customer)", false, static _ => false);

    /// <summary>Gets a description, e.g. <c>customers owned by wang.fang</c>.</summary>
    public string Description { get; }

    /// <summary>Gets a value indicating whether the scope can include single customers at all (<see langword="false"/> for <see cref="AggregatesOnly"/>).</summary>
    public bool AllowsRecords { get; }

    /// <summary>Gets a value indicating whether the scope includes every customer (<see cref="All"/>).</summary>
    public bool IsAll => ReferenceEquals(this, All);

    /// <summary>Creates the scope of one owner's customers.</summary>
    /// <param name="owner">The owner, as in <see cref="Customer.Owner"/>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="owner"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataScope OwnedBy(string owner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var o = owner.Trim();
        return new($"customers owned by {o}", true, c => string.Equals(c.Owner?.Trim(), o, StringComparison.Ordinal));
    }

    /// <summary>Creates the scope of a team: the customers owned by any of its members.</summary>
    /// <param name="team">The team's name (for the description and audit).</param>
    /// <param name="members">The owners in the team.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="team"/> is empty, or a member is <see langword="null"/> or blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="team"/> or <paramref name="members"/> is <see langword="null"/>.</exception>
    public static DataScope Team(string team, IEnumerable<string> members)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(team);
        ArgumentNullException.ThrowIfNull(members);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            if (string.IsNullOrWhiteSpace(m))
            {
                throw new ArgumentException($"Team '{team}' has a null or blank member.", nameof(members));
            }

            set.Add(m.Trim());
        }

        var frozen = set.ToFrozenSet(StringComparer.Ordinal);
        return new($"customers of team {team.Trim()} ({frozen.Count} members)", true, c => c.Owner is { } o && frozen.Contains(o.Trim()));
    }

    /// <summary>Creates a scope from a host predicate (e.g. a region or a key-account flag).</summary>
    /// <param name="description">What the scope includes, for audit and errors.</param>
    /// <param name="predicate">Whether a customer is included; must not throw and should be pure.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public static DataScope Where(string description, Func<Customer, bool> predicate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(predicate);
        return new(description, true, predicate);
    }

    /// <summary>Tells whether a customer is in the scope.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns><see langword="true"/> when the caller may see the customer's record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is <see langword="null"/>.</exception>
    public bool Includes(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return AllowsRecords && _predicate(customer);
    }

    /// <summary>Keeps the customers in the scope, in their order (for segment evaluation, lists and exports).</summary>
    /// <param name="customers">The customers.</param>
    /// <returns>The customers in the scope, lazily.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is <see langword="null"/>.</exception>
    public IEnumerable<Customer> Filter(IEnumerable<Customer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return customers.Where(Includes);
    }

    /// <summary>Returns <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;
}

/// <summary>A caller of the privacy-aware services: who (the actor, for audit), in which role (for the <see cref="AccessPolicy"/>) and with which <see cref="DataScope"/>.</summary>
/// <param name="Actor">The actor's id, e.g. a staff login; recorded in <see cref="AuditEntry.Actor"/>.</param>
/// <param name="Role">The role, looked up in the <see cref="AccessPolicy"/>.</param>
/// <param name="Scope">The customers the caller may see one by one.</param>
public sealed record AccessCaller(string Actor, string Role, DataScope Scope);

/// <summary>Thrown by the scoped stores when a write concerns a customer outside the caller's <see cref="DataScope"/>; nothing was written.</summary>
public sealed class DataScopeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="scope">The scope that does not include it.</param>
    public DataScopeException(CustomerId customerId, DataScope scope)
        : base($"Customer {customerId} is outside the data scope '{scope?.Description}' (or would leave it); nothing was written.")
    {
        CustomerId = customerId;
        ScopeDescription = scope?.Description ?? string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public DataScopeException()
        : base("The customer is outside the data scope; nothing was written.")
    {
        ScopeDescription = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public DataScopeException(string message)
        : base(message)
    {
        ScopeDescription = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DataScopeException(string message, Exception innerException)
        : base(message, innerException)
    {
        ScopeDescription = string.Empty;
    }

    /// <summary>Gets the customer.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the description of the scope.</summary>
    public string ScopeDescription { get; }
}
