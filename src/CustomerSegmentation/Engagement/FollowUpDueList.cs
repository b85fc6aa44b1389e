using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Engagement;

/// <summary>The customers due for a follow-up as of an instant, highest value first, then most days overdue, then id.</summary>
public sealed class FollowUpDueList
{
    internal FollowUpDueList(Instant asOf, ImmutableArray<FollowUpStatus> entries, int evaluated)
    {
        AsOf = asOf;
        Entries = entries;
        Evaluated = evaluated;
        ByOwner = entries.GroupBy(e => e.Owner ?? string.Empty, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
    }

    /// <summary>Gets the as-of instant.</summary>
    public Instant AsOf { get; }

    /// <summary>Gets the due customers in order.</summary>
    public ImmutableArray<FollowUpStatus> Entries { get; }

    /// <summary>Gets how many customers were evaluated.</summary>
    public int Evaluated { get; }

    /// <summary>Gets the due customers per owner (same order); customers without an owner are under the empty string.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<FollowUpStatus>> ByOwner { get; }

    /// <summary>Gets the overdue customers only.</summary>
    public IEnumerable<FollowUpStatus> Overdue => Entries.Where(e => e.State == FollowUpState.Overdue);
}

/// <summary>An owner's follow-up workload: overdue now, and due on each of the next days.</summary>
/// <param name="Owner">The owner.</param>
/// <param name="AsOf">The as-of instant.</param>
/// <param name="Overdue">The owner's overdue customers, highest value first.</param>
/// <param name="Days">Today and the following days with the customers falling due on each.</param>
public sealed record FollowUpWorkload(string Owner, Instant AsOf, ImmutableArray<FollowUpStatus> Overdue, ImmutableArray<FollowUpWorkloadDay> Days)
{
    /// <summary>Gets the number of follow-ups to do in the period: the overdue ones plus those falling due.</summary>
    public int Total => Overdue.Length + Days.Sum(d => d.Due.Length);
}

/// <summary>One day of a <see cref="FollowUpWorkload"/>.</summary>
/// <param name="Date">The date.</param>
/// <param name="IsWorkingDay">Whether the policy's calendar makes it a working day.</param>
/// <param name="Due">The customers falling due that day, highest value first.</param>
public sealed record FollowUpWorkloadDay(LocalDate Date, bool IsWorkingDay, ImmutableArray<FollowUpStatus> Due);
