using System.Text.Json.Nodes;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Security;

/// <summary>
/// Least privilege, read from the compiled role assignments: who holds which role where, that ground-truth is
/// readable by the scoring (Function App) identity alone, and that the audit notices when that stops being true.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class RoleAssignmentTests(CompiledInfra infra)
{
    private IReadOnlyList<RoleAssignment> Assignments => RoleAssignmentExpander.Expand(infra.Main).ToList();

    [Fact]
    public void EveryRoleAssignmentShouldResolveToAPrincipalARoleAndAScope()
    {
        Assert.NotEmpty(Assignments);
        Assert.All(Assignments, a =>
        {
            Assert.NotNull(a.PrincipalParameter);
            Assert.NotNull(a.RoleDefinitionId);
            Assert.DoesNotContain("unresolved", a.ScopeType, StringComparison.Ordinal);
            Assert.True(a.ScopeType != RoleAssignment.ContainerType || a.ContainerName is not null, a.ToString());
        });
    }

    [Fact]
    public void EveryRoleAssignmentShouldBeNamedWithGuid()
    {
        var names = infra.Main.AllResources()
            .Where(r => r.Type == RoleAssignmentExpander.RoleAssignmentType)
            .Select(r => r.Name ?? "")
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.StartsWith("[guid(", n, StringComparison.Ordinal));
    }

    [Fact]
    public void GroundTruthShouldBeReadableOnlyByTheScoringIdentity()
    {
        Assert.Empty(GroundTruthAudit.Violations(infra.Main));

        var broadBlobReaders = Assignments
            .Where(a => KnownRoles.CanReadBlobs.Contains(a.RoleDefinitionId!))
            .Where(a => a.ScopeType is RoleAssignment.StorageAccountType or RoleAssignment.ResourceGroupScope
                || a.ContainerName == GroundTruthAudit.GroundTruthContainer)
            .Select(a => a.PrincipalParameter)
            .Distinct()
            .ToList();
        Assert.Equal([GroundTruthAudit.ScoringPrincipalParameter], broadBlobReaders);
    }

    [Fact]
    public void ScoringPrincipalShouldBeTheFunctionAppIdentityAndNotTheWorkers()
    {
        var rbac = infra.Main.ModuleParameters("rbac");
        var functions = infra.Main.ModuleParameters("functions");
        var containerApps = infra.Main.ModuleParameters("container-apps");

        Assert.Contains("'identities'", rbac["functionsPrincipalId"]!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.functionsPrincipalId.value]", rbac["functionsPrincipalId"]!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.functionsId.value]", functions["identityId"]!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.workerId.value]", containerApps["workerIdentityId"]!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(".outputs.scalerId.value]", containerApps["scalerIdentityId"]!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(containerApps.Values, v => v?.ToString().Contains("outputs.functions", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void WorkerShouldReadScansWriteMasksReceiveJobsAndPullItsImage()
    {
        var worker = Assignments.Where(a => a.PrincipalParameter == "workerPrincipalId").ToList();

        Assert.Contains(worker, a => a.ContainerName == "scans" && a.RoleDefinitionId == KnownRoles.StorageBlobDataReader);
        Assert.Contains(worker, a => a.ContainerName == "masks" && a.RoleDefinitionId == KnownRoles.StorageBlobDataContributor);
        Assert.Contains(worker, a => a.ScopeType == "Microsoft.ServiceBus/namespaces/queues" && a.RoleDefinitionId == KnownRoles.ServiceBusDataReceiver);
        Assert.Contains(worker, a => a.ScopeType == "Microsoft.ContainerRegistry/registries" && a.RoleDefinitionId == KnownRoles.AcrPull);
        Assert.DoesNotContain(worker, a => a.ScopeType == RoleAssignment.StorageAccountType && KnownRoles.CanReadBlobs.Contains(a.RoleDefinitionId!));
    }

    [Fact]
    public void FunctionAppShouldSendJobsButNotReceiveThem()
    {
        var functions = Assignments.Where(a => a.PrincipalParameter == GroundTruthAudit.ScoringPrincipalParameter).ToList();

        Assert.Contains(functions, a => a.ScopeType == "Microsoft.ServiceBus/namespaces/queues" && a.RoleDefinitionId == KnownRoles.ServiceBusDataSender);
        Assert.DoesNotContain(functions, a => a.RoleDefinitionId == KnownRoles.ServiceBusDataReceiver);
    }

    [Fact]
    public void DeployerShouldNeverBeGrantedGroundTruth()
    {
        var deployer = Assignments.Where(a => a.PrincipalParameter == "deployerPrincipalId").ToList();

        Assert.NotEmpty(deployer);
        Assert.All(deployer, a => Assert.Equal(RoleAssignment.ContainerType, a.ScopeType));
        Assert.DoesNotContain(deployer, a => a.ContainerName == GroundTruthAudit.GroundTruthContainer);
    }

    [Theory]
    [InlineData("accountGrants", """{ "principal": "worker", "role": "blobDataReader" }""")]
    [InlineData("containerGrants", """{ "container": "ground-truth", "principal": "worker", "role": "blobDataReader" }""")]
    [InlineData("containerGrants", """{ "container": "ground-truth", "principal": "eventGrid", "role": "blobDataContributor" }""")]
    [InlineData("deployerContainerGrants", """{ "container": "ground-truth", "role": "blobDataReader" }""")]
    public void GroundTruthAuditShouldCatchAnExtraReader(string grantList, string grant)
    {
        var template = TemplateMutation.Copy(infra);
        TemplateMutation.Module(template, "rbac").Variables[grantList]!.AsArray().Add(JsonNode.Parse(grant));

        Assert.NotEmpty(GroundTruthAudit.Violations(template));
    }

    [Fact]
    public void GroundTruthAuditShouldCatchAResourceGroupWideReader()
    {
        var template = TemplateMutation.Copy(infra);
        var rbac = TemplateMutation.Module(template, "rbac");
        var resources = rbac.Root["resources"]!.AsArray();
        resources.Add(new JsonObject
        {
            ["type"] = RoleAssignmentExpander.RoleAssignmentType,
            ["apiVersion"] = "2022-04-01",
            ["name"] = "[guid(resourceGroup().id, parameters('workerPrincipalId'))]",
            ["properties"] = new JsonObject
            {
                ["principalId"] = "[parameters('workerPrincipalId')]",
                ["roleDefinitionId"] = $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{KnownRoles.StorageBlobDataReader}')]",
            },
        });

        Assert.Contains(GroundTruthAudit.Violations(template), v => v.Contains("workerPrincipalId", StringComparison.Ordinal));
    }
}
