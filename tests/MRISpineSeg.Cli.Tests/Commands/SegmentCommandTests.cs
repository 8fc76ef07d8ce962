using System.Text.Json;
using MRISpineSeg.Cli.Commands;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation;

namespace MRISpineSeg.Cli.Tests.Commands;

/// <summary>Builds two real random-weights VNets (20 and 5 classes, width 2, grid 32x32x12) with 'spineseg model build'.</summary>
public sealed class SegmentCliFixture : IDisposable
{
    public SegmentCliFixture()
    {
        Dir = Directory.CreateTempSubdirectory("seg-cli-").FullName;
        Model = Path.Combine(Dir, "m.onnx");
        FiveClassModel = Path.Combine(Dir, "m5.onnx");
        Assert.Equal(0, SegmentCommandTests.Run("model", "build", "--random-seed", "1", "--width", "2", "--grid", "32,32,12", "--out", Model).Code);
        Assert.Equal(0, SegmentCommandTests.Run("model", "build", "--random-seed", "1", "--width", "2", "--classes", "5", "--grid", "32,32,12", "--out", FiveClassModel).Code);
        Scan = SegmentCommandTests.WriteScan(Path.Combine(Dir, "Case3.nii.gz"), new Shape3(30, 28, 6), i => (short)((i * 37) % 1900));
    }

    public string Dir { get; }

    public string Model { get; }

    public string FiveClassModel { get; }

