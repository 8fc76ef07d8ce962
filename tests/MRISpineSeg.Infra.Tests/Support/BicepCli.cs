using System.Reflection;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// The Bicep compiler from the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c>, which this project restores
/// with a PackageDownload. Looked up in NUGET_PACKAGES, then the packages folder restore used, then ~/.nuget/packages.
/// </summary>
internal sealed class BicepCli
{
    private const string PackageId = "azure.bicep.commandline.linux-x64";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly Lazy<BicepCli> Shared = new(Locate);

    private BicepCli(string executable) => Executable = executable;

    public static BicepCli Instance => Shared.Value;

    public string Executable { get; }

    /// <summary>Compiles every .bicep file under <paramref name="sourceFolder"/> into <paramref name="outputFolder"/>, keeping the relative layout.</summary>
    public ProcessResult BuildAll(string sourceFolder, string outputFolder) =>
        Run(["build", "--pattern", Path.Combine(sourceFolder, "**", "*.bicep"), "--outdir", outputFolder], sourceFolder);

    /// <summary>Compiles one file to <paramref name="outputFile"/>.</summary>
    public ProcessResult Build(string file, string outputFile) =>
        Run(["build", file, "--outfile", outputFile], Path.GetDirectoryName(file)!);

    /// <summary>Lints every .bicep file under <paramref name="sourceFolder"/> with the bicepconfig.json found there.</summary>
    public ProcessResult LintAll(string sourceFolder) =>
        Run(["lint", "--pattern", Path.Combine(sourceFolder, "**", "*.bicep")], sourceFolder);

    public ProcessResult Run(IReadOnlyList<string> arguments, string workingDirectory) =>
        ProcessRunner.Run(Executable, arguments, workingDirectory, Timeout);

    private static BicepCli Locate()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The infra tests restore the linux-x64 Bicep CLI; run them on Linux x64.");
        }

        var version = Metadata("BicepCliVersion") ?? throw new InvalidOperationException("BicepCliVersion metadata missing.");
        var roots = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Metadata("NuGetPackageRoot"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var tried = new List<string>();
        foreach (var root in roots)
        {
            if (string.IsNullOrWhiteSpace(root))
            {
                continue;
            }

            var candidate = Path.Combine(root, PackageId, version, "tools", "bicep");
            tried.Add(candidate);
            if (File.Exists(candidate))
            {
                EnsureExecutable(candidate);
                return new BicepCli(candidate);
            }
        }

        throw new FileNotFoundException(
            $"Bicep CLI {version} not found; restore tests/MRISpineSeg.Infra.Tests (it downloads {PackageId}). Tried: {string.Join(", ", tried)}");
    }

    // NuGet extracts package files without the execute bit on some systems.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void EnsureExecutable(string path)
    {
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }
    }

    private static string? Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value;
}
