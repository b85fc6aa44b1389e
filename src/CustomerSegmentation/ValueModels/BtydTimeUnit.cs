namespace CustomerSegmentation.ValueModels;

/// <summary>The unit of recency, age and horizons in a <see cref="BtydData"/> summary and in every model fitted on it.</summary>
/// <remarks>
/// The unit only rescales the time axis: BG/NBD's α is in the unit (α in weeks = α in days / 7) and r, a, b do not change,
/// so the log-likelihood differs between units by the constant <c>−Σ x · ln 7</c>. Predictions for a horizon are the same
/// when the horizon is given in the same unit as the data.
/// </remarks>
public enum BtydTimeUnit
{
    /// <summary>Calendar days.</summary>
    Days = 1,

    /// <summary>Weeks of seven days (the unit of the BTYD literature and of the published CDNOW estimates).</summary>
    Weeks = 7,
}
