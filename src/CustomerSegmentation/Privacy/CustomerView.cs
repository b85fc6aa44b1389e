using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CustomerSegmentation.Customers;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Privacy;

/// <summary>One field in a <see cref="CustomerView"/>: its name, the caller's permission, whether it is masked, and its values as text.</summary>
/// <param name="Name">The field name (a <see cref="ProfileFields"/> name or a custom attribute key).</param>
/// <param name="Permission">The caller's permission: <see cref="FieldPermission.Masked"/>, <see cref="FieldPermission.Read"/> or <see cref="FieldPermission.Write"/>.</param>
/// <param name="Values">The values as text (one for a single value, any number for emails and phones, none for an empty field), masked when <see cref="IsMasked"/>.</param>
public sealed record ViewField(string Name, FieldPermission Permission, ImmutableArray<string> Values)
{
    /// <summary>Gets a value indicating whether the values are masked.</summary>
    public bool IsMasked => Permission == FieldPermission.Masked;

    /// <summary>Gets a value indicating whether the caller may write the field.</summary>
    public bool IsWritable => Permission == FieldPermission.Write;

    /// <summary>Gets the first value, or <see langword="null"/> for an empty field.</summary>
    public string? Value => Values.IsDefaultOrEmpty ? null : Values[0];

    /// <summary>Returns <c>Name = value</c> (lists in brackets).</summary>
    /// <returns>The field as text.</returns>
    public override string ToString() => $"{Name} = {(Values.Length == 1 ? Values[0] : "[" + string.Join(", ", Values) + "]")}";
}

