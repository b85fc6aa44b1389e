namespace CustomerSegmentation.Privacy;

/// <summary>What a role may do with one profile field. Ordered: each permission includes the ones before it.</summary>
public enum FieldPermission
{
    /// <summary>The field is absent from the caller's view, and writing it is denied.</summary>
    Hidden = 0,

    /// <summary>The field is shown masked (<see cref="PersonalDataMasker"/>); writing it is denied.</summary>
    Masked = 1,

    /// <summary>The field is shown in clear; writing it is denied.</summary>
    Read = 2,

    /// <summary>The field is shown in clear and may be written.</summary>
    Write = 3,
}
