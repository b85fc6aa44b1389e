namespace CustomerSegmentation.Privacy;

/// <summary>The names of the example roles in <see cref="AccessPolicy.Default"/>. Roles are host-defined: these are a starting point, not a closed list.</summary>
public static class AccessRoles
{
    /// <summary>The customer's owner (负责人, the responsible salesperson): reads and writes every field of their own customers.</summary>
    public const string Owner = "owner";

    /// <summary>A team lead: reads every field of the team's customers in clear, writes the non-personal ones.</summary>
    public const string TeamLead = "team-lead";

    /// <summary>An analyst: public and internal fields only, personal ones hidden; with <see cref="DataScope.AggregatesOnly"/> no single customer at all.</summary>
    public const string Analyst = "analyst";

    /// <summary>An auditor: reads public and internal fields, personal ones masked, writes nothing.</summary>
    public const string Auditor = "auditor";
}
