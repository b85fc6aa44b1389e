namespace CustomerSegmentation.Tags;

/// <summary>How many tags of one <see cref="TagGroup"/> a customer may hold at once.</summary>
public enum TagSelection
{
    /// <summary>Any number of tags of the group (e.g. Industry, Interests).</summary>
    Multiple = 0,

    /// <summary>At most one tag of the group (e.g. Value: VIP / potential / general); assigning another replaces it.</summary>
    Single = 1,
}
