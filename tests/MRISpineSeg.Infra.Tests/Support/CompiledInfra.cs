using System.Text.Json.Nodes;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// infra/ compiled and linted once per test run: `bicep build` of every .bicep file into a temp folder, and
/// `bicep lint`. Tests read the diagnostics and the ARM JSON from here.
/// </summary>
public sealed class CompiledInfra : IDisposable
{
    private readonly string outputFolder;

    public CompiledInfra()
    {
        SourceFolder = RepositoryRoot.Combine("infra");
        outputFolder = Path.Combine(Path.GetTempPath(), "mrispineseg-infra-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outputFolder);

        BicepFiles = Directory.GetFiles(SourceFolder, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SourceFolder, f))
            .Order(StringComparer.Ordinal)
            .ToArray();

        var cli = BicepCli.Instance;
        Build = cli.BuildAll(SourceFolder, outputFolder);
        Lint = cli.LintAll(SourceFolder);

        var templates = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var bicep in BicepFiles)
        {
            var json = Path.Combine(outputFolder, Path.ChangeExtension(bicep, ".json"));
            if (File.Exists(json))
            {
                templates[bicep] = (JsonObject)JsonNode.Parse(File.ReadAllText(json))!;
            }
        }

        Templates = templates;
    }

    public string SourceFolder { get; }

    /// <summary>Paths of the .bicep files relative to infra/, e.g. <c>app/storage.bicep</c>.</summary>
    public IReadOnlyList<string> BicepFiles { get; }

    public ProcessResult Build { get; }

    public ProcessResult Lint { get; }

    /// <summary>Compiled ARM JSON by .bicep path relative to infra/.</summary>
    public IReadOnlyDictionary<string, JsonObject> Templates { get; }

    public ArmTemplate Main => new(Templates["main.bicep"]);

    public ArmTemplate Module(string relativePath) => new(Templates[relativePath]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(outputFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledInfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "compiled infra";
}
