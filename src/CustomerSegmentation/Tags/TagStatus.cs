namespace CustomerSegmentation.Tags;

/// <summary>Where a <see cref="Tag"/> is in its life.</summary>
public enum TagStatus
{
    /// <summary>In use: can be assigned and found by name.</summary>
    Active = 0,

    /// <summary>Retired: no new assignments; existing ones are kept, or were moved to <see cref="Tag.SuccessorId"/> when it has one. Still found by name.</summary>
    Retired = 1,

    /// <summary>Merged into <see cref="Tag.SuccessorId"/>: its name and aliases are now aliases of the successor, its assignments moved there. Kept so its id still resolves.</summary>
    Merged = 2,
}
