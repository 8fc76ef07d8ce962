using System.Text.Json.Nodes;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Azd;

/// <summary>docs/deploy.md stays in step with the templates: every setting they define is documented.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class DeployGuideTests(CompiledInfra infra)
{
    private static readonly string Guide = File.ReadAllText(RepositoryRoot.Combine("docs", "deploy.md"));

    [Fact]
    public void GuideShouldListEveryFunctionAppSetting()
    {
        var names = infra.Main.ModuleTemplate("functions").Variables["appSettings"]!.AsObject().Select(s => s.Key);

        Assert.All(names, n => Assert.Contains($"`{n}`", Guide, StringComparison.Ordinal));
    }

    [Fact]
    public void GuideShouldListEveryWorkerEnvironmentVariable()
    {
        var job = infra.Main.ModuleTemplate("container-apps").OwnResources().Single(r => r.Type == "Microsoft.App/jobs");
        var names = job.At("properties.template.containers")!.AsArray()[0]!["env"]!.AsArray()
            .Select(e => e!["name"]!.ToString());

        Assert.All(names, n => Assert.Contains($"`{n}`", Guide, StringComparison.Ordinal));
    }

    [Fact]
    public void GuideShouldExplainGroundTruthLoadingDeadLettersAndCost()
    {
        Assert.Contains("infra/scripts/load-ground-truth.sh", Guide, StringComparison.Ordinal);
        Assert.Contains("deadLetterMessageCount", Guide, StringComparison.Ordinal);
        Assert.Contains("Per 1,000 scans", Guide, StringComparison.Ordinal);
        Assert.Contains("35 s", Guide, StringComparison.Ordinal);
        Assert.Contains("estimate", Guide, StringComparison.Ordinal);
    }

    [Fact]
    public void GuideShouldNameEveryParameterItTellsUsersToSet()
    {
        var parameters = infra.Main.Parameters.Select(p => p.Key).ToHashSet();

        foreach (var documented in new[] { "workerGpu", "workerMaxExecutions", "workerParallelism", "workerReplicaTimeoutSeconds", "modelSource", "deleteScansAfterDays", "enableBlobSubscriptions", "principalId" })
        {
            Assert.Contains(documented, parameters);
            Assert.Contains($"`{documented}`", Guide, StringComparison.Ordinal);
        }

        Assert.NotNull(JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("infra", "main.parameters.json"))));
    }
}
