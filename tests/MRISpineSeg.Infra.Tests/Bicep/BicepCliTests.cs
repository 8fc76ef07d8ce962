using MRISpineSeg.Infra.Tests.Support;

namespace MRISpineSeg.Infra.Tests.Bicep;

/// <summary>Proves the compile check can fail: the restored CLI runs and its warnings are recognised.</summary>
public sealed class BicepCliTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "mrispineseg-bicep-" + Guid.NewGuid().ToString("N"));

    public BicepCliTests() => Directory.CreateDirectory(folder);

    [Fact]
    public void RestoredCliShouldBeExecutableAndReportItsVersion()
    {
        var result = BicepCli.Instance.Run(["--version"], folder);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Bicep CLI version 0.49.2", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongPropertyNameAndTypeShouldSurfaceAsBcpWarningsWhileTheBuildStillSucceeds()
    {
        var file = Path.Combine(folder, "bad.bicep");
        File.WriteAllText(file, """
            param name string
            resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
              name: name
              location: 1
              kind: 'StorageV2'
              sku: { name: 'Standard_LRS' }
              properties: { allowSharedKeyAcess: false }
            }
            """);

        var result = BicepCli.Instance.Build(file, Path.Combine(folder, "bad.json"));
        var codes = BicepDiagnostic.ParseAll(result.Combined).Select(d => d.Code).ToList();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("BCP089", codes);
        Assert.Contains("BCP036", codes);
    }

    [Fact]
    public void SyntaxErrorShouldFailTheBuildWithAnErrorDiagnostic()
    {
        var file = Path.Combine(folder, "broken.bicep");
        File.WriteAllText(file, "resource x 'Microsoft.Storage/storageAccounts@2025-01-01' = {\n");

        var result = BicepCli.Instance.Build(file, Path.Combine(folder, "broken.json"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(BicepDiagnostic.ParseAll(result.Combined), d => d.Level == "Error");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
