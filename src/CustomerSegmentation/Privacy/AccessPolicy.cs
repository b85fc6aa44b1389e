using System.Collections.Frozen;
using System.Collections.Immutable;
using CustomerSegmentation.Customers;

namespace CustomerSegmentation.Privacy;

/// <summary>
/// Maps host-defined roles to a <see cref="FieldPermission"/> for every field of a <see cref="ProfileSchema"/>: by default from the
/// field's <see cref="FieldSensitivity"/> (one permission per sensitivity and role), with per-field overrides.
/// </summary>
/// <remarks>
/// <para>Rules that hold for every policy:</para>
/// <list type="bullet">
/// <item>an unknown role gets <see cref="FieldPermission.Hidden"/> for every field: a typo in a role name shows nothing rather than everything;</item>
/// <item>a custom attribute that the schema does not declare is treated as <see cref="FieldSensitivity.Personal"/>: nothing says it is not;</item>
/// <item><see cref="ProfileFields.Id"/>, <see cref="ProfileFields.CreatedAt"/> and <see cref="ProfileFields.UpdatedAt"/> are never writable through
/// field writes (the id is the identity, the audit instants are set by the library): a <see cref="FieldPermission.Write"/> on them acts as <see cref="FieldPermission.Read"/>.</item>
/// </list>
/// <para><see cref="Default"/> has four example roles (see <see cref="AccessRoles"/>):</para>
/// <list type="table">
/// <listheader><term>role</term><description>public / internal / personal fields</description></listheader>
/// <item><term>owner</term><description>write / write / write</description></item>
/// <item><term>team-lead</term><description>write / write / read</description></item>
/// <item><term>analyst</term><description>read / read / hidden</description></item>
/// <item><term>auditor</term><description>read / read / masked</description></item>
/// </list>
/// </remarks>
/// <threadsafety>Immutable; safe for concurrent use.</threadsafety>
public sealed class AccessPolicy
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, FieldPermission>> _byRole;
    private readonly FrozenDictionary<string, FieldPermission> _undeclared;

    internal AccessPolicy(ProfileSchema schema, Dictionary<string, Dictionary<string, FieldPermission>> byRole, Dictionary<string, FieldPermission> undeclared)
    {
        Schema = schema;
        _byRole = byRole.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
        _undeclared = undeclared.ToFrozenDictionary(StringComparer.Ordinal);
        Roles = [.. byRole.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Gets the default policy for <see cref="ProfileSchema.Default"/> with the roles owner, team-lead, analyst and auditor (table above).</summary>
    public static AccessPolicy Default { get; } = CreateDefault(ProfileSchema.Default);

    /// <summary>Gets the schema the policy covers.</summary>
    public ProfileSchema Schema { get; }

    /// <summary>Gets the roles, in ordinal order.</summary>
    public ImmutableArray<string> Roles { get; }

    /// <summary>Creates the default policy (roles owner, team-lead, analyst, auditor) for a schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public static AccessPolicy CreateDefault(ProfileSchema schema) =>
        new AccessPolicyBuilder(schema)
            .AddRole(AccessRoles.Owner, FieldPermission.Write, FieldPermission.Write, FieldPermission.Write)
            .AddRole(AccessRoles.TeamLead, FieldPermission.Write, FieldPermission.Write, FieldPermission.Read)
            .AddRole(AccessRoles.Analyst, FieldPermission.Read, FieldPermission.Read, FieldPermission.Hidden)
            .AddRole(AccessRoles.Auditor, FieldPermission.Read, FieldPermission.Read, FieldPermission.Masked)
            .Build();

    /// <summary>Tells whether the field can never be written through field writes (the id and the audit instants).</summary>
    /// <param name="field">The field name.</param>
    /// <returns><see langword="true"/> for <see cref="ProfileFields.Id"/>, <see cref="ProfileFields.CreatedAt"/> and <see cref="ProfileFields.UpdatedAt"/>.</returns>
    public static bool IsSystemField(string field) => field is ProfileFields.Id or ProfileFields.CreatedAt or ProfileFields.UpdatedAt;

    /// <summary>Tells whether the policy knows a role.</summary>
    /// <param name="role">The role.</param>
    /// <returns><see langword="true"/> when the role was added to the policy.</returns>
    public bool HasRole(string? role) => role is not null && _byRole.ContainsKey(role);

    /// <summary>Gets a role's permission on a field (a built-in field name or a custom attribute key).</summary>
    /// <param name="role">The role; an unknown role gets <see cref="FieldPermission.Hidden"/>.</param>
    /// <param name="field">The field; an undeclared custom attribute is treated as personal.</param>
    /// <returns>The permission (system fields at most <see cref="FieldPermission.Read"/>).</returns>
    public FieldPermission PermissionFor(string? role, string? field)
    {
        if (role is null || field is null || !_byRole.TryGetValue(role, out var fields))
        {
            return FieldPermission.Hidden;
        }

        var permission = fields.TryGetValue(field, out var p) ? p : _undeclared[role];
        return IsSystemField(field) && permission > FieldPermission.Read ? FieldPermission.Read : permission;
    }

    /// <summary>Gets the sensitivity the policy assumes for a field: the schema's, or <see cref="FieldSensitivity.Personal"/> for an undeclared custom attribute.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The sensitivity.</returns>
    public FieldSensitivity SensitivityOf(string field) =>
        Schema.TryGetField(field, out var f) ? f.Sensitivity : FieldSensitivity.Personal;
}

/// <summary>Builds an <see cref="AccessPolicy"/>: roles with a permission per sensitivity, then per-field overrides. <see cref="Build"/> checks everything.</summary>
/// <threadsafety>Not thread-safe.</threadsafety>
public sealed class AccessPolicyBuilder
{
    private readonly Dictionary<string, (FieldPermission Public, FieldPermission Internal, FieldPermission Personal)> _roles = new(StringComparer.Ordinal);
    private readonly List<(string Role, string Field, FieldPermission Permission)> _grants = [];

    /// <summary>Creates a builder for a schema.</summary>
    /// <param name="schema">The schema whose fields the policy covers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is <see langword="null"/>.</exception>
    public AccessPolicyBuilder(ProfileSchema schema) => Schema = schema ?? throw new ArgumentNullException(nameof(schema));

    /// <summary>Gets the schema.</summary>
    public ProfileSchema Schema { get; }

    /// <summary>Adds (or replaces) a role with the permission it has on public, internal and personal fields.</summary>
    /// <param name="role">The role name (host-defined).</param>
    /// <param name="publicFields">The permission on <see cref="FieldSensitivity.Public"/> fields.</param>
    /// <param name="internalFields">The permission on <see cref="FieldSensitivity.Internal"/> fields.</param>
    /// <param name="personalFields">The permission on <see cref="FieldSensitivity.Personal"/> fields and undeclared custom attributes.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    public AccessPolicyBuilder AddRole(string role, FieldPermission publicFields, FieldPermission internalFields, FieldPermission personalFields)
    {
        ArgumentNullException.ThrowIfNull(role);
        _roles[role] = (publicFields, internalFields, personalFields);
        return this;
    }

    /// <summary>Overrides a role's permission on one field (applied after the sensitivity defaults, later grants win).</summary>
    /// <param name="role">A role added with <see cref="AddRole"/>.</param>
    /// <param name="field">A field of the schema: a built-in name or a declared custom attribute key.</param>
    /// <param name="permission">The permission.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> or <paramref name="field"/> is <see langword="null"/>.</exception>
    public AccessPolicyBuilder Grant(string role, string field, FieldPermission permission)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(field);
        _grants.Add((role, field, permission));
        return this;
    }

    /// <summary>Checks the configuration and builds the policy.</summary>
    /// <returns>The policy.</returns>
    /// <exception cref="AccessPolicyException">No role; a role name that is empty, longer than 64 characters or holds white space or control characters; an undefined permission; a grant for an unknown role or a field the schema does not have.</exception>
    public AccessPolicy Build()
    {
        if (_roles.Count == 0)
        {
            throw new AccessPolicyException("An access policy needs at least one role.");
        }

        var byRole = new Dictionary<string, Dictionary<string, FieldPermission>>(StringComparer.Ordinal);
        var undeclared = new Dictionary<string, FieldPermission>(StringComparer.Ordinal);
        foreach (var (role, (pub, intern, personal)) in _roles)
        {
            if (role.Length is 0 or > 64 || role.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new AccessPolicyException($"The role name '{role}' must have 1..64 characters without white space or control characters.");
            }

            foreach (var p in (ReadOnlySpan<FieldPermission>)[pub, intern, personal])
            {
                if (!Enum.IsDefined(p))
                {
                    throw new AccessPolicyException($"Role '{role}': {(int)p} is not a field permission.");
                }
            }

            var fields = new Dictionary<string, FieldPermission>(StringComparer.Ordinal);
            foreach (var field in Schema.Fields)
            {
                fields[field.Name] = field.Sensitivity switch
                {
                    FieldSensitivity.Public => pub,
                    FieldSensitivity.Internal => intern,
                    _ => personal,
                };
            }

            byRole[role] = fields;
            undeclared[role] = personal;
        }

        foreach (var (role, field, permission) in _grants)
        {
            if (!byRole.TryGetValue(role, out var fields))
            {
                throw new AccessPolicyException($"Grant on '{field}' for the unknown role '{role}': add the role first.");
            }

            if (!Schema.TryGetField(field, out _))
            {
                throw new AccessPolicyException($"Grant for role '{role}': the profile schema has no field '{field}'.");
            }

            if (!Enum.IsDefined(permission))
            {
                throw new AccessPolicyException($"Grant for role '{role}' on '{field}': {(int)permission} is not a field permission.");
            }

            fields[field] = permission;
        }

        return new AccessPolicy(Schema, byRole, undeclared);
    }
}
