using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Bicep;

/// <summary>
/// The CI check on the Bicep itself: every file compiles with the CLI restored from NuGet, and neither the build
/// nor the linter says anything. Wrong property names and types are only warnings in Bicep, so a warning fails.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class BicepCompilationTests(CompiledInfra infra)
{
    [Fact]
    public void InfraShouldContainTheMainTemplateAndOneModulePerConcern()
    {
        var expected = new[]
        {
            "main.bicep", "app/identities.bicep", "app/monitoring.bicep", "app/storage.bicep", "app/servicebus.bicep",
            "app/registry.bicep", "app/eventgrid.bicep", "app/blob-subscriptions.bicep", "app/rbac.bicep",
            "app/functions.bicep", "app/container-apps.bicep",
        };
        Assert.Empty(expected.Except(infra.BicepFiles));
    }

    [Fact]
    public void BuildShouldSucceedForEveryBicepFile()
    {
        Assert.True(infra.Build.ExitCode == 0, $"bicep build failed:\n{infra.Build.Combined}");
        Assert.DoesNotContain(infra.BicepFiles, f => !infra.Templates.ContainsKey(f));
    }

    [Fact]
    public void BuildShouldReportNoErrorOrWarning()
    {
        var diagnostics = BicepDiagnostic.ParseAll(infra.Build.Combined);
        Assert.True(diagnostics.Count == 0, "bicep build diagnostics:\n" + string.Join('\n', diagnostics));
        Assert.DoesNotContain("Warning", infra.Build.Combined, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", infra.Build.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public void LintShouldReportNothing()
    {
        Assert.True(infra.Lint.ExitCode == 0, $"bicep lint failed:\n{infra.Lint.Combined}");
        var diagnostics = BicepDiagnostic.ParseAll(infra.Lint.Combined);
        Assert.True(diagnostics.Count == 0, "bicep lint diagnostics:\n" + string.Join('\n', diagnostics));
        Assert.DoesNotContain("Warning", infra.Lint.Combined, StringComparison.Ordinal);
    }

    [Fact]
    public void InfraShouldUseNoRegistryModules()
    {
        // br/public: and ts: modules need a network restore; CI is offline.
        foreach (var file in infra.BicepFiles)
        {
            var text = File.ReadAllText(Path.Combine(infra.SourceFolder, file));
            Assert.DoesNotContain("'br/", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'br:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts/", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LinterConfigurationShouldTreatSecretLeaksAsErrors()
    {
        var config = File.ReadAllText(Path.Combine(infra.SourceFolder, "bicepconfig.json"));
        Assert.Contains("\"outputs-should-not-contain-secrets\": { \"level\": \"error\" }", config, StringComparison.Ordinal);
    }
}
