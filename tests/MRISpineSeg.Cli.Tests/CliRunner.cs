namespace MRISpineSeg.Cli.Tests;

/// <summary>Runs the spineseg command tree in-process and captures what a user would see.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SpinesegApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The repository root (where MRISpineSeg.sln is), for committed test data.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MRISpineSeg.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MRISpineSeg.sln not found");
    }
}
