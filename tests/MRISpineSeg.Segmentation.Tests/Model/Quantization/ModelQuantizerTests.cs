using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Phantoms;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Quantization;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.Quantization;

public sealed class ModelQuantizerTests : IDisposable
{
    private static readonly Shape3 Grid = new(32, 32, 12);
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task QuantizedRandomModelShouldRunInOrtAndAgreeWithFp32()
    {
        var fp32 = BuildRandom(width: 4, seed: 5);
        var calibration = Phantoms("calibration", 100, 3);
        var int8 = Path.Combine(_dir, "int8.onnx");
        var result = await ModelQuantizer.QuantizeAsync(fp32, calibration, int8);

        Assert.Empty(result.Warnings);
        Assert.Equal(ModelManifest.Int8, result.Manifest.Precision);
        Assert.Equal(3, result.Manifest.Calibration!.ScanCount);
        // An untrained random network's 20 logits lie close together, so 8-bit rounding flips many near-ties: 94.2% of
        // voxels agree here. A wrong tap, channel order or scale gives chance-level agreement (~5-30%); 0.90 separates
        // the two. Trained models agree far more closely (DemoModelInt8Tests).
        var agreement = Agreement(fp32, int8, Phantoms("held-out", 200, 2));
        Assert.True(agreement >= 0.90, $"int8 labels agree with fp32 on {agreement:P2} of voxels");
    }

    [Fact]
    public async Task SingleCalibrationScanShouldWorkWithAWarning()
    {
        var result = await ModelQuantizer.QuantizeAsync(BuildRandom(2, 3), Phantoms("one", 100, 1), Path.Combine(_dir, "int8.onnx"));

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("single scan (Case1.nii.gz)", warning, StringComparison.Ordinal);
        Assert.Equal(1, result.Manifest.Calibration!.ScanCount);
        Assert.True(File.Exists(Path.Combine(_dir, "int8.onnx")));
    }

    [Fact]
    public async Task EmptyCalibrationFolderShouldBeRefusedNamingIt()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no scans here");

