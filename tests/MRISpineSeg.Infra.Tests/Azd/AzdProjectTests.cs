using System.Text.Json.Nodes;
using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Azd;

/// <summary>`azd up` has what it needs: azure.yaml, a parameters file that matches main.bicep, and working hooks.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class AzdProjectTests(CompiledInfra infra)
{
    private static readonly string ScriptsFolder = RepositoryRoot.Combine("infra", "scripts");

    public static TheoryData<string> BashScripts => new()
    {
        "env.sh", "build-worker.sh", "enable-blob-subscriptions.sh", "load-ground-truth.sh", "queue-status.sh",
    };

    [Fact]
    public void AzureYamlShouldDeployTheFunctionAppAndRunThePostdeployHook()
    {
        var yaml = File.ReadAllText(RepositoryRoot.Combine("azure.yaml"));

        Assert.Contains("host: function", yaml, StringComparison.Ordinal);
        Assert.Contains("project: ./functions/MRISpineSeg.Functions", yaml, StringComparison.Ordinal);
        Assert.Contains("path: infra", yaml, StringComparison.Ordinal);
        Assert.Contains("postdeploy:", yaml, StringComparison.Ordinal);
        Assert.Contains("run: ./infra/scripts/postdeploy.sh", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain('\t', yaml);
    }

    [Fact]
    public void ParametersFileShouldSupplyEveryRequiredParameterAndNothingUnknown()
    {
        var file = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("infra", "main.parameters.json")))!;
        var supplied = file["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        var declared = infra.Main.Parameters;
        var required = declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);

        Assert.Empty(required.Except(supplied));
        Assert.Empty(supplied.Except(declared.Select(p => p.Key)));
    }

    [Fact]
    public void PostdeployHookShouldBePosixShellAndCallTheBuildAndSubscriptionScripts()
    {
        var hook = Path.Combine(ScriptsFolder, "postdeploy.sh");
        var text = File.ReadAllText(hook);

        Assert.StartsWith("#!/bin/sh", text, StringComparison.Ordinal);
        Assert.Contains("build-worker.sh", text, StringComparison.Ordinal);
        Assert.Contains("enable-blob-subscriptions.sh", text, StringComparison.Ordinal);
        AssertExecutable(hook);
        Assert.Equal(0, ProcessRunner.Run("sh", ["-n", hook], ScriptsFolder, TimeSpan.FromSeconds(30)).ExitCode);
    }

    [Theory]
    [MemberData(nameof(BashScripts))]
    public void ScriptShouldBeExecutableBashWithValidSyntax(string script)
    {
        var path = Path.Combine(ScriptsFolder, script);

        Assert.StartsWith("#!/usr/bin/env bash", File.ReadAllText(path), StringComparison.Ordinal);
        AssertExecutable(path);
        var result = ProcessRunner.Run("bash", ["-n", path], ScriptsFolder, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.Combined);
    }

    [Fact]
    public void WorkerBuildShouldPickTheDockerfileFromTheGpuChoiceAndUpdateTheJob()
    {
        var text = File.ReadAllText(Path.Combine(ScriptsFolder, "build-worker.sh"));

        Assert.Contains("T4|A100) dockerfile=\"src/MRISpineSeg.Worker/Dockerfile\"", text, StringComparison.Ordinal);
        Assert.Contains("None)    dockerfile=\"src/MRISpineSeg.Worker/Dockerfile.cpu\"", text, StringComparison.Ordinal);
        Assert.Contains("az acr build", text, StringComparison.Ordinal);
        Assert.Contains("az containerapp job update", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GroundTruthLoaderShouldRemoveItsTemporaryRoleOnExit()
    {
        var text = File.ReadAllText(Path.Combine(ScriptsFolder, "load-ground-truth.sh"));

        Assert.Contains("containers/ground-truth", text, StringComparison.Ordinal);
        Assert.Contains("trap 'az role assignment delete", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GroundTruthLoaderShouldRefuseAMissingFolder()
    {
        var script = Path.Combine(ScriptsFolder, "load-ground-truth.sh");
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"));
        // Without az on PATH the script stops at its prerequisite check; with az it stops at the folder check.
        var result = ProcessRunner.Run("bash", [script, missing], ScriptsFolder, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.StandardError.Contains("usage:", StringComparison.Ordinal) || result.StandardError.Contains("Azure CLI", StringComparison.Ordinal),
            result.Combined);
    }

    private static void AssertExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{path} must be executable (git update-index --chmod=+x)");
    }
}
