namespace MRISpineSeg.Cli.Tests.Commands;

public sealed class UNet3DBuildVerbTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spineseg-cli-unet3d-" + Guid.NewGuid().ToString("N")[..8]);

    public UNet3DBuildVerbTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void BuildFromPdparamsShouldInferBaseFiltersAndClassesAndInfoShouldShowTheGridRule()
    {
        var weights = Path.Combine(CliRunner.RepoRoot(), "tests", "MRISpineSeg.Segmentation.Tests", "Goldens", "unet3d", "unet3d_b2.pdparams");
        var model = Path.Combine(_dir, "u.onnx");

        var (code, stdout, stderr) = CliRunner.Run("model", "build", "--arch", "unet3d", "--out", model, "--weights", weights, "--grid", "32,32,16");

        Assert.True(code == 0, stderr);
        Assert.Contains("unet3d-b2 (unet3d base filters 2, 5 classes", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = CliRunner.Run("model", "info", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("arch:        unet3d, width 2, leaky_relu", stdout, StringComparison.Ordinal);
        Assert.Contains("input grid:  32x32x16 (NCDHW=[1,1,X,Y,Z]); every extent a multiple of 16x16x16", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--grid: 512,512,12 breaks the model's grid rule: every extent must be a multiple of 16; the nearest valid grid is 512,512,16", "--random-seed", "1", "--grid", "512,512,12")]
    [InlineData("--width, --elu and --tail-slabs are VNet options", "--random-seed", "1", "--width", "4")]
    [InlineData("--base-filters: 0 must be 1..64", "--random-seed", "1", "--base-filters", "0", "--grid", "16,16,16")]
    [InlineData("--base-filters and --classes apply to --random-seed only", "--weights", "TESTS/unet3d_b2.pdparams", "--base-filters", "2")]
    [InlineData("--arch: \"unet\" is not vnet or unet3d", "--random-seed", "1", "--arch", "unet")]
    [InlineData("--base-filters is a UNet3D option", "--random-seed", "1", "--arch", "vnet", "--base-filters", "4")]
    public void BadUNet3DArgumentsShouldFailWithOneClearLine(string expected, params string[] args)
    {
        var tests = Path.Combine(CliRunner.RepoRoot(), "tests", "MRISpineSeg.Segmentation.Tests", "Goldens", "unet3d");
        string[] all = ["model", "build", "--out", Path.Combine(_dir, "m.onnx"), .. args.Select(a => a.Replace("TESTS", tests, StringComparison.Ordinal))];
        if (!args.Contains("--arch")) all = [.. all, "--arch", "unet3d"];

        var (code, _, stderr) = CliRunner.Run(all);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