    public string Scan { get; }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public sealed class SegmentCommandTests(SegmentCliFixture f) : IClassFixture<SegmentCliFixture>
{
    [Fact]
    public void SegmentShouldWriteTheMaskPreviewAndStatsAndPrintOneSummaryLine()
    {
        var mask = Path.Combine(f.Dir, "out", "mask_case3.nii.gz");
        var png = Path.Combine(f.Dir, "out", "case3.png");
        var json = Path.Combine(f.Dir, "out", "case3.json");

        var (code, stdout, stderr) = Run("segment", f.Scan, mask, "--model", f.Model, "--preview", png, "--stats", json, "--threads", "1", "--device", "cpu");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Single(stdout.TrimEnd().Split('\n'));
        Assert.Contains("model vnet-w2-prelu-random", stdout);
        var m = VolumeIO.Read(mask);
        Assert.Equal(new Shape3(30, 28, 6), m.Shape);
        Assert.Equal(VoxelType.UInt8, m.VoxelType);
        Assert.Equal(new byte[] { 137, 80, 78, 71 }, File.ReadAllBytes(png)[..4]);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        Assert.Equal("vnet-w2-prelu-random", doc.RootElement.GetProperty("modelId").GetString());
        foreach (var stage in new[] { "read", "preprocess", "infer", "postprocess", "write" })
            Assert.True(doc.RootElement.GetProperty("timingsMs").GetProperty(stage).GetDouble() >= 0);
        var voxels = m.Voxels.As<byte>().Data;
        foreach (var s in doc.RootElement.GetProperty("structures").EnumerateArray())
            Assert.Equal(voxels.Count(v => v == s.GetProperty("label").GetInt32()), s.GetProperty("voxels").GetInt64());
    }

    [Fact]
    public void CudaWithoutTheCudaProviderShouldWarnAndRunOnCpu()
    {
        var (code, stdout, stderr) = Run("segment", f.Scan, Path.Combine(f.Dir, "cuda_mask.nii.gz"), "--model", f.Model, "--device", "cuda");
        Assert.Equal(0, code);
        Assert.Contains("warning: --device cuda: CUDA cannot be used (this ONNX Runtime has no CUDA provider", stderr);
        Assert.Contains("add --strict-device to refuse instead", stderr);
        Assert.Contains("on CPUExecutionProvider", stdout);
    }

    [Fact]
    public void StrictCudaWithoutTheCudaProviderShouldRefuseNamingWhatIsMissingAndWriteNothing()
    {
        var mask = Path.Combine(f.Dir, "strict_mask.nii.gz");
        var (code, _, stderr) = Run("segment", f.Scan, mask, "--model", f.Model, "--device", "cuda", "--strict-device");
        Assert.Equal(1, code);
        Assert.Contains("CUDA was required but cannot be used: this ONNX Runtime has no CUDA provider (libonnxruntime_providers_cuda.so", stderr);
        Assert.False(File.Exists(mask));
    }

    [Fact]
    public void StrictDeviceOnCpuShouldRunAsUsual()
    {
        var (code, _, stderr) = Run("segment", f.Scan, Path.Combine(f.Dir, "strict_cpu_mask.nii.gz"), "--model", f.Model, "--strict-device");
        Assert.Equal(0, code);
        Assert.DoesNotContain("warning", stderr);
    }

    [Fact]
    public void AMissingModelFileShouldFailWithTheBuildHint()
    {
        var (code, _, stderr) = Run("segment", f.Scan, Path.Combine(f.Dir, "x.nii.gz"), "--model", Path.Combine(f.Dir, "nope.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("nope.onnx", stderr);
        Assert.Contains("spineseg model build", stderr);
    }

    [Fact]
    public void AnUnreadableModelShouldFailNamingIt()
    {
        var bad = Path.Combine(f.Dir, "garbage.onnx");
        File.WriteAllText(bad, "this is not protobuf");
        var (code, _, stderr) = Run("segment", f.Scan, Path.Combine(f.Dir, "x.nii.gz"), "--model", bad);
        Assert.Equal(1, code);
        Assert.Contains("garbage.onnx", stderr);
        Assert.StartsWith("spineseg: error:", stderr);
    }

    [Fact]
    public void AModelWhoseManifestDoesNotFitShouldFail()
    {
        var (code, _, stderr) = Run("segment", f.Scan, Path.Combine(f.Dir, "x.nii.gz"), "--model", f.FiveClassModel);
        Assert.Equal(1, code);
        Assert.Contains("class 1 is named 'class_1'", stderr);
        Assert.False(File.Exists(Path.Combine(f.Dir, "x.nii.gz")));
    }

    [Fact]
    public void ASingleSliceScanShouldFailAsNotThreeDimensional()
    {
        var scan = WriteScan(Path.Combine(f.Dir, "flat.nii"), new Shape3(30, 28, 1), i => 700);
        var (code, _, stderr) = Run("segment", scan, Path.Combine(f.Dir, "flat_mask.nii"), "--model", f.Model);
        Assert.Equal(1, code);
        Assert.Contains("not a 3-D volume", stderr);
    }

    [Fact]
    public void AnAllZeroScanShouldFailAsBlank()
    {
        var scan = WriteScan(Path.Combine(f.Dir, "zero.nii.gz"), new Shape3(30, 28, 6), _ => 0);
        var (code, _, stderr) = Run("segment", scan, Path.Combine(f.Dir, "zero_mask.nii.gz"), "--model", f.Model);
        Assert.Equal(1, code);
        Assert.Contains("zero.nii.gz", stderr);
        Assert.Contains("blank", stderr);
    }

    [Theory]
    [InlineData("--device", "tpu", "--device: \"tpu\"")]
    [InlineData("--preview", "p.jpg", "--preview")]
    [InlineData("--keep-largest", "maybe", "--keep-largest: \"maybe\" is not true or false")]
    [InlineData("--order-levels", "perhaps", "--order-levels: \"perhaps\" is not true or false")]
    public void BadFlagValuesShouldFailNamingTheFlag(string flag, string value, string expected)
    {
        var (code, _, stderr) = Run("segment", f.Scan, Path.Combine(f.Dir, "y.nii.gz"), "--model", f.Model, flag, value);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr);
    }

    [Theory]
    [InlineData("segment", "many")]
    [InlineData("segment", "-3")]
    [InlineData("segment", "1025")]
    [InlineData("model bench", "2.5")]
    [InlineData("local up", "many")]
    public void AThreadCountThatIsNotOneShouldBeAPlainUsageErrorInEveryVerb(string verb, string value)
    {
        var args = verb.Split(' ').Concat(verb == "segment" ? [f.Scan, Path.Combine(f.Dir, "y.nii.gz")] : verb == "model bench" ? [f.Model] : ["--model", f.Model]);
        var (code, _, stderr) = Run([.. args, "--threads", value]);
        Assert.Equal(2, code);
        Assert.Contains($"--threads: \"{value}\" is not a thread count; give a whole number from 0 (every core) to 1024", stderr);
        Assert.DoesNotContain("System.", stderr);
    }

    [Fact]
    public void ZeroThreadsShouldMeanEveryCoreForSegmentAsForTheWorker()
    {
        var mask = Path.Combine(f.Dir, "zero-threads", "mask.nii.gz");
        var (code, stdout, stderr) = Run("segment", f.Scan, mask, "--model", f.Model, "--threads", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout);
        Assert.True(File.Exists(mask));
    }

    [Fact]
    public void SegmentingAScanOntoItselfShouldBeRefusedBeforeAnythingIsWritten()
    {
        var scan = WriteScan(Path.Combine(f.Dir, "self", "Case8.nii.gz"), new Shape3(30, 28, 6), i => (short)(i % 900 + 1));
        var before = File.ReadAllBytes(scan);
        var (code, _, stderr) = Run("segment", scan, Path.Combine(f.Dir, "self", ".", "Case8.nii.gz"), "--model", f.Model);
        Assert.Equal(1, code);
        Assert.Contains("is the scan IN itself", stderr);
        Assert.Equal(before, File.ReadAllBytes(scan));
    }

    [Fact]
    public void PreviewAndStatsWithoutAPathShouldGoBesideTheMask()
    {
        var dir = Path.Combine(f.Dir, "beside");
        var (code, _, stderr) = Run("segment", f.Scan, Path.Combine(dir, "Case3.nii.gz"), "--model", f.Model, "--preview", "--stats");
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(dir, "Case3.preview.png")));
        Assert.True(File.Exists(Path.Combine(dir, "Case3.stats.json")));
    }