/// <summary>
/// What one caller may see of one customer: the fields the <see cref="AccessPolicy"/> hides are absent, the masked ones are masked
/// (<see cref="PersonalDataMasker"/>), the others are shown as text. Created by <see cref="CustomerAccess"/>.
/// </summary>
/// <remarks>The view holds only text that the caller may see, so its <see cref="ToString"/> and <see cref="ToJson"/> can be logged and sent as they are.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class CustomerView
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal CustomerView(CustomerId id, string role, long version, ImmutableArray<ViewField> fields)
    {
        Id = id;
        Role = role;
        Version = version;
        Fields = fields;
    }

    /// <summary>Gets the customer's id (always present: it names the subject, and ids are not personal data).</summary>
    public CustomerId Id { get; }

    /// <summary>Gets the role the view was made for.</summary>
    public string Role { get; }

    /// <summary>Gets the stored version the view was made from (for a later write's expected version).</summary>
    public long Version { get; }

    /// <summary>Gets the visible fields: built-in ones in schema order, then custom attributes by key.</summary>
    public ImmutableArray<ViewField> Fields { get; }

    /// <summary>Looks a visible field up.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="field">The field, when visible.</param>
    /// <returns><see langword="true"/> when the field is in the view.</returns>
    public bool TryGetField(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ViewField field)
    {
        foreach (var f in Fields)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal))
            {
                field = f;
                return true;
            }
        }

        field = null;
        return false;
    }

    /// <summary>Writes the view as JSON: <c>{"id": …, "role": …, "version": …, "fields": {"DisplayName": {"permission": "Masked", "values": ["张*"]}, …}}</c>.</summary>
    /// <returns>The JSON document (indented, non-ASCII text unescaped).</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", Id.Value);
            w.WriteString("role", Role);
            w.WriteNumber("version", Version);
            w.WriteStartObject("fields");
            foreach (var f in Fields)
            {
                w.WriteStartObject(f.Name);
                w.WriteString("permission", f.Permission.ToString());
                w.WriteStartArray("values");
                foreach (var v in f.Values)
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Returns <c>C001 (auditor): DisplayName = 张*, Region = 广东省, …</c>.</summary>
    /// <returns>The view as one line.</returns>
    public override string ToString() => $"{Id} ({Role}): {string.Join(", ", Fields)}";

    internal static CustomerView Create(AccessPolicy policy, PersonalDataMasker masker, string role, Customer c)
    {
        var fields = ImmutableArray.CreateBuilder<ViewField>();
        foreach (var field in policy.Schema.Fields)
        {
            if (field.IsCustomAttribute)
            {
                continue;
            }

            var permission = policy.PermissionFor(role, field.Name);
            if (permission == FieldPermission.Hidden)
            {
                continue;
            }

            var masked = permission == FieldPermission.Masked;
            ImmutableArray<string> values = field.Name switch
            {
                ProfileFields.Id => [c.Id.Value],
                ProfileFields.Kind => [masked ? masker.MaskAttribute(null, c.Kind) : c.Kind.ToString()],
                ProfileFields.DisplayName => One(masked ? masker.MaskName(c.DisplayName) : c.DisplayName),
                ProfileFields.Emails => [.. (c.Emails.IsDefault ? [] : c.Emails).Select(e => masked ? masker.MaskEmail(e) : e ?? string.Empty)],
                ProfileFields.Phones => [.. (c.Phones.IsDefault ? [] : c.Phones).Select(p => masked ? masker.MaskPhone(p) : p ?? string.Empty)],
                ProfileFields.Region => Text(c.Region, masked, masker),
                ProfileFields.Industry => Text(c.Industry, masked, masker),
                ProfileFields.CompanySize => Text(c.CompanySize, masked, masker),
                ProfileFields.AcquisitionChannel => Text(c.AcquisitionChannel, masked, masker),
                ProfileFields.Owner => Text(c.Owner, masked, masker),
                ProfileFields.Birthday => c.Birthday is not { } b ? [] : [masked ? masker.MaskBirthday() : FormatBirthday(b)],
                ProfileFields.MarketingConsent => [masked ? masker.MaskAttribute(null, true) : c.MarketingConsent ? "true" : "false"],
                ProfileFields.CreatedAt => [masked ? masker.MaskAttribute(null, c.CreatedAt) : InstantPattern.ExtendedIso.Format(c.CreatedAt)],
                ProfileFields.UpdatedAt => [masked ? masker.MaskAttribute(null, c.UpdatedAt) : InstantPattern.ExtendedIso.Format(c.UpdatedAt)],
                ProfileFields.LastVerifiedAt => c.LastVerifiedAt is not { } v ? [] : [masked ? masker.MaskAttribute(null, v) : InstantPattern.ExtendedIso.Format(v)],
                _ => [],
            };
            fields.Add(new ViewField(field.Name, permission, values));
        }

        foreach (var (key, value) in (c.CustomAttributes ?? ImmutableDictionary<string, object>.Empty).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var permission = policy.PermissionFor(role, key);
            if (permission == FieldPermission.Hidden || (policy.Schema.TryGetField(key, out var f) && !f.IsCustomAttribute))
            {
                continue;
            }

            var text = permission == FieldPermission.Masked ? masker.MaskAttribute(key, value) : FormatValue(value);
            fields.Add(new ViewField(key, permission, text.Length == 0 && value is null ? [] : [text]));
        }

        return new CustomerView(c.Id, role, c.Version, fields.ToImmutable());
    }

    internal static string FormatBirthday(Birthday b) =>
        b.Year is { } y ? string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{b.Day.Month:D2}-{b.Day.Day:D2}") : string.Create(CultureInfo.InvariantCulture, $"--{b.Day.Month:D2}-{b.Day.Day:D2}");

    internal static string FormatValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        LocalDate d => LocalDatePattern.Iso.Format(d),
        Instant i => InstantPattern.ExtendedIso.Format(i),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static ImmutableArray<string> One(string? s) => s is null ? [] : [s];

    private static ImmutableArray<string> Text(string? s, bool masked, PersonalDataMasker masker) =>
        s is null ? [] : [masked ? masker.MaskText(s) : s];
}
