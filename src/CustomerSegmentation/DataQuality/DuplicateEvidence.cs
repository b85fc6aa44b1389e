using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace CustomerSegmentation.DataQuality;

/// <summary>What a piece of duplicate evidence says.</summary>
public enum DuplicateEvidenceKind
{
    /// <summary>Both records hold the same normalised email address.</summary>
    SameEmail = 0,

    /// <summary>Both records hold the same phone number in E.164 form.</summary>
    SamePhone,

    /// <summary>Both records carry the same external id (e.g. the id in another system).</summary>
    SameExternalId,

    /// <summary>A host rule (<see cref="IDuplicateRule"/>) found the pair, e.g. the same business licence number.</summary>
    HostRule,

    /// <summary>The folded names are similar (Jaro-Winkler).</summary>
    SimilarNames,

    /// <summary>Both records belong to the same organisation (the block that brought the pair together).</summary>
    SameOrganisation,

    /// <summary>Both records are in the same region.</summary>
    SameRegion,

    /// <summary>Both phone numbers start with the same prefix.</summary>
    SamePhonePrefix,
}

/// <summary>One reason two records look like the same customer.</summary>
/// <param name="Kind">What the evidence says.</param>
/// <param name="Label">For <see cref="DuplicateEvidenceKind.HostRule"/>, the rule's name for the key (e.g. <c>licence</c>); otherwise the kind's own word.</param>
/// <param name="Value">The shared value (the email, the phone, the key, the organisation), or empty for name similarity.</param>
/// <param name="Weight">How strongly it says "same customer", 0..1 (see <see cref="DuplicateDetectionOptions"/> for the defaults); the names' similarity for <see cref="DuplicateEvidenceKind.SimilarNames"/>.</param>
public readonly record struct DuplicateEvidence(DuplicateEvidenceKind Kind, string Label, string Value, double Weight)
{
    /// <summary>Gets a value indicating whether the evidence is an exact shared key (email, phone, external id, host rule).</summary>
    public bool IsExactKey => Kind is DuplicateEvidenceKind.SameEmail or DuplicateEvidenceKind.SamePhone or DuplicateEvidenceKind.SameExternalId or DuplicateEvidenceKind.HostRule;
}

/// <summary>
/// Turns evidence into the text shown to people, e.g. <c>same phone +8613812345678; names 0.93 similar</c>.
/// </summary>
/// <remarks>
/// The only place where evidence becomes text: the candidate's <see cref="DuplicateCandidate.EvidenceText"/>, the
/// CLI's <c>evidence</c> column and the docs' examples all come from here, so masking personal data (showing
/// <c>+86138****5678</c>) is one change in one place. The structured evidence stays unmasked in
/// <see cref="DuplicateCandidate.Evidence"/> for programs.
/// </remarks>
/// <threadsafety>Stateless; safe to call from any thread.</threadsafety>
public static class DuplicateEvidenceText
{
    /// <summary>Formats evidence in the order given, separated by <c>; </c>.</summary>
    /// <param name="evidence">The evidence.</param>
    /// <returns>The text.</returns>
    public static string Format(IEnumerable<DuplicateEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var sb = new StringBuilder();
        foreach (var e in evidence)
        {
            if (sb.Length > 0)
            {
                sb.Append("; ");
            }

            sb.Append(Format(e));
        }

        return sb.ToString();
    }

    /// <summary>Formats one piece of evidence.</summary>
    /// <param name="evidence">The evidence.</param>
    /// <returns>The text, e.g. <c>same email li.na@example.com</c> or <c>names 0.93 similar</c>.</returns>
    public static string Format(DuplicateEvidence evidence) => evidence.Kind switch
    {
        DuplicateEvidenceKind.SameEmail => "same email " + evidence.Value,
        DuplicateEvidenceKind.SamePhone => "same phone " + evidence.Value,
        DuplicateEvidenceKind.SameExternalId => "same external id " + evidence.Value,
        DuplicateEvidenceKind.HostRule => "same " + evidence.Label + " " + evidence.Value,
        DuplicateEvidenceKind.SimilarNames => string.Create(CultureInfo.InvariantCulture, $"names {Math.Floor(evidence.Weight * 100) / 100:0.00} similar"),
        DuplicateEvidenceKind.SameOrganisation => "same organisation " + evidence.Value,
        DuplicateEvidenceKind.SameRegion => "same region " + evidence.Value,
        DuplicateEvidenceKind.SamePhonePrefix => "same phone prefix " + evidence.Value,
        _ => evidence.Label + " " + evidence.Value,
    };

    internal static string Format(ImmutableArray<DuplicateEvidence> evidence) => Format((IEnumerable<DuplicateEvidence>)evidence);
}
