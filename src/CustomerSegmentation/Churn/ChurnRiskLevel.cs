namespace CustomerSegmentation.Churn;

/// <summary>How likely a customer is to be lost, as a level derived from a churn score by <see cref="ChurnLevelCutoffs"/>.</summary>
/// <remarks>Levels are ordered: a higher value means more risk.</remarks>
public enum ChurnRiskLevel
{
    /// <summary>Below the medium cut-off.</summary>
    Low = 0,

    /// <summary>At or above the medium cut-off, below the high cut-off.</summary>
    Medium = 1,

    /// <summary>At or above the high cut-off, below the critical cut-off.</summary>
    High = 2,

    /// <summary>At or above the critical cut-off.</summary>
    Critical = 3,
}
