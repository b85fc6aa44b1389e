using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Tests.Customers;

public class ProfileStalenessTests
{
    private static readonly Instant Created = Instant.FromUtc(2025, 1, 1, 0, 0);

    private static Customer Customer(Instant? verified) => new(new CustomerId("C1"), CustomerKind.Person, "张伟", Created) { LastVerifiedAt = verified };

    [Fact]
    public void Evaluate_VerifiedWithinInterval_IsFresh()
    {
        var verified = Created + Duration.FromDays(100);
        var report = ProfileStaleness.Evaluate(Customer(verified), verified + Duration.FromDays(364), Duration.FromDays(365));

        Assert.False(report.IsStale);
        Assert.False(report.NeverVerified);
        Assert.Equal(verified, report.Reference);
        Assert.Equal(Duration.FromDays(364), report.Age);
        Assert.Equal(Duration.Zero, report.Overdue);
        Assert.StartsWith("fresh: last verified 364.0 days ago, review interval 365.0 days", report.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExactlyAtDue_IsStale()
    {
        var verified = Created + Duration.FromDays(10);
        var report = ProfileStaleness.Evaluate(Customer(verified), verified + Duration.FromDays(30), Duration.FromDays(30));
        Assert.True(report.IsStale);
        Assert.Equal(verified + Duration.FromDays(30), report.DueAt);
        Assert.Equal(Duration.Zero, report.Overdue);
    }

    [Fact]
    public void Evaluate_NeverVerified_UsesCreationInstant()
    {
        var asOf = Created + Duration.FromDays(400);
        var report = ProfileStaleness.Evaluate(Customer(null), asOf, ProfileSchema.Default);

        Assert.True(report.IsStale);
        Assert.True(report.NeverVerified);
        Assert.Equal(Created, report.Reference);
        Assert.Equal(Duration.FromDays(35), report.Overdue);
        Assert.StartsWith("stale: never verified, created 400.0 days ago", report.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NonPositiveInterval_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProfileStaleness.Evaluate(Customer(null), Created, Duration.Zero));
        Assert.Throws<ArgumentNullException>(() => ProfileStaleness.Evaluate(null!, Created, Duration.FromDays(1)));
    }
}
