namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// A role assignment with its copy-loop index resolved: who (the template parameter that carries the principal id),
/// what (the role definition GUID) and where (the scope's resource type, and the container name for blob containers).
/// A part that cannot be resolved statically is null, and the audits treat null as "could be anything".
/// </summary>
public sealed record RoleAssignment(string? PrincipalParameter, string? RoleDefinitionId, string ScopeType, string? ContainerName, string Origin)
{
    /// <summary>Scope type used when the assignment has no scope property: the deployment's own resource group.</summary>
    public const string ResourceGroupScope = "(resource group)";

    public const string StorageAccountType = "Microsoft.Storage/storageAccounts";
    public const string ContainerType = "Microsoft.Storage/storageAccounts/blobServices/containers";

    public override string ToString() =>
        $"{RoleDefinitionId ?? "?"} for {PrincipalParameter ?? "?"} on {ScopeType}{(ContainerName is null ? "" : "/" + ContainerName)} ({Origin})";
}
