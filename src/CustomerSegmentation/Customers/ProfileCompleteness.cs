using System.Collections.Immutable;
using System.Globalization;
using Ardalis.GuardClauses;

namespace CustomerSegmentation.Customers;

/// <summary>How complete a customer's profile is, with the figures behind the score.</summary>
/// <param name="Score">Earned weight divided by possible weight, 0..1; 1 when no weighted field applies.</param>
/// <param name="EarnedWeight">The summed weights of the fields that have a value.</param>
/// <param name="PossibleWeight">The summed weights of the fields that apply to the customer's kind.</param>
/// <param name="Present">The weighted fields that have a value, in schema order.</param>
/// <param name="Missing">The weighted fields without a value, in schema order.</param>
public sealed record CompletenessReport(double Score, double EarnedWeight, double PossibleWeight, ImmutableArray<string> Present, ImmutableArray<string> Missing)
{
    /// <summary>Gets the explanation, e.g. <c>completeness 0.73 = 8 of 11 weight; missing Emails (2), Birthday (1)</c>.</summary>
    public string Explanation => string.Create(
        CultureInfo.InvariantCulture,
        $"completeness {Score:0.00} = {EarnedWeight:0.##} of {PossibleWeight:0.##} weight{(Missing.IsEmpty ? "; nothing missing" : "; missing " + string.Join(", ", Missing))}");
}

/// <summary>Scores how complete a customer profile is: the share of the schema's completeness weight whose fields have a value.</summary>
/// <remarks>
/// A field counts as present when it has a value, valid or not (validate with <see cref="CustomerValidator"/> first to count only
/// valid values): non-blank text, at least one non-blank email or phone, a birthday, a last-verified instant, a custom attribute
/// that is not <see langword="null"/> or blank. Booleans, the kind, the id and the audit instants always have a value.
/// Only fields with a positive <see cref="ProfileField.CompletenessWeight"/> that apply to the customer's kind take part.
/// </remarks>
public static class ProfileCompleteness
{
    /// <summary>Scores a customer's completeness.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="schema">The schema with the weights.</param>
    /// <returns>The score and its explanation.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static CompletenessReport Evaluate(Customer customer, ProfileSchema schema)
    {
        Guard.Against.Null(customer);
        Guard.Against.Null(schema);
        double earned = 0, possible = 0;
        var present = ImmutableArray.CreateBuilder<string>();
        var missing = ImmutableArray.CreateBuilder<string>();
        foreach (var field in schema.Fields)
        {
            if (field.CompletenessWeight <= 0 || !field.AppliesToKind(customer.Kind))
            {
                continue;
            }

            possible += field.CompletenessWeight;
            if (HasValue(customer, field))
            {
                earned += field.CompletenessWeight;
                present.Add(field.Name);
            }
            else
            {
                missing.Add(string.Create(CultureInfo.InvariantCulture, $"{field.Name} ({field.CompletenessWeight:0.##})"));
            }
        }

        var score = possible == 0 ? 1.0 : Math.Clamp(earned / possible, 0, 1);
        return new CompletenessReport(score, earned, possible, present.ToImmutable(), missing.ToImmutable());
    }

    /// <summary>Tells whether a customer has a value for a field, in the sense used by the completeness score.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="field">The field.</param>
    /// <returns><see langword="true"/> when the field has a value.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static bool HasValue(Customer customer, ProfileField field)
    {
        Guard.Against.Null(customer);
        Guard.Against.Null(field);
        if (field.IsCustomAttribute)
        {
            return CustomerValidator.HasValue(customer.CustomAttributes, field.Name);
        }

        return field.Name switch
        {
            ProfileFields.DisplayName => !string.IsNullOrWhiteSpace(customer.DisplayName),
            ProfileFields.Emails => AnyText(customer.Emails),
            ProfileFields.Phones => AnyText(customer.Phones),
            ProfileFields.Region => !string.IsNullOrWhiteSpace(customer.Region),
            ProfileFields.Industry => !string.IsNullOrWhiteSpace(customer.Industry),
            ProfileFields.CompanySize => !string.IsNullOrWhiteSpace(customer.CompanySize),
            ProfileFields.AcquisitionChannel => !string.IsNullOrWhiteSpace(customer.AcquisitionChannel),
            ProfileFields.Owner => !string.IsNullOrWhiteSpace(customer.Owner),
            ProfileFields.Birthday => customer.Birthday is not null,
            ProfileFields.TimeZone => customer.TimeZone is not null,
            ProfileFields.LastVerifiedAt => customer.LastVerifiedAt is not null,
            ProfileFields.Id => customer.Id != default,
            _ => true,
        };
    }

    private static bool AnyText(ImmutableArray<string> items) => !items.IsDefault && items.Any(s => !string.IsNullOrWhiteSpace(s));
}
