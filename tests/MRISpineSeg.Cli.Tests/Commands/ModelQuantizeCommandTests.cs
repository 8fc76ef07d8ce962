namespace MRISpineSeg.Cli.Tests.Commands;

public sealed class ModelQuantizeCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spineseg-cli-quantize-" + Guid.NewGuid().ToString("N")[..8]);

    public ModelQuantizeCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void QuantizedModelShouldShowItsPrecisionAndSegmentLikeAnyOther()
    {
        var fp32 = Build();
        var calibration = Phantoms("calibration", 100, 2);
        var int8 = Path.Combine(_dir, "int8.onnx");

        var (code, stdout, stderr) = Run("model", "quantize", fp32, "--calibration", calibration, "--out", int8);
        Assert.True(code == 0, stderr);
        Assert.Contains("vnet-w2-prelu-random-int8 (int8, vnet width 2, grid 32x32x12, calibrated on 2 scan(s), sha256 ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = Run("model", "info", int8);
        Assert.True(code == 0, stderr);
        Assert.Contains("precision:   int8 (u8 activations, s8 per-channel weights; CPU only), calibrated on 2 scan(s)", stdout, StringComparison.Ordinal);

        var scan = Directory.GetFiles(calibration, "Case*.nii.gz")[0];
        var mask = Path.Combine(_dir, "mask.nii.gz");
        (code, _, stderr) = Run("segment", scan, mask, "--model", int8, "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.True(new FileInfo(mask).Length > 0);

        (code, stdout, stderr) = Run("model", "bench", int8, "--runs", "1", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("model vnet-w2-prelu-random-int8 grid 32x32x12", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleCalibrationScanShouldWarnAndStillWrite()
    {
        var int8 = Path.Combine(_dir, "int8.onnx");
        var (code, _, stderr) = Run("model", "quantize", Build(), "--calibration", Phantoms("one", 100, 1), "--out", int8);
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: calibrated on a single scan (Case1.nii.gz)", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(int8));
    }

    [Fact]
    public void EmptyCalibrationFolderShouldGiveOneLine()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (code, _, stderr) = Run("model", "quantize", Build(), "--calibration", empty, "--out", Path.Combine(_dir, "int8.onnx"));
        Assert.Equal(1, code);
        Assert.Equal($"spineseg: error: --calibration: \"{empty}\" holds no scans (.nii.gz, .nii, .mha, .mhd, names not starting mask_); give the scans the int8 ranges are to be measured on", stderr.Trim());
    }

    [Fact]
    public void UnreadableCalibrationScanShouldGiveOneLineNamingIt()
    {
        var folder = Phantoms("bad", 100, 1);
        File.WriteAllText(Path.Combine(folder, "Case2.nii"), "not a NIfTI file");
        var (code, _, stderr) = Run("model", "quantize", Build(), "--calibration", folder, "--out", Path.Combine(_dir, "int8.onnx"));
        Assert.Equal(1, code);
        // Progress lines for the scans calibrated before it, then one error line naming the file.
        var lines = stderr.Trim().Split('\n');
        Assert.StartsWith("spineseg: error: --calibration: Case2.nii cannot be used:", lines[^1], StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("error", StringComparison.Ordinal));
    }

    [Fact]
    public void AlreadyQuantizedModelShouldGiveOneLine()
    {
        var calibration = Phantoms("calibration", 100, 1);
        var int8 = Path.Combine(_dir, "int8.onnx");
        Assert.Equal(0, Run("model", "quantize", Build(), "--calibration", calibration, "--out", int8).Code);

        var (code, _, stderr) = Run("model", "quantize", int8, "--calibration", calibration, "--out", Path.Combine(_dir, "again.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("cannot quantize: the model is already int8 (quantized by 'spineseg model quantize'); quantize the fp32 model it came from", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NonOnnxModelShouldGiveOneLineSayingWhatIsSupported()
    {
        var path = Path.Combine(_dir, "x.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        var (code, _, stderr) = Run("model", "quantize", path, "--calibration", Phantoms("calibration", 100, 1), "--out", Path.Combine(_dir, "int8.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("cannot quantize: not an ONNX model", stderr, StringComparison.Ordinal);
        Assert.Contains("supports fp32 PReLU VNet models built by 'spineseg model build'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public void TailSlabsOutsideOneToSixtyFourShouldBeRefusedNamingTheRange(string slabs)
    {
        var (code, _, stderr) = Run("model", "quantize", Build(), "--calibration", Phantoms("slabs" + slabs, 100, 1), "--out", Path.Combine(_dir, "int8.onnx"), "--tail-slabs", slabs);

        Assert.Equal(1, code);
        Assert.Contains($"--tail-slabs: {slabs} must be 1..64", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "int8.onnx")));
    }

    private string Build()
    {
        var model = Path.Combine(_dir, "fp32.onnx");
        if (!File.Exists(model))
        {
            var (code, _, stderr) = Run("model", "build", "--out", model, "--random-seed", "3", "--width", "2", "--grid", "32,32,12");
            Assert.True(code == 0, stderr);
        }

        return model;
    }

    private string Phantoms(string name, int seed, int count)
    {
        var folder = Path.Combine(_dir, name);
        var (code, _, stderr) = Run("phantom", "--out", folder, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--shape", "64,64,12");
        Assert.True(code == 0, stderr);
        return folder;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);
}
