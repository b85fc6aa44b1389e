using CustomerSegmentation.Customers;
using NodaTime;

namespace CustomerSegmentation.Activity;

/// <summary>A contact with a customer: call, visit, email, meeting, message, complaint or survey, with optional satisfaction or NPS.</summary>
public sealed record Interaction : ActivityRecord
{
    /// <summary>Creates an interaction.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="kind">What kind of contact.</param>
    /// <param name="at">When it happened.</param>
    /// <param name="satisfaction">Optional satisfaction (CSAT) score 1..5.</param>
    /// <param name="nps">Optional net-promoter answer 0..10.</param>
    /// <param name="channel">Optional channel, e.g. <c>phone</c>, <c>wechat</c>, <c>store</c>.</param>
    /// <exception cref="ArgumentException">The customer id is the default value, <paramref name="kind"/> is not defined, or the channel is white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="satisfaction"/> is outside 1..5 or <paramref name="nps"/> outside 0..10.</exception>
    public Interaction(CustomerId customerId, InteractionKind kind, Instant at, int? satisfaction = null, int? nps = null, string? channel = null)
        : base(customerId, at)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"Unknown interaction kind {(int)kind}.", nameof(kind));
        }

        if (satisfaction is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(satisfaction), satisfaction, "Satisfaction is a score from 1 to 5.");
        }

        if (nps is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(nps), nps, "NPS is an answer from 0 to 10.");
        }

        if (channel is not null && string.IsNullOrWhiteSpace(channel))
        {
            throw new ArgumentException("A channel, when given, must not be empty or white space.", nameof(channel));
        }

        Kind = kind;
        Satisfaction = satisfaction;
        Nps = nps;
        Channel = channel;
    }

    /// <summary>Gets the kind of contact.</summary>
    public InteractionKind Kind { get; }

    /// <summary>Gets the satisfaction score 1..5, if one was given.</summary>
    public int? Satisfaction { get; }

    /// <summary>Gets the NPS answer 0..10, if one was given.</summary>
    public int? Nps { get; }

    /// <summary>Gets the channel, if known.</summary>
    public string? Channel { get; }

    /// <summary>
    /// Gets the free text of the contact, if any: the customer's feedback on a survey, the wording of a complaint,
    /// or the owner's note of a call. Engagement summaries report the latest one as the last feedback text.
    /// </summary>
    /// <exception cref="ArgumentException">(init) The text is empty or white space.</exception>
    public string? Note
    {
        get;
        init
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("A note, when given, must not be empty or white space.", nameof(Note));
            }

            field = value;
        }
    }

    /// <summary>
    /// Gets when a complaint was resolved, if it has been: a complaint is open as of an instant before this one (or
    /// while it is <see langword="null"/>) and resolved from it on. Only complaints carry it.
    /// </summary>
    /// <exception cref="ArgumentException">(init) The interaction is not a complaint, or the instant is before <see cref="ActivityRecord.At"/>.</exception>
    public Instant? ResolvedAt
    {
        get;
        init
        {
            if (value is { } resolved)
            {
                if (Kind != InteractionKind.Complaint)
                {
                    throw new ArgumentException($"Only a complaint can be resolved; this interaction is a {Kind}.", nameof(ResolvedAt));
                }

                if (resolved < At)
                {
                    throw new ArgumentException($"A complaint cannot be resolved at {resolved}, before it was made at {At}.", nameof(ResolvedAt));
                }
            }

            field = value;
        }
    }
}
