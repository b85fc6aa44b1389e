using CustomerSegmentation.Activity;
using CustomerSegmentation.Customers;
using CustomerSegmentation.Engagement;
using NodaTime;

namespace CustomerSegmentation.Tests.Engagement;

internal static class EngagementTestData
{
    public static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    // China's National Day week of 2025: 1..8 October off, Sunday 28 September and Saturday 11 October worked (调休).
    public static BusinessCalendar NationalDay2025 { get; } = new(
        holidays: Enumerable.Range(1, 8).Select(d => new LocalDate(2025, 10, d)),
        makeUpWorkingDays: [new LocalDate(2025, 9, 28), new LocalDate(2025, 10, 11)]);

    public static Instant Utc(int y, int m, int d, int h = 12, int min = 0) => Instant.FromUtc(y, m, d, h, min);

    public static CustomerId Id(string s) => new(s);

    public static Interaction Call(string id, Instant at) => new(new CustomerId(id), InteractionKind.Call, at, channel: "phone");

    public static Interaction Complaint(string id, Instant at, Instant? resolvedAt = null, string? note = null) =>
        new(new CustomerId(id), InteractionKind.Complaint, at) { ResolvedAt = resolvedAt, Note = note };

    public static Interaction Survey(string id, Instant at, int? csat = null, int? nps = null, string? note = null) =>
        new(new CustomerId(id), InteractionKind.Survey, at, csat, nps) { Note = note };

    public static EngagementSubject Subject(string id, string? tier = null, string? stage = null, string? owner = null, params Interaction[] interactions) =>
        new(new CustomerId(id)) { Tier = tier, Stage = stage, Owner = owner, Interactions = interactions };
}