        var ex = await Assert.ThrowsAsync<SegmentationException>(() => ModelQuantizer.QuantizeAsync(BuildRandom(2, 3), empty, Path.Combine(_dir, "int8.onnx")));
        Assert.Equal(SegmentationErrorReason.InvalidRequest, ex.Reason);
        Assert.Contains($"--calibration: \"{empty}\" holds no scans", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "int8.onnx")));
    }

    [Fact]
    public async Task UnreadableCalibrationScanShouldBeRefusedNamingTheFile()
    {
        var folder = Phantoms("bad", 100, 1);
        await File.WriteAllBytesAsync(Path.Combine(folder, "Case9.nii.gz"), [1, 2, 3, 4, 5]);

        var ex = await Assert.ThrowsAsync<SegmentationException>(() => ModelQuantizer.QuantizeAsync(BuildRandom(2, 3), folder, Path.Combine(_dir, "int8.onnx")));
        Assert.Equal(SegmentationErrorReason.InvalidRequest, ex.Reason);
        Assert.StartsWith("--calibration: Case9.nii.gz cannot be used:", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "int8.onnx")));
    }

    [Fact]
    public async Task AlreadyQuantizedModelShouldBeRefused()
    {
        var calibration = Phantoms("calibration", 100, 1);
        var int8 = Path.Combine(_dir, "int8.onnx");
        await ModelQuantizer.QuantizeAsync(BuildRandom(2, 3), calibration, int8);

        var ex = await Assert.ThrowsAsync<SegmentationException>(() => ModelQuantizer.QuantizeAsync(int8, calibration, Path.Combine(_dir, "again.onnx")));
        Assert.Equal(SegmentationErrorReason.InvalidModel, ex.Reason);
        Assert.Contains("cannot quantize: the model is already int8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelThatModelBuildDidNotMakeShouldBeRefusedSayingWhatIsSupported()
    {
        // A model of another architecture (as 'model import' would write): same file, the manifest says unet3d.
        var path = BuildRandom(2, 3);
        var model = MRISpineSeg.Segmentation.Model.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var entry = model.MetadataProps.Single(p => p.Key == ManifestCodec.MetadataKey);
        entry.Value = entry.Value.Replace("\"architecture\":\"vnet\"", "\"architecture\":\"unet3d\"", StringComparison.Ordinal);
        var other = Path.Combine(_dir, "unet.onnx");
        await File.WriteAllBytesAsync(other, Google.Protobuf.MessageExtensions.ToByteArray(model));

        var ex = await Assert.ThrowsAsync<SegmentationException>(() => ModelQuantizer.QuantizeAsync(other, Phantoms("calibration", 100, 1), Path.Combine(_dir, "int8.onnx")));
        Assert.Equal(SegmentationErrorReason.InvalidModel, ex.Reason);
        Assert.Contains("architecture is 'unet3d'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("supports fp32 PReLU VNet models built by 'spineseg model build'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EluModelShouldBeRefusedSayingWhatIsSupported()
    {
        var path = Path.Combine(_dir, "elu.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(2, 20, VNetActivation.Elu), 1), path, new VNetBuildOptions { Grid = Grid });

        var ex = await Assert.ThrowsAsync<SegmentationException>(() => ModelQuantizer.QuantizeAsync(path, Phantoms("calibration", 100, 1), Path.Combine(_dir, "int8.onnx")));
        Assert.Contains("the model uses ELU", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CudaRequestOnInt8ModelShouldSayItRunsOnTheCpuOnly()
    {
        var int8 = Path.Combine(_dir, "int8.onnx");
        await ModelQuantizer.QuantizeAsync(BuildRandom(2, 3), Phantoms("calibration", 100, 1), int8);

        var strict = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(int8, new OnnxNetworkOptions { Device = ExecutionDevice.Cuda, RequireDevice = true }));
        Assert.Equal(SegmentationErrorReason.ProviderUnavailable, strict.Reason);
        Assert.Contains("the model is int8", strict.Message, StringComparison.Ordinal);
        Assert.Contains("runs on the CPU only", strict.Message, StringComparison.Ordinal);

        using var fallback = OnnxSegmentationNetwork.Load(int8, new OnnxNetworkOptions { Device = ExecutionDevice.Cuda, IntraOpThreads = 1 });
        Assert.Equal("CPUExecutionProvider", fallback.ExecutionProvider);
        Assert.Contains("the model is int8", fallback.DeviceProblem, StringComparison.Ordinal);
    }

    private string BuildRandom(int width, ulong seed)
    {
        var path = Path.Combine(_dir, $"fp32-w{width}.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(width), seed, perturbNormalization: true), path, new VNetBuildOptions { Grid = Grid });
        return path;
    }

    private string Phantoms(string name, int firstSeed, int count)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++)
            PhantomGenerator.WriteCase(PhantomGenerator.Generate(firstSeed + i, new PhantomOptions { Shape = new Shape3(64, 64, 12) }), folder, i + 1);
        return folder;
    }

    /// <summary>Fraction of voxels whose labels agree between the two models, over every scan of <paramref name="folder"/> (masks excluded).</summary>
    internal static double Agreement(string fp32, string int8, string folder)
    {
        var options = new OnnxNetworkOptions { IntraOpThreads = 2 };
        using var a = OnnxSegmentationNetwork.Load(fp32, options);
        using var b = OnnxSegmentationNetwork.Load(int8, options);
        var segA = new Segmenter(a, new SegmenterOptions { RequireSpineLabels = false });
        var segB = new Segmenter(b, new SegmenterOptions { RequireSpineLabels = false });
        long same = 0, total = 0;
        foreach (var scan in Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith("mask_", StringComparison.Ordinal)))
        {
            var ma = segA.SegmentFileAsync(scan).GetAwaiter().GetResult().Mask.Voxels.As<byte>().Data;
            var mb = segB.SegmentFileAsync(scan).GetAwaiter().GetResult().Mask.Voxels.As<byte>().Data;
            for (var i = 0; i < ma.Length; i++) same += ma[i] == mb[i] ? 1 : 0;
            total += ma.Length;
        }

        return (double)same / total;
    }
}
