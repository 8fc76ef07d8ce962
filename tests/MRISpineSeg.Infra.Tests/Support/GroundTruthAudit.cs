namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// "ground-truth is readable only by the scoring identity": every role assignment that can read blobs and whose
/// scope contains the ground-truth container (the container itself, the storage account, the resource group, or a
/// scope the audit cannot resolve) must be held by the scoring identity's principal parameter.
/// </summary>
public static class GroundTruthAudit
{
    public const string GroundTruthContainer = "ground-truth";

    /// <summary>The rbac module parameter that carries the Function App (scoring) identity's principal id.</summary>
    public const string ScoringPrincipalParameter = "functionsPrincipalId";

    public static IReadOnlyList<string> Violations(ArmTemplate main)
    {
        var violations = new List<string>();
        foreach (var assignment in RoleAssignmentExpander.Expand(main))
        {
            var readsBlobs = assignment.RoleDefinitionId is null || KnownRoles.CanReadBlobs.Contains(assignment.RoleDefinitionId);
            if (readsBlobs && CoversGroundTruth(assignment) && assignment.PrincipalParameter != ScoringPrincipalParameter)
            {
                violations.Add($"ground-truth readable by a non-scoring principal: {assignment}");
            }
        }

        return violations;
    }

    private static bool CoversGroundTruth(RoleAssignment assignment) => assignment.ScopeType switch
    {
        RoleAssignment.ContainerType => assignment.ContainerName is null or GroundTruthContainer,
        RoleAssignment.StorageAccountType => true,
        RoleAssignment.ResourceGroupScope => true,
        "(unresolved scope)" or "(unresolved loop)" => true,
        _ => false,
    };
}
