namespace CustomerSegmentation.Activity;

/// <summary>What kind of contact an <see cref="Interaction"/> was.</summary>
public enum InteractionKind
{
    /// <summary>A telephone call.</summary>
    Call = 0,

    /// <summary>A visit in person (拜访).</summary>
    Visit = 1,

    /// <summary>An email.</summary>
    Email = 2,

    /// <summary>A meeting.</summary>
    Meeting = 3,

    /// <summary>A chat or text message (WeChat, SMS, ...).</summary>
    Message = 4,

    /// <summary>A complaint by the customer (投诉).</summary>
    Complaint = 5,

    /// <summary>A satisfaction survey answer.</summary>
    Survey = 6,
}
