namespace MRISpineSeg.Cli.Tests.Commands;

public sealed class ModelCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spineseg-cli-model-" + Guid.NewGuid().ToString("N")[..8]);

    public ModelCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void BuildThenInfoShouldPrintTheManifest()
    {
        var model = Path.Combine(_dir, "w2.onnx");
        var (code, stdout, stderr) = Run("model", "build", "--out", model, "--random-seed", "3", "--width", "2", "--grid", "32,32,12", "--model-id", "demo-w2");
        Assert.True(code == 0, stderr);
        Assert.Contains("demo-w2", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = Run("model", "info", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("model id:    demo-w2", stdout, StringComparison.Ordinal);
        Assert.Contains("input:       input float [1,1,32,32,12]", stdout, StringComparison.Ordinal);
        Assert.Contains("output:      labels uint8 [1,32,32,12]", stdout, StringComparison.Ordinal);
        Assert.Contains("arch:        vnet, width 2, prelu", stdout, StringComparison.Ordinal);
        Assert.Contains("19  T9/T10", stdout, StringComparison.Ordinal);
        Assert.Contains("clip(x / 2650, 0, 1)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingDataSpineNamingAndTheCleanUpDefaultShouldReachTheManifest()
    {
        var model = Path.Combine(_dir, "vb.onnx");
        var (code, _, stderr) = Run("model", "build", "--out", model, "--random-seed", "3", "--width", "2", "--classes", "9", "--class-names", "spine", "--grid", "32,32,16", "--training-data", "12 real scans", "--keep-largest");
        Assert.True(code == 0, stderr);
        (code, var stdout, stderr) = Run("model", "info", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("trained on:  12 real scans", stdout, StringComparison.Ordinal);
        Assert.Contains("postprocess: keep the largest connected component of each label (default", stdout, StringComparison.Ordinal);
        Assert.Contains("    8  T11", stdout, StringComparison.Ordinal);

        var plain = Path.Combine(_dir, "plain.onnx");
        Assert.Equal(0, Run("model", "build", "--out", plain, "--random-seed", "3", "--width", "2", "--grid", "32,32,12").Code);
        (_, stdout, _) = Run("model", "info", plain);
        Assert.Contains("trained on:  (not recorded in the manifest)", stdout, StringComparison.Ordinal);
        Assert.Contains("postprocess: none by default", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildFromPdparamsShouldInferWidthAndActivation()
    {
        var weights = Path.Combine(RepoRoot(), "tests", "MRISpineSeg.Segmentation.Tests", "Model", "Golden", "vnet_w1.pdparams");
        var model = Path.Combine(_dir, "w1.onnx");
        var (code, stdout, stderr) = Run("model", "build", "--out", model, "--weights", weights, "--grid", "16,16,12");
        Assert.True(code == 0, stderr);
        Assert.Contains("vnet-w1-prelu (vnet width 1, prelu, 20 classes, grid 16x16x12", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EluFlagShouldBuildAnEluModel()
    {
        var model = Path.Combine(_dir, "elu.onnx");
        var (code, stdout, _) = Run("model", "build", "--out", model, "--random-seed", "1", "--width", "2", "--elu", "--grid", "16,16,12");
        Assert.Equal(0, code);
        Assert.Contains("vnet-w2-elu-random", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("give exactly one of --weights W.pdparams or --random-seed N", "model", "build", "--out", "OUT/m.onnx")]
    [InlineData("give exactly one of", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--weights", "OUT/w.pdparams")]
    [InlineData("must end in .onnx", "model", "build", "--out", "OUT/m.bin", "--random-seed", "1")]
    [InlineData("--grid: 15x16x12 does not fit the VNet", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--width", "2", "--grid", "15,16,12")]
    [InlineData("--grid: \"1,2\" is not a grid", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--grid", "1,2")]
    [InlineData("--width: 0 must be 1..256", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--width", "0")]
    [InlineData("--weights: \"OUT/none.pdparams\" does not exist", "model", "build", "--out", "OUT/m.onnx", "--weights", "OUT/none.pdparams")]
    [InlineData("the model file does not exist", "model", "info", "OUT/none.onnx")]
    [InlineData("--class-names: \"table\" is not auto, spine or generic", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--class-names", "table")]
    [InlineData("--class-names spine: the weights have 30 classes", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--width", "1", "--classes", "30", "--class-names", "spine", "--grid", "16,16,12")]
    [InlineData("--training-data: give one non-empty line", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--training-data", " ")]
    [InlineData("--tail-slabs: 0 must be 1..64", "model", "build", "--out", "OUT/m.onnx", "--random-seed", "1", "--tail-slabs", "0")]
    public void BadArgumentsShouldFailWithOneClearLine(string expected, params string[] args)
    {
        var (code, _, stderr) = Run(args.Select(a => a.Replace("OUT", _dir, StringComparison.Ordinal)).ToArray());
        Assert.NotEqual(0, code);
        Assert.Contains(expected.Replace("OUT", _dir, StringComparison.Ordinal), stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void BadWeightsFileShouldFailNamingTheFile()
    {
        var weights = Path.Combine(_dir, "bad.pdparams");
        File.WriteAllText(weights, "not a pickle");
        var (code, _, stderr) = Run("model", "build", "--out", Path.Combine(_dir, "m.onnx"), "--weights", weights);
        Assert.Equal(1, code);
        Assert.Contains("bad.pdparams: not a Python pickle", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void InfoOnANonOnnxFileShouldSaySo()
    {
        var path = Path.Combine(_dir, "x.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        var (code, _, stderr) = Run("model", "info", path);
        Assert.Equal(1, code);
        Assert.Contains("x.onnx: not an ONNX model", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MRISpineSeg.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MRISpineSeg.sln not found");
    }
}
