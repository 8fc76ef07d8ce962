using MRISpineSeg.Segmentation;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// Which model <c>spineseg segment</c> uses: <c>--model</c> if given; else the file named by <c>SPINESEG_MODEL</c>;
/// else <c>local/models/spineseg-demo.onnx</c> found in the current directory or one of its parents, or next to the
/// executable. When none exists the error says how to build one.
/// </summary>
internal static class ModelLocator
{
    public const string EnvironmentVariable = "SPINESEG_MODEL";
    public const string DefaultRelativePath = "local/models/spineseg-demo.onnx";

    public static string Resolve(string? explicitPath, string? environmentValue, string currentDirectory, string executableDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return explicitPath;
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            return File.Exists(environmentValue)
                ? environmentValue
                : throw new SegmentationException(SegmentationErrorReason.ModelNotFound, $"{EnvironmentVariable}: \"{environmentValue}\" does not exist; point it at an .onnx model or unset it");
        }

        for (var dir = new DirectoryInfo(currentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultRelativePath);
            if (File.Exists(candidate)) return candidate;
        }

        foreach (var candidate in new[] { Path.Combine(executableDirectory, DefaultRelativePath), Path.Combine(executableDirectory, Path.GetFileName(DefaultRelativePath)) })
        {
            if (File.Exists(candidate)) return candidate;
        }

        throw new SegmentationException(
            SegmentationErrorReason.ModelNotFound,
            $"no model given and none found: looked for {DefaultRelativePath} in {currentDirectory} and its parents and next to spineseg in {executableDirectory}. "
            + $"Build one with 'spineseg model build --random-seed 1 --out {DefaultRelativePath}' (a random-weights demo) or 'spineseg model build --weights model.pdparams --out {DefaultRelativePath}' (PaddleSeg's weights), "
            + $"or pass --model M.onnx, or set {EnvironmentVariable}");
    }
}