    [Fact]
    public void KeepLargestShouldCleanTheMaskAndSayHowMuchInTheStatsAndTheTrainingDataShouldBePrinted()
    {
        var model = Path.Combine(f.Dir, "described.onnx");
        var built = Run("model", "build", "--random-seed", "1", "--width", "2", "--grid", "32,32,12", "--out", model, "--training-data", "synthetic phantoms only", "--keep-largest");
        Assert.True(built.Code == 0, built.Stderr);

        var byManifest = Run("segment", f.Scan, Path.Combine(f.Dir, "kl_default.nii.gz"), "--model", model, "--stats", Path.Combine(f.Dir, "kl_default.json"));
        var off = Run("segment", f.Scan, Path.Combine(f.Dir, "kl_off.nii.gz"), "--model", model, "--keep-largest", "false", "--stats", Path.Combine(f.Dir, "kl_off.json"));
        var on = Run("segment", f.Scan, Path.Combine(f.Dir, "kl_on.nii.gz"), "--model", f.Model, "--keep-largest", "--stats", Path.Combine(f.Dir, "kl_on.json"));

        Assert.True(byManifest.Code == 0 && off.Code == 0 && on.Code == 0, byManifest.Stderr + off.Stderr + on.Stderr);
        Assert.Contains("model vnet-w2-prelu-random was trained on synthetic phantoms only", byManifest.Stderr);
        Assert.DoesNotContain("trained on", on.Stderr); // the fixture's model has no description
        using var d = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dir, "kl_default.json")));
        Assert.True(d.RootElement.GetProperty("keepLargestComponent").GetProperty("removedVoxels").GetInt64() > 0);
        Assert.Equal("synthetic phantoms only", d.RootElement.GetProperty("trainingData").GetString());
        using var o = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dir, "kl_off.json")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, o.RootElement.GetProperty("keepLargestComponent").ValueKind);
        using var n = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dir, "kl_on.json")));
        Assert.True(n.RootElement.GetProperty("keepLargestComponent").GetProperty("removedVoxels").GetInt64() > 0);
    }

    [Fact]
    public void OrderLevelsShouldBeRecordedForAVertebraeModelAndRefusedForAModelWithDiscs()
    {
        var vertebrae = Path.Combine(f.Dir, "vertebrae.onnx");
        var built = Run("model", "build", "--random-seed", "1", "--width", "2", "--classes", "9", "--grid", "32,32,12", "--class-names", "spine", "--order-levels", "--out", vertebrae);
        var refused = Run("model", "build", "--random-seed", "1", "--width", "2", "--grid", "32,32,12", "--order-levels", "--out", Path.Combine(f.Dir, "discs.onnx"));
        var segmented = Run("segment", f.Scan, Path.Combine(f.Dir, "ordered.nii.gz"), "--model", vertebrae, "--stats", Path.Combine(f.Dir, "ordered.json"));
        var off = Run("segment", f.Scan, Path.Combine(f.Dir, "unordered.nii.gz"), "--model", vertebrae, "--order-levels", "false", "--stats", Path.Combine(f.Dir, "unordered.json"));

        Assert.True(built.Code == 0 && segmented.Code == 0 && off.Code == 0, built.Stderr + segmented.Stderr + off.Stderr);
        Assert.Contains("levels:      vertebral bodies renamed by their order along the spine", Run("model", "info", vertebrae).Stdout);
        Assert.Equal(1, refused.Code);
        Assert.Contains("order_levels: only for models whose classes are vertebrae from the bottom up with no discs", refused.Stderr);
        Assert.False(File.Exists(Path.Combine(f.Dir, "discs.onnx")));
        using var on = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dir, "ordered.json")));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, on.RootElement.GetProperty("levelOrder").ValueKind);
        using var o = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(f.Dir, "unordered.json")));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, o.RootElement.GetProperty("levelOrder").ValueKind);
    }

    internal static (int Code, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(args);

    internal static string WriteScan(string path, Shape3 shape, Func<int, short> value)
    {
        var data = new short[shape.Count];
        for (var i = 0; i < data.Length; i++) data[i] = value(i);
        VolumeIO.Write(new Volume(shape, new VoxelBuffer<short>(data), VolumeGeometry.FromSpacing(0.6, 0.6, 4.4)), path);
        return path;
    }
}

