namespace MRISpineSeg.Cli.Tests.Commands;

public sealed class ModelImportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spineseg-cli-import-" + Guid.NewGuid().ToString("N")[..8]);

    public ModelImportCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Export(string name) => Path.Combine(CliRunner.RepoRoot(), "tests", "MRISpineSeg.Segmentation.Tests", "Goldens", "import", name);

    [Fact]
    public void AnImportedTorchExportShouldSegmentAScanWithStatsAndPreview()
    {
        var model = Path.Combine(_dir, "m.onnx");
        var (code, stdout, stderr) = CliRunner.Run("model", "import", Export("tiny_dynamic.onnx"), "--out", model, "--grid", "32,32,16", "--spine-labels", "--model-id", "torch-tiny");
        Assert.True(code == 0, stderr);
        Assert.Contains("torch-tiny (external model, 20 classes, grid 32x32x16", stdout, StringComparison.Ordinal);
        var scan = Path.Combine(CliRunner.RepoRoot(), "tests", "MRISpineSeg.Segmentation.Tests", "Goldens", "scan_psr_qform.nii.gz");

        (code, stdout, stderr) = CliRunner.Run("segment", scan, Path.Combine(_dir, "mask.nii.gz"), "--model", model, "--preview", Path.Combine(_dir, "p.png"), "--stats", Path.Combine(_dir, "s.json"));

        Assert.True(code == 0, stderr);
        Assert.Contains("model torch-tiny", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "mask.nii.gz")) && File.Exists(Path.Combine(_dir, "p.png")));
        Assert.Contains("\"modelId\": \"torch-tiny\"", File.ReadAllText(Path.Combine(_dir, "s.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("give exactly one of --spine-labels", "tiny_fixed.onnx", "--grid", "16,16,16")]
    [InlineData("give exactly one of --spine-labels", "tiny_fixed.onnx", "--grid", "16,16,16", "--spine-labels", "--classes", "a,b")]
    [InlineData("--classes: \"bg,,x\" has an empty name", "tiny_fixed.onnx", "--grid", "16,16,16", "--classes", "bg,,x")]
    [InlineData("--clip: 0 must be a positive number", "tiny_fixed.onnx", "--grid", "16,16,16", "--spine-labels", "--clip", "0")]
    [InlineData("--orientation:", "tiny_fixed.onnx", "--grid", "16,16,16", "--spine-labels", "--orientation", "PPP")]
    [InlineData("two_inputs.onnx: the graph has 2 inputs", "two_inputs.onnx", "--grid", "16,16,16", "--spine-labels")]
    [InlineData("rank4.onnx: input 'x' has rank 4", "rank4.onnx", "--grid", "32,32,16", "--spine-labels")]
    [InlineData("has 20 classes (dimension 1 of [1,20,16,16,16]) but 2 class names were given", "tiny_fixed.onnx", "--grid", "16,16,16", "--classes", "bg,spine")]
    [InlineData("input 'x' is [1,1,16,16,16] but --grid and the classes need [1,1,16,16,32]", "tiny_fixed.onnx", "--grid", "16,16,32", "--spine-labels")]
    [InlineData("make_import_models.py: not an ONNX model", "make_import_models.py", "--grid", "16,16,16", "--spine-labels")]
    public void AModelOrFlagThePipelineCannotUseShouldFailWithOneClearLine(string expected, string file, params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(["model", "import", Export(file), "--out", Path.Combine(_dir, "m.onnx"), .. args]);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "m.onnx")));
    }
}
