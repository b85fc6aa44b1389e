using CustomerSegmentation.Customers;
using CustomerSegmentation.DataQuality;
using CustomerSegmentation.Storage;
using CustomerSegmentation.Tiers;
using NodaTime;
using static CustomerSegmentation.Tests.DataQuality.DuplicateDetectorTests;

namespace CustomerSegmentation.Tests.DataQuality;

public class ReviewPolicyTests
{
    private static readonly Instant AsOf = T0 + Duration.FromDays(100);

    private static readonly ReviewPolicy Policy = new ReviewPolicy(ReviewPolicy.Quarterly)
        .ForTier("VIP", ReviewPolicy.Monthly)
        .ForStage("new", Duration.FromDays(14))
        .Require(ProfileFields.Owner);

    private static Customer Verified(string id, int daysAgo, string? owner = "王芳", string? phone = null) =>
        Person(id, id, phone: phone) with { LastVerifiedAt = AsOf - Duration.FromDays(daysAgo), Owner = owner };

    [Fact]
    public void Evaluate_VipVerified40DaysAgo_Due10DaysOverdue()
    {
        var status = Policy.Evaluate(new ReviewSubject(Verified("V", 40), new Tier("VIP", 3)), AsOf);
        Assert.True(status.IsDue);
        Assert.Equal(Duration.FromDays(10), status.Overdue);
        Assert.Equal("tier VIP: every 30 days", status.IntervalReason);
    }

    [Fact]
    public void Evaluate_OrdinaryVerified40DaysAgo_NotDue()
    {
        var status = Policy.Evaluate(new ReviewSubject(Verified("O", 40), new Tier("Standard", 1)), AsOf);
        Assert.False(status.IsDue);
        Assert.Equal("default: every 91 days", status.IntervalReason);
    }

    [Fact]
    public void Evaluate_VipInNewStage_StrictestIntervalWins()
    {
        var status = Policy.Evaluate(new ReviewSubject(Verified("N", 20), new Tier("VIP", 3), "new"), AsOf);
        Assert.Equal(Duration.FromDays(14), status.Interval);
        Assert.Equal(Duration.FromDays(6), status.Overdue);
    }

    [Fact]
    public void Evaluate_MissingRequiredFieldOrInvalidContact_DueWithReasons()
    {
        var missing = Policy.Evaluate(new ReviewSubject(Verified("M", 1, owner: null)), AsOf);
        Assert.Equal<string>(["required field Owner is empty"], missing.Reasons);
        var marked = Policy.Evaluate(new ReviewSubject(Verified("P", 1, phone: "+86 138 1234 5678")) { InvalidContacts = ["+86 138 1234 5678"] }, AsOf);
        Assert.Equal<string>(["phone '+86 138 1234 5678' is marked invalid"], marked.Reasons);
        var unparsable = Policy.Evaluate(new ReviewSubject(Verified("Q", 1, phone: "12345")), AsOf);
        Assert.StartsWith("phone '12345' is not valid", Assert.Single(unparsable.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AttributeRule_Applies()
    {
        var policy = new ReviewPolicy().ForAttribute("grade", "A", ReviewPolicy.Monthly);
        var c = Verified("G", 35) with { CustomAttributes = Verified("G", 35).CustomAttributes.Add("grade", "A") };
        Assert.True(policy.Evaluate(new ReviewSubject(c), AsOf).IsDue);
    }

    [Fact]
    public void Queue_PerOwner_ByValueThenOverdue()
    {
        var queue = Policy.Queue(
            [
                new ReviewSubject(Verified("a", 200), Value: 10m),
                new ReviewSubject(Verified("b", 100), Value: 10m),
                new ReviewSubject(Verified("c", 95), Value: 500m),
                new ReviewSubject(Verified("d", 300, owner: "李雷"), Value: 1m),
                new ReviewSubject(Verified("e", 5), Value: 999m),
            ],
            AsOf);
        Assert.Equal(["李雷", "王芳"], queue.Select(g => g.Owner));
        Assert.Equal(["c", "a", "b"], queue[1].Items.Select(i => i.CustomerId.Value));
    }

    [Fact]
    public async Task MarkReviewed_RecordsWhoWhenWhatChanged()
    {
        var store = new InMemoryCustomerStore();
        var before = await store.UpsertAsync(Verified("R", 200), 0);
        var record = await ReviewPolicy.MarkReviewedAsync(store, before, before with { Region = "深圳" }, "审核员", AsOf);
        Assert.Equal<FieldChange>([new FieldChange("Region", string.Empty, "深圳")], record.Changes);
        Assert.Equal(AsOf, (await store.GetAsync(before.Id))!.LastVerifiedAt);
        Assert.False(Policy.Evaluate(new ReviewSubject(record.Stored), AsOf).IsDue);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await ReviewPolicy.MarkReviewedAsync(store, before, before, "x", AsOf));
    }

    [Fact]
    public void Policy_NonPositiveInterval_Throws() =>
        Assert.Throws<DataQualityConfigurationException>(() => new ReviewPolicy().ForTier("VIP", Duration.Zero));
}