public sealed class ModelLocatorTests
{
    [Fact]
    public void AnExplicitPathShouldWin()
        => Assert.Equal("a.onnx", ModelLocator.Resolve("a.onnx", "b.onnx", "/", "/"));

    [Fact]
    public void TheDefaultModelShouldBeFoundInAParentDirectory()
    {
        var root = Directory.CreateTempSubdirectory("seg-loc-");
        try
        {
            var model = Path.Combine(root.FullName, ModelLocator.DefaultRelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(model)!);
            File.WriteAllText(model, "x");
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "data", "cases")).FullName;
            Assert.Equal(model, ModelLocator.Resolve(null, null, nested, "/nonexistent"));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void NoModelAnywhereShouldSayHowToBuildOne()
    {
        var root = Directory.CreateTempSubdirectory("seg-loc-");
        try
        {
            var ex = Assert.Throws<SegmentationException>(() => ModelLocator.Resolve(null, null, root.FullName, root.FullName));
            Assert.Equal(SegmentationErrorReason.ModelNotFound, ex.Reason);
            Assert.Contains("spineseg model build --random-seed 1 --out local/models/spineseg-demo.onnx", ex.Message);
            Assert.Contains(ModelLocator.EnvironmentVariable, ex.Message);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void AnEnvironmentVariableNamingAMissingFileShouldFailNamingTheVariable()
    {
        var ex = Assert.Throws<SegmentationException>(() => ModelLocator.Resolve(null, "/nonexistent/m.onnx", "/", "/"));
        Assert.Contains("SPINESEG_MODEL", ex.Message);
        Assert.Contains("/nonexistent/m.onnx", ex.Message);
    }
}
